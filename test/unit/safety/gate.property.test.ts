import { runGate, type GateConfig } from '../../../nodes/core/consent/gate';
import { ConsentIndex } from '../../../nodes/core/consent/precedence';
import { ALLOWED, CODE } from '../../../nodes/core/consent/reasons';
import { readStoredConsent, type StoredConsent } from '../../../nodes/core/consent/record';
import { DEFAULT_GATE_FIELDS } from '../../../nodes/core/consent/gate';
import { Gen, NOW, SEED, hostileKey, hostileTime } from './generators';

/**
 * Property suite for the Consent Gate check, driven through the core (readStoredConsent → ConsentIndex →
 * runGate, what the Check operation runs): hostile contacts against random consent histories. Checked
 * against an independent oracle of the precedence rule (docs/compliance.md, "Consent precedence").
 */
const BATCHES = 2_500;
const CONTACTS = 32;
const H = 3_600_000;
const D = 24 * H;
const SUBJECTS = ['s0', 's1', 's2', 's3', 's4', 'ü-5', '🙂6', 's7'];
const CHANNELS = ['instagram_dm', 'email', '*'];
const SOURCES = ['keyword', 'form', 'manual', 'import', 'subject_request', undefined];
const BASES = ['consent', 'consent', 'legitimate_interest', 'contract', undefined];

interface Row extends Record<string, unknown> {
	recordId: string;
	subjectKey: string;
	channel: string;
	purpose: string;
	status: 'opt_in' | 'opt_out';
	ms: number;
}

function history(g: Gen, batch: number): Row[] {
	const rows: Row[] = [];
	const n = g.int(24);
	for (let k = 0; k < n; k++) {
		const ms = NOW - g.int(90 * D) + (g.chance(0.05) ? 2 * D : 0);
		const row: Row = {
			recordId: `cr_${batch}_${k}`,
			subjectKey: g.pick(SUBJECTS),
			channel: g.pick(CHANNELS),
			purpose: g.chance(0.85) ? 'marketing' : g.pick(['*', 'newsletter']),
			status: g.chance(0.45) ? 'opt_out' : 'opt_in',
			ms,
			recordedAt: g.pick([new Date(ms).toISOString(), new Date(ms), ms]),
		};
		const source = g.pick(SOURCES);
		if (source !== undefined) row.source = source;
		const basis = g.pick(BASES);
		if (basis !== undefined) row.lawfulBasis = basis;
		if (g.chance(0.7)) row.evidence = g.pick(['Message m1', 'Form v2', ' ', '']);
		if (g.chance(0.1)) row.expiresAt = new Date(NOW + (g.chance(0.5) ? -1 : 1) * g.int(10 * D)).toISOString();
		rows.push(row);
	}
	return rows;
}

/** The precedence rule, written out plainly: replay the covering records in time order. */
function oracle(rows: readonly Row[], subject: string, channel: string, purpose: string): 'opt_out' | 'opt_in' | 'expired' | 'none' {
	const covering = rows
		.filter((r) => r.subjectKey === subject && (r.channel === channel || r.channel === '*') && (r.purpose === purpose || r.purpose === '*'))
		.filter((r) => !(r.status === 'opt_in' && r.ms > NOW))
		.sort((a, b) => a.ms - b.ms || (a.status === b.status ? (a.recordId < b.recordId ? -1 : 1) : a.status === 'opt_in' ? -1 : 1));
	let state: 'opt_out' | 'opt_in' | 'none' = 'none';
	let winner: Row | undefined;
	for (const r of covering) {
		const lifts =
			r.lawfulBasis === 'consent' &&
			['keyword', 'form', 'manual'].includes(String(r.source)) &&
			typeof r.evidence === 'string' &&
			r.evidence.trim() !== '';
		if (r.status === 'opt_out' || lifts || state !== 'opt_out') {
			state = r.status;
			winner = r;
		}
	}
	if (state === 'opt_in' && typeof winner?.expiresAt === 'string' && Date.parse(winner.expiresAt) <= NOW) return 'expired';
	return state;
}

function contact(g: Gen): { json: Record<string, unknown>; inbound: { value: unknown; ms: number | undefined } } {
	const inbound = hostileTime(g);
	const json: Record<string, unknown> = { viewerKey: hostileKey(g, SUBJECTS), lastInboundAt: inbound.value };
	if (g.chance(0.9)) json.channel = g.pick(['instagram_dm', 'instagram_dm', 'email', '', null, 7, ' email ']);
	if (g.chance(0.3)) json.lastSeenAt = hostileTime(g).value;
	if (g.chance(0.2)) json.possibleBot = g.pick([true, 'yes', 1, 'no', null]);
	if (g.chance(0.5)) json.score = g.pick([1, 5, '3', 'NaN', NaN, -Infinity, null, {}, 1e308]);
	if (g.chance(0.2)) json.accountId = g.pick(['a1', 'a2', '', 3]);
	if (g.chance(0.1)) json.sentLastHour = g.pick([0, 3, '2', -1, 'x', null]);
	return { json, inbound };
}

function configOf(g: Gen): GateConfig {
	return {
		nowMs: NOW,
		defaultChannel: g.pick(['', 'instagram_dm', 'email']),
		purpose: 'marketing',
		requireOptIn: g.chance(0.5),
		humanAgent: g.chance(0.2),
		windowMarginMs: g.pick([0, 0, 30 * 60_000]),
		retentionDays: g.pick([0, 0, 30, 180]),
		caps: { perRun: g.pick([0, 5, 25]), perHour: g.pick([0, 10]), perDay: g.pick([0, 50]) },
		fields: DEFAULT_GATE_FIELDS,
	};
}

function text(value: unknown): string {
	if (typeof value === 'string') return value.trim();
	return typeof value === 'number' && Number.isFinite(value) ? String(value) : '';
}

describe(`Consent Gate check, property suite (seed ${SEED}; STORY_LEADS_SEED=<n> to replay)`, () => {
	it(`${BATCHES * CONTACTS} hostile contacts: nobody opted out is allowed, nothing is lost, nothing throws, runs repeat`, () => {
		const g = new Gen(SEED);
		let allowedTotal = 0;
		let optedOutSeen = 0;
		for (let b = 0; b < BATCHES; b++) {
			const rows = history(g, b);
			const cfg = configOf(g);
			const contacts = Array.from({ length: CONTACTS }, () => contact(g));
			const where = `seed ${SEED}, batch ${b}`;
			const records: StoredConsent[] = [];
			for (const row of rows) {
				const read = readStoredConsent({ ...row, ms: undefined });
				if (read.ok !== true) throw new Error(`${where}: generated row unreadable: ${JSON.stringify(read)}`);
				records.push(read.record);
			}
			const jsons = contacts.map((c) => c.json);
			const run = runGate(jsons, new ConsentIndex(records, NOW), cfg);
			const again = runGate(jsons, new ConsentIndex([...records].reverse(), NOW), cfg);
			// Determinism (and input order of the records never matters).
			if (
				Buffer.compare(Buffer.from(run.codes), Buffer.from(again.codes)) !== 0 ||
				run.sendOrder.join() !== again.sendOrder.join() ||
				JSON.stringify([...run.invalid]) !== JSON.stringify([...again.invalid])
			) {
				throw new Error(`${where}: two runs over the same input differ`);
			}
			// Nothing lost: every contact is allowed exactly once or blocked with a code.
			const allowed = new Set(run.sendOrder);
			expect(allowed.size).toBe(run.sendOrder.length);
			for (let i = 0; i < CONTACTS; i++) {
				const code = run.codes[i];
				if ((code === ALLOWED) !== allowed.has(i)) throw new Error(`${where}: contact ${i} code ${code} vs send order`);
				if (code === CODE.invalid_input && !run.invalid.get(i)) throw new Error(`${where}: contact ${i} invalid without a reason`);
				const subject = text(jsons[i].viewerKey);
				const channel = text(jsons[i].channel) || cfg.defaultChannel;
				const state = subject && channel ? oracle(rows, subject, channel, 'marketing') : 'none';
				if (state === 'opt_out') optedOutSeen++;
				const early = code === CODE.missing_identity || code === CODE.invalid_input;
				if ((code === CODE.opted_out) !== (state === 'opt_out' && !early)) {
					throw new Error(`${where}: contact ${i} (${subject}/${channel}) code ${code}, precedence says ${state}`);
				}
				if (code !== ALLOWED) continue;
				allowedTotal++;
				if (cfg.requireOptIn && state !== 'opt_in') throw new Error(`${where}: contact ${i} allowed without an active opt-in (${state})`);
				const inbound = contacts[i].inbound;
				const blank = inbound.value === '' || inbound.value === null || inbound.value === undefined;
				if (!blank && (inbound.ms === undefined || inbound.ms > NOW + D)) {
					throw new Error(`${where}: contact ${i} allowed with lastInboundAt ${String(inbound.value)}`);
				}
				const info = run.allowedInfo(i, 1);
				if (info.windowClosesAt !== undefined && !cfg.humanAgent && Date.parse(info.windowClosesAt) > NOW + D) {
					throw new Error(`${where}: contact ${i} window closes at ${info.windowClosesAt}, after now + 24 h`);
				}
			}
		}
		// The generator reaches the interesting cases.
		expect(allowedTotal).toBeGreaterThan(1_000);
		expect(optedOutSeen).toBeGreaterThan(1_000);
	});

	it('stored rows of any shape are read or refused with a reason, never thrown', () => {
		const g = new Gen(SEED + 1);
		let refused = 0;
		for (let k = 0; k < 10_000; k++) {
			const row: Record<string, unknown> = {
				recordId: g.pick(['cr_1', '', null, 5]),
				subjectKey: hostileKey(g, SUBJECTS),
				channel: g.pick(['instagram_dm', '*', '', null, {}]),
				status: g.pick(['opt_in', 'opt_out', 'opt_out', 'granted', null]),
				recordedAt: hostileTime(g).value,
				source: g.pick(['keyword', 7, null, undefined]),
				evidence: g.pick(['x', null, 3, undefined]),
			};
			if (g.chance(0.3)) row.expiresAt = hostileTime(g).value;
			const read = readStoredConsent(row);
			if (read.ok === false) {
				refused++;
				expect(typeof read.reason).toBe('string');
			} else if (read.ok === true) {
				expect(Number.isFinite(read.record.recordedAtMs)).toBe(true);
			}
		}
		expect(refused).toBeGreaterThan(1_000);
	});
});
