import { TZDate } from '../time/dateFns';
import { wallClockToUtc } from '../time/instant';

export interface CalendarWeek {
	/** Local midnight of the week's first day, epoch ms. */
	start: number;
	/** The next week's start, or `asOfMs` for the current week (exclusive). */
	end: number;
	/** The first day in the zone, YYYY-MM-DD. */
	label: string;
	/** The current week, cut at as of. */
	partial: boolean;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Local midnight of a civil date in `timeZone` (date fields may overflow: day 0 is the last of the month before). */
function localMidnight(year: number, month: number, day: number, timeZone: string) {
	const civil = new Date(Date.UTC(year, month, day));
	const y = civil.getUTCFullYear();
	const m = civil.getUTCMonth();
	const d = civil.getUTCDate();
	return {
		ms: wallClockToUtc(y, m, d, 0, 0, 0, 0, timeZone) as number,
		label: `${String(y).padStart(4, '0')}-${pad(m + 1)}-${pad(d)}`,
	};
}

/**
 * The last `count` calendar weeks of `timeZone` up to as of, oldest first: each starts at local midnight of
 * `weekStartsOn` (0 Sunday … 6 Saturday), so opening the page mid-week moves no bucket; the current week ends at
 * as of. Weeks are 7 local days (168 h ± 1 h across a DST change). The zone must be valid (the node checks it).
 */
export function calendarWeeks(
	asOfMs: number,
	count: number,
	timeZone: string,
	weekStartsOn: number,
): CalendarWeek[] {
	if (count <= 0) return [];
	// The local day of the last instant counted (as of is exclusive).
	const local = new TZDate(asOfMs - 1, timeZone);
	const back = (local.getDay() - weekStartsOn + 7) % 7;
	const y = local.getFullYear();
	const m = local.getMonth();
	const firstDay = local.getDate() - back - 7 * (count - 1);
	const weeks: CalendarWeek[] = [];
	for (let k = 0; k < count; k++) {
		const start = localMidnight(y, m, firstDay + 7 * k, timeZone);
		const next = localMidnight(y, m, firstDay + 7 * (k + 1), timeZone);
		const last = k === count - 1;
		weeks.push({
			start: start.ms,
			end: last ? asOfMs : next.ms,
			label: start.label,
			partial: last && next.ms !== asOfMs,
		});
	}
	return weeks;
}
