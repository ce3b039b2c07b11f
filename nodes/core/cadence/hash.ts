/**
 * Small, fast, deterministic hashes for per-contact choices (jitter, range delays, A/B variants).
 * FNV-1a over UTF-16 code units, then a murmur-style finaliser; not for security.
 */
export function hashString(text: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return mix(h);
}

/** Derives an independent 32-bit value from a base hash and a salt (step number, purpose). */
export function mixHash(base: number, salt: number): number {
	return mix((base ^ Math.imul(salt + 1, 0x9e3779b1)) >>> 0);
}

function mix(value: number): number {
	let h = value;
	h ^= h >>> 16;
	h = Math.imul(h, 0x85ebca6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2b2ae35);
	h ^= h >>> 16;
	return h >>> 0;
}

/** Salts that keep the per-purpose draws independent of each other. */
export const SALT = { jitter: 1, range: 2, variant: 3 } as const;
