import { isValid, parse, TZDate } from './dateFns';
import { daysInMonth, formatIsoUtc, ISO_END_MS, ISO_NOT_REAL, parseIsoUtcMs } from './isoUtc';

/**
 * The one timestamp module of the core (docs/development.md, "Timestamps"). Every reader accepts the same
 * forms: ISO 8601 with Z or an offset; ISO date or date-time without a zone, read in the given zone (UTC
 * unless one is named); epoch seconds or milliseconds as a number or digit string (|n| < 10^11 is seconds);
 * a Date; a user date-fns pattern, read in the given zone (UTC unless one is named). The host's zone is never
 * used. Every reader refuses instants outside EARLIEST_MS … LATEST_MS, so no caller can reach a RangeError;
 * times that already happened (occurredAt, lastInboundAt, recordedAt…) are also refused after now + 1 day.
 */

/** Milliseconds in common units, for window and threshold maths. */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
const ISO_DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const ISO_LOCAL = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$/;
const DIGITS = /^-?\d+(\.\d+)?$/;

/** 2000-01-01T00:00:00.000Z: no reader accepts anything earlier (Instagram and this package are younger). */
export const EARLIEST_MS = 946_684_800_000;
export const EARLIEST_ISO = '2000-01-01T00:00:00.000Z';
/** 9999-12-31T23:59:59.999Z: the last instant with a four-digit year, so `toIso` always works. */
export const LATEST_MS = ISO_END_MS - 1;
/** How far after "now" a time that already happened may lie (clock skew between Meta, CRMs and n8n). */
export const FUTURE_TOLERANCE_MS = DAY_MS;

/** True when epoch ms is a number every reader accepts (EARLIEST_MS … LATEST_MS). */
export function inSaneRange(ms: number): boolean {
	return ms >= EARLIEST_MS && ms <= LATEST_MS;
}

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
	const ms = parseUnbounded(value, options);
	return ms !== undefined && inSaneRange(ms) ? ms : undefined;
}

/**
 * `parseInstant` with a fast path for the shape every node writes (`YYYY-MM-DDTHH:MM:SS[.f{1,3}]Z`, about 10×
 * cheaper than Date.parse): a real instant is read directly, an impossible one (30 February, hour 24…) is
 * unreadable, anything else goes through parseInstant. Same accepted forms, same range.
 */
export function parseInstantFast(value: unknown): number | undefined {
	if (typeof value === 'string') {
		const ms = parseIsoUtcMs(value);
		if (ms < ISO_NOT_REAL) return ms >= EARLIEST_MS ? ms : undefined;
		if (ms === ISO_NOT_REAL) return undefined;
	}
	return parseInstant(value);
}

export type InstantRead = { ok: true; ms: number } | { ok: false; reason: string };

export interface ReadInstantOptions extends ParseInstantOptions {
	/** "Now" for a time that already happened: anything after now + FUTURE_TOLERANCE_MS is refused. */
	happenedBy?: number;
}

/**
 * Reads one timestamp field with a reason naming the field when it is refused: unreadable, before 2000,
 * after 9999, or (with `happenedBy`) more than a day after now. Blank values are the caller's business.
 */
export function readInstant(value: unknown, field: string, options: ReadInstantOptions = {}): InstantRead {
	const ms =
		options.format === undefined && options.timeZone === undefined && typeof value === 'string'
			? fastUnbounded(value)
			: parseUnbounded(value, options);
	if (ms === undefined) return { ok: false, reason: `${field}: not a readable timestamp (${showValue(value)})` };
	if (ms < EARLIEST_MS) return { ok: false, reason: `${field}: before ${EARLIEST_ISO} (${showValue(value)})` };
	if (ms > LATEST_MS) return { ok: false, reason: `${field}: after the year 9999 (${showValue(value)})` };
	if (options.happenedBy !== undefined && ms > options.happenedBy + FUTURE_TOLERANCE_MS) {
		return { ok: false, reason: `${field}: ${toIso(ms)} is more than a day in the future` };
	}
	return { ok: true, ms };
}

function fastUnbounded(value: string): number | undefined {
	const ms = parseIsoUtcMs(value);
	if (ms < ISO_NOT_REAL) return ms;
	return ms === ISO_NOT_REAL ? undefined : parseUnbounded(value, {});
}

/** A value for an error message: strings quoted, anything long cut. */
export function showValue(value: unknown): string {
	if (value === undefined) return 'missing';
	let text: string;
	try {
		text = typeof value === 'string' ? `"${value}"` : typeof value === 'bigint' ? String(value) : String(JSON.stringify(value));
	} catch {
		text = Object.prototype.toString.call(value);
	}
	return text.length > 60 ? text.slice(0, 57) + '…' : text;
}

function parseUnbounded(value: unknown, options: ParseInstantOptions): number | undefined {
	if (value === null || value === undefined || value === '') return undefined;
	if (value instanceof Date) return isValid(value) ? value.getTime() : undefined;
	if (typeof value === 'number') return Number.isFinite(value) ? epochToMs(value) : undefined;
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	if (text === '') return undefined;
	if (options.format) return parseWithFormat(text, options.format, options.timeZone);
	if (DIGITS.test(text)) {
		const n = Number(text);
		return Number.isFinite(n) ? epochToMs(n) : undefined;
	}
	if (ISO_WITH_ZONE.test(text)) {
		// Date.parse rolls 30 February over to March: refuse days the month does not have, like every reader.
		if (Number(text.slice(8, 10)) > daysInMonth(Number(text.slice(0, 4)), Number(text.slice(5, 7)))) return undefined;
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

/** Normalises any readable timestamp (within the sane range) to UTC ISO 8601, or undefined. */
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
	// date-fns builds its result with the reference date's constructor: a UTC TZDate keeps the parsed
	// wall-clock fields in UTC (a plain Date would put them in the host's zone, gaps and all).
	const reference = new TZDate(Date.UTC(2000, 0, 1), 'UTC');
	const parsed = parse(text, format, reference);
	if (!isValid(parsed)) return undefined;
	return wallClockToUtc(
		parsed.getFullYear(),
		parsed.getMonth(),
		parsed.getDate(),
		parsed.getHours(),
		parsed.getMinutes(),
		parsed.getSeconds(),
		parsed.getMilliseconds(),
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
