import { idempotencyKeyText, laterDuplicates } from '../../../nodes/core/messaging/idempotency';
import { Gen, KEY_POOL, SEED, duplicateKeyBatch, keySpelling } from './generators';

// The comparison form of idempotency keys (issue 22, class 7): every spelling a generator produces of one key meets
// it (a miss would send twice), and different keys never meet (a false match would withhold a message).
describe(`idempotency keys compare trimmed and NFC (seed ${SEED})`, () => {
	it('every generated spelling of a key has the key itself as its comparison form', () => {
		const g = new Gen(SEED + 21);
		for (let k = 0; k < 20_000; k++) {
			const key = g.pick(KEY_POOL).normalize('NFC');
			const spelling = keySpelling(g, key);
			if (idempotencyKeyText(spelling) !== key) throw new Error(`seed ${SEED}, case ${k}: ${JSON.stringify(spelling)} does not meet ${key}`);
		}
	});

	it('different keys of the pool never meet; blank and non-text values are no key', () => {
		const forms = KEY_POOL.map((key) => idempotencyKeyText(key.normalize('NFD')));
		expect(new Set(forms).size).toBe(KEY_POOL.length);
		for (const none of ['', '   ', '\uFEFF', null, undefined, NaN, Infinity, {}, [], true]) expect(idempotencyKeyText(none)).toBeUndefined();
		expect(idempotencyKeyText('K1')).not.toBe(idempotencyKeyText('k1')); // case is kept
	});

	it('in generated batches, exactly the later items of a key are duplicates, each naming the first', () => {
		const g = new Gen(SEED + 22);
		for (let b = 0; b < 2_000; b++) {
			const batch = duplicateKeyBatch(g, 1 + g.int(20));
			const duplicates = laterDuplicates(batch.map((entry) => idempotencyKeyText(entry.value)));
			const firstOf = new Map<string, number>();
			batch.forEach((entry, i) => {
				const expected = entry.key === undefined ? undefined : firstOf.get(entry.key);
				if (entry.key !== undefined && expected === undefined) firstOf.set(entry.key, i);
				if (duplicates.get(i) !== expected) throw new Error(`seed ${SEED}, batch ${b}, item ${i}: ${JSON.stringify(batch)}`);
			});
		}
	});
});
