import {
	EVENT_SOURCES,
	EVENT_TYPES,
	KEYWORD_FAMILIES,
	VIEWER_KEY_TYPES,
	hasNullOptionalField,
	validateEvent,
	type CanonicalEvent,
} from '../events/schema';

/**
 * The hot-path twin of `canonicalEventSchema` (zod stays the source of truth): it accepts and rejects exactly
 * what `canonicalEventSchema.safeParse` does — test/unit/capture/validate.test.ts checks that on thousands of
 * generated inputs — but costs a few comparisons instead of a zod parse per row. When it rejects, the caller
 * asks zod for the reason, so messages always come from the schema.
 */
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const TYPES: ReadonlySet<unknown> = new Set(EVENT_TYPES);
const SOURCES: ReadonlySet<unknown> = new Set(EVENT_SOURCES);
const KEY_TYPES: ReadonlySet<unknown> = new Set(VIEWER_KEY_TYPES);
const KEYWORDS: ReadonlySet<unknown> = new Set(KEYWORD_FAMILIES);

function nonEmpty(value: unknown): boolean {
	return typeof value === 'string' && value.length > 0;
}

function optionalString(value: unknown): boolean {
	return value === undefined || value === null || typeof value === 'string';
}

/** What zod 3 calls a plain object for `z.record` (arrays, dates, maps, sets and promises are not). */
function isRecordObject(value: unknown): boolean {
	if (typeof value !== 'object' || value === null) return false;
	if (Array.isArray(value) || value instanceof Date || value instanceof Map || value instanceof Set) {
		return false;
	}
	const maybe = value as { then?: unknown; catch?: unknown };
	return !(typeof maybe.then === 'function' && typeof maybe.catch === 'function');
}

export function isCanonicalEventFast(value: unknown): value is CanonicalEvent {
	if (!isRecordObject(value)) return false;
	const e = value as Record<string, unknown>;
	return (
		nonEmpty(e.eventId) &&
		nonEmpty(e.viewerKey) &&
		KEY_TYPES.has(e.viewerKeyType) &&
		optionalString(e.storyId) &&
		TYPES.has(e.type) &&
		typeof e.occurredAt === 'string' &&
		ISO_UTC.test(e.occurredAt) &&
		typeof e.ingestedAt === 'string' &&
		ISO_UTC.test(e.ingestedAt) &&
		SOURCES.has(e.source) &&
		nonEmpty(e.sourceTool) &&
		optionalString(e.context) &&
		(e.keyword === undefined || e.keyword === null || KEYWORDS.has(e.keyword)) &&
		optionalString(e.locale) &&
		optionalString(e.text) &&
		(e.extra === undefined || e.extra === null || isRecordObject(e.extra))
	);
}

export type CheckedEvent = { ok: true; event: CanonicalEvent } | { ok: false; reason: string };

/**
 * Fast path first; zod only for the rare rejection, to produce its reason, and for a row read back from storage
 * with null in an optional field, so the event passed on has no such field.
 */
export function checkEvent(value: unknown): CheckedEvent {
	if (isCanonicalEventFast(value) && !hasNullOptionalField(value)) return { ok: true, event: value };
	return validateEvent(value);
}
