import { ANY, hashSubjectKey, normaliseKeyName, normaliseSubjectKey, type StoredConsent } from './record';
import { SubjectTable } from './subjectTable';

/**
 * Precedence (docs/compliance.md, "Consent precedence", summed up in docs/nodes/consent-gate.md; GDPR Art. 21(3), Art. 7):
 * 1. For a (subject, channel, purpose) the records that cover it are those of that exact key plus the
 *    wildcard keys (subject, *, purpose), (subject, channel, *) and (subject, *, *).
 * 2. An opt-out is sticky: a later opt-out always wins, and after an opt-out only an opt-in that lifts it
 *    (`liftsOptOut`: lawful basis consent, given by the person — keyword, form or manual — with evidence)
 *    makes the subject reachable again. Imports, legitimate interest, contract, records without a source or
 *    without evidence never lift an opt-out. Once lifted, later opt-ins count again as usual.
 * 3. Without an opt-out in between, the latest opt-in wins (it decides basis and expiry).
 * 4. At the same instant an opt-out beats an opt-in; between equal statuses the larger recordId wins (a row
 *    stored without one has the id its content derives), and records with the same id are ordered by their
 *    content (sameInstantOrder): the order is total, so input order never matters.
 * 5. Opt-ins recorded after "now" are ignored (a re-run with an older "now" sees the state of that time);
 *    opt-outs always count, even with a future timestamp (clock skew must never re-enable a contact).
 * 6. An opt-in whose expiresAt is at or before "now" still wins over older records but grants nothing.
 */
export function beats(a: StoredConsent, b: StoredConsent): boolean {
	if (a.recordedAtMs !== b.recordedAtMs) return a.recordedAtMs > b.recordedAtMs;
	if (a.status !== b.status) return a.status === 'opt_out';
	if (a.recordId !== b.recordId) return a.recordId > b.recordId;
	return sameIdOrder(a, b) > 0;
}

/**
 * Orders two records of the same instant, status and id (a duplicated id, or two id-less rows that derive the same
 * id but differ in basis or expiry) by every other field the decision reads. Records equal in all of them decide
 * the same way, so which of them wins does not matter.
 */
function sameIdOrder(a: StoredConsent, b: StoredConsent): number {
	return (
		compareText(a.subjectKey, b.subjectKey) ||
		compareText(a.channel, b.channel) ||
		compareText(a.purpose, b.purpose) ||
		compareText(a.lawfulBasis, b.lawfulBasis) ||
		compareText(a.source, b.source) ||
		Number(a.hasEvidence) - Number(b.hasEvidence) ||
		(a.expiresAtMs ?? -Infinity) - (b.expiresAtMs ?? -Infinity) ||
		Number(a.subjectKeyHashed) - Number(b.subjectKeyHashed)
	);
}

function compareText(a: string, b: string): number {
	return a === b ? 0 : a > b ? 1 : -1;
}

/** Sources that mean the person acted themself (a keyword they sent, a form they filled in, a manual record). */
export const PERSONAL_SOURCES: ReadonlySet<string> = new Set(['keyword', 'form', 'manual']);

/** True when an opt-in may lift an earlier opt-out: consent, given by the person, with evidence. */
export function liftsOptOut(record: StoredConsent): boolean {
	return (
		record.status === 'opt_in' &&
		record.lawfulBasis === 'consent' &&
		record.hasEvidence &&
		PERSONAL_SOURCES.has(record.source)
	);
}

/** The records of a key (or of several keys folded together) that decide its state. */
interface Latest {
	optOut?: StoredConsent;
	optIn?: StoredConsent;
	/** The latest opt-in that `liftsOptOut`. */
	lift?: StoredConsent;
}

function fold(into: Latest, from: Latest): void {
	if (from.optOut && (!into.optOut || beats(from.optOut, into.optOut))) into.optOut = from.optOut;
	if (from.optIn && (!into.optIn || beats(from.optIn, into.optIn))) into.optIn = from.optIn;
	if (from.lift && (!into.lift || beats(from.lift, into.lift))) into.lift = from.lift;
}

function add(into: Latest, record: StoredConsent): void {
	if (record.status === 'opt_out') {
		if (!into.optOut || beats(record, into.optOut)) into.optOut = record;
		return;
	}
	if (!into.optIn || beats(record, into.optIn)) into.optIn = record;
	if (liftsOptOut(record) && (!into.lift || beats(record, into.lift))) into.lift = record;
}

/**
 * The deciding record: the latest opt-in when there is no opt-out or a lifting opt-in came after the latest
 * opt-out (then every later opt-in counts too, and the latest opt-in is at least as late as the lift);
 * otherwise the latest opt-out.
 */
function winnerOf(latest: Latest): StoredConsent | undefined {
	const { optOut, optIn, lift } = latest;
	if (!optOut) return optIn;
	return lift && beats(lift, optOut) && optIn ? optIn : optOut;
}

interface SubjectEntries {
	/** The deciding records per (channel, purpose) of one subject; few per subject, so a scan is O(1) in practice. */
	channels: string[];
	purposes: string[];
	latest: Latest[];
}

export type ConsentState = 'opt_in' | 'opt_out' | 'expired' | 'none';

/**
 * The resolved state of a (subject, channel, purpose) as a small integer, for the gate's per-contact pass:
 * what `state()` says, with an active opt-in split by whether it is separate consent (lawful basis `consent`).
 */
export const DECISION_NONE = 0;
export const DECISION_OPT_IN_CONSENT = 1;
export const DECISION_OPT_IN = 2;
export const DECISION_EXPIRED = 3;
export const DECISION_OPT_OUT = 4;

/**
 * A subject whose records name two or more channels of their own (rare): the decision per channel, and
 * `other` for every channel without records of its own (only `*` records apply there).
 */
export class ChannelDecisions {
	constructor(
		readonly channels: readonly string[],
		readonly decisions: readonly number[],
		readonly other: number,
	) {}

	forChannel(channel: string): number {
		for (let i = 0; i < this.channels.length; i++) if (this.channels[i] === channel) return this.decisions[i];
		return this.other;
	}
}

/**
 * One subject's decisions for one purpose, resolved at index time (precedence above, wildcards folded in).
 * Usually a small integer, so the gate reads no object per contact: `channelId << 6 | decision << 3 | other`,
 * where `decision` holds for the one channel the subject's own records name (`channelId`, 0 = none) and
 * `other` for every other channel. Subjects with records for several channels of their own keep a
 * ChannelDecisions.
 */
export type SubjectDecision = number | ChannelDecisions;

/** The decision of a subject's entry for a contact's channel (`channelId` from PurposeView.channelIds, 0 = unnamed). */
export function decide(entry: SubjectDecision, channelId: number, channel: string): number {
	if (typeof entry === 'number') return entry >> 6 === channelId ? (entry >> 3) & 7 : entry & 7;
	return entry.forChannel(channel);
}

/** Every subject's decisions for one purpose: one table lookup per contact. */
export interface PurposeView {
	readonly subjects: SubjectTable<SubjectDecision>;
	/** A small id (from 1) per channel that records name; channels not in it get 0. */
	readonly channelIds: ReadonlyMap<string, number>;
	/** Erasure tombstones (hashed subject keys) exist: contacts must also be looked up by their hash. */
	readonly hasHashed: boolean;
}

/** Records indexed once; every lookup afterwards is one Map get plus a scan of that subject's few keys. */
export class ConsentIndex {
	private readonly subjects = new Map<string, SubjectEntries>();
	private hasHashed = false;
	private readonly views = new Map<string, PurposeView>();
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
			let at = findKey(entries, record.channel, record.purpose);
			if (at < 0) {
				at = entries.latest.length;
				entries.channels.push(record.channel);
				entries.purposes.push(record.purpose);
				entries.latest.push({});
			}
			add(entries.latest[at], record);
		}
		this.size = size;
	}

	/**
	 * The winning record for a (subject, channel, purpose), or undefined when no record covers it. The arguments are
	 * normalised like stored keys; an erasure tombstone matches the hash of the normalised key, and (tombstones
	 * written before keys were normalised) the hash of the key as given.
	 */
	lookup(subjectKey: string, channel: string, purpose: string): StoredConsent | undefined {
		const latest: Latest = {};
		const key = normaliseSubjectKey(subjectKey);
		const c = normaliseKeyName(channel);
		const p = normaliseKeyName(purpose);
		if (this.subjects.size) collect(latest, this.subjects.get(key), c, p);
		if (this.hasHashed) {
			const hashed = hashSubjectKey(key);
			collect(latest, this.subjects.get(hashed), c, p);
			const asGiven = hashSubjectKey(subjectKey.trim());
			if (asGiven !== hashed) collect(latest, this.subjects.get(asGiven), c, p);
		}
		return winnerOf(latest);
	}

	/**
	 * Every subject's decision for one purpose, resolved once and kept (the same purpose asks again for
	 * free). Equal to `decisionOf(lookup(subject, channel, purpose))` for every subject and channel, except
	 * for hashed tombstones (`hasHashed`), which need a lookup by the contact's hashed key.
	 */
	view(purposeAsGiven: string): PurposeView {
		const purpose = normaliseKeyName(purposeAsGiven);
		let view = this.views.get(purpose);
		if (view) return view;
		const resolved: Array<[string, SubjectDecision]> = [];
		const channelIds = new Map<string, number>();
		for (const [subjectKey, entries] of this.subjects) {
			const decision = this.resolve(entries, purpose, channelIds);
			if (decision !== undefined) resolved.push([subjectKey, decision]);
		}
		view = { subjects: new SubjectTable(resolved, resolved.length), channelIds, hasHashed: this.hasHashed };
		this.views.set(purpose, view);
		return view;
	}

	/** The decision code of a winning record (see DECISION_*). */
	decisionOf(record: StoredConsent | undefined): number {
		if (!record) return DECISION_NONE;
		if (record.status === 'opt_out') return DECISION_OPT_OUT;
		if (record.expiresAtMs !== undefined && record.expiresAtMs <= this.nowMs) return DECISION_EXPIRED;
		return record.lawfulBasis === 'consent' ? DECISION_OPT_IN_CONSENT : DECISION_OPT_IN;
	}

	private resolve(
		entries: SubjectEntries,
		purpose: string,
		channelIds: Map<string, number>,
	): SubjectDecision | undefined {
		let covered = false;
		const own: string[] = [];
		for (let i = 0; i < entries.channels.length; i++) {
			const p = entries.purposes[i];
			if (p !== purpose && p !== ANY) continue;
			covered = true;
			const c = entries.channels[i];
			if (c !== ANY && !own.includes(c)) own.push(c);
		}
		if (!covered) return undefined;
		const other = this.decisionOf(winnerIn(entries, undefined, purpose));
		const decisions = own.map((c) => this.decisionOf(winnerIn(entries, c, purpose)));
		if (own.length > 1) return new ChannelDecisions(own, decisions, other);
		if (own.length === 0) return (other << 3) | other; // channelId 0: the same decision for every channel
		let id = channelIds.get(own[0]);
		if (id === undefined) {
			id = channelIds.size + 1;
			channelIds.set(own[0], id);
		}
		return (id << 6) | (decisions[0] << 3) | other;
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
	subjectHasSeparateConsent(subjectKeyAsGiven: string): boolean {
		const subjectKey = normaliseSubjectKey(subjectKeyAsGiven);
		const entries = this.subjects.get(subjectKey);
		if (!entries) return false;
		for (let i = 0; i < entries.latest.length; i++) {
			const channel = entries.channels[i];
			const purpose = entries.purposes[i];
			if (!entries.latest[i].optIn || channel === ANY || purpose === ANY) continue;
			if (this.isSeparateConsent(this.lookup(subjectKey, channel, purpose))) return true;
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

/** The deciding record for (channel, purpose); channel undefined = a channel with no records of its own. */
function winnerIn(
	entries: SubjectEntries | undefined,
	channel: string | undefined,
	purpose: string,
): StoredConsent | undefined {
	const latest: Latest = {};
	collect(latest, entries, channel, purpose);
	return winnerOf(latest);
}

/** Folds every key of a subject that covers (channel, purpose) into `latest`. */
function collect(latest: Latest, entries: SubjectEntries | undefined, channel: string | undefined, purpose: string): void {
	if (!entries) return;
	for (let i = 0; i < entries.channels.length; i++) {
		const c = entries.channels[i];
		const p = entries.purposes[i];
		if ((c === channel || c === ANY) && (p === purpose || p === ANY)) fold(latest, entries.latest[i]);
	}
}
