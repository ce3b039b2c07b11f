/**
 * `new Date(ms).toISOString()` without allocating a Date: the ingest hot path formats one timestamp per row.
 * Same output for every integer instant in years 0000–9999 (test/unit/capture/isoTime.test.ts); anything
 * else is handed to Date.
 */
const MAX_MS = 253402300800000; // 10000-01-01T00:00:00.000Z
const MIN_MS = -62167219200000; // 0000-01-01T00:00:00.000Z

/** Days since 1970-01-01 to the civil date (H. Hinnant, "chrono-compatible low-level date algorithms"). */
function civil(days: number): { year: number; month: number; day: number } {
	const z = days + 719468;
	const era = Math.floor(z / 146097);
	const doe = z - era * 146097;
	const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
	const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
	const mp = Math.floor((5 * doy + 2) / 153);
	const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
	const month = mp < 10 ? mp + 3 : mp - 9;
	return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1–12). */
export function daysFromCivil(year: number, month: number, day: number): number {
	const y = month <= 2 ? year - 1 : year;
	const era = Math.floor(y / 400);
	const yoe = y - era * 400;
	const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
	const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
	return era * 146097 + doe - 719468;
}

/** Character codes of the tens and units digit of 0–99. */
const TENS = new Uint8Array(100);
const UNITS = new Uint8Array(100);
for (let i = 0; i < 100; i++) {
	TENS[i] = 48 + Math.floor(i / 10);
	UNITS[i] = 48 + (i % 10);
}

// The date part changes rarely between consecutive rows: its character codes are kept from the last call.
let cachedDays = NaN;
const datePart = new Uint8Array(11);

/**
 * Writes the 24 character codes of `new Date(ms).toISOString()` into `out` at `at` and returns true, for
 * integer instants in years 0000–9999; returns false (nothing written) for anything else.
 */
export function writeIso(ms: number, out: Uint8Array, at: number): boolean {
	if (!Number.isInteger(ms) || ms < MIN_MS || ms >= MAX_MS) return false;
	const days = Math.floor(ms / 86400000);
	if (days !== cachedDays) {
		const { year, month, day } = civil(days);
		const century = Math.floor(year / 100);
		const ofCentury = year - century * 100;
		datePart[0] = TENS[century];
		datePart[1] = UNITS[century];
		datePart[2] = TENS[ofCentury];
		datePart[3] = UNITS[ofCentury];
		datePart[4] = 45;
		datePart[5] = TENS[month];
		datePart[6] = UNITS[month];
		datePart[7] = 45;
		datePart[8] = TENS[day];
		datePart[9] = UNITS[day];
		datePart[10] = 84;
		cachedDays = days;
	}
	for (let i = 0; i < 11; i++) out[at + i] = datePart[i];
	// Milliseconds into the day fit in 32 bits: integer arithmetic from here.
	let rest = ms - days * 86400000;
	const hour = (rest / 3600000) | 0;
	rest -= hour * 3600000;
	const minute = (rest / 60000) | 0;
	rest -= minute * 60000;
	const second = (rest / 1000) | 0;
	const milli = rest - second * 1000;
	const centis = (milli / 10) | 0;
	out[at + 11] = TENS[hour];
	out[at + 12] = UNITS[hour];
	out[at + 13] = 58;
	out[at + 14] = TENS[minute];
	out[at + 15] = UNITS[minute];
	out[at + 16] = 58;
	out[at + 17] = TENS[second];
	out[at + 18] = UNITS[second];
	out[at + 19] = 46;
	out[at + 20] = TENS[centis];
	out[at + 21] = UNITS[centis];
	out[at + 22] = UNITS[milli - centis * 10];
	out[at + 23] = 90;
	return true;
}

/** The string of the 24 character codes `writeIso` wrote at `at`, made flat in one call. */
export function isoString(b: Uint8Array, at: number): string {
	return String.fromCharCode(
		b[at], b[at + 1], b[at + 2], b[at + 3], b[at + 4], b[at + 5], b[at + 6], b[at + 7],
		b[at + 8], b[at + 9], b[at + 10], b[at + 11], b[at + 12], b[at + 13], b[at + 14], b[at + 15],
		b[at + 16], b[at + 17], b[at + 18], b[at + 19], b[at + 20], b[at + 21], b[at + 22], b[at + 23],
	);
}

const scratch = new Uint8Array(24);

export function isoFromMs(ms: number): string {
	return writeIso(ms, scratch, 0) ? isoString(scratch, 0) : new Date(ms).toISOString();
}

function digit(text: string, i: number): number {
	const c = text.charCodeAt(i) - 48;
	return c >= 0 && c <= 9 ? c : -1;
}

function two(text: string, i: number): number {
	const a = digit(text, i);
	const b = digit(text, i + 1);
	return a < 0 || b < 0 ? -1 : a * 10 + b;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Epoch ms of the common, unambiguous ISO 8601 form `YYYY-MM-DDTHH:MM:SS[.f{1,3}](Z|±HH:MM)` with every
 * field in its normal range, or undefined for anything else — the caller then asks the general parser
 * (`parseInstant`), which gives the same result for every string accepted here
 * (test/unit/capture/isoTime.test.ts). Saves the regular expressions and Date.parse on the ingest hot path.
 */
export function parseIsoFast(text: string): number | undefined {
	const length = text.length;
	if (length < 20 || length > 29) return undefined;
	if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84) return undefined;
	if (text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return undefined;
	const hi = two(text, 0);
	const lo = two(text, 2);
	const month = two(text, 5);
	const day = two(text, 8);
	const hour = two(text, 11);
	const minute = two(text, 14);
	const second = two(text, 17);
	if (hi < 0 || lo < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23) return undefined;
	if (minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
	const year = hi * 100 + lo;
	const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
	if (day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1])) return undefined;
	let i = 19;
	let milli = 0;
	if (text.charCodeAt(i) === 46) {
		i++;
		let scale = 100;
		const start = i;
		while (i < length && i - start < 4) {
			const d = digit(text, i);
			if (d < 0) break;
			milli += d * scale;
			scale /= 10;
			i++;
		}
		if (i === start || i - start > 3) return undefined;
	}
	let offset = 0;
	const zone = text.charCodeAt(i);
	if (zone === 90) {
		i++;
	} else if (zone === 43 || zone === 45) {
		const oh = two(text, i + 1);
		const om = two(text, i + 4);
		if (text.charCodeAt(i + 3) !== 58 || oh < 0 || oh > 23 || om < 0 || om > 59) return undefined;
		offset = (oh * 60 + om) * 60000 * (zone === 43 ? 1 : -1);
		i += 6;
	} else {
		return undefined;
	}
	if (i !== length) return undefined;
	return daysFromCivil(year, month, day) * 86400000 + hour * 3600000 + minute * 60000 + second * 1000 + milli - offset;
}
