/** Largest integer a double holds exactly (2^53). */
const EXACT = 9_007_199_254_740_992;

/**
 * Viewers in result order: score (in millionths, integers) descending, then `tieBreak`, which must be a total
 * order. When the scores are integers in a range that allows it, the sort runs on one Float64Array of
 * (max − score) · 2^k + position keys — a native numeric sort, no comparator calls — and only runs of equal
 * scores go through `tieBreak`; otherwise it is one comparator sort. Both give the same order.
 */
export function orderByScore(
	viewers: number[],
	scoreMicro: Float64Array,
	tieBreak: (a: number, b: number) => number,
): number[] {
	const m = viewers.length;
	let min = Number.POSITIVE_INFINITY;
	let max = Number.NEGATIVE_INFINITY;
	let integral = true;
	for (let i = 0; i < m; i++) {
		const s = scoreMicro[viewers[i]];
		if (s < min) min = s;
		if (s > max) max = s;
		if (!Number.isInteger(s)) integral = false;
	}
	let scale = 1;
	while (scale < m) scale *= 2;
	if (m < 2 || !integral || (max - min + 1) * scale > EXACT) {
		return viewers.sort((a, b) => (scoreMicro[a] !== scoreMicro[b] ? scoreMicro[b] - scoreMicro[a] : tieBreak(a, b)));
	}
	const keys = new Float64Array(m);
	for (let i = 0; i < m; i++) keys[i] = (max - scoreMicro[viewers[i]]) * scale + i;
	keys.sort();
	const out: number[] = new Array(m);
	for (let i = 0; i < m; i++) out[i] = viewers[keys[i] % scale];
	for (let from = 0; from < m; ) {
		let to = from + 1;
		while (to < m && scoreMicro[out[to]] === scoreMicro[out[from]]) to++;
		if (to - from > 1) {
			const run = out.slice(from, to).sort(tieBreak);
			for (let k = 0; k < run.length; k++) out[from + k] = run[k];
		}
		from = to;
	}
	return out;
}
