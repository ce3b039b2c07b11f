import { softDmFollowUp } from '../../../nodes/core/cadence';
import { at, DAY, HOUR, iso, localTime, MIN, simulate } from './simulate';

const PARIS = 'Europe/Paris';
const NEW_YORK = 'America/New_York';
const vars = { name: 'Ana', storyTopic: 'the yoga retreat' };

/** A story reply at `inbound`, enrolled 30 s later. */
function enrolment(inbound: string, timeZone: string) {
	const inboundMs = at(inbound);
	return {
		state: { enrolledAt: iso(inboundMs + 30_000), lastInboundAt: iso(inboundMs), timeZone },
		start: inboundMs + 30_000,
	};
}

function inQuietHours(ms: number, timeZone: string): boolean {
	const { hour } = localTime(ms, timeZone);
	return hour >= 21 || hour < 8;
}

describe('storyReplyWindow preset', () => {
	const base = enrolment('2026-11-18T09:00:00Z', PARIS); // Wed 10:00 in Paris

	it('sends immediate, +2 h and +20 h, all inside the 24 h window and outside quiet hours, then is exhausted', () => {
		const sim = simulate({ sequence: 'storyReplyWindow', ...base, variables: vars });
		expect(sim.sends.map((s) => s.step)).toEqual([1, 2, 3]);
		expect(sim.sends.every((s) => s.channel === 'instagram_dm')).toBe(true);
		const [first, second, third] = sim.sends;
		expect(first.at).toBe(base.start);
		expect(second.at - first.at).toBeGreaterThanOrEqual(2 * HOUR);
		expect(second.at - first.at).toBeLessThanOrEqual(2 * HOUR + 20 * MIN);
		for (const send of sim.sends) expect(send.at).toBeLessThan(at('2026-11-19T09:00:00Z'));
		for (const send of sim.sends.slice(1)) expect(inQuietHours(send.at, PARIS)).toBe(false);
		expect(third.message).toContain('Ana');
		expect(third.message.endsWith('Reply STOP to opt out.')).toBe(true);
		expect(sim.last).toMatchObject({ kind: 'done', reason: 'exhausted' });
		expect(sim.state).toMatchObject({
			status: 'done',
			sentCount: 3,
			currentStep: 3,
			doneReason: 'exhausted',
		});
	});

	it.each([
		['after the first message', 1],
		['after the second message', 2],
		['after the last message', 3],
	])('stops on a reply %s', (_label, afterStep) => {
		const baseline = simulate({ sequence: 'storyReplyWindow', ...base, variables: vars });
		const replyAt = baseline.sends[afterStep - 1].at + 10 * MIN;
		const sim = simulate({
			sequence: 'storyReplyWindow',
			...base,
			variables: vars,
			events: [{ at: replyAt, patch: { lastInboundAt: iso(replyAt) } }],
		});
		expect(sim.sends).toEqual(baseline.sends.slice(0, afterStep));
		expect(sim.last).toMatchObject({ kind: 'done', reason: 'replied' });
		expect(sim.state).toMatchObject({ status: 'done', sentCount: afterStep });
	});

	it('stops on opt-out mid-sequence', () => {
		const sim = simulate({
			sequence: 'storyReplyWindow',
			...base,
			variables: vars,
			events: [{ at: base.start + HOUR, patch: { optedOutAt: iso(base.start + HOUR) } }],
		});
		expect(sim.sends.map((s) => s.step)).toEqual([1]);
		expect(sim.last).toMatchObject({ kind: 'done', reason: 'opted_out' });
	});

	it('answers a late-evening story reply at once, defers +2 h past quiet hours, and pulls +20 h back inside the window', () => {
		const evening = enrolment('2026-11-18T19:00:00Z', PARIS); // 20:00 in Paris
		const sim = simulate({ sequence: 'storyReplyWindow', ...evening, variables: vars });
		const [first, second, third] = sim.sends;
		expect(first.at).toBe(evening.start);
		const secondLocal = localTime(second.at, PARIS);
		expect(secondLocal.hour).toBe(8);
		expect(secondLocal.minute).toBeLessThanOrEqual(20);
		// 20 h after ~08:00 is ~04:00 on day 3: outside the window, so sent by 19:30 Paris (window end − 30 min).
		expect(third.at).toBeLessThanOrEqual(at('2026-11-19T18:30:00Z') + 5 * MIN); // + one polling interval
		expect(third.at).toBeLessThan(at('2026-11-19T19:00:00Z'));
		expect(third.at).toBeGreaterThan(at('2026-11-19T18:00:00Z'));
		expect(inQuietHours(third.at, PARIS)).toBe(false);
	});

	it('is Done window_closed with the email handoff when the window is over before the first step', () => {
		const late = enrolment('2026-11-18T09:00:00Z', PARIS);
		const sim = simulate({
			sequence: 'storyReplyWindow',
			...late,
			start: late.start + 25 * HOUR,
			variables: vars,
		});
		expect(sim.sends).toEqual([]);
		expect(sim.last).toMatchObject({
			kind: 'done',
			reason: 'window_closed',
			handoffChannel: 'email',
		});
	});

	it('is Done window_closed when there is no inbound message on record', () => {
		const sim = simulate({
			sequence: 'storyReplyWindow',
			state: { enrolledAt: '2026-11-18T09:00:00.000Z', timeZone: PARIS },
			start: at('2026-11-18T09:00:00Z'),
			variables: vars,
		});
		expect(sim.last).toMatchObject({ kind: 'done', reason: 'window_closed' });
		expect((sim.last as { reasonText: string }).reasonText).toMatch(/No inbound message/);
	});
});

describe('softDmFollowUp preset', () => {
	it('on SMS: day-1 message, one follow-up 48–72 h later, Done exhausted after two non-replies', () => {
		const start = at('2026-11-16T15:00:00Z'); // Monday 10:00 in New York
		const sim = simulate({
			sequence: softDmFollowUp({ channel: 'sms' }),
			state: { enrolledAt: iso(start), timeZone: NEW_YORK },
			start,
			variables: vars,
		});
		expect(sim.sends.map((s) => [s.step, s.channel])).toEqual([
			[1, 'sms'],
			[2, 'sms'],
		]);
		const gap = sim.sends[1].at - sim.sends[0].at;
		expect(gap).toBeGreaterThanOrEqual(48 * HOUR);
		expect(gap).toBeLessThanOrEqual(72 * HOUR + 12 * HOUR); // quiet hours may defer it
		expect(inQuietHours(sim.sends[1].at, NEW_YORK)).toBe(false);
		expect(sim.last).toMatchObject({ kind: 'done', reason: 'exhausted' });
		expect(
			at((sim.last as { state: { doneAt: string } }).state.doneAt) - sim.sends[1].at,
		).toBeGreaterThanOrEqual(48 * HOUR);
	});

	it('on Instagram DM: the 48–72 h follow-up cannot fit the 24 h window, so the contact is handed to email when it closes', () => {
		const start = at('2026-11-16T15:00:00Z');
		const sim = simulate({
			sequence: 'softDmFollowUp',
			state: { enrolledAt: iso(start), lastInboundAt: iso(start - MIN), timeZone: NEW_YORK },
			start,
			variables: vars,
		});
		expect(sim.sends.map((s) => s.step)).toEqual([1]);
		expect(sim.last).toMatchObject({
			kind: 'done',
			reason: 'window_closed',
			handoffChannel: 'email',
		});
		expect(at((sim.last as { state: { doneAt: string } }).state.doneAt)).toBeGreaterThanOrEqual(
			start - MIN + DAY,
		);
	});

	it('defers a first message enrolled at night to the end of quiet hours in the contact’s zone', () => {
		const start = at('2026-11-17T04:00:00Z'); // 23:00 in New York
		const sim = simulate({
			sequence: softDmFollowUp({ channel: 'email' }),
			state: { enrolledAt: iso(start), timeZone: NEW_YORK },
			start,
			variables: vars,
		});
		const local = localTime(sim.sends[0].at, NEW_YORK);
		expect(local.hour).toBe(8);
		expect(local.minute).toBeLessThanOrEqual(20);
	});

	it('stops when the contact replies between the two messages', () => {
		const start = at('2026-11-16T15:00:00Z');
		const sim = simulate({
			sequence: softDmFollowUp({ channel: 'sms' }),
			state: { enrolledAt: iso(start), timeZone: NEW_YORK },
			start,
			variables: vars,
			events: [{ at: start + DAY, patch: { repliedAt: iso(start + DAY) } }],
		});
		expect(sim.sends.map((s) => s.step)).toEqual([1]);
		expect(sim.last).toMatchObject({ kind: 'done', reason: 'replied' });
	});
});

describe('nurture preset', () => {
	const start = at('2026-11-16T09:00:00Z'); // Monday 10:00 in Paris

	it('immediate → 24–48 h value → 3–7 days final reminder → Done exhausted with moveTo nurture', () => {
		const sim = simulate({
			sequence: 'nurture',
			state: { enrolledAt: iso(start), timeZone: PARIS },
			start,
			variables: vars,
		});
		expect(sim.sends.map((s) => [s.step, s.channel])).toEqual([
			[1, 'email'],
			[2, 'email'],
			[3, 'email'],
		]);
		const [first, second, third] = sim.sends;
		expect(first.at).toBe(start);
		expect(second.at - first.at).toBeGreaterThanOrEqual(24 * HOUR);
		expect(second.at - first.at).toBeLessThanOrEqual(48 * HOUR + 12 * HOUR);
		expect(third.at - second.at).toBeGreaterThanOrEqual(3 * DAY - HOUR);
		expect(third.at - second.at).toBeLessThanOrEqual(7 * DAY + 12 * HOUR);
		for (const send of sim.sends) expect(inQuietHours(send.at, PARIS)).toBe(false);
		expect(sim.last).toMatchObject({ kind: 'done', reason: 'exhausted', moveTo: 'nurture' });
	});

	it('stops on conversion and on a manual stop', () => {
		const converted = simulate({
			sequence: 'nurture',
			state: { enrolledAt: iso(start), timeZone: PARIS },
			start,
			variables: vars,
			events: [{ at: start + 3 * DAY, patch: { convertedAt: iso(start + 3 * DAY) } }],
		});
		expect(converted.last).toMatchObject({ kind: 'done', reason: 'converted' });
		const stopped = simulate({
			sequence: 'nurture',
			state: { enrolledAt: iso(start), timeZone: PARIS },
			start,
			variables: vars,
			events: [{ at: start + HOUR, patch: { stoppedAt: iso(start + HOUR) } }],
		});
		expect(stopped.sends.length).toBe(1);
		expect(stopped.last).toMatchObject({ kind: 'done', reason: 'manual_stop' });
	});

	it('with business days only, a step landing on a weekend moves to Monday and the next step shifts with it', () => {
		const friday = at('2026-11-20T09:00:00Z');
		const sim = simulate({
			sequence: {
				id: 'weekdays',
				steps: [
					{ delay: { min: 0, unit: 'minutes' }, channel: 'email', variants: ['Hi {{name}}'] },
					{ delay: { min: 1, unit: 'days' }, channel: 'email', variants: ['Value for {{name}}'] },
					{
						delay: { min: 1, unit: 'days' },
						channel: 'email',
						variants: ['Reminder for {{name}}'],
					},
				],
			},
			options: { businessDays: [1, 2, 3, 4, 5], jitterMinutes: 0 },
			state: { enrolledAt: iso(friday), timeZone: PARIS },
			start: friday,
			variables: vars,
		});
		expect(sim.sends.map((s) => localTime(s.at, PARIS))).toEqual([
			{ hour: 10, minute: 0, weekday: 'Fri' },
			{ hour: 8, minute: 0, weekday: 'Mon' },
			{ hour: 8, minute: 0, weekday: 'Tue' },
		]);
	});
});
