import { hash } from 'crypto';

/**
 * Deterministic event id: the same source record always yields the same id, so an upsert on eventId makes
 * re-runs and Meta's webhook redeliveries idempotent.
 *
 * Canonical input: the parts (undefined and null as empty), each with `\` and `|` escaped by a `\`, joined with
 * `|`, encoded as UTF-8 (a lone surrogate as U+FFFD, as Node encodes strings). Id: `ev_` + the first 32 hex
 * characters (128 bits) of the SHA-256 of those bytes.
 *
 * Ids need determinism and a negligible chance of accidental collision, not secrecy (nothing secret goes in;
 * pseudonyms are HMAC-SHA256 with a pepper, see capture/privacy.ts): 128 bits leave a chance of about 10^-26 of
 * one collision among 10^6 events. Node's one-shot SHA-256 costs about half a microsecond per id, nothing next to
 * n8n's per-node cost; a hand-written hash was faster but was code to keep (docs/performance.md).
 */
export function eventIdInput(parts: ReadonlyArray<string | number | undefined | null>): string {
	let joined = '';
	for (let i = 0; i < parts.length; i++) {
		const value = parts[i];
		const text = value === undefined || value === null ? '' : String(value);
		if (i > 0) joined += '|';
		joined += text.includes('|') || text.includes('\\') ? text.replace(/[\\|]/g, '\\$&') : text;
	}
	return joined;
}

export function deterministicEventId(parts: ReadonlyArray<string | number | undefined | null>): string {
	return 'ev_' + hash('sha256', eventIdInput(parts), 'hex').slice(0, 32);
}

/**
 * A 32-bit bucket for an id string, for hash indexes: for ids made here (`ev_` + 32 lower-case hex) their
 * first 32 bits, for any other string a FNV-1a hash of its UTF-16 units.
 */
export function eventIdBucket(id: string): number {
	const head = id.length === 35 && id.startsWith('ev_') ? id.slice(3, 11) : '';
	if (/^[0-9a-f]{8}$/.test(head)) return parseInt(head, 16) | 0;
	let h = 0x811c9dc5;
	for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
	return h | 0;
}
