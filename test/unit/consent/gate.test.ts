import { runGate } from '../../../nodes/core/consent/gate';
import { BLOCK_REASONS, REASON_TEXT, reasonOfCode } from '../../../nodes/core/consent/reasons';
import { hashSubjectKey } from '../../../nodes/core/consent/record';
import { config, D, H, indexOf, iso, NOW } from './helpers';

const dm = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
	viewerKey: 'v1',
	channel: 'instagram_dm',
	lastInboundAt: iso(NOW - H),
	...over,
});

function reasons(contacts: Array<Record<string, unknown>>, ...args: Parameters<typeof runGate> extends [unknown, ...infer R] ? R : never) {
	const run = runGate(contacts, ...args);
	return Array.from(run.codes, (code) => reasonOfCode(code) ?? 'allowed');
}

const optIn = (subjectKey: string, over: Record<string, unknown> = {}) => ({
	recordId: `cr_in_${subjectKey}`,
	subjectKey,
	status: 'opt_in',
	recordedAt: iso(NOW - 10 * D),
	...over,
});

describe('consent gate reasons', () => {
	it('has a human sentence for every reason', () => {
		for (const reason of BLOCK_REASONS) expect(REASON_TEXT[reason].length).toBeGreaterThan(20);
	});

	it('missing subject or channel is missing_identity, never allowed; a default channel fills the gap', () => {
		const contacts = [dm({ viewerKey: '' }), dm({ viewerKey: undefined }), dm({ channel: undefined }), dm({ channel: '  ' })];
		expect(reasons(contacts, indexOf([]), config())).toEqual(Array(4).fill('missing_identity'));
		expect(reasons([dm({ channel: undefined })], indexOf([]), config({ defaultChannel: 'instagram_dm' }))).toEqual(['allowed']);
	});

	it('opted_out beats everything after identity, including an opt-in required purpose', () => {
		const index = indexOf([{ recordId: 'cr_1', subjectKey: 'v1', status: 'opt_out', recordedAt: iso(NOW - D) }]);
		expect(reasons([dm(), dm({ viewerKey: 'v2' })], index, config({ requireOptIn: true }))).toEqual([
			'opted_out',
			'no_consent',
		]);
	});

	it('a hashed erasure tombstone blocks the raw key', () => {
		const index = indexOf([
			{ recordId: 'cr_t', subjectKey: hashSubjectKey('v1'), channel: '*', purpose: '*', status: 'opt_out', recordedAt: iso(NOW - D), subjectKeyHashed: true },
		]);
		expect(reasons([dm(), dm({ viewerKey: 'v2' })], index, config())).toEqual(['opted_out', 'allowed']);
	});

	it('no_consent only when the purpose requires an opt-in; an expired opt-in is no consent', () => {
		const index = indexOf([optIn('v1'), optIn('v3', { expiresAt: iso(NOW - 1) })]);
		const contacts = [dm(), dm({ viewerKey: 'v2' }), dm({ viewerKey: 'v3' })];
		expect(reasons(contacts, index, config({ requireOptIn: true }))).toEqual(['allowed', 'no_consent', 'no_consent']);
		expect(reasons(contacts, index, config({ requireOptIn: false }))).toEqual(['allowed', 'allowed', 'allowed']);
	});

	describe('outside_window (instagram_dm)', () => {
		const at = (ms: number) => dm({ lastInboundAt: iso(NOW - ms) });
		it('24 h: 1 ms before is allowed, exactly 24 h is outside', () => {
			expect(reasons([at(24 * H - 1), at(24 * H), at(24 * H + 1)], indexOf([]), config())).toEqual([
				'allowed',
				'outside_window',
				'outside_window',
			]);
		});
		it('7 days only with the human-agent flag; exactly 7 days is outside', () => {
			const contacts = [at(3 * D), at(7 * D - 1), at(7 * D)];
			expect(reasons(contacts, indexOf([]), config({ humanAgent: false }))).toEqual(Array(3).fill('outside_window'));
			expect(reasons(contacts, indexOf([]), config({ humanAgent: true }))).toEqual(['allowed', 'allowed', 'outside_window']);
		});
		it('a safety margin closes the window earlier', () => {
			const margin = 5 * 60_000;
			expect(reasons([at(24 * H - margin - 1), at(24 * H - margin)], indexOf([]), config({ windowMarginMs: margin }))).toEqual([
				'allowed',
				'outside_window',
			]);
		});
		it('no known inbound message is outside; other channels have no window', () => {
			expect(
				reasons([dm({ lastInboundAt: undefined }), dm({ channel: 'email', lastInboundAt: iso(NOW - 30 * D) })], indexOf([]), config()),
			).toEqual(['outside_window', 'allowed']);
		});
	});

	it('retention_expired at exactly the retention period unless separately consented', () => {
		const index = indexOf([optIn('v3'), optIn('v4', { lawfulBasis: 'legitimate_interest' })]);
		const contacts = [
			dm({ lastSeenAt: iso(NOW - 30 * D + 1) }),
			dm({ lastSeenAt: iso(NOW - 30 * D) }),
			dm({ viewerKey: 'v3', lastSeenAt: iso(NOW - 90 * D) }),
			dm({ viewerKey: 'v4', lastSeenAt: iso(NOW - 90 * D) }),
			dm({ lastSeenAt: undefined }),
		];
		expect(reasons(contacts, index, config({ retentionDays: 30 }))).toEqual([
			'allowed',
			'retention_expired',
			'allowed',
			'retention_expired',
			'allowed',
		]);
		expect(reasons(contacts, index, config({ retentionDays: 0 }))).toEqual(Array(5).fill('allowed'));
	});

	it('possible_bot from a truthy bot field', () => {
		const contacts = [dm({ possibleBot: true }), dm({ possibleBot: 'true' }), dm({ possibleBot: false }), dm({ possibleBot: 0 })];
		expect(reasons(contacts, indexOf([]), config())).toEqual(['possible_bot', 'possible_bot', 'allowed', 'allowed']);
	});

	it('checks run in a fixed order: the first reason that applies is reported', () => {
		const index = indexOf([{ recordId: 'cr_1', subjectKey: 'v1', status: 'opt_out', recordedAt: iso(NOW - D) }]);
		const all = dm({ possibleBot: true, lastInboundAt: iso(NOW - 30 * D), lastSeenAt: iso(NOW - 400 * D) });
		expect(reasons([all], index, config({ retentionDays: 30, requireOptIn: true }))).toEqual(['opted_out']);
		expect(reasons([{ ...all, viewerKey: 'v2' }], index, config({ retentionDays: 30 }))).toEqual(['retention_expired']);
		expect(reasons([{ ...all, viewerKey: 'v2' }], index, config())).toEqual(['possible_bot']);
	});

	it('unreadable timestamps and counts are invalid_input with a detail naming the field', () => {
		const run = runGate(
			[dm({ lastInboundAt: 'yesterday' }), dm({ lastSeenAt: '2026-02-30T00:00:00.000Z' }), dm({ sentLastHour: 'many' }), dm()],
			indexOf([]),
			config({ retentionDays: 30, caps: { perRun: 10, perHour: 0, perDay: 0 } }),
		);
		expect(Array.from(run.codes, (c) => reasonOfCode(c) ?? 'allowed')).toEqual([
			'invalid_input',
			'invalid_input',
			'invalid_input',
			'allowed',
		]);
		expect(run.invalid.get(0)).toBe('Field "lastInboundAt" is not a readable value ("yesterday")');
		expect(run.invalid.get(1)).toContain('lastSeenAt');
		expect(run.invalid.get(2)).toContain('sentLastHour');
	});

	it('a well-shaped but impossible lastInboundAt is invalid_input too (checked for the contacts that get through)', () => {
		const run = runGate([dm({ lastInboundAt: '2026-03-09T25:00:00.000Z' }), dm({ viewerKey: 'v2' })], indexOf([]), config());
		expect(Array.from(run.codes, (c) => reasonOfCode(c) ?? 'allowed')).toEqual(['invalid_input', 'allowed']);
		expect(run.invalid.get(0)).toContain('lastInboundAt');
		expect(run.sendOrder).toEqual([1]);
	});

	it('reads other timestamp forms (epoch ms, offsets) and dot-path fields', () => {
		const fields = { ...config().fields, subjectKey: 'contact.key' };
		const contacts = [
			{ contact: { key: 'a' }, channel: 'instagram_dm', lastInboundAt: NOW - H },
			{ contact: { key: 'b' }, channel: 'instagram_dm', lastInboundAt: '2026-03-10T10:00:00+01:00' },
		];
		expect(reasons(contacts, indexOf([]), config({ fields }))).toEqual(['allowed', 'allowed']);
	});
});

describe('rate limits', () => {
	const many = (count: number, over: (i: number) => Record<string, unknown> = () => ({})) =>
		Array.from({ length: count }, (_, i) => dm({ viewerKey: `v${i}`, ...over(i) }));

	it('cap N allows exactly N; N+1 contacts leave one rate_limited', () => {
		const cfg = config({ caps: { perRun: 3, perHour: 0, perDay: 0 } });
		expect(reasons(many(3), indexOf([]), cfg)).toEqual(Array(3).fill('allowed'));
		expect(reasons(many(4), indexOf([]), cfg).filter((r) => r === 'rate_limited')).toHaveLength(1);
	});

	it('orders by highest score, then oldest lastInboundAt, then input order', () => {
		const contacts = [
			dm({ viewerKey: 'low', score: 1 }),
			dm({ viewerKey: 'highNew', score: 9, lastInboundAt: iso(NOW - H) }),
			dm({ viewerKey: 'highOld', score: 9, lastInboundAt: iso(NOW - 2 * H) }),
			dm({ viewerKey: 'mid', score: '5' }),
			dm({ viewerKey: 'noScore' }),
			dm({ viewerKey: 'mid2', score: 5 }),
		];
		const run = runGate(contacts, indexOf([]), config({ caps: { perRun: 4, perHour: 0, perDay: 0 } }));
		expect(run.sendOrder.map((i) => contacts[i].viewerKey)).toEqual(['highOld', 'highNew', 'mid', 'mid2']);
		expect(Array.from(run.codes, (c) => reasonOfCode(c) ?? 'allowed')).toEqual([
			'rate_limited',
			'allowed',
			'allowed',
			'allowed',
			'rate_limited',
			'allowed',
		]);
	});

	it('hour and day caps subtract what was already sent (contact fields or send log)', () => {
		const caps = { perRun: 0, perHour: 5, perDay: 8 };
		const byField = runGate(many(10, () => ({ sentLastHour: 3 })), indexOf([]), config({ caps }));
		expect(byField.sendOrder).toHaveLength(2);
		const byDay = runGate(many(10, () => ({ sentLastDay: 7 })), indexOf([]), config({ caps }));
		expect(byDay.sendOrder).toHaveLength(1);
		const log = [
			{ account: '', sentAtMs: NOW - 10 * 60_000 },
			{ account: '', sentAtMs: NOW - 2 * H },
			{ account: '', sentAtMs: NOW - H }, // exactly one hour ago: outside the hour, inside the day
			{ account: '', sentAtMs: NOW - D }, // exactly a day ago: outside both
			{ account: '', sentAtMs: NOW + H }, // after now: ignored
			{ account: 'other', sentAtMs: NOW - 60_000 },
		];
		const byLog = runGate(many(10), indexOf([]), config({ caps }), log);
		expect(byLog.budgets.get('')).toBe(4); // hour: 5 - 1; day: 8 - 3
		expect(byLog.sendOrder).toHaveLength(4);
	});

	it('caps are per account', () => {
		const contacts = many(6, (i) => ({ accountId: i % 2 ? 'acct_b' : 'acct_a' }));
		const run = runGate(contacts, indexOf([]), config({ caps: { perRun: 2, perHour: 0, perDay: 0 } }));
		expect(run.sendOrder.map((i) => contacts[i].viewerKey)).toEqual(['v0', 'v1', 'v2', 'v3']);
	});

	it('a spent budget rate-limits everyone; no caps allows all', () => {
		expect(reasons(many(3, () => ({ sentLastDay: 200 })), indexOf([]), config({ caps: { perRun: 0, perHour: 0, perDay: 200 } }))).toEqual(
			Array(3).fill('rate_limited'),
		);
		expect(reasons(many(3), indexOf([]), config())).toEqual(Array(3).fill('allowed'));
	});

	it('picks the same winners from a large shuffled batch as a full sort would', () => {
		const contacts = many(500, (i) => ({ score: (i * 37) % 11, lastInboundAt: iso(NOW - ((i * 7) % 13) * 60_000) }));
		const run = runGate(contacts, indexOf([]), config({ caps: { perRun: 25, perHour: 0, perDay: 0 } }));
		const expected = contacts
			.map((c, i) => ({ i, score: c.score as number, at: Date.parse(c.lastInboundAt as string) }))
			.sort((a, b) => b.score - a.score || a.at - b.at || a.i - b.i)
			.slice(0, 25)
			.map((x) => x.i);
		expect(run.sendOrder).toEqual(expected);
	});
});

describe('allowed info', () => {
	it('carries consent, window end, tag and rank', () => {
		const index = indexOf([optIn('v1')]);
		const run = runGate([dm({ lastInboundAt: iso(NOW - H) })], index, config({ humanAgent: true }));
		expect(run.allowedInfo(0, 1)).toEqual({
			subjectKey: 'v1',
			channel: 'instagram_dm',
			purpose: 'marketing',
			account: '',
			consent: expect.objectContaining({ recordId: 'cr_in_v1', status: 'opt_in' }),
			consentState: 'opt_in',
			windowClosesAt: iso(NOW - H + 7 * D),
			humanAgentTag: true,
			sendRank: 1,
		});
	});
});
