/**
 * The batch's de-duplication index: event id → position of the kept event. An open-addressing table in one
 * Int32Array of (the id's 32-bit bucket, position + 1) pairs — one cache line per probe — with equality
 * decided by the id string itself (`idAt(position) === id`), so two ids are merged exactly when they are
 * the same string.
 *
 * Why not a `Map<string, number>`: at a million entries a Map's entry table is a huge old-space array full
 * of pointers to young strings, which every scavenge has to revisit; it cost more than the rest of a row's
 * processing together. This array holds no pointers, and the bucket comes for free from the id hash.
 * Memory: 8 bytes per slot, at most 2 slots per event (≈16 MB of array buffers per million events).
 */
export class IdIndex {
	/** slot i: [2i] = bucket, [2i + 1] = position + 1 (0 = empty). */
	private table = new Int32Array(2048);
	private mask = 1023;
	private size = 0;

	constructor(private readonly idAt: (position: number) => string) {}

	/** Sizes the table for `count` ids up front, so it need not grow (and re-place every id) on the way. */
	reserve(count: number): void {
		let slots = this.mask + 1;
		while (slots < count * 2 && slots < 1 << 28) slots *= 2;
		if (slots > this.mask + 1) this.resize(slots);
	}

	/**
	 * Position of the event with this id, or -1 after recording `position` for it (one probe sequence for
	 * both). `bucket` must be `eventIdBucket(id)`.
	 */
	findOrInsert(bucket: number, id: string, position: number): number {
		if ((this.size + 1) * 2 > this.mask + 1) this.grow();
		const table = this.table;
		const mask = this.mask;
		let slot = bucket & mask;
		for (;;) {
			const stored = table[2 * slot + 1];
			if (stored === 0) break;
			if (table[2 * slot] === bucket && this.idAt(stored - 1) === id) return stored - 1;
			slot = (slot + 1) & mask;
		}
		table[2 * slot] = bucket;
		table[2 * slot + 1] = position + 1;
		this.size++;
		return -1;
	}

	private place(table: Int32Array, mask: number, bucket: number, stored: number): void {
		let slot = bucket & mask;
		while (table[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
		table[2 * slot] = bucket;
		table[2 * slot + 1] = stored;
	}

	private grow(): void {
		this.resize((this.mask + 1) * 2);
	}

	private resize(slots: number): void {
		const old = this.table;
		const table = new Int32Array(slots * 2);
		const mask = slots - 1;
		for (let i = 1; i < old.length; i += 2) {
			if (old[i] !== 0) this.place(table, mask, old[i - 1], old[i]);
		}
		this.table = table;
		this.mask = mask;
	}
}
