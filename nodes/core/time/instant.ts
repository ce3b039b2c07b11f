import { isValid, parse, TZDate } from './dateFns';
import { formatIsoUtc } from './isoUtc';

/** Milliseconds in common units, for window and threshold maths. */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
const ISO_DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const ISO_LOCAL = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$/;
const DIGITS = /^-?\d+(\.\d+)?$/;

/** Epoch numbers below this are read as seconds, above as milliseconds (10^11 s is the year 5138). */
const EPOCH_SECONDS_LIMIT = 1e11;

export interface ParseInstantOptions {
	/** IANA zone for timestamps that carry no offset (default UTC). */
	timeZone?: string;
	/** date-fns format string, e.g. `dd/MM/yyyy HH:mm`, read in `timeZone`. */
	format?: string;
}

/**
 * Reads a point in time from an ISO 8601 string, epoch seconds or milliseconds (number or digits),
 * a Date, or a string in a user-given format; returns epoch milliseconds, or undefined when unreadable.
 */
export function parseInstant(value: unknown, options: ParseInstantOptions = {}): number | undefined {
	if (value === null || value === undefined || value === '') return undefined;
	if (value instanceof Date) return isValid(value) ? value.getTime() : undefined;
	if (typeof value === 'number') return Number.isFinite(value) ? epochToMs(value) : undefined;
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	if (text === '') return undefined;
	if (options.format) return parseWithFormat(text, options.format, options.timeZone);
	if (DIGITS.test(text)) return epochToMs(Number(text));
	if (ISO_WITH_ZONE.test(text)) {
		const ms = Date.parse(text);
		return Number.isNaN(ms) ? undefined : ms;
	}
	if (ISO_DATE_ONLY.test(text) || ISO_LOCAL.test(text)) {
		return localToUtc(text.replace(' ', 'T'), options.timeZone ?? 'UTC');
	}
	return undefined;
}

/** ISO 8601 in UTC with milliseconds, the one format every node writes (`new Date(ms).toISOString()`). */
export function toIso(ms: number): string {
	return formatIsoUtc(ms);
}

/** Normalises any readable timestamp to UTC ISO 8601, or undefined. */
export function toUtcIso(value: unknown, options?: ParseInstantOptions): string | undefined {
	const ms = parseInstant(value, options);
	return ms === undefined ? undefined : toIso(ms);
}

/** True when the zone is an IANA zone this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
	if (!timeZone) return false;
	try {
		new Intl.DateTimeFormat('en-US', { timeZone }).format(0);
		return true;
	} catch {
		return false;
	}
}

/** Epoch seconds or milliseconds (told apart by magnitude) → epoch ms. */
export function epochToMs(n: number): number {
	return Math.abs(n) < EPOCH_SECONDS_LIMIT ? Math.round(n * 1000) : Math.round(n);
}

function parseWithFormat(text: string, format: string, timeZone = 'UTC'): number | undefined {
	// Parse the wall-clock fields as if UTC, then re-read them in the wanted zone.
	const reference = new Date(Date.UTC(2000, 0, 1));
	const parsed = parse(text, format, reference);
	if (!isValid(parsed)) return undefined;
	const wall = new Date(parsed.getTime() - parsed.getTimezoneOffset() * 60_000);
	return wallClockToUtc(
		wall.getUTCFullYear(),
		wall.getUTCMonth(),
		wall.getUTCDate(),
		wall.getUTCHours(),
		wall.getUTCMinutes(),
		wall.getUTCSeconds(),
		wall.getUTCMilliseconds(),
		timeZone,
	);
}

function localToUtc(text: string, timeZone: string): number | undefined {
	const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?$/.exec(text);
	if (!match) return undefined;
	const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0'] = match;
	const ms = Math.round(Number(`0.${frac}`) * 1000);
	return wallClockToUtc(+y, +mo - 1, +d, +h, +mi, +s, ms, timeZone);
}

/**
 * Wall-clock time in a zone → epoch ms. A time inside a spring-forward gap is read with the offset before
 * the gap (RFC 5545 §3.3.5), an ambiguous fall-back time as its first occurrence.
 */
export function wallClockToUtc(
	year: number,
	month: number,
	day: number,
	hour: number,
	minute: number,
	second: number,
	ms: number,
	timeZone: string,
): number | undefined {
	if (!isValidTimeZone(timeZone)) return undefined;
	const asUtc = Date.UTC(year, month, day, hour, minute, second, ms);
	const check = new Date(asUtc);
	if (check.getUTCMonth() !== month || check.getUTCDate() !== day) return undefined;
	if (timeZone === 'UTC') return asUtc;
	// Offset before the wall time (one day earlier is safely before any transition near it).
	const offsetBefore = zoneOffsetMs(asUtc - DAY_MS, timeZone);
	const offsetAfter = zoneOffsetMs(asUtc + DAY_MS, timeZone);
	const candidateFirst = asUtc - offsetBefore;
	if (zoneOffsetMs(candidateFirst, timeZone) === offsetBefore) return candidateFirst;
	const candidateSecond = asUtc - offsetAfter;
	if (zoneOffsetMs(candidateSecond, timeZone) === offsetAfter) return candidateSecond;
	return candidateFirst;
}

/** Offset of a zone from UTC at an instant, in ms (positive east of Greenwich). */
export function zoneOffsetMs(instantMs: number, timeZone: string): number {
	const zoned = new TZDate(instantMs, timeZone);
	return -zoned.getTimezoneOffset() * 60_000;
}
