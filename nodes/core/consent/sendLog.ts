/**
 * At most one send per idempotency key: a contact whose key the send log already holds as sent is not
 * sent again, whatever a later step (CRM, state save) did after that send.
 */

/** The key of a contact (or send-log row) in `field`: a non-empty string or a finite number, else undefined. */
export function idempotencyKeyIn(row: Record<string, unknown>, field: string): string | undefined {
	if (field === '') return undefined;
	const value = row[field];
	if (typeof value === 'string' && value.trim() !== '') return value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

/** Positions of the contacts whose idempotency key is among the keys already sent. */
export function alreadySent(
	contacts: ReadonlyArray<Record<string, unknown>>,
	field: string,
	sentKeys: ReadonlySet<string>,
): Set<number> {
	const out = new Set<number>();
	if (sentKeys.size === 0 || field === '') return out;
	contacts.forEach((contact, index) => {
		const key = idempotencyKeyIn(contact, field);
		if (key !== undefined && sentKeys.has(key)) out.add(index);
	});
	return out;
}
