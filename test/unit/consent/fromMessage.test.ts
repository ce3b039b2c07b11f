import type { CanonicalEvent } from '../../../nodes/core/events/schema';
import { DEFAULT_REPLIES, recordsFromMessages } from '../../../nodes/core/consent/fromMessage';
import { KeywordMatcher, defaultKeywordMatcher } from '../../../nodes/core/consent/keywords';
import { indexOf } from './helpers';

let n = 0;
const message = (text: string | undefined, over: Partial<CanonicalEvent> = {}): CanonicalEvent => {
	n += 1;
	return {
		eventId: `ev_${n}`,
		viewerKey: 'v1',
		viewerKeyType: 'igsid',
		type: 'message',
		occurredAt: `2026-03-10T10:00:${String(n % 60).padStart(2, '0')}.000Z`,
		ingestedAt: '2026-03-10T10:01:00.000Z',
		source: 'webhook',
		sourceTool: 'test',
		...(text === undefined ? {} : { text }),
		...over,
	};
};

const cfg = { matcher: defaultKeywordMatcher, channel: 'instagram_dm', purpose: 'marketing', replies: DEFAULT_REPLIES };

describe('record from message', () => {
	it('emits an opt-out record derived from the message; a re-run yields the same record', () => {
		const stop = message('Stop!');
		const [first] = recordsFromMessages([stop], cfg);
		const [again] = recordsFromMessages([stop], cfg);
		expect(first).toEqual(again);
		expect(first).toMatchObject({
			kind: 'record',
			family: 'opt_out',
			keyword: 'STOP',
			record: {
				subjectKey: 'v1',
				channel: 'instagram_dm',
				purpose: 'marketing',
				status: 'opt_out',
				lawfulBasis: 'consent',
				recordedAt: stop.occurredAt,
				source: 'keyword',
				evidenceRef: stop.eventId,
			},
			reply: { viewerKey: 'v1', channel: 'instagram_dm', keyword: 'opt_out', text: DEFAULT_REPLIES.opt_out, inReplyToEventId: stop.eventId },
		});
	});

	it('opt-in and help; non-keywords and near-misses give nothing', () => {
		const out = recordsFromMessages([message('oui'), message('INFO'), message('stop by our shop'), message('STOP PLEASE'), message(undefined)], cfg);
		expect(out.map((o) => o.kind)).toEqual(['record', 'help', 'none', 'none', 'none']);
		expect(out[0]).toMatchObject({ family: 'opt_in', record: { status: 'opt_in' } });
		expect(out[1]).toMatchObject({ reply: { text: DEFAULT_REPLIES.help } });
	});

	it('uses the capture keyword when no text was kept, and the user list when text is there', () => {
		const out = recordsFromMessages(
			[message(undefined, { keyword: 'opt_out' }), message('STOP PLEASE')],
			{ ...cfg, matcher: new KeywordMatcher({ opt_out: ['stop please'] }) },
		);
		expect(out.map((o) => (o.kind === 'record' ? o.record.status : o.kind))).toEqual(['opt_out', 'opt_out']);
	});

	it('STOPALL opts out of every channel and purpose', () => {
		const [out] = recordsFromMessages([message('stop all')], cfg);
		expect(out).toMatchObject({ record: { channel: '*', purpose: '*', status: 'opt_out' } });
	});

	it('one confirmation only: repeated STOP, an already-stored opt-out and a re-run get no second reply', () => {
		const a = message('STOP');
		const b = message('stop');
		const c = message('START');
		const d = message('HELP');
		const e = message('help');
		const out = recordsFromMessages([b, a, c, d, e], cfg);
		expect(out.map((o) => (o.kind !== 'record' && o.kind !== 'help' ? 'none' : o.reply ? 'reply' : 'silent'))).toEqual(['silent', 'reply', 'reply', 'reply', 'silent']);

		const storedOptOut = indexOf([{ recordId: 'cr_old', subjectKey: 'v1', status: 'opt_out', recordedAt: '2026-03-01T00:00:00.000Z' }], Date.parse('2026-03-11T00:00:00Z'));
		expect(recordsFromMessages([message('STOP')], cfg, storedOptOut)[0]).not.toHaveProperty('reply');

		const [first] = recordsFromMessages([a], cfg);
		const ids = new Set(first.kind === 'record' ? [first.record.recordId] : []);
		const rerun = recordsFromMessages([a], cfg, indexOf([]), ids)[0];
		expect(rerun.kind).toBe('record');
		expect(rerun).not.toHaveProperty('reply');
	});

	it('no replies unless asked for', () => {
		const [out] = recordsFromMessages([message('STOP')], { ...cfg, replies: undefined });
		expect(out).not.toHaveProperty('reply');
	});

	it('an upstream keyword field never overrides kept text: it counts only when no text was kept', () => {
		const out = recordsFromMessages(
			[
				message('hello', { keyword: 'opt_in' }),
				message('I love your stories', { keyword: 'opt_out' }),
				message('thanks', { keyword: 'help' }),
				message('STOP', { keyword: 'opt_in' }),
				message(undefined, { keyword: 'opt_in' }),
			],
			cfg,
		);
		expect(out.map((o) => (o.kind === 'record' ? o.record.status : o.kind))).toEqual(['none', 'none', 'none', 'opt_out', 'opt_in']);
	});

	it('a postback keeps its button label as text; the keyword read from the button payload still counts', () => {
		const [out] = recordsFromMessages([message('No more messages', { type: 'postback', keyword: 'opt_out' })], cfg);
		expect(out).toMatchObject({ kind: 'record', record: { status: 'opt_out' } });
	});

	it.each([true, 'true', 'TRUE', ' True ', 1, '1'])('an echo flag given as %p is an echo: no record', (isEcho) => {
		const out = recordsFromMessages([message('YES', { extra: { isEcho } }), message(undefined, { keyword: 'opt_in', extra: { isEcho } })], cfg);
		expect(out).toEqual([
			{ kind: 'ignored', reason: 'echo', keyword: 'YES' },
			{ kind: 'ignored', reason: 'echo', keyword: 'OPT_IN' },
		]);
	});

	it.each([false, 'false', 0, '', null])('an echo flag %p is no echo', (isEcho) => {
		const [out] = recordsFromMessages([message('YES', { extra: { isEcho } })], cfg);
		expect(out).toMatchObject({ kind: 'record', record: { status: 'opt_in' } });
	});

	describe('a STOP from a skewed clock', () => {
		const now = Date.parse('2026-03-10T12:00:00.000Z');
		const skewed = { occurredAt: '2026-03-15T09:00:00.000Z', ingestedAt: '2026-03-10T11:59:00.000Z' };

		it('is recorded at receipt time (ingestedAt), says so, and reports only the bad timestamp', () => {
			const stop = message('STOP', skewed);
			const [out] = recordsFromMessages([stop], { ...cfg, nowMs: now });
			expect(out).toMatchObject({
				kind: 'record',
				family: 'opt_out',
				record: { status: 'opt_out', recordedAt: skewed.ingestedAt, evidenceRef: stop.eventId, evidence: expect.stringContaining('receipt time') },
				reply: { keyword: 'opt_out' },
				timeProblem: expect.stringContaining(skewed.occurredAt),
			});
			// A re-run with a later "now" yields the same record.
			const [again] = recordsFromMessages([stop], { ...cfg, nowMs: now + 3_600_000 });
			expect(again.kind === 'record' && out.kind === 'record' && again.record.recordId === out.record.recordId).toBe(true);
		});

		it('is recorded at now when its ingestedAt is unusable too; it blocks the contact at the gate', () => {
			const [out] = recordsFromMessages([message('stop all', { occurredAt: '2027-01-01T00:00:00.000Z', ingestedAt: '2027-01-01T00:00:00.000Z' })], { ...cfg, nowMs: now });
			expect(out).toMatchObject({ kind: 'record', record: { status: 'opt_out', channel: '*', recordedAt: '2026-03-10T12:00:00.000Z' } });
			if (out.kind !== 'record') return;
			const index = indexOf([{ ...out.record }], now);
			expect(index.state(index.lookup('v1', 'instagram_dm', 'marketing'))).toBe('opt_out');
		});

		it('an opt-in from a skewed clock is still refused (it cannot grant anything)', () => {
			const [out] = recordsFromMessages([message('START', skewed)], { ...cfg, nowMs: now });
			expect(out).toMatchObject({ kind: 'invalid', reason: expect.stringContaining('recordedAt') });
		});
	});
});

describe('messages of the same instant', () => {
	it('get the same records and replies in any input order', () => {
		const at = { occurredAt: '2026-03-10T10:30:00.000Z' };
		const batch = [message('STOP', { ...at, eventId: 'ev_b' }), message('START', { ...at, eventId: 'ev_a' }), message('stop', { ...at, eventId: 'ev_c' })];
		const byEvent = (events: typeof batch) => {
			const out = recordsFromMessages(events, cfg);
			return Object.fromEntries(events.map((event, i) => [event.eventId, out[i]]));
		};
		expect(byEvent([...batch].reverse())).toEqual(byEvent(batch));
		expect(byEvent([batch[1], batch[2], batch[0]])).toEqual(byEvent(batch));
	});
});
