import { runGate, type GateConfig } from '../../../nodes/core/consent/gate';
import { ConsentIndex } from '../../../nodes/core/consent/precedence';
import { ALLOWED, CODE } from '../../../nodes/core/consent/reasons';
import { readStoredConsent, type StoredConsent } from '../../../nodes/core/consent/record';
import { DEFAULT_GATE_FIELDS } from '../../../nodes/core/consent/gate';
import {
	Gen,
	INVISIBLE,
	NOW,
	SEED,
	STATUS_SPELLINGS,
	hostileKey,
	hostileTime,
	invisibleText,
	spellKey,
	spellName,
	spellStatus,
	withInvisible,
} from './generators';

/**
 * Property suite for the Consent Gate check, driven through the core (readStoredConsent → ConsentIndex →
 * runGate, what the Check operation runs): hostile contacts against random consent histories. Checked
 * against an independent oracle of the precedence rule (docs/compliance.md, "Consent precedence").
 * The histories are stored the way other tools store them, not only the way our writer does: statuses,
 * keys and names spelled differently (case, Unicode forms, invisible characters, synonyms), rows without a
 * record id sharing an instant, evidence made of invisible characters; and they are read in shuffled order.
 */
const BATCHES = 2_500;
const CONTACTS = 32;
const H = 3_600_000;
const D = 24 * H;
const SUBJECTS = ['s0', 's1', 's2', 's3', 's4', 'ü-5', '🙂6', 's7', 'josé8'];
const CHANNELS = ['instagram_dm', 'email', '*'];
const SOURCES = ['keyword', 'form', 'manual', 'import', 'subject_request', undefined];
const BASES = ['consent', 'consent', 'legitimate_interest', 'contract', undefined];

/** What a stored row means (canonical values), and the row as stored. */
interface Row {
	subjectKey: string;
	channel: string;
	purpose: string;
	status: 'opt_in' | 'opt_out';
	ms: number;
	source?: string;
	lawfulBasis?: string;
	/** The evidence shows visible text (evidence made only of invisible characters is none). */
	evidenced: boolean;
	expiresAt?: string;
	stored: Record<string, unknown>;
}

function history(g: Gen, batch: number): Row[] {
	const rows: Row[] = [];
	const n = g.int(24);
	for (let k = 0; k < n; k++) {
		// About one row in four repeats the key, status and instant of an earlier one with other basis, source,
		// evidence or expiry: ties, often between rows without an id, whose order changes the outcome.
		const earlier = k > 0 && g.chance(0.25) ? rows[g.int(rows.length)] : undefined;
		const row: Row = {
			subjectKey: earlier?.subjectKey ?? g.pick(SUBJECTS),
			channel: earlier?.channel ?? g.pick(CHANNELS),
			purpose: earlier?.purpose ?? (g.chance(0.85) ? 'marketing' : g.pick(['*', 'newsletter'])),
			status: earlier?.status ?? (g.chance(0.45) ? 'opt_out' : 'opt_in'),
			ms: earlier?.ms ?? NOW - g.int(90 * D) + (g.chance(0.05) ? 2 * D : 0),
			evidenced: false,
			stored: {},
		};
		const ms = row.ms;
		const stored: Record<string, unknown> = {
			subjectKey: g.chance(0.5) ? row.subjectKey : spellKey(g, row.subjectKey),
			channel: g.chance(0.5) ? row.channel : row.channel === '*' ? g.pick([' * ', '*\u200b']) : spellName(g, row.channel),
			purpose: g.chance(0.5) ? row.purpose : row.purpose === '*' ? ' *' : spellName(g, row.purpose),
			status: spellStatus(g, row.status),
			recordedAt: g.pick([new Date(ms).toISOString(), new Date(ms), ms]),
		};
		const id = g.pick([`cr_${batch}_${k}`, `cr_${batch}_${k}`, `row-${batch}-${k}`, undefined, '', null]);
		if (id !== undefined) stored.recordId = id;
		const source = g.pick(SOURCES);
		if (source !== undefined) {
			row.source = source;
			stored.source = g.chance(0.7) ? source : g.pick([source.toUpperCase(), ` ${source} `, source.replace('_', '-')]);
		}
		const basis = g.pick(BASES);
		if (basis !== undefined) {
			row.lawfulBasis = basis;
			stored.lawfulBasis = g.chance(0.7) ? basis : g.pick([basis.toUpperCase(), ` ${basis.replace('_', ' ')}`, basis.charAt(0).toUpperCase() + basis.slice(1)]);
		}
		if (g.chance(0.7)) {
			const evidence = g.pick(['Message m1', 'Form v2', ' ', '', 'invisible', 'mixed']);
			stored.evidence = evidence === 'invisible' ? invisibleText(g) : evidence === 'mixed' ? withInvisible(g, 'Form v3') : evidence;
			row.evidenced = evidence !== ' ' && evidence !== '' && evidence !== 'invisible';
		}
		if (g.chance(earlier ? 0.5 : 0.1)) row.expiresAt = stored.expiresAt = new Date(NOW + (g.chance(0.5) ? -1 : 1) * g.int(10 * D)).toISOString();
		row.stored = stored;
		rows.push(row);
	}
	return rows;
}

function lifts(r: Row): boolean {
	return r.lawfulBasis === 'consent' && ['keyword', 'form', 'manual'].includes(String(r.source)) && r.evidenced;
}

/**
 * The precedence rule, written out plainly: replay the covering records in time order (an opt-out after the
 * opt-ins of its instant). Records of the same instant and status may come in any order, so the answer is the set
 * of states some order of them gives; the gate must give one of them, the same for every input order.
 */
function oracle(rows: readonly Row[], subject: string, channel: string, purpose: string): Set<string> {
	const covering = rows
		.filter((r) => r.subjectKey === subject && (r.channel === channel || r.channel === '*') && (r.purpose === purpose || r.purpose === '*'))
		.filter((r) => !(r.status === 'opt_in' && r.ms > NOW))
		.sort((a, b) => a.ms - b.ms || (a.status === b.status ? 0 : a.status === 'opt_in' ? -1 : 1));
	let state: 'opt_out' | 'opt_in' | 'none' = 'none';
	let winners: Row[] = [];
	for (let k = 0; k < covering.length; ) {
		let j = k;
		while (j < covering.length && covering[j].ms === covering[k].ms && covering[j].status === covering[k].status) j++;
		const group = covering.slice(k, j);
		k = j;
		if (group[0].status === 'opt_out' || state !== 'opt_out' || group.some(lifts)) {
			state = group[0].status;
			winners = group;
		}
	}
	if (state !== 'opt_in') return new Set([state]);
	return new Set(winners.map((w) => (w.expiresAt !== undefined && Date.parse(w.expiresAt) <= NOW ? 'expired' : 'opt_in')));
}

/** The test's own reading of a key or name in the forms the generators produce. */
const INVISIBLE_CHARS = new RegExp(`[${INVISIBLE.join('')}\t]`, 'gu');
function canonicalKey(value: string): string {
	return value.replace(INVISIBLE_CHARS, '').normalize('NFC').toLowerCase().trim();
}
function canonicalName(value: string): string {
	return value.normalize('NFKC').replace(INVISIBLE_CHARS, '').toLowerCase().trim().replace(/[\s\-\u2010]+/g, '_');
}

function shuffled<T>(g: Gen, list: readonly T[]): T[] {
	const out = [...list];
	for (let i = out.length - 1; i > 0; i--) {
		const j = g.int(i + 1);
		[out[i], out[j]] = [out[j], out[i]];
	}
	return out;
}

function contact(g: Gen): { json: Record<string, unknown>; inbound: { value: unknown; ms: number | undefined } } {
	const inbound = hostileTime(g);
	const json: Record<string, unknown> = { viewerKey: hostileKey(g, SUBJECTS), lastInboundAt: inbound.value };
	if (g.chance(0.9)) json.channel = g.pick(['instagram_dm', 'instagram_dm', 'email', '', null, 7, ' email ', spellName(g, 'instagram_dm'), spellName(g, 'email')]);
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
		defaultChannel: g.pick(['', 'instagram_dm', 'email', 'Instagram-DM', ' EMAIL']),
		purpose: g.pick(['marketing', 'marketing', 'Marketing', ' MARKETING ']),
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
	it(`${BATCHES * CONTACTS} hostile contacts against histories spelled by other tools: nobody opted out is allowed, nothing is lost, nothing throws, record order never matters`, () => {
		const g = new Gen(SEED);
		let allowedTotal = 0;
		let optedOutSeen = 0;
		let spelledSeen = 0;
		let tiesSeen = 0;
		for (let b = 0; b < BATCHES; b++) {
			const rows = history(g, b);
			const cfg = configOf(g);
			const contacts = Array.from({ length: CONTACTS }, () => contact(g));
			const where = `seed ${SEED}, batch ${b}`;
			const records: StoredConsent[] = [];
			for (const row of rows) {
				const read = readStoredConsent(row.stored);
				if (read.ok !== true) throw new Error(`${where}: generated row unreadable: ${JSON.stringify({ row, read })}`);
				records.push(read.record);
			}
			const jsons = contacts.map((c) => c.json);
			const index = new ConsentIndex(records, NOW);
			const run = runGate(jsons, index, cfg);
			const again = runGate(jsons, new ConsentIndex(shuffled(g, records), NOW), cfg);
			const consentOf = (r: typeof run) => r.sendOrder.map((i) => r.allowedInfo(i, 1).consent?.recordId ?? '');
			// Determinism (and input order of the records never matters, ties between id-less rows included).
			if (
				Buffer.compare(Buffer.from(run.codes), Buffer.from(again.codes)) !== 0 ||
				run.sendOrder.join() !== again.sendOrder.join() ||
				consentOf(run).join() !== consentOf(again).join() ||
				JSON.stringify([...run.invalid]) !== JSON.stringify([...again.invalid])
			) {
				throw new Error(`${where}: two runs over the same records in another order differ`);
			}
			// Nothing lost: every contact is allowed exactly once or blocked with a code.
			const allowed = new Set(run.sendOrder);
			expect(allowed.size).toBe(run.sendOrder.length);
			for (let i = 0; i < CONTACTS; i++) {
				const code = run.codes[i];
				if ((code === ALLOWED) !== allowed.has(i)) throw new Error(`${where}: contact ${i} code ${code} vs send order`);
				if (code === CODE.invalid_input && !run.invalid.get(i)) throw new Error(`${where}: contact ${i} invalid without a reason`);
				const subject = canonicalKey(text(jsons[i].viewerKey));
				const channel = canonicalName(text(jsons[i].channel)) || canonicalName(cfg.defaultChannel);
				const states = subject && channel ? oracle(rows, subject, channel, 'marketing') : new Set(['none']);
				const optedOut = states.has('opt_out');
				if (optedOut) optedOutSeen++;
				if (subject !== text(jsons[i].viewerKey) || channel !== (text(jsons[i].channel) || cfg.defaultChannel) || cfg.purpose !== 'marketing') spelledSeen++;
				const early = code === CODE.missing_identity || code === CODE.invalid_input;
				if ((code === CODE.opted_out) !== (optedOut && !early)) {
					throw new Error(`${where}: contact ${i} (${subject}/${channel}) code ${code}, precedence says ${[...states].join('|')}`);
				}
				if (!early && subject && channel) {
					const state = index.state(index.lookup(text(jsons[i].viewerKey), channel, cfg.purpose));
					if (!states.has(state)) throw new Error(`${where}: contact ${i} (${subject}/${channel}) is ${state}, precedence says ${[...states].join('|')}`);
					if (states.size > 1) tiesSeen++;
				}
				if (code !== ALLOWED) continue;
				allowedTotal++;
				const state = index.state(index.lookup(text(jsons[i].viewerKey), channel, cfg.purpose));
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
		expect(spelledSeen).toBeGreaterThan(1_000);
		expect(tiesSeen).toBeGreaterThan(50);
	});

	it('stored rows of any shape are read or refused with a reason, never thrown; a row meant as consent is never skipped', () => {
		const g = new Gen(SEED + 1);
		let refused = 0;
		let spelled = 0;
		for (let k = 0; k < 10_000; k++) {
			const meant = g.pick(['opt_in', 'opt_out', 'opt_out'] as const);
			const status = g.pick([meant, spellStatus(g, meant), g.pick(STATUS_SPELLINGS[meant]), 'granted', 'pending', 'opt-out?', null]);
			const row: Record<string, unknown> = {
				recordId: g.pick(['cr_1', 'CR_2', ' cr_3', 'row-4', '', null, 5]),
				subjectKey: hostileKey(g, SUBJECTS),
				channel: g.pick(['instagram_dm', '*', '', null, {}, spellName(g, 'instagram_dm')]),
				status,
				recordedAt: hostileTime(g).value,
				source: g.pick(['keyword', 'Keyword', 7, null, undefined]),
				evidence: g.pick(['x', null, 3, undefined, invisibleText(g)]),
			};
			if (g.chance(0.3)) row.expiresAt = hostileTime(g).value;
			if (g.chance(0.3)) delete row.recordId;
			const where = `seed ${SEED}, row ${k}: ${JSON.stringify(row)}`;
			const read = readStoredConsent(row);
			const spelledStatus = typeof status === 'string' && status !== meant && (STATUS_SPELLINGS[meant] as readonly string[]).some((s) => status.includes(s.trim()) || s === status);
			if (spelledStatus) spelled++;
			const blank = (value: unknown) => value === undefined || value === null || value === '';
			const meantAsConsent =
				(typeof status === 'string' && status !== 'granted' && status !== 'pending') ||
				(typeof row.recordId === 'string' && /^\s*cr_/i.test(row.recordId)) ||
				(!blank(status) && !blank(row.subjectKey));
			if (meantAsConsent && read.ok === 'skip') throw new Error(`${where}: a row meant as a consent record was skipped`);
			if (read.ok === false) {
				refused++;
				expect(typeof read.reason).toBe('string');
			} else if (read.ok === true) {
				expect(Number.isFinite(read.record.recordedAtMs)).toBe(true);
				if (typeof status === 'string' && status !== 'granted' && status !== 'pending' && status !== 'opt-out?' && read.record.status !== meant) {
					throw new Error(`${where}: read as ${read.record.status}, meant ${meant}`);
				}
				expect(read.record.recordId).not.toBe('');
			}
		}
		expect(refused).toBeGreaterThan(1_000);
		expect(spelled).toBeGreaterThan(1_000);
	});
});
