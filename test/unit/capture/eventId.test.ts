import { createHash } from 'crypto';
import { deterministicEventId, eventIdBucket, eventIdInput } from '../../../nodes/core/events/eventId';

/**
 * The id as docs/canonical-event.md defines it, computed here on its own: parts escaped (`\` and `|` get a `\`),
 * joined with `|`, encoded to bytes by TextEncoder (WHATWG UTF-8: a lone surrogate becomes U+FFFD), SHA-256 of
 * those bytes, the first 32 hex characters.
 */
function reference(parts: ReadonlyArray<string | number | undefined | null>): string {
	const joined = parts
		.map((part) => (part === undefined || part === null ? '' : String(part).replace(/[\\|]/g, '\\$&')))
		.join('|');
	return 'ev_' + createHash('sha256').update(new TextEncoder().encode(joined)).digest('hex').slice(0, 32);
}

describe('deterministicEventId', () => {
	it('is SHA-256 truncated to 128 bits: matches the published FIPS 180-2 vectors', () => {
		// FIPS 180-2 appendix B.1 ("abc") and the empty string's well-known digest.
		expect(deterministicEventId(['abc'])).toBe('ev_' + 'ba7816bf8f01cfea414140de5dae2223');
		expect(deterministicEventId([''])).toBe('ev_' + 'e3b0c44298fc1c149afbf4c8996fb924');
		expect(deterministicEventId([])).toBe('ev_' + 'e3b0c44298fc1c149afbf4c8996fb924');
		// Two parts are joined with `|`: "a|bc".
		expect(deterministicEventId(['a', 'bc'])).toBe('ev_' + createHash('sha256').update('a|bc').digest('hex').slice(0, 32));
	});

	it('hashes the documented canonical input, escapes and non-ASCII included', () => {
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

	it('escapes only `\\` and `|` in the canonical input', () => {
		expect(eventIdInput(['a|b', 'c\\d', undefined, null, 7])).toBe('a\\|b|c\\\\d|||7');
	});

	it('is deterministic, 35 characters, and keeps parts apart', () => {
		const parts = ['csv', 'vendor', 'handle', 'alice', '1789', '2026-11-21T07:00:00.000Z', 'view'];
		const id = deterministicEventId(parts);
		expect(id).toMatch(/^ev_[0-9a-f]{32}$/);
		expect(deterministicEventId([...parts])).toBe(id);
		expect(deterministicEventId(['a|b', 'c'])).not.toBe(deterministicEventId(['a', 'b|c']));
		expect(deterministicEventId(['a\\', '|b'])).not.toBe(deterministicEventId(['a\\|', 'b']));
		expect(deterministicEventId(['ab', 'c'])).not.toBe(deterministicEventId(['a', 'bc']));
		const long = 'y'.repeat(5000);
		expect(deterministicEventId([long, 'z'])).toBe(reference([long, 'z']));
	});

	it('gives distinct ids for 100,000 distinct rows', () => {
		const seen = new Set<string>();
		for (let i = 0; i < 100_000; i++) {
			seen.add(deterministicEventId(['csv', 'bench', 'handle', `user${i}`, String(i % 7), '2026-11-21T09:00:00.000Z', 'view']));
		}
		expect(seen.size).toBe(100_000);
	});

	it('buckets an id by its first 32 bits; any other string by a stable hash', () => {
		for (const name of ['alice', 'bob', 'carol', '']) {
			const id = deterministicEventId(['items', name]);
			expect(eventIdBucket(id)).toBe(parseInt(id.slice(3, 11), 16) | 0);
		}
		expect(eventIdBucket('custom-id')).toBe(eventIdBucket('custom-id'));
		expect(eventIdBucket('custom-id')).not.toBe(eventIdBucket('custom-ie'));
		expect(eventIdBucket('ev_zz' + '0'.repeat(30))).toBe(eventIdBucket('ev_zz' + '0'.repeat(30)));
	});
});
