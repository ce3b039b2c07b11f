/**
 * Idempotency keys: at most one send per key. Two spellings of one key must compare equal, or a duplicate
 * slips through (fails open). The comparison form is the key trimmed (white space, including a BOM) and in
 * Unicode NFC, so "k1", " k1 ", an NFD spelling of "é" and the number 42 vs "42" all meet. Case is kept:
 * keys carry case-sensitive ids (pseudonyms, base64), and no writer of ours changes a key's case.
 */

/** The comparison form of an idempotency key, or undefined when there is none (blank, not text or number). */
export function idempotencyKeyText(value: unknown): string | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
	if (typeof value !== 'string') return undefined;
	const key = value.trim().normalize('NFC');
	return key === '' ? undefined : key;
}

/**
 * Later occurrences of a key in one batch: position → position of the first item with the same key.
 * Positions without a key (undefined) never count as duplicates.
 */
export function laterDuplicates(keys: ReadonlyArray<string | undefined>): Map<number, number> {
	const first = new Map<string, number>();
	const duplicates = new Map<number, number>();
	keys.forEach((key, position) => {
		if (key === undefined) return;
		const earlier = first.get(key);
		if (earlier === undefined) first.set(key, position);
		else duplicates.set(position, earlier);
	});
	return duplicates;
}
