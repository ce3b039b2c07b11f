import {
	DECISION_EXPIRED,
	DECISION_NONE,
	DECISION_OPT_IN,
	DECISION_OPT_IN_CONSENT,
	DECISION_OPT_OUT,
	beats,
	decide,
	liftsOptOut,
	type ConsentIndex,
} from '../../../nodes/core/consent/precedence';
import { D, H, NOW, indexOf, iso, stored } from './helpers';

/**
 * The consent precedence rule (docs/compliance.md, "Consent precedence") as a table. Each case is a history
 * for subject s1 on (instagram_dm, marketing); `at` is hours before now (negative = after now).
 */
type Row = Record<string, unknown> & { id: string; at: number };

const STOP: Partial<Row> = { status: 'opt_out', source: 'keyword', evidence: 'Message m1 was STOP' };
const KEYWORD_YES: Partial<Row> = { status: 'opt_in', source: 'keyword', evidence: 'Message m2 was START', evidenceRef: 'm2' };
const FORM_YES: Partial<Row> = { status: 'opt_in', source: 'form', evidence: 'Signup form v3, box ticked' };
const MANUAL_YES: Partial<Row> = { status: 'opt_in', source: 'manual', evidence: 'Phone call 2026-03-09, agent 12' };

const r = (id: string, at: number, fields: Partial<Row>, over: Partial<Row> = {}): Row => ({ id, at, ...fields, ...over });

const CASES: Array<{ name: string; rows: Row[]; state: string; winner?: string; decision: number }> = [
	{ name: 'no records', rows: [], state: 'none', decision: DECISION_NONE },
	{ name: 'an opt-in alone', rows: [r('a', 5, KEYWORD_YES)], state: 'opt_in', winner: 'a', decision: DECISION_OPT_IN_CONSENT },
	{ name: 'an import opt-in alone (no opt-out to lift)', rows: [r('a', 5, FORM_YES, { source: 'import' })], state: 'opt_in', winner: 'a', decision: DECISION_OPT_IN_CONSENT },
	{ name: 'a later opt-out wins', rows: [r('a', 5, KEYWORD_YES), r('b', 4, STOP)], state: 'opt_out', winner: 'b', decision: DECISION_OPT_OUT },
	{ name: 'a later opt-out wins over a lifting opt-in before it', rows: [r('a', 9, STOP), r('b', 5, FORM_YES), r('c', 4, STOP)], state: 'opt_out', winner: 'c', decision: DECISION_OPT_OUT },
	{ name: 'STOP then START in a private message lifts', rows: [r('a', 5, STOP), r('b', 4, KEYWORD_YES)], state: 'opt_in', winner: 'b', decision: DECISION_OPT_IN_CONSENT },
	{ name: 'STOP then a form with evidence lifts', rows: [r('a', 5, STOP), r('b', 4, FORM_YES)], state: 'opt_in', winner: 'b', decision: DECISION_OPT_IN_CONSENT },
	{ name: 'STOP then a manual record with evidence lifts', rows: [r('a', 5, STOP), r('b', 4, MANUAL_YES)], state: 'opt_in', winner: 'b', decision: DECISION_OPT_IN_CONSENT },
	{ name: 'STOP then a manual record without evidence does not lift', rows: [r('a', 5, STOP), r('b', 4, MANUAL_YES, { evidence: '' })], state: 'opt_out', winner: 'a', decision: DECISION_OPT_OUT },
	{ name: 'STOP then a form without evidence does not lift', rows: [r('a', 5, STOP), r('b', 4, FORM_YES, { evidence: ' ' })], state: 'opt_out', winner: 'a', decision: DECISION_OPT_OUT },
	{ name: 'STOP then an import does not lift (even with basis consent)', rows: [r('a', 5, STOP), r('b', 4, FORM_YES, { source: 'import' })], state: 'opt_out', winner: 'a', decision: DECISION_OPT_OUT },
	{ name: 'STOP then legitimate interest does not lift', rows: [r('a', 5, STOP), r('b', 4, MANUAL_YES, { lawfulBasis: 'legitimate_interest' })], state: 'opt_out', winner: 'a', decision: DECISION_OPT_OUT },
	{ name: 'STOP then contract does not lift', rows: [r('a', 5, STOP), r('b', 4, FORM_YES, { lawfulBasis: 'contract' })], state: 'opt_out', winner: 'a', decision: DECISION_OPT_OUT },
	{ name: 'STOP then a keyword opt-in on legitimate interest does not lift', rows: [r('a', 5, STOP), r('b', 4, KEYWORD_YES, { lawfulBasis: 'legitimate_interest' })], state: 'opt_out', winner: 'a', decision: DECISION_OPT_OUT },
	{ name: 'STOP then an opt-in without a source (older row) does not lift', rows: [r('a', 5, STOP), r('b', 4, { status: 'opt_in', evidence: 'x' })], state: 'opt_out', winner: 'a', decision: DECISION_OPT_OUT },
	{ name: 'STOP then a subject-request opt-in does not lift', rows: [r('a', 5, STOP), r('b', 4, FORM_YES, { source: 'subject_request' })], state: 'opt_out', winner: 'a', decision: DECISION_OPT_OUT },
	{ name: 'an opt-out and a lifting opt-in at the same instant: opt-out', rows: [r('a', 4, STOP), r('b', 4, KEYWORD_YES)], state: 'opt_out', winner: 'a', decision: DECISION_OPT_OUT },
	{ name: 'once lifted, a later import counts again', rows: [r('a', 9, STOP), r('b', 5, KEYWORD_YES), r('c', 2, FORM_YES, { source: 'import', lawfulBasis: 'legitimate_interest' })], state: 'opt_in', winner: 'c', decision: DECISION_OPT_IN },
	{ name: 'an import before the lift stays suppressed, the lift wins', rows: [r('a', 9, STOP), r('b', 6, FORM_YES, { source: 'import' }), r('c', 3, MANUAL_YES)], state: 'opt_in', winner: 'c', decision: DECISION_OPT_IN_CONSENT },
	{ name: 'a lifting opt-in after now is ignored', rows: [r('a', 5, STOP), r('b', -1, KEYWORD_YES)], state: 'opt_out', winner: 'a', decision: DECISION_OPT_OUT },
	{ name: 'an opt-out after now still counts', rows: [r('a', 5, KEYWORD_YES), r('b', -1, STOP)], state: 'opt_out', winner: 'b', decision: DECISION_OPT_OUT },
	{ name: 'an expired lift grants nothing', rows: [r('a', 9, STOP), r('b', 5, FORM_YES, { expiresAt: iso(NOW) })], state: 'expired', winner: 'b', decision: DECISION_EXPIRED },
	{ name: 'a global STOPALL (channel *, purpose *) is lifted only by a lifting opt-in on this channel', rows: [r('a', 9, STOP, { channel: '*', purpose: '*' }), r('b', 5, FORM_YES, { source: 'import' }), r('c', 4, KEYWORD_YES, { channel: 'email' })], state: 'opt_out', winner: 'a', decision: DECISION_OPT_OUT },
	{ name: 'a global opt-out then START on this channel', rows: [r('a', 9, STOP, { channel: '*' }), r('b', 4, KEYWORD_YES)], state: 'opt_in', winner: 'b', decision: DECISION_OPT_IN_CONSENT },
];

function rowsOf(rows: Row[]): Array<Record<string, unknown>> {
	return rows.map(({ id, at, ...rest }) => ({ recordId: `cr_${id}`, subjectKey: 's1', recordedAt: iso(NOW - at * H), ...rest }));
}

/** The gate's per-purpose table must say what lookup + decisionOf say. */
function viewDecision(index: ConsentIndex, channel: string): number {
	const view = index.view('marketing');
	const entry = view.subjects.get('s1');
	return entry === undefined ? DECISION_NONE : decide(entry, view.channelIds.get(channel) ?? 0, channel);
}

describe('consent precedence (table)', () => {
	it.each(CASES)('$name', ({ rows, state, winner, decision }) => {
		const all = rowsOf(rows);
		// Input order never matters: forwards, backwards and rotated.
		for (const order of [all, [...all].reverse(), [...all.slice(1), ...all.slice(0, 1)]]) {
			const index = indexOf(order);
			const found = index.lookup('s1', 'instagram_dm', 'marketing');
			expect(index.state(found)).toBe(state);
			expect(found?.recordId).toBe(winner === undefined ? undefined : `cr_${winner}`);
			expect(index.decisionOf(found)).toBe(decision);
			expect(viewDecision(index, 'instagram_dm')).toBe(decision);
		}
	});

	it('keeps source and evidence on stored records, which decide whether an opt-in lifts an opt-out', () => {
		const record = stored({ recordId: 'cr_1', subjectKey: 's1', recordedAt: iso(NOW), ...FORM_YES });
		expect(record).toMatchObject({ source: 'form', hasEvidence: true });
		expect(liftsOptOut(record)).toBe(true);
		expect(liftsOptOut({ ...record, source: 'import' })).toBe(false);
		expect(liftsOptOut({ ...record, hasEvidence: false })).toBe(false);
		expect(liftsOptOut({ ...record, lawfulBasis: 'legitimate_interest' })).toBe(false);
		expect(liftsOptOut({ ...record, status: 'opt_out' })).toBe(false);
	});

	it('orders records by time, then opt-out before opt-in, then recordId', () => {
		const optIn = stored({ recordId: 'cr_z', subjectKey: 's1', recordedAt: iso(NOW - H), ...KEYWORD_YES });
		const optOut = stored({ recordId: 'cr_a', subjectKey: 's1', recordedAt: iso(NOW - H), ...STOP });
		expect(beats(optOut, optIn)).toBe(true);
		expect(beats(optIn, optOut)).toBe(false);
	});

	it('keys are separate: another channel or purpose does not decide this one', () => {
		const index = indexOf(
			rowsOf([
				r('1', 1, STOP, { channel: 'email' }),
				r('2', 1, STOP, { purpose: 'newsletter' }),
				r('3', 24, KEYWORD_YES),
			]),
		);
		expect(index.lookup('s1', 'instagram_dm', 'marketing')?.recordId).toBe('cr_3');
		expect(index.lookup('s1', 'email', 'marketing')?.status).toBe('opt_out');
		expect(index.lookup('s2', 'instagram_dm', 'marketing')).toBeUndefined();
		expect(viewDecision(index, 'email')).toBe(DECISION_OPT_OUT);
		expect(viewDecision(index, 'sms')).toBe(DECISION_NONE);
	});

	it('separate consent needs an active opt-in with lawful basis consent', () => {
		const index = indexOf([
			{ recordId: 'cr_1', subjectKey: 's1', status: 'opt_in', recordedAt: iso(NOW - D) },
			{ recordId: 'cr_2', subjectKey: 's2', status: 'opt_in', lawfulBasis: 'legitimate_interest', recordedAt: iso(NOW - D) },
			{ recordId: 'cr_3', subjectKey: 's3', status: 'opt_in', recordedAt: iso(NOW - 2 * D) },
			{ recordId: 'cr_4', subjectKey: 's3', channel: '*', status: 'opt_out', recordedAt: iso(NOW - D) },
		]);
		expect(index.subjectHasSeparateConsent('s1')).toBe(true);
		expect(index.subjectHasSeparateConsent('s2')).toBe(false);
		expect(index.subjectHasSeparateConsent('s3')).toBe(false);
		expect(index.subjectHasSeparateConsent('nobody')).toBe(false);
	});
});
