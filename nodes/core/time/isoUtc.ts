/**
 * The one fast reader of the timestamp shape every node stores and the canonical schema allows:
 * `YYYY-MM-DDTHH:MM:SS[.f{1,3}]Z` (UTC, years 0000–9999), character by character, without Date.parse,
 * Date objects or regular expressions, plus the proleptic Gregorian calendar maths behind it
 * (H. Hinnant, "chrono-compatible low-level date algorithms"), and the one writer (Date's own). Every core
 * domain reads and writes its hot-path timestamps here; anything wider (epoch numbers, user formats, zones) is `parseInstant`'s.
 *
 * Agreement with Date (test/unit/core/isoUtc.test.ts): every real instant this accepts gets Date.parse's
 * value, and reading what `formatIsoUtc` wrote gives the instant back.
 */

/** `parseIsoUtcMs` result for a string that does not have the schema's ISO shape. */
export const ISO_BAD_SHAPE = Number.NaN;
/**
 * `parseIsoUtcMs` result for a string of the right shape that names no real instant: month 00 or 13, day 00,
 * 30 February, 29 February of a common year, hour 24, minute or second 60. (Date.parse rolls some of these
 * over to another day; this reader refuses them all.)
 */
export const ISO_NOT_REAL = Number.POSITIVE_INFINITY;

export const DAY_MS = 86_400_000;

/** The first instant after `9999-12-31T23:59:59.999Z`: the end of the four-digit-year range. */
export const ISO_END_MS = 253_402_300_800_000;

// ---------------------------------------------------------------------------------------------------------
// Calendar

export function isLeapYear(year: number): boolean {
	return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in a month (1–12) of a proleptic Gregorian year. */
export function daysInMonth(year: number, month: number): number {
	if (month === 2) return isLeapYear(year) ? 29 : 28;
	return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Eras of 400 years added before dividing, so every quotient below is of a non-negative small integer. */
const BIAS_ERAS = 25_000;

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (month 1–12; any integer year within ±10 million, which
 * covers all of Date's). Small-integer arithmetic only: a reader calls it for every timestamp, and it is as
 * cheap as a cache lookup, so no cache is kept.
 */
export function daysFromCivil(year: number, month: number, day: number): number {
	const y = (month <= 2 ? year - 1 : year) + BIAS_ERAS * 400;
	const era = (y / 400) | 0;
	const yoe = y - era * 400;
	const doy = (((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) | 0) + day - 1;
	const doe = yoe * 365 + ((yoe / 4) | 0) - ((yoe / 100) | 0) + doy;
	return (era - BIAS_ERAS) * 146_097 + doe - 719_468;
}

// ---------------------------------------------------------------------------------------------------------
// Reading

/**
 * Epoch ms of `YYYY-MM-DDTHH:MM:SS[.f{1,3}]Z` (exactly what the schema's regex accepts). Returns ISO_BAD_SHAPE
 * (NaN) when the shape is wrong and ISO_NOT_REAL (Infinity) when the shape is right but the date or time is not
 * a real one. `ms < ISO_NOT_REAL` is true exactly for a real instant.
 */
export function parseIsoUtcMs(s: string): number {
	const len = s.length;
	if ((len !== 24 && len !== 20 && len !== 22 && len !== 23) || s.charCodeAt(len - 1) !== 90) return ISO_BAD_SHAPE;
	return readIso(s, len - 1, true);
}

/** `parseIsoUtcMs` as `number | undefined`: the epoch ms of a real instant in the schema's shape, else undefined. */
export function parseIsoUtc(s: string): number | undefined {
	const ms = parseIsoUtcMs(s);
	return ms < ISO_NOT_REAL ? ms : undefined;
}

/** True when `s` has the schema's ISO shape (what the zod regex accepts), without checking the values. */
export function isIsoUtcShape(s: string): boolean {
	const len = s.length;
	if ((len !== 24 && len !== 20 && len !== 22 && len !== 23) || s.charCodeAt(len - 1) !== 90) return false;
	return readIso(s, len - 1, false) === 0;
}

/**
 * Epoch ms of the common ISO 8601 form `YYYY-MM-DDTHH:MM:SS[.f{1,3}](Z|±HH:MM)` with every field in its
 * normal range (offset hours 00–23), or undefined for anything else. For every string it accepts,
 * `parseInstant` gives the same value (callers fall back to it for everything else).
 */
export function parseIsoOffset(s: string): number | undefined {
	const len = s.length;
	let ms: number;
	if (s.charCodeAt(len - 1) === 90) {
		ms = parseIsoUtcMs(s);
	} else {
		const zoneAt = len - 6;
		const sign = s.charCodeAt(zoneAt);
		if ((zoneAt !== 23 && zoneAt !== 19 && zoneAt !== 21 && zoneAt !== 22) || (sign !== 43 && sign !== 45)) {
			return undefined;
		}
		const oh0 = s.charCodeAt(zoneAt + 1) - 48;
		const oh1 = s.charCodeAt(zoneAt + 2) - 48;
		const om0 = s.charCodeAt(zoneAt + 4) - 48;
		const om1 = s.charCodeAt(zoneAt + 5) - 48;
		if (notDigit(oh0) || notDigit(oh1) || notDigit(om0) || notDigit(om1) || s.charCodeAt(zoneAt + 3) !== 58) {
			return undefined;
		}
		const oh = oh0 * 10 + oh1;
		const om = om0 * 10 + om1;
		if (oh > 23 || om > 59) return undefined;
		const offset = (oh * 60 + om) * 60_000;
		ms = readIso(s, zoneAt, true) + (sign === 43 ? -offset : offset);
	}
	return ms < ISO_NOT_REAL ? ms : undefined;
}

/** True when a character code minus 48 is not a digit (a negative value wraps to a large unsigned one). */
function notDigit(d: number): boolean {
	return d >>> 0 > 9;
}

/**
 * The shared body of every reader: `YYYY-MM-DDTHH:MM:SS` then, when `zoneAt` is 21, 22 or 23, `.` and 1–3
 * fraction digits up to `zoneAt` (the caller checked the length and the zone designator). Separators first,
 * then each digit once. Without `values`, a well-shaped string gives 0.
 */
function readIso(s: string, zoneAt: number, values: boolean): number {
	if (
		s.charCodeAt(4) !== 45 || // '-'
		s.charCodeAt(7) !== 45 ||
		s.charCodeAt(10) !== 84 || // 'T'
		s.charCodeAt(13) !== 58 || // ':'
		s.charCodeAt(16) !== 58
	) {
		return ISO_BAD_SHAPE;
	}
	const y0 = s.charCodeAt(0) - 48;
	const y1 = s.charCodeAt(1) - 48;
	const y2 = s.charCodeAt(2) - 48;
	const y3 = s.charCodeAt(3) - 48;
	const mo0 = s.charCodeAt(5) - 48;
	const mo1 = s.charCodeAt(6) - 48;
	const d0 = s.charCodeAt(8) - 48;
	const d1 = s.charCodeAt(9) - 48;
	const h0 = s.charCodeAt(11) - 48;
	const h1 = s.charCodeAt(12) - 48;
	const mi0 = s.charCodeAt(14) - 48;
	const mi1 = s.charCodeAt(15) - 48;
	const s0 = s.charCodeAt(17) - 48;
	const s1 = s.charCodeAt(18) - 48;
	if (
		notDigit(y0) ||
		notDigit(y1) ||
		notDigit(y2) ||
		notDigit(y3) ||
		notDigit(mo0) ||
		notDigit(mo1) ||
		notDigit(d0) ||
		notDigit(d1) ||
		notDigit(h0) ||
		notDigit(h1) ||
		notDigit(mi0) ||
		notDigit(mi1) ||
		notDigit(s0) ||
		notDigit(s1)
	) {
		return ISO_BAD_SHAPE;
	}
	let ms = 0;
	if (zoneAt !== 19) {
		const f0 = s.charCodeAt(20) - 48;
		if (s.charCodeAt(19) !== 46 || notDigit(f0)) return ISO_BAD_SHAPE; // '.'
		ms = f0 * 100;
		if (zoneAt !== 21) {
			const f1 = s.charCodeAt(21) - 48;
			if (notDigit(f1)) return ISO_BAD_SHAPE;
			ms += f1 * 10;
			if (zoneAt === 23) {
				const f2 = s.charCodeAt(22) - 48;
				if (notDigit(f2)) return ISO_BAD_SHAPE;
				ms += f2;
			}
		}
	}
	if (!values) return 0;
	const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
	const month = mo0 * 10 + mo1;
	const day = d0 * 10 + d1;
	const hour = h0 * 10 + h1;
	const minute = mi0 * 10 + mi1;
	const second = s0 * 10 + s1;
	if (hour > 23 || minute > 59 || second > 59 || month < 1 || month > 12 || day < 1) return ISO_NOT_REAL;
	if (day > 28 && day > daysInMonth(year, month)) return ISO_NOT_REAL;
	return daysFromCivil(year, month, day) * DAY_MS + hour * 3_600_000 + minute * 60_000 + second * 1000 + ms;
}

// ---------------------------------------------------------------------------------------------------------
// Writing

/**
 * `YYYY-MM-DDTHH:MM:SS.sssZ`: Date's own ISO writer (throws a RangeError for NaN and beyond ±8.64e15, as Date
 * does; a fraction of a millisecond is dropped toward zero). One name so every domain writes times the same way.
 */
export function formatIsoUtc(ms: number): string {
	return new Date(ms).toISOString();
}
