import { orderByScore } from '../../../nodes/core/segment/order';
import { rng } from './helpers';

/** The reference: one comparator sort, score descending, then the tie-break. */
function reference(viewers: number[], score: Float64Array, tieBreak: (a: number, b: number) => number): number[] {
	return viewers.slice().sort((a, b) => (score[a] !== score[b] ? score[b] - score[a] : tieBreak(a, b)));
}

describe('orderByScore', () => {
	const rand = rng(23);
	const n = 5000;
	const lastTs = Float64Array.from({ length: n }, () => Math.floor(rand() * 50));
	// Ties on lastTs too, settled by the viewer number: a total order, like key then key type.
	const tieBreak = (a: number, b: number) => (lastTs[a] !== lastTs[b] ? lastTs[b] - lastTs[a] : a - b);
	const viewers = Array.from({ length: n }, (_, v) => v).filter((v) => v % 7 !== 3);

	it.each([
		['integer scores with many ties (typed-array path)', () => Math.floor(rand() * 40) * 1_000_000],
		['integer scores, all distinct-ish, negative ones included', () => Math.floor((rand() - 0.3) * 1e12)],
		['fractional scores (comparator path)', () => rand() * 100],
		['a range too wide for packed keys (comparator path)', () => Math.floor(rand() * 2) * 2 ** 50],
		['every score equal', () => 5_000_000],
	])('gives the comparator order for %s', (_label, draw) => {
		const score = Float64Array.from({ length: n }, draw);
		expect(orderByScore(viewers.slice(), score, tieBreak)).toEqual(reference(viewers, score, tieBreak));
	});

	it('handles zero and one viewer', () => {
		const score = new Float64Array([3]);
		expect(orderByScore([], score, tieBreak)).toEqual([]);
		expect(orderByScore([0], score, tieBreak)).toEqual([0]);
	});
});
