import { CadenceRun, parseSequence, type CadenceSequenceInput } from '../../../nodes/core/cadence';
import { ZoneClock } from '../../../nodes/core/cadence/clock';
import { wallClockToUtc } from '../../../nodes/core/time/instant';
import { at, HOUR, MIN } from './simulate';

const PARIS = 'Europe/Paris';
const NEW_YORK = 'America/New_York';

function twoSteps(delay: CadenceSequenceInput['steps'][number]['delay']): CadenceSequenceInput {
	return {
		id: 'dst',
		steps: [
			{ delay: { min: 0, unit: 'minutes' }, channel: 'email', variants: ['One'] },
			{ delay, channel: 'email', variants: ['Two'] },
		],
	};
}

/** nextDueAt of step 2 for a contact whose step 1 went out at `lastSentAt`. */
function nextDue(
	lastSentAt: string,
	timeZone: string,
	delay: CadenceSequenceInput['steps'][number]['delay'],
	quietHours: { startMinute: number; endMinute: number } | null = null,
): string {
	const run = new CadenceRun(
		parseSequence(twoSteps(delay)),
		{ quietHours, jitterMinutes: 0 },
		at(lastSentAt),
	);
	const decision = run.decide({
		contactId: 'c1',
		state: { enrolledAt: lastSentAt, lastSentAt, currentStep: 1, sentCount: 1, timeZone },
	});
	if (decision.kind !== 'wait') throw new Error(`expected wait, got ${decision.kind}`);
	return decision.nextDueAt;
}

describe('calendar-day delays across DST (same wall-clock time next day)', () => {
	it.each([
		// spring forward: 02:30 does not exist the next day → next valid minute 03:00
		['Paris spring-forward gap', '2026-03-28T01:30:00.000Z', PARIS, '2026-03-29T01:00:00.000Z'],
		[
			'New York spring-forward gap',
			'2026-03-07T07:30:00.000Z',
			NEW_YORK,
			'2026-03-08T07:00:00.000Z',
		],
		// spring forward at noon: 23 h elapsed
		[
			'Paris noon across spring-forward',
			'2026-03-28T11:00:00.000Z',
			PARIS,
			'2026-03-29T10:00:00.000Z',
		],
		[
			'New York noon across spring-forward',
			'2026-03-07T17:00:00.000Z',
			NEW_YORK,
			'2026-03-08T16:00:00.000Z',
		],
		// fall back: the ambiguous 02:30 (Paris) / 01:30 (New York) is its first occurrence
		['Paris fall-back overlap', '2026-10-24T00:30:00.000Z', PARIS, '2026-10-25T00:30:00.000Z'],
		[
			'New York fall-back overlap',
			'2026-10-31T05:30:00.000Z',
			NEW_YORK,
			'2026-11-01T05:30:00.000Z',
		],
		// fall back at noon: 25 h elapsed
		['Paris noon across fall-back', '2026-10-24T10:00:00.000Z', PARIS, '2026-10-25T11:00:00.000Z'],
		[
			'New York noon across fall-back',
			'2026-10-31T16:00:00.000Z',
			NEW_YORK,
			'2026-11-01T17:00:00.000Z',
		],
	])('%s', (_label, lastSentAt, zone, expected) => {
		expect(nextDue(lastSentAt, zone, { min: 1, unit: 'days' })).toBe(expected);
	});

	it('hour delays are elapsed time, even across the gap', () => {
		expect(nextDue('2026-03-29T00:30:00.000Z', PARIS, { min: 2, unit: 'hours' })).toBe(
			'2026-03-29T02:30:00.000Z',
		);
		expect(nextDue('2026-11-01T05:30:00.000Z', NEW_YORK, { min: 1, unit: 'hours' })).toBe(
			'2026-11-01T06:30:00.000Z',
		);
	});
});

describe('quiet hours on DST nights end at 08:00 local', () => {
	const QUIET = { startMinute: 21 * 60, endMinute: 8 * 60 };
	it.each([
		['Paris spring-forward night', '2026-03-28T21:00:00.000Z', PARIS, '2026-03-29T06:00:00.000Z'],
		['Paris fall-back night', '2026-10-24T20:00:00.000Z', PARIS, '2026-10-25T07:00:00.000Z'],
		[
			'New York spring-forward night',
			'2026-03-08T02:00:00.000Z',
			NEW_YORK,
			'2026-03-08T12:00:00.000Z',
		],
		['New York fall-back night', '2026-11-01T01:00:00.000Z', NEW_YORK, '2026-11-01T13:00:00.000Z'],
	])('%s', (_label, lastSentAt, zone, expected) => {
		expect(nextDue(lastSentAt, zone, { min: 1, unit: 'hours' }, QUIET)).toBe(expected);
	});

	it('quiet hours ending inside the skipped hour end at the next valid minute', () => {
		// Quiet 21:00–02:30; 02:30 does not exist on 2026-03-08 in New York → 03:00 EDT.
		expect(
			nextDue(
				'2026-03-08T03:00:00.000Z',
				NEW_YORK,
				{ min: 1, unit: 'hours' },
				{ startMinute: 21 * 60, endMinute: 150 },
			),
		).toBe('2026-03-08T07:00:00.000Z');
	});
});

describe('ZoneClock', () => {
	it('agrees with wallClockToUtc outside gaps, and maps gap times to the first instant after the gap', () => {
		for (const zone of [
			PARIS,
			NEW_YORK,
			'Australia/Lord_Howe',
			'Asia/Kolkata',
			'America/Sao_Paulo',
		]) {
			const clock = new ZoneClock(zone);
			for (let day = 0; day < 366; day += 3) {
				for (const minute of [0, 90, 150, 600, 1439]) {
					const wall = Date.UTC(2026, 0, 1 + day, 0, minute);
					const d = new Date(wall);
					const expected = wallClockToUtc(
						d.getUTCFullYear(),
						d.getUTCMonth(),
						d.getUTCDate(),
						d.getUTCHours(),
						d.getUTCMinutes(),
						0,
						0,
						zone,
					)!;
					const actual = clock.toInstant(wall);
					if (clock.toWall(actual) === wall) expect(actual).toBe(expected);
					else expect(clock.toWall(actual)).toBeGreaterThan(wall); // in a gap: later, never earlier
				}
			}
		}
		const ny = new ZoneClock(NEW_YORK);
		expect(new Date(ny.toInstant(Date.UTC(2026, 2, 8, 2, 30))).toISOString()).toBe(
			'2026-03-08T07:00:00.000Z',
		);
	});

	it('reads offsets right around a transition (cached per day, quarter hours on transition days)', () => {
		const paris = new ZoneClock(PARIS);
		expect(paris.offset(at('2026-03-29T00:59:59.999Z'))).toBe(HOUR);
		expect(paris.offset(at('2026-03-29T01:00:00.000Z'))).toBe(2 * HOUR);
		expect(paris.offset(at('2026-10-25T00:59:00.000Z'))).toBe(2 * HOUR);
		expect(paris.offset(at('2026-10-25T01:00:00.000Z'))).toBe(HOUR);
		const lordHowe = new ZoneClock('Australia/Lord_Howe'); // 30-minute DST change at 02:00 local
		expect(lordHowe.offset(at('2026-10-03T15:29:00.000Z'))).toBe(10.5 * HOUR);
		expect(lordHowe.offset(at('2026-10-03T15:30:00.000Z'))).toBe(11 * HOUR);
		expect(
			lordHowe.addCalendarDays(at('2026-10-03T12:00:00.000Z'), 1) - at('2026-10-03T12:00:00.000Z'),
		).toBe(24 * HOUR - 30 * MIN);
	});
});
