/**
 * A read-only hash table from subject key to a value, built once per index and purpose, for the gate's
 * per-contact lookup. Unlike a JS Map (whose lookups read the stored key of every entry in a bucket, a cache
 * miss each on a large index), a miss here reads one 16-bit fingerprint from a small typed array; the stored
 * key is read only when the fingerprint matches, and then compared in full, so a result is always exact.
 */
export class SubjectTable<V> {
	/** 16-bit fingerprint per slot, never 0; 0 = empty slot. Open addressing with linear probing. */
	private readonly fingerprints: Uint16Array;
	/** Entry index per slot. */
	private readonly slots: Int32Array;
	private readonly mask: number;
	private readonly keys: string[] = [];
	private readonly values: V[] = [];

	constructor(entries: Iterable<readonly [string, V]>, expectedSize: number) {
		let capacity = 16;
		// At most ~40% full: a miss ends at the first or second slot it reads.
		while (capacity < expectedSize * 2.5) capacity *= 2;
		this.fingerprints = new Uint16Array(capacity);
		this.slots = new Int32Array(capacity);
		this.mask = capacity - 1;
		for (const [key, value] of entries) this.add(key, value);
	}

	get size(): number {
		return this.keys.length;
	}

	/** The value stored for the key, or undefined. */
	get(key: string): V | undefined {
		const hash = hashKey(key);
		const fingerprint = (hash >>> 16) | 1;
		const mask = this.mask;
		const fingerprints = this.fingerprints;
		let slot = hash & mask;
		for (;;) {
			const found = fingerprints[slot];
			if (found === 0) return undefined;
			if (found === fingerprint) {
				const entry = this.slots[slot];
				if (this.keys[entry] === key) return this.values[entry];
			}
			slot = (slot + 1) & mask;
		}
	}

	private add(key: string, value: V): void {
		if (this.keys.length * 2 >= this.fingerprints.length) throw new Error('SubjectTable: more entries than expected');
		const hash = hashKey(key);
		const fingerprint = (hash >>> 16) | 1;
		let slot = hash & this.mask;
		while (this.fingerprints[slot] !== 0) {
			if (this.fingerprints[slot] === fingerprint && this.keys[this.slots[slot]] === key) {
				this.values[this.slots[slot]] = value;
				return;
			}
			slot = (slot + 1) & this.mask;
		}
		this.fingerprints[slot] = fingerprint;
		this.slots[slot] = this.keys.length;
		this.keys.push(key);
		this.values.push(value);
	}
}

/** FNV-1a over the UTF-16 code units, with a final mix so the low bits (the slot) depend on every unit. */
export function hashKey(key: string): number {
	let hash = 0x811c9dc5 | 0;
	for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
	hash ^= hash >>> 15;
	hash = Math.imul(hash, 0x2c1b3c6d);
	return hash ^ (hash >>> 12);
}
