/**
 * Deterministic event id: the same source record always yields the same id, so an upsert on eventId makes
 * re-runs and Meta's webhook redeliveries idempotent.
 *
 * Canonical input: the parts, each with `\` and `|` escaped by a `\`, joined with `|`, encoded as UTF-8
 * (a lone surrogate as U+FFFD). Id: `ev_` + MurmurHash3 x86 128-bit (seed 0) of those bytes, as 32 hex
 * characters (h1 h2 h3 h4, each 8 digits, most significant first — the usual JavaScript/Swift rendering).
 *
 * Ids need determinism and a negligible chance of accidental collision, not secrecy (nothing secret goes
 * in; pseudonyms are HMAC-SHA256 with a pepper, see capture/privacy.ts): 128 bits leave a chance of about
 * 10^-26 of one collision among 10^6 events. A cryptographic hash cost ~1 µs per row on the ingest hot path;
 * this one, in plain JavaScript over a reused byte buffer, costs well under a tenth of that.
 */

const C1 = 0x239b961b;
const C2 = 0xab0e9789;
const C3 = 0x38b34ae5;
const C4 = 0xa1e38b93;

/** Character codes of 0-9a-f. */
const HEX = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102];

function rotl(x: number, r: number): number {
	return (x << r) | (x >>> (32 - r));
}

function fmix(h: number): number {
	h ^= h >>> 16;
	h = Math.imul(h, 0x85ebca6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2b2ae35);
	return h ^ (h >>> 16);
}

/** `ev_` + 32 hex digits of four 32-bit words, built flat in one call (no string concatenation tree). */
function render(a: number, b: number, c: number, d: number): string {
	const H = HEX;
	return String.fromCharCode(
		101, 118, 95,
		H[a >>> 28], H[(a >>> 24) & 15], H[(a >>> 20) & 15], H[(a >>> 16) & 15],
		H[(a >>> 12) & 15], H[(a >>> 8) & 15], H[(a >>> 4) & 15], H[a & 15],
		H[b >>> 28], H[(b >>> 24) & 15], H[(b >>> 20) & 15], H[(b >>> 16) & 15],
		H[(b >>> 12) & 15], H[(b >>> 8) & 15], H[(b >>> 4) & 15], H[b & 15],
		H[c >>> 28], H[(c >>> 24) & 15], H[(c >>> 20) & 15], H[(c >>> 16) & 15],
		H[(c >>> 12) & 15], H[(c >>> 8) & 15], H[(c >>> 4) & 15], H[c & 15],
		H[d >>> 28], H[(d >>> 24) & 15], H[(d >>> 20) & 15], H[(d >>> 16) & 15],
		H[(d >>> 12) & 15], H[(d >>> 8) & 15], H[(d >>> 4) & 15], H[d & 15],
	);
}

/** Whether this platform stores 32-bit words little-endian (then block words are read through a word view). */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Builds ids part by part into a reused byte buffer: `start()`, `part()` for each part in order, `finish()`.
 * `mark()` after leading parts that never change (source, tool) lets `restart()` reuse their bytes.
 * After `finish()`, `bucket` holds the id's first 32 bits (what `eventIdBucket` reads back from the string),
 * so a de-duplication index need not hash the id string again.
 */
export class EventIdHasher {
	private buf = new Uint8Array(256);
	private words = new Int32Array(this.buf.buffer);
	private n = 0;
	private parts = 0;
	private markedN = 0;
	private markedParts = 0;
	bucket = 0;

	start(): void {
		this.n = 0;
		this.parts = 0;
		this.markedN = 0;
		this.markedParts = 0;
	}

	/** Remembers the parts so far as a fixed prefix for `restart()`. */
	mark(): void {
		this.markedN = this.n;
		this.markedParts = this.parts;
	}

	/** Starts a new id that begins with the marked prefix. */
	restart(): void {
		this.n = this.markedN;
		this.parts = this.markedParts;
	}

	/** Appends one part (undefined and null count as empty), escaped, after a `|` unless it is the first. */
	part(value: string | number | undefined | null): void {
		const text = value === undefined || value === null ? '' : typeof value === 'string' ? value : String(value);
		const length = text.length;
		// Worst case: 3 bytes per UTF-16 unit (a surrogate pair is 4 bytes for 2 units), plus the separator.
		if (this.n + length * 3 + 1 > this.buf.length) this.grow(this.n + length * 3 + 1);
		const buf = this.buf;
		let n = this.n;
		if (this.parts++ > 0) buf[n++] = 124;
		let i = 0;
		for (; i < length; i++) {
			const c = text.charCodeAt(i);
			if (c >= 0x80) break;
			if (c === 124 || c === 92) buf[n++] = 92;
			buf[n++] = c;
		}
		this.n = i < length ? this.encodeRest(text, i, n) : n;
	}

	/**
	 * Appends a part given as bytes that need no escaping (ASCII without `\` and `|`), e.g. the character
	 * codes `writeIsoUtc` produced: the same bytes `part()` would write for that text.
	 */
	partBytes(bytes: Uint8Array, from: number, length: number): void {
		if (this.n + length + 1 > this.buf.length) this.grow(this.n + length + 1);
		const buf = this.buf;
		let n = this.n;
		if (this.parts++ > 0) buf[n++] = 124;
		for (let i = 0; i < length; i++) buf[n++] = bytes[from + i];
		this.n = n;
	}

	/** UTF-8 of text[i…] from the first non-ASCII unit on. */
	private encodeRest(text: string, from: number, at: number): number {
		const buf = this.buf;
		const length = text.length;
		let n = at;
		for (let i = from; i < length; i++) {
			const c = text.charCodeAt(i);
			if (c < 0x80) {
				if (c === 124 || c === 92) buf[n++] = 92;
				buf[n++] = c;
			} else if (c < 0x800) {
				buf[n++] = 0xc0 | (c >> 6);
				buf[n++] = 0x80 | (c & 63);
			} else if (c < 0xd800 || c > 0xdfff) {
				buf[n++] = 0xe0 | (c >> 12);
				buf[n++] = 0x80 | ((c >> 6) & 63);
				buf[n++] = 0x80 | (c & 63);
			} else {
				const low = i + 1 < length ? text.charCodeAt(i + 1) : 0;
				if (c <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) {
					const cp = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
					buf[n++] = 0xf0 | (cp >> 18);
					buf[n++] = 0x80 | ((cp >> 12) & 63);
					buf[n++] = 0x80 | ((cp >> 6) & 63);
					buf[n++] = 0x80 | (cp & 63);
					i++;
				} else {
					// A lone surrogate is encoded as U+FFFD, as TextEncoder and Buffer do.
					buf[n++] = 0xef;
					buf[n++] = 0xbf;
					buf[n++] = 0xbd;
				}
			}
		}
		return n;
	}

	/** Little-endian 32-bit word at byte offset `i` (a multiple of 4). */
	private word(i: number): number {
		if (LITTLE_ENDIAN) return this.words[i >> 2];
		const buf = this.buf;
		return buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24);
	}

	/** MurmurHash3 x86 128-bit (seed 0) of the bytes so far, rendered as the id. */
	finish(): string {
		const buf = this.buf;
		const len = this.n;
		let h1 = 0;
		let h2 = 0;
		let h3 = 0;
		let h4 = 0;
		const blocks = len & ~15;
		for (let i = 0; i < blocks; i += 16) {
			let k1 = this.word(i);
			let k2 = this.word(i + 4);
			let k3 = this.word(i + 8);
			let k4 = this.word(i + 12);

			k1 = Math.imul(rotl(Math.imul(k1, C1), 15), C2);
			h1 ^= k1;
			h1 = (Math.imul(rotl(h1, 19) + h2, 5) + 0x561ccd1b) | 0;
			k2 = Math.imul(rotl(Math.imul(k2, C2), 16), C3);
			h2 ^= k2;
			h2 = (Math.imul(rotl(h2, 17) + h3, 5) + 0x0bcaa747) | 0;
			k3 = Math.imul(rotl(Math.imul(k3, C3), 17), C4);
			h3 ^= k3;
			h3 = (Math.imul(rotl(h3, 15) + h4, 5) + 0x96cd1c35) | 0;
			k4 = Math.imul(rotl(Math.imul(k4, C4), 18), C1);
			h4 ^= k4;
			h4 = (Math.imul(rotl(h4, 13) + h1, 5) + 0x32ac3b17) | 0;
		}
		const tail = len & 15;
		if (tail > 0) {
			let k1 = 0;
			let k2 = 0;
			let k3 = 0;
			let k4 = 0;
			for (let j = tail - 1; j >= 0; j--) {
				const byte = buf[blocks + j];
				if (j >= 12) k4 = (k4 << 8) | byte;
				else if (j >= 8) k3 = (k3 << 8) | byte;
				else if (j >= 4) k2 = (k2 << 8) | byte;
				else k1 = (k1 << 8) | byte;
			}
			if (tail > 12) h4 ^= Math.imul(rotl(Math.imul(k4, C4), 18), C1);
			if (tail > 8) h3 ^= Math.imul(rotl(Math.imul(k3, C3), 17), C4);
			if (tail > 4) h2 ^= Math.imul(rotl(Math.imul(k2, C2), 16), C3);
			h1 ^= Math.imul(rotl(Math.imul(k1, C1), 15), C2);
		}
		h1 ^= len;
		h2 ^= len;
		h3 ^= len;
		h4 ^= len;
		h1 = (h1 + h2 + h3 + h4) | 0;
		h2 = (h2 + h1) | 0;
		h3 = (h3 + h1) | 0;
		h4 = (h4 + h1) | 0;
		h1 = fmix(h1);
		h2 = fmix(h2);
		h3 = fmix(h3);
		h4 = fmix(h4);
		h1 = (h1 + h2 + h3 + h4) | 0;
		h2 = (h2 + h1) | 0;
		h3 = (h3 + h1) | 0;
		h4 = (h4 + h1) | 0;
		this.bucket = h1;
		return render(h1, h2, h3, h4);
	}

	private grow(needed: number): void {
		let size = this.buf.length * 2;
		while (size < needed) size *= 2;
		const next = new Uint8Array(size);
		next.set(this.buf.subarray(0, this.n));
		this.buf = next;
		this.words = new Int32Array(next.buffer);
	}
}

const shared = new EventIdHasher();

export function deterministicEventId(parts: ReadonlyArray<string | number | undefined | null>): string {
	shared.start();
	for (let i = 0; i < parts.length; i++) shared.part(parts[i]);
	return shared.finish();
}

function hexDigit(c: number): number {
	if (c >= 48 && c <= 57) return c - 48;
	if (c >= 97 && c <= 102) return c - 87;
	return -1;
}

/**
 * A 32-bit bucket for an id string, for hash indexes: for ids made here (`ev_` + 32 lower-case hex) their
 * first 32 bits (equal to `EventIdHasher#bucket`), for any other string a FNV-1a hash of its UTF-16 units.
 */
export function eventIdBucket(id: string): number {
	if (id.length === 35 && id.charCodeAt(0) === 101 && id.charCodeAt(1) === 118 && id.charCodeAt(2) === 95) {
		let value = 0;
		let ok = true;
		for (let i = 3; i < 11; i++) {
			const digit = hexDigit(id.charCodeAt(i));
			if (digit < 0) {
				ok = false;
				break;
			}
			value = (value << 4) | digit;
		}
		if (ok) return value | 0;
	}
	let h = 0x811c9dc5;
	for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
	return h | 0;
}
