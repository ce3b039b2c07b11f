/**
 * At most one send per idempotency key: a contact whose key the send log already holds as sent is not
 * sent again, whatever a later step (CRM, state save) did after that send.
 */
import { idempotencyKeyText } from '../messaging/idempotency';

/**
 * The key of a contact (or send-log row) in `field`, in comparison form (trimmed, NFC; a finite number as its
 * digits), else undefined.
 */
export function idempotencyKeyIn(row: Record<string, unknown>, field: string): string | undefined {
	return field === '' ? undefined : idempotencyKeyText(row[field]);
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
