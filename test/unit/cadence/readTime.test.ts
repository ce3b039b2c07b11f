import { idempotencyKey, readTime } from '../../../nodes/core/cadence/state';

describe('readTime', () => {
	it('reads the schema shape directly and leaves everything else (an impossible date too) to parseInstant', () => {
		expect(readTime('2026-11-18T10:00:00.000Z')).toBe(Date.parse('2026-11-18T10:00:00Z'));
		expect(readTime('2026-11-18T10:00:00Z')).toBe(Date.parse('2026-11-18T10:00:00Z'));
		expect(readTime('2026-11-18T10:00:00.5Z')).toBe(Date.parse('2026-11-18T10:00:00.500Z'));
		expect(readTime('2026-11-18T11:00:00+01:00')).toBe(Date.parse('2026-11-18T10:00:00Z'));
		expect(readTime(1763805600)).toBe(1763805600000);
		expect(readTime('')).toBeUndefined();
		expect(readTime('soon')).toBeNaN();
	});

	it('builds the same idempotency key from any spelling of the enrolment instant', () => {
		const ms = Date.parse('2026-11-18T10:00:00Z');
		for (const text of ['2026-11-18T10:00:00.000Z', '2026-11-18T10:00:00Z', '2026-11-18T11:00:00+01:00']) {
			expect(idempotencyKey('c1', 'seq', text, ms, 2)).toBe('c1:seq:20261118T100000Z:2');
		}
	});
});
