import { parseInstant, toUtcIso, wallClockToUtc, zoneOffsetMs, isValidTimeZone, HOUR_MS } from '../../../nodes/core/time/instant';

describe('parseInstant', () => {
	it.each([
		['2026-11-22T10:00:00Z', '2026-11-22T10:00:00.000Z'],
		['2026-11-22T10:00:00.5+02:00', '2026-11-22T08:00:00.500Z'],
		['2026-11-22T10:00', '2026-11-22T10:00:00.000Z'],
		['2026-11-22', '2026-11-22T00:00:00.000Z'],
		[1763805600, '2025-11-22T10:00:00.000Z'],
		['1763805600000', '2025-11-22T10:00:00.000Z'],
	])('reads %p', (input, expected) => {
		expect(toUtcIso(input)).toBe(expected);
	});

	it.each([['not a date'], [''], [null], [{}], ['2026-02-30']])('rejects %p', (input) => {
		expect(parseInstant(input)).toBeUndefined();
	});

	it('reads local times in a given zone, and user formats', () => {
		expect(toUtcIso('2026-07-01 09:30', { timeZone: 'Europe/Berlin' })).toBe('2026-07-01T07:30:00.000Z');
		expect(toUtcIso('22/11/2026 09:30', { format: 'dd/MM/yyyy HH:mm', timeZone: 'America/New_York' })).toBe(
			'2026-11-22T14:30:00.000Z',
		);
	});
});

describe('wallClockToUtc across DST', () => {
	it('reads a time in the spring-forward gap with the offset before the gap (RFC 5545)', () => {
		// 2007-03-11 02:30 does not exist in New York; RFC 5545's example gives 07:30Z.
		expect(new Date(wallClockToUtc(2007, 2, 11, 2, 30, 0, 0, 'America/New_York')!).toISOString()).toBe(
			'2007-03-11T07:30:00.000Z',
		);
	});

	it('reads an ambiguous fall-back time as its first occurrence', () => {
		// 2026-10-25 02:30 happens twice in Paris; the first is CEST (+02:00).
		expect(new Date(wallClockToUtc(2026, 9, 25, 2, 30, 0, 0, 'Europe/Paris')!).toISOString()).toBe(
			'2026-10-25T00:30:00.000Z',
		);
	});

	it('knows zone offsets and rejects unknown zones', () => {
		expect(zoneOffsetMs(Date.UTC(2026, 0, 1), 'Europe/Paris')).toBe(HOUR_MS);
		expect(zoneOffsetMs(Date.UTC(2026, 6, 1), 'America/New_York')).toBe(-4 * HOUR_MS);
		expect(isValidTimeZone('Mars/Olympus')).toBe(false);
		expect(wallClockToUtc(2026, 0, 1, 0, 0, 0, 0, 'Mars/Olympus')).toBeUndefined();
	});
});
