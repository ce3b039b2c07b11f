import { ANY, hashSubjectKey, type StoredConsent } from './record';

/**
 * Precedence rules (documented in the README, section consent-gate):
 * 1. For a (subject, channel, purpose) the records that cover it are those of that exact key plus the
 *    wildcard keys (subject, *, purpose), (subject, channel, *) and (subject, *, *). The latest of them wins,
 *    so a global opt-out (channel `*`) suppresses every channel until a later opt-in for that channel.
 * 2. At the same instant an opt-out beats an opt-in (and between equal statuses the larger recordId wins,
 *    so input order never matters).
 * 3. Opt-ins recorded after "now" are ignored (a re-run with an older "now" sees the state of that time);
 *    opt-outs always count, even with a future timestamp (clock skew must never re-enable a contact).
 * 4. An opt-in whose expiresAt is at or before "now" still wins over older records but grants nothing.
 */
export function beats(a: StoredConsent, b: StoredConsent): boolean {
	if (a.recordedAtMs !== b.recordedAtMs) return a.recordedAtMs > b.recordedAtMs;
	if (a.status !== b.status) return a.status === 'opt_out';
	return a.recordId > b.recordId;
}

interface SubjectEntries {
	/** Latest record per (channel, purpose) of one subject; few per subject, so a scan is O(1) in practice. */
	channels: string[];
	purposes: string[];
	latest: StoredConsent[];
}

export type ConsentState = 'opt_in' | 'opt_out' | 'expired' | 'none';

/** Records indexed once; every lookup afterwards is one Map get plus a scan of that subject's few keys. */
export class ConsentIndex {
	private readonly subjects = new Map<string, SubjectEntries>();
	private hasHashed = false;
	readonly size: number;

	constructor(
		records: Iterable<StoredConsent>,
		readonly nowMs: number,
	) {
		let size = 0;
		for (const record of records) {
			if (record.status === 'opt_in' && record.recordedAtMs > nowMs) continue;
			size++;
			if (record.subjectKeyHashed) this.hasHashed = true;
			let entries = this.subjects.get(record.subjectKey);
			if (!entries) {
				entries = { channels: [], purposes: [], latest: [] };
				this.subjects.set(record.subjectKey, entries);
			}
			const at = findKey(entries, record.channel, record.purpose);
			if (at < 0) {
				entries.channels.push(record.channel);
				entries.purposes.push(record.purpose);
				entries.latest.push(record);
			} else if (beats(record, entries.latest[at])) {
				entries.latest[at] = record;
			}
		}
		this.size = size;
	}

	/** The winning record for a (subject, channel, purpose), or undefined when no record covers it. */
	lookup(subjectKey: string, channel: string, purpose: string): StoredConsent | undefined {
		let winner = this.subjects.size ? winnerIn(this.subjects.get(subjectKey), channel, purpose) : undefined;
		if (this.hasHashed) {
			const hashed = winnerIn(this.subjects.get(hashSubjectKey(subjectKey)), channel, purpose);
			if (hashed && (!winner || beats(hashed, winner))) winner = hashed;
		}
		return winner;
	}

	/** opt_in (active), opt_out, expired (latest is a lapsed opt-in) or none. */
	state(record: StoredConsent | undefined): ConsentState {
		if (!record) return 'none';
		if (record.status === 'opt_out') return 'opt_out';
		return record.expiresAtMs !== undefined && record.expiresAtMs <= this.nowMs ? 'expired' : 'opt_in';
	}

	/** True when the record is an active opt-in given on the basis of consent ("separate consent"). */
	isSeparateConsent(record: StoredConsent | undefined): boolean {
		return this.state(record) === 'opt_in' && record?.lawfulBasis === 'consent';
	}

	/**
	 * True when any (channel, purpose) of the subject currently resolves to an active opt-in on the basis
	 * of consent: the subject was converted with separate consent, so retention does not apply.
	 */
	subjectHasSeparateConsent(subjectKey: string): boolean {
		const entries = this.subjects.get(subjectKey);
		if (!entries) return false;
		for (let i = 0; i < entries.latest.length; i++) {
			const record = entries.latest[i];
			if (record.status !== 'opt_in' || record.channel === ANY || record.purpose === ANY) continue;
			if (this.isSeparateConsent(this.lookup(subjectKey, record.channel, record.purpose))) return true;
		}
		return false;
	}
}

function findKey(entries: SubjectEntries, channel: string, purpose: string): number {
	for (let i = 0; i < entries.channels.length; i++) {
		if (entries.channels[i] === channel && entries.purposes[i] === purpose) return i;
	}
	return -1;
}

function winnerIn(entries: SubjectEntries | undefined, channel: string, purpose: string): StoredConsent | undefined {
	if (!entries) return undefined;
	let winner: StoredConsent | undefined;
	for (let i = 0; i < entries.channels.length; i++) {
		const c = entries.channels[i];
		const p = entries.purposes[i];
		if ((c === channel || c === ANY) && (p === purpose || p === ANY)) {
			const record = entries.latest[i];
			if (!winner || beats(record, winner)) winner = record;
		}
	}
	return winner;
}
