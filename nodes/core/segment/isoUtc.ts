/**
 * Fast reading and writing of the one timestamp shape the canonical schema allows
 * (`YYYY-MM-DDTHH:MM:SS[.f{1,3}]Z`), character by character, without Date.parse or regular expressions.
 */

/** `parseIsoUtcMs` result for a string that does not have the schema's ISO shape. */
export const ISO_BAD_SHAPE = Number.NaN;
/** `parseIsoUtcMs` result for a string of the right shape that names no real instant (e.g. 2026-02-30). */
export const ISO_NOT_REAL = Number.POSITIVE_INFINITY;

/** True when `s` has the schema's ISO shape (what the zod regex accepts), without reading the values. */
export function isIsoUtcShape(s: string): boolean {
	return !Number.isNaN(readIso(s, false));
}

/**
 * Reads `YYYY-MM-DDTHH:MM:SS[.f{1,3}]Z` (the schema's shape, checked character by character) into epoch
 * milliseconds. Returns ISO_BAD_SHAPE (NaN) when the shape is wrong and ISO_NOT_REAL (Infinity) when the shape
 * is right but the date or time is out of range (month 13, 30 February, hour 24, second 60).
 */
export function parseIsoUtcMs(s: string): number {
	return readIso(s, true);
}

/** Recently read dates (year·10⁴ + month·100 + day, direct-mapped) and their day numbers: events cluster on a few days. */
const dateKeys = new Int32Array(64).fill(-1);
const dateDays = new Float64Array(64);

/**
 * One pass over the characters, each read once: the shape check (a digit value d is in 0..9 exactly when
 * (9 − d) | d is not negative) and, when `values` is set, the instant. Without `values` a well-shaped string
 * gives 0.
 */
function readIso(s: string, values: boolean): number {
	const len = s.length;
	if (len !== 24 && len !== 20 && len !== 22 && len !== 23) return ISO_BAD_SHAPE;
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
	let f0 = 0;
	let f1 = 0;
	let f2 = 0;
	let fractionBad = 0;
	if (len !== 20) {
		fractionBad = s.charCodeAt(19) === 46 ? 0 : -1; // '.'
		f0 = s.charCodeAt(20) - 48;
		fractionBad |= (9 - f0) | f0;
		if (len !== 22) {
			f1 = s.charCodeAt(21) - 48;
			fractionBad |= (9 - f1) | f1;
			if (len === 24) {
				f2 = s.charCodeAt(22) - 48;
				fractionBad |= (9 - f2) | f2;
			}
		}
	}
	if (
		((9 - y0) | y0 | (9 - y1) | y1 | (9 - y2) | y2 | (9 - y3) | y3 | (9 - mo0) | mo0 | (9 - mo1) | mo1) < 0 ||
		((9 - d0) | d0 | (9 - d1) | d1 | (9 - h0) | h0 | (9 - h1) | h1 | (9 - mi0) | mi0 | (9 - mi1) | mi1) < 0 ||
		((9 - s0) | s0 | (9 - s1) | s1) < 0 ||
		fractionBad < 0 ||
		s.charCodeAt(4) !== 45 || // '-'
		s.charCodeAt(7) !== 45 ||
		s.charCodeAt(10) !== 84 || // 'T'
		s.charCodeAt(13) !== 58 || // ':'
		s.charCodeAt(16) !== 58 ||
		s.charCodeAt(len - 1) !== 90 // 'Z'
	) {
		return ISO_BAD_SHAPE;
	}
	if (!values) return 0;
	const hour = h0 * 10 + h1;
	const minute = mi0 * 10 + mi1;
	const second = s0 * 10 + s1;
	if (hour > 23 || minute > 59 || second > 59) return ISO_NOT_REAL;
	const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
	const month = mo0 * 10 + mo1;
	const day = d0 * 10 + d1;
	const dateKey = year * 10_000 + month * 100 + day;
	const slot = dateKey & 63;
	let days = dateDays[slot];
	if (dateKeys[slot] !== dateKey) {
		if (month < 1 || month > 12 || day < 1 || (day > 28 && day > daysInMonth(year, month))) return ISO_NOT_REAL;
		days = daysFromCivil(year, month, day);
		dateKeys[slot] = dateKey;
		dateDays[slot] = days;
	}
	return days * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + f0 * 100 + f1 * 10 + f2;
}

function daysInMonth(year: number, month: number): number {
	if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
	return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
	const y = month <= 2 ? year - 1 : year;
	const era = Math.floor(y / 400);
	const yoe = y - era * 400;
	const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
	const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
	return era * 146_097 + doe - 719_468;
}

/** Date digits of recently formatted days (direct-mapped by day number): result lines share a few days. */
const formatDays = new Float64Array(64).fill(Number.NaN);
const formatDigits: Uint16Array[] = [];

function civilDigits(days: number): Uint16Array {
	const z = days + 719_468;
	const era = Math.floor(z / 146_097);
	const doe = z - era * 146_097;
	const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
	const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
	const mp = Math.floor((5 * doy + 2) / 153);
	const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
	const month = mp < 10 ? mp + 3 : mp - 9;
	const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
	const d = new Uint16Array(10);
	d[0] = 48 + Math.floor(year / 1000);
	d[1] = 48 + (Math.floor(year / 100) % 10);
	d[2] = 48 + (Math.floor(year / 10) % 10);
	d[3] = 48 + (year % 10);
	d[4] = 45;
	d[5] = 48 + Math.floor(month / 10);
	d[6] = 48 + (month % 10);
	d[7] = 45;
	d[8] = 48 + Math.floor(day / 10);
	d[9] = 48 + (day % 10);
	return d;
}

/**
 * `new Date(ms).toISOString()` for years 0000–9999, several times faster (no Date object, one flat string, the
 * date part reused while consecutive calls fall on the same day). Outside that range it falls back to
 * toISOString. (Civil date: H. Hinnant's civil_from_days.)
 */
export function formatIsoUtc(ms: number): string {
	if (!(ms >= -62_167_219_200_000 && ms <= 253_402_300_799_999)) return new Date(ms).toISOString();
	const days = Math.floor(ms / 86_400_000);
	const slot = days & 63;
	if (formatDays[slot] !== days) {
		formatDigits[slot] = civilDigits(days);
		formatDays[slot] = days;
	}
	const d = formatDigits[slot];
	// 0 ≤ rest < 86,400,000: small-integer arithmetic from here (a fraction of a millisecond is dropped).
	const rest = (ms - days * 86_400_000) | 0;
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
		d[0],
		d[1],
		d[2],
		d[3],
		45,
		d[5],
		d[6],
		45,
		d[8],
		d[9],
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
