/**
 * The one fast reader and writer of the timestamp shape every node stores and the canonical schema allows:
 * `YYYY-MM-DDTHH:MM:SS[.f{1,3}]Z` (UTC, years 0000–9999), character by character, without Date.parse,
 * Date objects or regular expressions, plus the proleptic Gregorian calendar maths behind it
 * (H. Hinnant, "chrono-compatible low-level date algorithms"). Every core domain reads and writes its
 * hot-path timestamps here; anything wider (epoch numbers, user formats, zones) is `parseInstant`'s.
 *
 * Agreement with Date (test/unit/core/isoUtc.test.ts): every real instant this accepts gets Date.parse's
 * value; `formatIsoUtc(ms)` is `new Date(ms).toISOString()` for every ms Date accepts.
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

/** `0000-01-01T00:00:00.000Z` and the first instant after `9999-12-31T23:59:59.999Z`: the four-digit-year range. */
export const ISO_MIN_MS = -62_167_219_200_000;
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

export interface CivilDate {
	year: number;
	/** 1–12 */
	month: number;
	/** 1–31 */
	day: number;
}

/** The proleptic Gregorian date of a day number (days since 1970-01-01); inverse of daysFromCivil. */
export function civilFromDays(days: number): CivilDate {
	const z = days + 719_468;
	const era = Math.floor(z / 146_097);
	const doe = z - era * 146_097;
	const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
	const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
	const mp = Math.floor((5 * doy + 2) / 153);
	const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
	const month = mp < 10 ? mp + 3 : mp - 9;
	return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
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

/** Character codes `YYYY-MM-DD` of recently written days (direct-mapped by day number): output shares a few days. */
const FORMAT_SLOTS = 256;
const formatDays = new Float64Array(FORMAT_SLOTS).fill(Number.NaN);
const formatDigits = new Uint8Array(FORMAT_SLOTS * 10);

/** Offset in formatDigits of the date digits of a day number in years 0000–9999 (filled on a miss). */
function dateDigitsAt(days: number): number {
	const slot = days & (FORMAT_SLOTS - 1);
	const at = slot * 10;
	if (formatDays[slot] !== days) {
		const { year, month, day } = civilFromDays(days);
		const century = (year / 100) | 0;
		const ofCentury = year - century * 100;
		const d = formatDigits;
		d[at] = 48 + ((century / 10) | 0);
		d[at + 1] = 48 + (century % 10);
		d[at + 2] = 48 + ((ofCentury / 10) | 0);
		d[at + 3] = 48 + (ofCentury % 10);
		d[at + 4] = 45;
		d[at + 5] = 48 + ((month / 10) | 0);
		d[at + 6] = 48 + (month % 10);
		d[at + 7] = 45;
		d[at + 8] = 48 + ((day / 10) | 0);
		d[at + 9] = 48 + (day % 10);
		formatDays[slot] = days;
	}
	return at;
}

/**
 * `new Date(ms).toISOString()` (`YYYY-MM-DDTHH:MM:SS.sssZ`) without a Date for years 0000–9999: one flat
 * string, the date digits reused while calls fall on recently written days. Outside that range it is
 * toISOString's (which throws for NaN and beyond ±8.64e15, as Date does). A fraction of a millisecond is
 * dropped toward zero, as Date does.
 */
export function formatIsoUtc(ms: number): string {
	if (!(ms >= ISO_MIN_MS && ms < ISO_END_MS)) return new Date(ms).toISOString();
	const t = Math.trunc(ms); // Date's TimeClip: toward zero
	const days = Math.floor(t / DAY_MS);
	const at = dateDigitsAt(days);
	const d = formatDigits;
	// 0 ≤ rest < 86,400,000: small-integer arithmetic from here.
	const rest = (t - days * DAY_MS) | 0;
	const hour = (rest / 3_600_000) | 0;
	const minute = ((rest - hour * 3_600_000) / 60_000) | 0;
	const secondsMs = rest - hour * 3_600_000 - minute * 60_000;
	const second = (secondsMs / 1000) | 0;
	const milli = secondsMs - second * 1000;
	const h10 = (hour / 10) | 0;
	const mi10 = (minute / 10) | 0;
	const s10 = (second / 10) | 0;
	const m100 = (milli / 100) | 0;
	const m10 = ((milli - m100 * 100) / 10) | 0;
	return String.fromCharCode(
		d[at],
		d[at + 1],
		d[at + 2],
		d[at + 3],
		45,
		d[at + 5],
		d[at + 6],
		45,
		d[at + 8],
		d[at + 9],
		84,
		48 + h10,
		48 + hour - h10 * 10,
		58,
		48 + mi10,
		48 + minute - mi10 * 10,
		58,
		48 + s10,
		48 + second - s10 * 10,
		46,
		48 + m100,
		48 + m10,
		48 + milli - m100 * 100 - m10 * 10,
		90,
	);
}

/**
 * Writes the 24 character codes of `formatIsoUtc(ms)` into `out` at `at` and returns true for instants in
 * years 0000–9999; returns false (nothing written) for anything else. For callers that also hash the bytes.
 */
export function writeIsoUtc(ms: number, out: Uint8Array, at: number): boolean {
	if (!(ms >= ISO_MIN_MS && ms < ISO_END_MS)) return false;
	const t = Math.trunc(ms);
	const days = Math.floor(t / DAY_MS);
	const from = dateDigitsAt(days);
	const d = formatDigits;
	for (let i = 0; i < 10; i++) out[at + i] = d[from + i];
	const rest = (t - days * DAY_MS) | 0;
	const hour = (rest / 3_600_000) | 0;
	const minute = ((rest - hour * 3_600_000) / 60_000) | 0;
	const secondsMs = rest - hour * 3_600_000 - minute * 60_000;
	const second = (secondsMs / 1000) | 0;
	const milli = secondsMs - second * 1000;
	const h10 = (hour / 10) | 0;
	const mi10 = (minute / 10) | 0;
	const s10 = (second / 10) | 0;
	const m100 = (milli / 100) | 0;
	const m10 = ((milli - m100 * 100) / 10) | 0;
	out[at + 10] = 84;
	out[at + 11] = 48 + h10;
	out[at + 12] = 48 + hour - h10 * 10;
	out[at + 13] = 58;
	out[at + 14] = 48 + mi10;
	out[at + 15] = 48 + minute - mi10 * 10;
	out[at + 16] = 58;
	out[at + 17] = 48 + s10;
	out[at + 18] = 48 + second - s10 * 10;
	out[at + 19] = 46;
	out[at + 20] = 48 + m100;
	out[at + 21] = 48 + m10;
	out[at + 22] = 48 + milli - m100 * 100 - m10 * 10;
	out[at + 23] = 90;
	return true;
}

/** The string of the 24 character codes `writeIsoUtc` wrote at `at`, made flat in one call. */
export function isoUtcFromBytes(b: Uint8Array, at: number): string {
	return String.fromCharCode(
		b[at], b[at + 1], b[at + 2], b[at + 3], b[at + 4], b[at + 5], b[at + 6], b[at + 7],
		b[at + 8], b[at + 9], b[at + 10], b[at + 11], b[at + 12], b[at + 13], b[at + 14], b[at + 15],
		b[at + 16], b[at + 17], b[at + 18], b[at + 19], b[at + 20], b[at + 21], b[at + 22], b[at + 23],
	);
}
