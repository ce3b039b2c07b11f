/**
 * `new Date(ms).toISOString()` without allocating a Date: the ingest hot path formats one timestamp per row.
 * Same output for every integer instant in years 0000–9999 (test/unit/capture/isoTime.test.ts); anything
 * else is handed to Date.
 */
const MAX_MS = 253402300800000; // 10000-01-01T00:00:00.000Z
const MIN_MS = -62167219200000; // 0000-01-01T00:00:00.000Z

function pad2(n: number): string {
	return n < 10 ? '0' + n : '' + n;
}

function pad3(n: number): string {
	return n < 10 ? '00' + n : n < 100 ? '0' + n : '' + n;
}

function pad4(n: number): string {
	return n < 10 ? '000' + n : n < 100 ? '00' + n : n < 1000 ? '0' + n : '' + n;
}

export function isoFromMs(ms: number): string {
	if (!Number.isInteger(ms) || ms < MIN_MS || ms >= MAX_MS) return new Date(ms).toISOString();
	const days = Math.floor(ms / 86400000);
	let rest = ms - days * 86400000;
	const hour = Math.floor(rest / 3600000);
	rest -= hour * 3600000;
	const minute = Math.floor(rest / 60000);
	rest -= minute * 60000;
	const second = Math.floor(rest / 1000);
	const milli = rest - second * 1000;
	// Civil date from days since 1970-01-01 (H. Hinnant, "chrono-compatible low-level date algorithms").
	const z = days + 719468;
	const era = Math.floor(z / 146097);
	const doe = z - era * 146097;
	const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
	const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
	const mp = Math.floor((5 * doy + 2) / 153);
	const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
	const month = mp < 10 ? mp + 3 : mp - 9;
	const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
	return `${pad4(year)}-${pad2(month)}-${pad2(day)}T${pad2(hour)}:${pad2(minute)}:${pad2(second)}.${pad3(milli)}Z`;
}
