import { formatCanonicalIso, parseCanonicalIso } from '../../../nodes/core/cadence/iso';
import { readTime } from '../../../nodes/core/cadence/state';

describe('canonical ISO reading and writing', () => {
	it('matches Date for instants across four centuries', () => {
		for (let i = 0; i < 20000; i++) {
			const ms = -2e12 + i * 2.2e8 + (i % 1000);
			const text = new Date(ms).toISOString();
			expect(parseCanonicalIso(text)).toBe(ms);
			expect(formatCanonicalIso(ms)).toBe(text);
		}
	});

	it('rejects anything that is not exactly canonical and real; readTime falls back to parseInstant', () => {
		for (const bad of [
			'2026-02-29T00:00:00.000Z',
			'2026-13-01T00:00:00.000Z',
			'2026-01-01T24:00:00.000Z',
			'2026-01-01 00:00:00.000Z',
			'2026-1a-01T00:00:00.000Z',
		]) {
			expect(parseCanonicalIso(bad)).toBeUndefined();
		}
		expect(readTime('2026-11-18T11:00:00+01:00')).toBe(Date.parse('2026-11-18T10:00:00Z'));
		expect(readTime(1763805600)).toBe(1763805600000);
		expect(readTime('')).toBeUndefined();
		expect(readTime('soon')).toBeNaN();
	});
});
