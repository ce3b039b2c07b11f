import { DAY_MS, MINUTE_MS, isValidTimeZone, zoneOffsetMs } from '../time/instant';
import type { QuietHours } from './model';

/** Zone offsets only change on quarter-hour UTC instants in every modern zone, so one lookup per 15 min is exact. */
const BUCKET_MS = 15 * MINUTE_MS;
/** 1970-01-01 was a Thursday. */
const EPOCH_WEEKDAY = 4;

/**
 * Local time of one IANA zone, with offsets cached per quarter hour: the only Intl/date-fns call is on a
 * cache miss (zoneOffsetMs, via @date-fns/tz). Create one per zone per run.
 */
export class ZoneClock {
	/** UTC day → the day's offset when it has no transition, or NaN when it has one (then quarter hours are used). */
	private readonly days = new Map<number, number>();
	private readonly quarters = new Map<number, number>();
	private readonly fixedOffset: number | undefined;

	constructor(readonly timeZone: string) {
		this.fixedOffset = timeZone === 'UTC' || timeZone === 'Etc/UTC' ? 0 : undefined;
	}

	/** Offset from UTC at an instant, in ms (positive east of Greenwich). */
	offset(instantMs: number): number {
		if (this.fixedOffset !== undefined) return this.fixedOffset;
		const day = Math.floor(instantMs / DAY_MS);
		let dayOffset = this.days.get(day);
		if (dayOffset === undefined) {
			// Zones change offset at most once a day: equal offsets at both ends mean none in between.
			const start = zoneOffsetMs(day * DAY_MS, this.timeZone);
			const end = zoneOffsetMs(day * DAY_MS + DAY_MS - 1, this.timeZone);
			dayOffset = start === end ? start : Number.NaN;
			this.days.set(day, dayOffset);
		}
		if (!Number.isNaN(dayOffset)) return dayOffset;
		const bucket = Math.floor(instantMs / BUCKET_MS);
		let cached = this.quarters.get(bucket);
		if (cached === undefined) {
			cached = zoneOffsetMs(bucket * BUCKET_MS, this.timeZone);
			this.quarters.set(bucket, cached);
		}
		return cached;
	}

	/** Wall-clock time (as ms on a UTC-based axis) of an instant. */
	toWall(instantMs: number): number {
		return instantMs + this.offset(instantMs);
	}

	/**
	 * Wall-clock → instant. An ambiguous fall-back time is its first occurrence (RFC 5545 §3.3.5); a time
	 * in a spring-forward gap moves to the next valid minute, i.e. the first instant after the gap.
	 */
	toInstant(wallMs: number): number {
		if (this.fixedOffset !== undefined) return wallMs - this.fixedOffset;
		const offsetBefore = this.offset(wallMs - DAY_MS);
		const first = wallMs - offsetBefore;
		if (this.offset(first) === offsetBefore) return first;
		const offsetAfter = this.offset(wallMs + DAY_MS);
		const second = wallMs - offsetAfter;
		if (this.offset(second) === offsetAfter) return second;
		// In a gap: the transition lies between `second` and `first`; find the first quarter hour after it.
		const low = Math.min(first, second);
		const high = Math.max(first, second);
		const start = Math.floor(low / BUCKET_MS) + 1;
		for (let bucket = start; bucket * BUCKET_MS <= high; bucket++) {
			if (this.offset(bucket * BUCKET_MS) === offsetAfter) return bucket * BUCKET_MS;
		}
		return first;
	}

	/** Same wall-clock time `days` calendar days later (DST-aware: 23 or 25 h across a change). */
	addCalendarDays(instantMs: number, days: number): number {
		return this.toInstant(this.toWall(instantMs) + days * DAY_MS);
	}
}

/** Cache of clocks per zone for one run; unknown zones resolve to the default zone. */
export class ZoneClocks {
	private readonly clocks = new Map<string, ZoneClock | null>();

	constructor(readonly defaultZone: ZoneClock) {}

	/** The clock for a zone, or null when the zone is unknown to this runtime. */
	get(timeZone: string): ZoneClock | null {
		let clock = this.clocks.get(timeZone);
		if (clock === undefined) {
			clock =
				timeZone === this.defaultZone.timeZone
					? this.defaultZone
					: isValidTimeZone(timeZone)
						? new ZoneClock(timeZone)
						: null;
			this.clocks.set(timeZone, clock);
		}
		return clock;
	}
}

/** When sends may happen: quiet hours and business days, both in the contact's zone. */
export interface SendingRules {
	quietHours: QuietHours | null;
	/** Bit i set = weekday i (0 = Sunday) allowed; 0x7f = every day. */
	businessDayMask: number;
}

export type BlockReason = 'quiet_hours' | 'non_business_day';

/** Why an instant is not allowed, or null when sending is allowed then. */
export function blockedReason(
	clock: ZoneClock,
	instantMs: number,
	rules: SendingRules,
): BlockReason | null {
	const wall = clock.toWall(instantMs);
	const day = Math.floor(wall / DAY_MS);
	if (rules.businessDayMask !== 0x7f && ((rules.businessDayMask >> weekday(day)) & 1) === 0)
		return 'non_business_day';
	const q = rules.quietHours;
	if (q && inQuiet(Math.floor((wall - day * DAY_MS) / MINUTE_MS), q)) return 'quiet_hours';
	return null;
}

function weekday(dayNumber: number): number {
	return (((dayNumber + EPOCH_WEEKDAY) % 7) + 7) % 7;
}

function inQuiet(minute: number, q: QuietHours): boolean {
	if (q.startMinute === q.endMinute) return false;
	return q.startMinute > q.endMinute
		? minute >= q.startMinute || minute < q.endMinute
		: minute >= q.startMinute && minute < q.endMinute;
}

export interface Deferral {
	instantMs: number;
	/** The first rule that pushed the time, or null when it was already allowed. */
	deferredBy: BlockReason | null;
}

/** The first allowed instant at or after `instantMs` (defer, never skip). */
export function nextAllowed(clock: ZoneClock, instantMs: number, rules: SendingRules): Deferral {
	let t = instantMs;
	let deferredBy: BlockReason | null = null;
	for (let guard = 0; guard < 16; guard++) {
		const reason = blockedReason(clock, t, rules);
		if (reason === null) return { instantMs: t, deferredBy };
		deferredBy = deferredBy ?? reason;
		const wall = clock.toWall(t);
		const day = Math.floor(wall / DAY_MS);
		const dayStart = rules.quietHours ? rules.quietHours.endMinute * MINUTE_MS : 0;
		let target: number;
		if (reason === 'non_business_day') {
			target = (day + 1) * DAY_MS + dayStart;
		} else {
			const q = rules.quietHours as QuietHours;
			const minute = Math.floor((wall - day * DAY_MS) / MINUTE_MS);
			const nextDay = q.startMinute > q.endMinute && minute >= q.startMinute;
			target = (nextDay ? day + 1 : day) * DAY_MS + q.endMinute * MINUTE_MS;
		}
		const next = clock.toInstant(target);
		t = next > t ? next : t + MINUTE_MS;
	}
	return { instantMs: t, deferredBy };
}

/** The last allowed instant at or before `instantMs`, or undefined if none within a fortnight. */
export function latestAllowed(
	clock: ZoneClock,
	instantMs: number,
	rules: SendingRules,
): number | undefined {
	let t = instantMs;
	for (let guard = 0; guard < 32; guard++) {
		const reason = blockedReason(clock, t, rules);
		if (reason === null) return t;
		const wall = clock.toWall(t);
		const day = Math.floor(wall / DAY_MS);
		let target: number;
		if (reason === 'non_business_day') {
			target = day * DAY_MS - MINUTE_MS;
		} else {
			const q = rules.quietHours as QuietHours;
			const minute = Math.floor((wall - day * DAY_MS) / MINUTE_MS);
			const quietBegan = minute >= q.startMinute ? day : day - 1;
			target = quietBegan * DAY_MS + q.startMinute * MINUTE_MS - MINUTE_MS;
		}
		const previous = clock.toInstant(target);
		t = previous < t ? previous : t - MINUTE_MS;
	}
	return undefined;
}

/** Weekday mask from a list of weekdays (0 = Sunday); empty or absent = every day. */
export function businessDayMask(days: readonly number[] | null | undefined): number {
	if (!days || days.length === 0) return 0x7f;
	let mask = 0;
	for (const d of days) if (Number.isInteger(d) && d >= 0 && d <= 6) mask |= 1 << d;
	return mask === 0 ? 0x7f : mask;
}
