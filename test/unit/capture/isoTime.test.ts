import { isoFromMs } from '../../../nodes/core/capture/isoTime';

describe('isoFromMs', () => {
	it('formats exactly like Date#toISOString across years 0000–9999 and at the edges', () => {
		const edges = [
			0,
			-1,
			1,
			951782400000, // 2000-02-29
			951868800000 - 1, // 2000-02-29T23:59:59.999Z
			4107542400000, // 2100-02-28
			-62167219200000, // 0000-01-01
			253402300799999, // 9999-12-31T23:59:59.999Z
			253402300800000, // 10000-01-01 (falls back to Date)
			-62167219200001, // before year 0 (falls back)
			1.5, // not an integer (falls back)
		];
		for (const ms of edges) expect(isoFromMs(ms)).toBe(new Date(ms).toISOString());
		let seed = 12345;
		const next = () => {
			seed = (seed * 1103515245 + 12345) % 2147483648;
			return seed / 2147483648;
		};
		for (let i = 0; i < 50_000; i++) {
			const ms = Math.floor(-62167219200000 + next() * (253402300800000 + 62167219200000));
			expect(isoFromMs(ms)).toBe(new Date(ms).toISOString());
		}
	});
});
