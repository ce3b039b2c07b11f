import { isoFromMs, parseIsoFast } from '../../../nodes/core/capture/isoTime';
import { parseInstant } from '../../../nodes/core/time/instant';

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

describe('parseIsoFast', () => {
	it('reads the common ISO 8601 form exactly like parseInstant, and leaves everything else to it', () => {
		let seed = 987654;
		const next = (n: number) => {
			seed = (seed * 1103515245 + 12345) % 2147483648;
			return Math.floor((seed / 2147483648) * n);
		};
		const pad = (n: number, width: number) => String(n).padStart(width, '0');
		const fixed = [
			'2026-11-21T09:00:00Z',
			'2026-11-21T09:00:00.5Z',
			'2026-11-21T09:00:00.05Z',
			'2026-11-21T09:00:00.123Z',
			'2026-11-21T09:00:00.1234Z',
			'2026-11-21T08:00:00+01:00',
			'2026-11-21T08:00:00-05:30',
			'2026-11-21T08:00:00+0100',
			'2026-11-21T08:00:00+23:59',
			'2026-11-21T08:00:00+24:00',
			'2026-11-21t09:00:00z',
			'2026-11-21 09:00:00Z',
			'2026-11-21T09:00Z',
			'2026-11-21T24:00:00Z',
			'2026-11-21T23:60:00Z',
			'2026-11-21T23:59:60Z',
			'2026-02-29T00:00:00Z',
			'2024-02-29T00:00:00Z',
			'2000-02-29T00:00:00Z',
			'1900-02-29T00:00:00Z',
			'2026-04-31T00:00:00Z',
			'2026-00-10T00:00:00Z',
			'2026-13-10T00:00:00Z',
			'2026-12-00T00:00:00Z',
			'0000-01-01T00:00:00Z',
			'9999-12-31T23:59:59.999Z',
			' 2026-11-21T09:00:00Z',
			'2026-11-21T09:00:00Z ',
			'2026-11-21T09:00:00.Z',
			'2026-11-21T09:00:00ZZ',
			'2026-11-21T09:00:00+01',
			'20a6-11-21T09:00:00Z',
			'1700000000',
			'',
		];
		const generated: string[] = [];
		for (let i = 0; i < 20_000; i++) {
			const year = next(10000);
			const month = next(14);
			const day = next(33);
			const time = `${pad(next(25), 2)}:${pad(next(61), 2)}:${pad(next(61), 2)}`;
			const fraction = ['', '.' + pad(next(10), 1), '.' + pad(next(100), 2), '.' + pad(next(1000), 3)][next(4)];
			const zone = ['Z', `+${pad(next(25), 2)}:${pad(next(61), 2)}`, `-${pad(next(25), 2)}:${pad(next(61), 2)}`][next(3)];
			generated.push(`${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${time}${fraction}${zone}`);
		}
		let accepted = 0;
		for (const text of [...fixed, ...generated]) {
			const fast = parseIsoFast(text);
			if (fast !== undefined) {
				accepted++;
				expect([text, fast]).toEqual([text, parseInstant(text)]);
			}
		}
		expect(accepted).toBeGreaterThan(5_000);
		expect(parseIsoFast('2026-11-21T09:00:00Z')).toBe(Date.parse('2026-11-21T09:00:00Z'));
		expect(parseIsoFast('2026-11-21T08:00:00+01:00')).toBe(Date.parse('2026-11-21T07:00:00Z'));
		expect(parseIsoFast('2026-11-21 09:00:00Z')).toBeUndefined();
		expect(parseIsoFast('2026-02-29T00:00:00Z')).toBeUndefined();
	});
});
