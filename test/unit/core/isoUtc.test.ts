import { inSaneRange, parseInstant } from '../../../nodes/core/time/instant';
import {
	DAY_MS,
	daysFromCivil,
	daysInMonth,
	formatIsoUtc,
	isIsoUtcShape,
	isLeapYear,
	ISO_BAD_SHAPE,
	ISO_NOT_REAL,
	parseIsoOffset,
	parseIsoUtc,
	parseIsoUtcMs,
} from '../../../nodes/core/time/isoUtc';
import { ISO_SAMPLES } from '../../helpers/isoSamples';
import { rng } from '../../helpers/random';

/** The canonical schema's regex (nodes/core/events/schema.ts): the shape every reader here accepts. */
const ZOD_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

const pad = (n: number, width: number) => String(n).padStart(width, '0');

const MUTATION_CHARS = ['0', '5', '9', '-', ':', 'T', 'Z', '.', 'a', '/', ' ', '+', '\u0660'];

function mutateIso(rand: () => number): string {
	const chars = ISO_SAMPLES[Math.floor(rand() * 4)].split('');
	const kind = Math.floor(rand() * 3);
	const at = Math.floor(rand() * (chars.length + 1));
	const c = MUTATION_CHARS[Math.floor(rand() * MUTATION_CHARS.length)];
	if (kind === 0) chars[Math.min(at, chars.length - 1)] = c;
	else if (kind === 1) chars.splice(at, 0, c);
	else chars.splice(Math.min(at, chars.length - 1), 1);
	return chars.join('');
}

/** Every field drawn a little beyond its range, fraction of 0–3 digits: right shape, often not a real instant. */
function randomFields(rand: () => number): { text: string; real: boolean } {
	const n = (k: number) => Math.floor(rand() * k);
	const year = n(10_000);
	const month = n(14);
	const day = n(33);
	const hour = n(25);
	const minute = n(61);
	const second = n(61);
	const digits = n(4);
	const fraction = digits === 0 ? '' : '.' + pad(n(10 ** digits), digits);
	const real =
		month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) && hour <= 23 && minute <= 59 && second <= 59;
	return {
		text: `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}${fraction}Z`,
		real,
	};
}

describe('parseIsoUtcMs / parseIsoUtc / isIsoUtcShape: shape', () => {
	it('accept exactly the shape the schema regex accepts (samples and 20,000 mutations)', () => {
		const rand = rng(7);
		const samples = [...ISO_SAMPLES, ...Array.from({ length: 20_000 }, () => mutateIso(rand))];
		const mismatches = samples.filter(
			(s) => isIsoUtcShape(s) !== ZOD_ISO.test(s) || Number.isNaN(parseIsoUtcMs(s)) === ZOD_ISO.test(s),
		);
		expect(mismatches).toEqual([]);
		expect(samples.filter((s) => ZOD_ISO.test(s)).length).toBeGreaterThan(1000);
	});

	it('refuse a non-digit or wrong separator in every position, for each fraction length', () => {
		const bases = ['2024-02-29T23:59:59Z', '2024-02-29T23:59:59.9Z', '2024-02-29T23:59:59.99Z', '2024-02-29T23:59:59.999Z'];
		let checked = 0;
		for (const base of bases) {
			expect(isIsoUtcShape(base)).toBe(true);
			for (let i = 0; i < base.length; i++) {
				for (const c of ['a', '/', ' ', ':', '-', '.', 'T', 'Z', '0', '\u0660', '\u0030\u0301']) {
					const text = base.slice(0, i) + c + base.slice(i + 1);
					checked++;
					expect([text, isIsoUtcShape(text)]).toEqual([text, ZOD_ISO.test(text)]);
					expect([text, Number.isNaN(parseIsoUtcMs(text))]).toEqual([text, !ZOD_ISO.test(text)]);
				}
			}
		}
		expect(checked).toBeGreaterThan(900);
	});

	it('refuse every length from 19 to 25 but 20, 22, 23 and 24', () => {
		const full = '2026-11-22T10:00:00.1234Z';
		for (let len = 19; len <= 25; len++) {
			// Cut the fraction to fit (or drop the dot) and keep the Z last.
			const body = full.slice(0, len - 1);
			const text = body + 'Z';
			const expected = ZOD_ISO.test(text);
			expect([text, isIsoUtcShape(text)]).toEqual([text, expected]);
			expect([text, parseIsoUtc(text)]).toEqual([text, expected ? Date.parse(text) : undefined]);
			expect(expected).toBe(len === 20 || len === 22 || len === 23 || len === 24);
		}
		expect(parseIsoUtcMs('2026-11-22T10:00:00')).toBe(ISO_BAD_SHAPE);
		expect(parseIsoUtcMs('2026-11-22T10:00:00.Z')).toBe(ISO_BAD_SHAPE);
	});
});

describe('parseIsoUtcMs / parseIsoUtc: values', () => {
	it('read real instants exactly as Date.parse does, and name the others ISO_NOT_REAL (60,000 generated fields)', () => {
		const rand = rng(23);
		let real = 0;
		let notReal = 0;
		for (let i = 0; i < 60_000; i++) {
			const { text, real: isReal } = randomFields(rand);
			const ms = parseIsoUtcMs(text);
			if (isReal) {
				real++;
				if (ms !== Date.parse(text) || parseIsoUtc(text) !== ms) expect([text, ms]).toEqual([text, Date.parse(text)]);
			} else {
				notReal++;
				if (ms !== ISO_NOT_REAL || parseIsoUtc(text) !== undefined) expect([text, ms]).toEqual([text, ISO_NOT_REAL]);
			}
		}
		expect(real).toBeGreaterThan(20_000);
		expect(notReal).toBeGreaterThan(10_000);
	});

	it('read what toISOString writes, across years 0000–9999, with 0, 1, 2 or 3 fraction digits', () => {
		const rand = rng(11);
		for (let i = 0; i < 20_000; i++) {
			const ms = Math.floor(-62_167_219_200_000 + rand() * 315_569_520_000_000);
			const iso = new Date(ms).toISOString();
			const digits = i % 4;
			const text = iso.slice(0, digits === 0 ? 19 : 20 + digits) + 'Z';
			const expected = Date.parse(text);
			if (parseIsoUtcMs(text) !== expected) expect([text, parseIsoUtcMs(text)]).toEqual([text, expected]);
			if (digits === 3 && parseIsoUtcMs(iso) !== ms) expect([iso, parseIsoUtcMs(iso)]).toEqual([iso, ms]);
		}
	});

	it.each([
		['2024-02-29T00:00:00Z', true],
		['2026-02-29T00:00:00Z', false],
		['2026-02-28T23:59:59.999Z', true],
		['2000-02-29T23:59:59.999Z', true],
		['1900-02-29T00:00:00Z', false],
		['2100-02-29T00:00:00Z', false],
		['2400-02-29T00:00:00Z', true],
		['0000-02-29T00:00:00Z', true],
		['0000-01-01T00:00:00.000Z', true],
		['9999-12-31T23:59:59.999Z', true],
		['2026-12-31T23:59:59.999Z', true],
		['2026-04-30T00:00:00Z', true],
		['2026-04-31T00:00:00Z', false],
		['2026-02-30T00:00:00Z', false],
		['2026-11-22T24:00:00Z', false],
		['2026-11-22T24:00:00.000Z', false],
		['2026-11-22T23:60:00Z', false],
		['2026-11-22T23:59:60Z', false],
		['2026-13-01T00:00:00Z', false],
		['2026-00-01T00:00:00Z', false],
		['2026-01-00T00:00:00Z', false],
	])('%s is a real instant: %s (year 0000 included, as Date does)', (text, real) => {
		expect(parseIsoUtcMs(text)).toBe(real ? Date.parse(text) : ISO_NOT_REAL);
		expect(parseIsoUtc(text)).toBe(real ? Date.parse(text) : undefined);
		expect(isIsoUtcShape(text)).toBe(true);
	});

	it('reads 1, 2 and 3 fraction digits as tenths, hundredths and thousandths', () => {
		expect(parseIsoUtcMs('2026-11-22T10:00:00.5Z')).toBe(Date.parse('2026-11-22T10:00:00.500Z'));
		expect(parseIsoUtcMs('2026-11-22T10:00:00.05Z')).toBe(Date.parse('2026-11-22T10:00:00.050Z'));
		expect(parseIsoUtcMs('2026-11-22T10:00:00.005Z')).toBe(Date.parse('2026-11-22T10:00:00.005Z'));
	});

	it('gives the same values whatever the order of calls (reading and writing)', () => {
		const rand = rng(5);
		const texts = Array.from({ length: 3000 }, () => randomFields(rand).text);
		const first = texts.map((t) => parseIsoUtcMs(t));
		expect([...texts].reverse().map((t) => parseIsoUtcMs(t)).reverse()).toEqual(first);
		const instants = first.filter((ms) => ms < ISO_NOT_REAL);
		const written = instants.map((ms) => formatIsoUtc(ms));
		expect([...instants].reverse().map((ms) => formatIsoUtc(ms)).reverse()).toEqual(written);
		expect(written).toEqual(instants.map((ms) => new Date(ms).toISOString()));
	});
});

describe('parseIsoOffset', () => {
	it('reads ISO 8601 with Z or ±HH:MM exactly like parseInstant, and leaves everything else to it', () => {
		const rand = rng(987654);
		const n = (k: number) => Math.floor(rand() * k);
		const fixed = [
			'2026-11-21T09:00:00Z',
			'2026-11-21T09:00:00.5Z',
			'2026-11-21T09:00:00.05Z',
			'2026-11-21T09:00:00.123Z',
			'2026-11-21T09:00:00.1234Z',
			'2026-11-21T08:00:00+01:00',
			'2026-11-21T08:00:00.5+01:00',
			'2026-11-21T08:00:00.25-05:30',
			'2026-11-21T08:00:00-05:30',
			'2026-11-21T08:00:00+0100',
			'2026-11-21T08:00:00+23:59',
			'2026-11-21T08:00:00+24:00',
			'2026-11-21T08:00:00+01:0a',
			'2026-11-21T08:00:00+01-00',
			'2026-11-21T08:00:00*01:00',
			'2026-11-21T08:00:00.1234+01:00',
			'2026-11-21t09:00:00z',
			'2026-11-21 09:00:00Z',
			'2026-11-21T09:00Z',
			'2026-11-21T24:00:00Z',
			'2026-11-21T23:60:00Z',
			'2026-11-21T23:59:60Z',
			'2026-02-29T00:00:00Z',
			'2026-02-29T00:00:00+01:00',
			'2024-02-29T00:00:00Z',
			'2000-02-29T00:00:00Z',
			'1900-02-29T00:00:00Z',
			'2026-04-31T00:00:00Z',
			'2026-00-10T00:00:00Z',
			'2026-13-10T00:00:00Z',
			'2026-12-00T00:00:00Z',
			'0000-01-01T00:00:00Z',
			'0000-01-01T00:00:00+01:00',
			'9999-12-31T23:59:59.999Z',
			'9999-12-31T23:59:59.999-01:00',
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
			const time = `${pad(n(25), 2)}:${pad(n(61), 2)}:${pad(n(61), 2)}`;
			const fraction = ['', '.' + pad(n(10), 1), '.' + pad(n(100), 2), '.' + pad(n(1000), 3)][n(4)];
			const zone = ['Z', `+${pad(n(25), 2)}:${pad(n(61), 2)}`, `-${pad(n(25), 2)}:${pad(n(61), 2)}`][n(3)];
			generated.push(`${pad(n(10000), 4)}-${pad(n(14), 2)}-${pad(n(33), 2)}T${time}${fraction}${zone}`);
		}
		let accepted = 0;
		for (const text of [...fixed, ...generated]) {
			const fast = parseIsoOffset(text);
			if (fast !== undefined) {
				accepted++;
				// parseInstant also refuses instants before 2000 (the sane range); inside it the two agree.
				const expected = inSaneRange(fast) ? fast : undefined;
				if (expected !== parseInstant(text)) expect([text, expected]).toEqual([text, parseInstant(text)]);
			}
		}
		expect(accepted).toBeGreaterThan(5_000);
		expect(parseIsoOffset('2026-11-21T09:00:00Z')).toBe(Date.parse('2026-11-21T09:00:00Z'));
		expect(parseIsoOffset('2026-11-21T08:00:00+01:00')).toBe(Date.parse('2026-11-21T07:00:00Z'));
		expect(parseIsoOffset('2026-11-21T08:00:00.5-05:30')).toBe(Date.parse('2026-11-21T13:30:00.500Z'));
		expect(parseIsoOffset('2026-11-21 09:00:00Z')).toBeUndefined();
		expect(parseIsoOffset('2026-02-29T00:00:00Z')).toBeUndefined();
		expect(parseIsoOffset('2026-02-29T00:00:00+01:00')).toBeUndefined();
		expect(parseIsoOffset('2026-11-21T08:00:00+24:00')).toBeUndefined();
	});
});

describe('formatIsoUtc', () => {
	const edges = [
		0,
		-1,
		1,
		951_782_400_000, // 2000-02-29
		951_868_799_999, // 2000-02-29T23:59:59.999Z
		1_772_236_799_999, // 2026-02-28T23:59:59.999Z
		4_107_542_400_000, // 2100-02-28
		-62_167_219_200_000, // 0000-01-01
		253_402_300_799_999, // 9999-12-31T23:59:59.999Z
		253_402_300_800_000, // 10000-01-01 (Date's own)
		-62_167_219_200_001, // before year 0 (Date's own)
		8.64e15,
		-8.64e15,
		1.5,
		-1.5,
		-0.5,
		-0,
		1_795_392_000_000.999,
	];

	it('writes exactly what toISOString writes, at the edges and for 50,000 instants in years 0000–9999 and beyond', () => {
		const rand = rng(19);
		const samples = [...edges];
		for (let i = 0; i < 50_000; i++) samples.push(Math.floor((rand() * 2 - 1) * 253_402_300_799_999));
		expect(samples.filter((ms) => formatIsoUtc(ms) !== new Date(ms).toISOString())).toEqual([]);
		expect(() => formatIsoUtc(Number.NaN)).toThrow(RangeError);
	});

	it('round-trips: reading what it writes gives the instant back', () => {
		const rand = rng(31);
		for (let i = 0; i < 10_000; i++) {
			const ms = Math.floor(-62_167_219_200_000 + rand() * 315_569_520_000_000);
			if (parseIsoUtcMs(formatIsoUtc(ms)) !== ms) expect([ms, formatIsoUtc(ms)]).toEqual([ms, 'round trip']);
		}
	});
});

describe('civil calendar', () => {
	it('daysFromCivil agrees with Date, years -400 to 10400', () => {
		const firstDay = daysFromCivil(-400, 1, 1);
		expect(firstDay * DAY_MS).toBe(new Date('-000400-01-01T00:00:00Z').getTime());
		let checked = 0;
		for (let days = firstDay; days < 3_080_000; days += 97) {
			const date = new Date(days * DAY_MS);
			const civil = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()] as const;
			if (daysFromCivil(...civil) !== days) expect([civil, 'days']).toEqual([civil, days]);
			checked++;
		}
		expect(checked).toBeGreaterThan(35_000);
		// Date's whole range, ±100,000,000 days.
		expect(daysFromCivil(275_760, 9, 13)).toBe(100_000_000);
		expect(daysFromCivil(-271_821, 4, 20)).toBe(-100_000_000);
	});

	it('daysInMonth and isLeapYear follow the Gregorian rules (as Date does)', () => {
		for (let year = 0; year <= 2400; year++) {
			const date = new Date(0);
			date.setUTCFullYear(year, 1, 29);
			expect([year, isLeapYear(year)]).toEqual([year, date.getUTCMonth() === 1]);
			for (let month = 1; month <= 12; month++) {
				const next = month === 12 ? daysFromCivil(year + 1, 1, 1) : daysFromCivil(year, month + 1, 1);
				expect(daysInMonth(year, month)).toBe(next - daysFromCivil(year, month, 1));
			}
		}
	});
});
