import { isCanonicalEvent } from '../events/fastEvent';
import { hasNullOptionalField, validateEvent, type CanonicalEvent } from '../events/schema';

/**
 * The hot-path check of `canonicalEventSchema` (zod stays the source of truth): the shared fast validator of
 * `events/fastEvent.ts`, which accepts and rejects exactly what `canonicalEventSchema.safeParse` does
 * (test/unit/capture/validate.test.ts and test/unit/segment/fastEvent.test.ts check that on generated inputs).
 * When it rejects, the caller asks zod for the reason, so messages always come from the schema.
 */
export function isCanonicalEventFast(value: unknown): value is CanonicalEvent {
	return isCanonicalEvent(value);
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
