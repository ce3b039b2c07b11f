import {
	CadenceRun,
	parseSequence,
	presetSequence,
	storyReplyWindow,
	type CadenceContact,
	type CadenceDecision,
	type CadenceOptions,
	type CadenceSequenceInput,
} from '../../../nodes/core/cadence';
import { at, DAY, HOUR, iso, localTime, MIN } from './simulate';

const NOW = at('2026-11-18T10:00:00Z'); // Wed 11:00 in Paris
const story = parseSequence(storyReplyWindow());

function decide(
	contact: CadenceContact,
	options: CadenceOptions = {},
	now = NOW,
	sequence = story,
): CadenceDecision {
	return new CadenceRun(sequence, options, now).decide(contact);
}

const fresh = (id: string, extra: Record<string, unknown> = {}): CadenceContact => ({
	contactId: id,
	state: {
		enrolledAt: iso(NOW),
		lastInboundAt: iso(NOW - MIN),
		timeZone: 'Europe/Paris',
		...extra,
	},
	variables: { name: 'Ana', storyTopic: 'yoga' },
});

describe('decisions and state transitions', () => {
	it('sends step 1 of a fresh enrolment with a readable, stable idempotency key and the new state', () => {
		const d = decide(fresh('17841400000001'));
		expect(d).toMatchObject({
			kind: 'send',
			step: 1,
			stepId: 'thanks',
			channel: 'instagram_dm',
			idempotencyKey: '17841400000001:storyReplyWindow:20261118T100000Z:1',
			dueAt: iso(NOW),
		});
		if (d.kind !== 'send') throw new Error('expected send');
		expect(d.state).toMatchObject({
			contactId: '17841400000001',
			sequence: 'storyReplyWindow',
			status: 'active',
			currentStep: 1,
			sentCount: 1,
			enrolledAt: iso(NOW),
			lastSentAt: iso(NOW),
			lastStepId: 'thanks',
			lastVariant: d.variant,
			doneReason: null,
		});
		expect(at(d.state.nextDueAt as string)).toBeGreaterThanOrEqual(NOW + 2 * HOUR);
		expect(decide(fresh('17841400000001'))).toEqual(d);
	});

	it('idempotency keys differ by contact, step, sequence and enrolment', () => {
		const key = (c: CadenceContact, seq = story, now = NOW) => {
			const d = decide(c, {}, now, seq);
			return d.kind === 'send' ? d.idempotencyKey : d.kind;
		};
		const step2 = fresh('a', {
			currentStep: 1,
			sentCount: 1,
			lastSentAt: iso(NOW - 3 * HOUR),
			enrolledAt: iso(NOW - 3 * HOUR),
			lastInboundAt: iso(NOW - 3 * HOUR - MIN),
		});
		const keys = [
			key(fresh('a')),
			key(fresh('b')),
			key(step2),
			key(fresh('a', { enrolledAt: iso(NOW - MIN) })),
			key(fresh('a'), parseSequence({ ...storyReplyWindow(), id: 'other' })),
		];
		expect(new Set(keys).size).toBe(5);
		expect(keys[2]).toBe('a:storyReplyWindow:20261118T070000Z:2');
	});

	it('waits with the next due time and a reason, keeping the state', () => {
		const d = decide(fresh('a', { currentStep: 1, sentCount: 1, lastSentAt: iso(NOW - 30 * MIN) }));
		expect(d).toMatchObject({ kind: 'wait', waitReason: 'not_due', nextStep: 2 });
		if (d.kind !== 'wait') throw new Error('expected wait');
		expect(at(d.nextDueAt)).toBeGreaterThanOrEqual(NOW + 90 * MIN);
		expect(at(d.nextDueAt)).toBeLessThanOrEqual(NOW + 105 * MIN);
		expect(d.state).toMatchObject({
			currentStep: 1,
			sentCount: 1,
			status: 'active',
			nextDueAt: d.nextDueAt,
		});
	});

	it('a message before enrolment is not a reply; one after it is', () => {
		expect(decide(fresh('a', { lastInboundAt: iso(NOW - HOUR) })).kind).toBe('send');
		expect(decide(fresh('a', { lastInboundAt: iso(NOW + MIN) }), {}, NOW + 2 * MIN)).toMatchObject({
			kind: 'done',
			reason: 'replied',
		});
		expect(decide(fresh('a', { repliedAt: true }))).toMatchObject({
			kind: 'done',
			reason: 'replied',
		});
	});

	it('opt-out wins over every other stop signal and is stored', () => {
		const d = decide(
			fresh('a', { optedOutAt: iso(NOW), repliedAt: iso(NOW + MIN), convertedAt: iso(NOW) }),
		);
		expect(d).toMatchObject({
			kind: 'done',
			reason: 'opted_out',
			state: { status: 'done', doneReason: 'opted_out', doneAt: iso(NOW), nextDueAt: null },
		});
	});

	it('a contact already done stays Done with its stored reason', () => {
		const d = decide(
			fresh('a', { status: 'done', doneReason: 'window_closed', doneAt: iso(NOW - DAY) }),
		);
		expect(d).toMatchObject({
			kind: 'done',
			reason: 'window_closed',
			state: { doneAt: iso(NOW - DAY) },
		});
	});

	it('waits after the last step for completeAfter, then is exhausted', () => {
		const last = { currentStep: 3, sentCount: 3, lastSentAt: iso(NOW - HOUR) };
		expect(decide(fresh('a', last))).toMatchObject({
			kind: 'wait',
			nextStep: 4,
			nextDueAt: iso(NOW + HOUR),
		});
		expect(decide(fresh('a', last), {}, NOW + HOUR)).toMatchObject({
			kind: 'done',
			reason: 'exhausted',
		});
	});

	it('a late run still sends a due step inside the window, but holds it when now is in quiet hours', () => {
		const state = {
			currentStep: 1,
			sentCount: 1,
			lastSentAt: iso(NOW),
			lastInboundAt: iso(NOW - MIN),
		};
		expect(decide(fresh('a', state), {}, NOW + 5 * HOUR).kind).toBe('send');
		const night = at('2026-11-18T20:30:00Z'); // 21:30 Paris
		const d = decide(
			fresh('a', {
				...state,
				lastSentAt: iso(night - 3 * HOUR),
				enrolledAt: iso(night - 3 * HOUR),
				lastInboundAt: iso(night - 3 * HOUR),
			}),
			{},
			night,
		);
		expect(d).toMatchObject({ kind: 'wait', waitReason: 'quiet_hours' });
		expect(localTime(at((d as { nextDueAt: string }).nextDueAt), 'Europe/Paris').hour).toBe(8);
	});

	it('reports non_business_day waits', () => {
		const saturday = at('2026-11-21T10:00:00Z');
		const seq = parseSequence(presetSequence('nurture'));
		const d = decide(
			{
				contactId: 'a',
				state: { enrolledAt: iso(saturday), timeZone: 'Europe/Paris' },
				variables: { name: 'A' },
			},
			{ businessDays: [1, 2, 3, 4, 5] },
			saturday,
			seq,
		);
		expect(d).toMatchObject({ kind: 'wait', waitReason: 'non_business_day' });
		expect(localTime(at((d as { nextDueAt: string }).nextDueAt), 'Europe/Paris').weekday).toBe(
			'Mon',
		);
	});
});

describe('stored nextDueAt', () => {
	it('a future nextDueAt is honoured (snooze) and kept; a past one is re-planned; stop signals still win', () => {
		const snoozed = fresh('a', { nextDueAt: iso(NOW + DAY) });
		expect(decide(snoozed)).toMatchObject({
			kind: 'wait',
			waitReason: 'not_due',
			nextStep: 1,
			nextDueAt: iso(NOW + DAY),
		});
		expect(decide(fresh('a', { nextDueAt: iso(NOW - MIN) })).kind).toBe('send');
		expect(decide(fresh('a', { nextDueAt: iso(NOW + DAY), optedOutAt: iso(NOW) }))).toMatchObject({
			kind: 'done',
			reason: 'opted_out',
		});
	});
});

describe('run rules', () => {
	it('never sends twice to one contact in a run', () => {
		const run = new CadenceRun(story, {}, NOW);
		expect(run.decide(fresh('a')).kind).toBe('send');
		expect(run.decide(fresh('a'))).toMatchObject({
			kind: 'wait',
			waitReason: 'already_sent_this_run',
			nextDueAt: iso(NOW),
		});
	});

	it('caps sends per run; the rest wait with run_cap and stay due', () => {
		const run = new CadenceRun(story, { perRunCap: 2 }, NOW);
		const kinds = ['a', 'b', 'c'].map((id) => run.decide(fresh(id)));
		expect(kinds.map((d) => d.kind)).toEqual(['send', 'send', 'wait']);
		expect(kinds[2]).toMatchObject({
			waitReason: 'run_cap',
			state: { currentStep: 0, sentCount: 0 },
		});
	});
});

describe('determinism: A/B variants, range delays and jitter', () => {
	const ab: CadenceSequenceInput = {
		id: 'ab',
		steps: [
			{
				delay: { min: 0, unit: 'minutes' },
				channel: 'email',
				variants: ['A {{name}}', 'B {{name}}'],
			},
			{ delay: { min: 48, max: 72, unit: 'hours' }, channel: 'email', variants: ['Two'] },
		],
	};
	const seq = parseSequence(ab);
	const contact = (id: string, extra: Record<string, unknown> = {}) => ({
		contactId: id,
		state: { enrolledAt: iso(NOW), timeZone: 'UTC', ...extra },
		variables: { name: 'X' },
	});

	it('a contact keeps its variant across runs and times; contacts split roughly evenly', () => {
		const variants = new Map<string, number>();
		for (let i = 0; i < 2000; i++) {
			const first = decide(contact(`c${i}`), {}, NOW, seq);
			const later = decide(contact(`c${i}`), {}, NOW + 3 * HOUR, seq);
			if (first.kind !== 'send' || later.kind !== 'send') throw new Error('expected sends');
			expect(later.variant).toBe(first.variant);
			expect(first.message.startsWith(first.variant)).toBe(true);
			variants.set(first.variant, (variants.get(first.variant) ?? 0) + 1);
		}
		expect(variants.get('A')).toBeGreaterThan(850);
		expect(variants.get('B')).toBeGreaterThan(850);
	});

	it('range delays resolve per contact, stay in range, spread, and add bounded jitter', () => {
		const dues = new Set<number>();
		for (let i = 0; i < 300; i++) {
			const state = { currentStep: 1, sentCount: 1, lastSentAt: iso(NOW) };
			const d = decide(contact(`c${i}`, state), { quietHours: null, jitterMinutes: 10 }, NOW, seq);
			const again = decide(
				contact(`c${i}`, state),
				{ quietHours: null, jitterMinutes: 10 },
				NOW + MIN,
				seq,
			);
			if (d.kind !== 'wait' || again.kind !== 'wait') throw new Error('expected waits');
			expect(again.nextDueAt).toBe(d.nextDueAt);
			const delay = at(d.nextDueAt) - NOW;
			expect(delay).toBeGreaterThanOrEqual(48 * HOUR);
			expect(delay).toBeLessThanOrEqual(72 * HOUR + 10 * MIN);
			dues.add(at(d.nextDueAt));
		}
		expect(dues.size).toBeGreaterThan(250);
	});
});

describe('bad input', () => {
	it('an unknown zone uses the default zone and says so', () => {
		const d = decide(fresh('a', { timeZone: 'Mars/Olympus' }), {
			defaultTimeZone: 'America/New_York',
		});
		expect(d.kind).toBe('send');
		expect((d as { warnings: string[] }).warnings).toEqual([
			'Unknown time zone "Mars/Olympus"; used America/New_York.',
		]);
		// The default zone's quiet hours apply: 03:00 in New York is quiet.
		const night = at('2026-11-18T08:00:00Z');
		const w = decide(
			{ contactId: 'b', state: { enrolledAt: iso(night), timeZone: 'Nowhere/City' } },
			{ defaultTimeZone: 'America/New_York' },
			night,
			parseSequence(presetSequence('nurture')),
		);
		expect(w).toMatchObject({
			kind: 'wait',
			waitReason: 'quiet_hours',
			warnings: ['Unknown time zone "Nowhere/City"; used America/New_York.'],
		});
	});

	it('missing state is an error naming the contact, unless auto-enrol is on', () => {
		expect(decide({ contactId: 'x1', state: {} })).toMatchObject({
			kind: 'error',
			message: 'Contact "x1" has no cadence state (enrolledAt is empty)',
		});
		const d = decide(
			{ contactId: 'x1', state: { lastInboundAt: iso(NOW - MIN) }, variables: { name: 'Z' } },
			{ autoEnrol: true },
		);
		expect(d).toMatchObject({
			kind: 'send',
			step: 1,
			state: { enrolledAt: iso(NOW), sentCount: 1 },
		});
	});

	it('a state from another sequence or an unreadable enrolledAt is an error', () => {
		expect(decide(fresh('a', { sequence: 'nurture' }))).toMatchObject({
			kind: 'error',
			message: expect.stringContaining('"nurture"'),
		});
		expect(decide(fresh('a', { enrolledAt: 'yesterday-ish' }))).toMatchObject({
			kind: 'error',
			message: expect.stringContaining('unreadable enrolledAt'),
		});
	});

	it('rejects invalid sequences with the failing field', () => {
		expect(() => parseSequence({ id: 'bad id', steps: [] })).toThrow(/id: use letters.*steps/);
		expect(() =>
			parseSequence({
				id: 'x',
				steps: [{ delay: { min: 5, max: 1, unit: 'hours' }, channel: 'sms', variants: ['a'] }],
			}),
		).toThrow(/max must be at least min/);
	});
});
