/**
 * Send order under the caps: highest score first, then the earliest last inbound message (canonical ISO
 * text, which sorts like the instant; unknown goes last), then input order.
 */
export function ahead(
	scoreA: number,
	atA: string | undefined,
	indexA: number,
	scoreB: number,
	atB: string | undefined,
	indexB: number,
): boolean {
	if (scoreA !== scoreB) return scoreA > scoreB;
	if (atA !== atB) return atB === undefined || (atA !== undefined && atA < atB);
	return indexA < indexB;
}

/**
 * The best `limit` candidates seen so far (Infinity keeps them all), each as (input index, score, last
 * inbound) in parallel arrays. With a finite limit the arrays form a binary heap with the worst kept
 * candidate on top, so a candidate that does not get in costs one comparison.
 */
export class CandidatePool {
	readonly index: number[] = [];
	readonly score: number[] = [];
	readonly at: Array<string | undefined> = [];

	constructor(private readonly limit: number) {}

	get size(): number {
		return this.index.length;
	}

	offer(i: number, score: number, at: string | undefined): void {
		const n = this.index.length;
		if (n < this.limit) {
			this.index.push(i);
			this.score.push(score);
			this.at.push(at);
			if (this.limit !== Infinity) this.siftUp(n);
		} else if (this.limit > 0 && ahead(score, at, i, this.score[0], this.at[0], this.index[0])) {
			this.index[0] = i;
			this.score[0] = score;
			this.at[0] = at;
			this.siftDown();
		}
	}

	/** Positions in the pool, best first (sorted once). */
	ranked(): Uint32Array {
		const positions = new Uint32Array(this.index.length);
		for (let k = 0; k < positions.length; k++) positions[k] = k;
		return positions.sort((a, b) => (this.ahead(a, b) ? -1 : 1));
	}

	private ahead(a: number, b: number): boolean {
		return ahead(this.score[a], this.at[a], this.index[a], this.score[b], this.at[b], this.index[b]);
	}

	private swap(a: number, b: number): void {
		const i = this.index[a];
		const s = this.score[a];
		const t = this.at[a];
		this.index[a] = this.index[b];
		this.score[a] = this.score[b];
		this.at[a] = this.at[b];
		this.index[b] = i;
		this.score[b] = s;
		this.at[b] = t;
	}

	private siftUp(k: number): void {
		while (k > 0) {
			const parent = (k - 1) >> 1;
			if (!this.ahead(parent, k)) break;
			this.swap(parent, k);
			k = parent;
		}
	}

	private siftDown(): void {
		const n = this.index.length;
		let k = 0;
		for (;;) {
			const l = 2 * k + 1;
			const r = l + 1;
			let worst = k;
			if (l < n && this.ahead(worst, l)) worst = l;
			if (r < n && this.ahead(worst, r)) worst = r;
			if (worst === k) return;
			this.swap(worst, k);
			k = worst;
		}
	}
}
