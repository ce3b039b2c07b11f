import { EventIdHasher, deterministicEventId, eventIdBucket } from '../../../nodes/core/events/eventId';

/**
 * Reference MurmurHash3 x86 128-bit, written straight from the C original over a byte array: the fast
 * streaming implementation must give exactly its output.
 */
function murmur3x86128(bytes: Uint8Array): string {
	const rotl = (x: number, r: number) => (x << r) | (x >>> (32 - r));
	const fmix = (h: number) => {
		h ^= h >>> 16;
		h = Math.imul(h, 0x85ebca6b);
		h ^= h >>> 13;
		h = Math.imul(h, 0xc2b2ae35);
		return h ^ (h >>> 16);
	};
	const c = [0x239b961b, 0xab0e9789, 0x38b34ae5, 0xa1e38b93];
	const h = [0, 0, 0, 0];
	const word = (at: number) => bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24);
	const mixK = (k: number, lane: number) =>
		Math.imul(rotl(Math.imul(k, c[lane]), [15, 16, 17, 18][lane]), c[(lane + 1) % 4]);
	const nblocks = Math.floor(bytes.length / 16);
	for (let b = 0; b < nblocks; b++) {
		for (let lane = 0; lane < 4; lane++) {
			h[lane] ^= mixK(word(b * 16 + lane * 4), lane);
			const r = [19, 17, 15, 13][lane];
			const add = [0x561ccd1b, 0x0bcaa747, 0x96cd1c35, 0x32ac3b17][lane];
			h[lane] = (Math.imul(rotl(h[lane], r) + h[(lane + 1) % 4], 5) + add) | 0;
		}
	}
	const tail = bytes.length & 15;
	const k = [0, 0, 0, 0];
	for (let j = 0; j < tail; j++) k[j >> 2] ^= bytes[nblocks * 16 + j] << ((j & 3) * 8);
	for (let lane = 3; lane >= 0; lane--) if (tail > lane * 4) h[lane] ^= mixK(k[lane], lane);
	for (let lane = 0; lane < 4; lane++) h[lane] ^= bytes.length;
	const mixAll = () => {
		h[0] = (h[0] + h[1] + h[2] + h[3]) | 0;
		for (let lane = 1; lane < 4; lane++) h[lane] = (h[lane] + h[0]) | 0;
	};
	mixAll();
	for (let lane = 0; lane < 4; lane++) h[lane] = fmix(h[lane]);
	mixAll();
	return h.map((x) => (x >>> 0).toString(16).padStart(8, '0')).join('');
}

/** The canonical input as documented: parts escaped (`\` and `|` get a `\`), joined with `|`, UTF-8. */
function reference(parts: ReadonlyArray<string | number | undefined | null>): string {
	const joined = parts
		.map((part) => (part === undefined || part === null ? '' : String(part).replace(/[\\|]/g, '\\$&')))
		.join('|');
	return 'ev_' + murmur3x86128(new TextEncoder().encode(joined));
}

describe('deterministicEventId', () => {
	it('is MurmurHash3 x86 128-bit: matches published test vectors (seed 0, UTF-8)', () => {
		const vectors: Array<[string, string]> = [
			['', '00000000000000000000000000000000'],
			['H', 'f69feb5df45637a0f45637a0f45637a0'],
			['Hello World!', '6bee9883eb1be4f59dfb7172ae3fbea9'],
			['Hello World! Hello World! Hello Wor', '39ac02d0185658e57e1daf6b7b1ccf52'],
			['Hello World! Hello World! Hello World', '1c95a3f7906f972c94ce43d912a4eebc'],
			['メロス', 'dcfa2df52a3c5ab9d74d6d304e537d23'],
		];
		for (const [text, hex] of vectors) {
			expect(murmur3x86128(new TextEncoder().encode(text))).toBe(hex);
			expect(deterministicEventId([text])).toBe('ev_' + hex);
		}
	});

	it('hashes the documented canonical input, escapes and every tail length included', () => {
		const cases: Array<Array<string | number | undefined | null>> = [
			[],
			[''],
			['webhook', 'story_reply', 'aWdf'],
			['a|b', 'c'],
			['a', 'b|c'],
			['a\\', '|b'],
			['\\|\\|', undefined, null, 0, 1.5, -3],
			['csv', 'tool', 'handle', 'alice', undefined, '2026-01-01T00:00:00.000Z', 'view'],
			['ünïcödé', 'Ελληνικά', '中文', '😀 emoji', 'lone \ud800 high', 'lone \udc00 low', 'end \ud83d'],
		];
		for (let length = 0; length < 70; length++) cases.push(['x'.repeat(length)], ['é'.repeat(length), String(length)]);
		for (const parts of cases) expect(deterministicEventId(parts)).toBe(reference(parts));
	});

	it('is deterministic, 35 characters, and keeps parts apart', () => {
		const parts = ['csv', 'vendor', 'handle', 'alice', '1789', '2026-11-21T07:00:00.000Z', 'view'];
		const id = deterministicEventId(parts);
		expect(id).toMatch(/^ev_[0-9a-f]{32}$/);
		expect(deterministicEventId([...parts])).toBe(id);
		expect(deterministicEventId(['a|b', 'c'])).not.toBe(deterministicEventId(['a', 'b|c']));
		expect(deterministicEventId(['a\\', '|b'])).not.toBe(deterministicEventId(['a\\|', 'b']));
		expect(deterministicEventId(['ab', 'c'])).not.toBe(deterministicEventId(['a', 'bc']));
		// A long part grows the reused buffer without changing anything.
		const long = 'y'.repeat(5000);
		expect(deterministicEventId([long, 'z'])).toBe(reference([long, 'z']));
		expect(deterministicEventId(parts)).toBe(id);
	});

	it('gives distinct ids for 100,000 distinct rows', () => {
		const seen = new Set<string>();
		for (let i = 0; i < 100_000; i++) {
			seen.add(deterministicEventId(['csv', 'bench', 'handle', `user${i}`, String(i % 7), '2026-11-21T09:00:00.000Z', 'view']));
		}
		expect(seen.size).toBe(100_000);
	});

	it('exposes the first 32 bits as the bucket, the same as eventIdBucket reads back from the id', () => {
		const hasher = new EventIdHasher();
		for (const name of ['alice', 'bob', 'carol', '']) {
			hasher.start();
			hasher.part('items');
			hasher.part(name);
			const id = hasher.finish();
			expect(id).toBe(deterministicEventId(['items', name]));
			expect(hasher.bucket).toBe(eventIdBucket(id));
			expect(hasher.bucket).toBe(parseInt(id.slice(3, 11), 16) | 0);
		}
		// Other strings still get a stable bucket.
		expect(eventIdBucket('custom-id')).toBe(eventIdBucket('custom-id'));
		expect(eventIdBucket('ev_zz' + '0'.repeat(30))).toBe(eventIdBucket('ev_zz' + '0'.repeat(30)));
	});
});
