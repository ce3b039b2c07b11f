import { createHash } from 'crypto';

/**
 * Deterministic event id: the same source record always yields the same id, so an upsert on eventId makes
 * re-runs and Meta's webhook redeliveries idempotent. Parts are joined with a separator that cannot appear
 * in them unescaped, then hashed (SHA-256, first 32 hex characters).
 */
export function deterministicEventId(parts: ReadonlyArray<string | number | undefined | null>): string {
	const joined = parts
		.map((part) => (part === undefined || part === null ? '' : String(part).replace(/[\\|]/g, '\\$&')))
		.join('|');
	return 'ev_' + createHash('sha256').update(joined).digest('hex').slice(0, 32);
}
