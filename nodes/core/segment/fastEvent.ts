import {
	EVENT_SOURCES,
	EVENT_TYPES,
	KEYWORD_FAMILIES,
	VIEWER_KEY_TYPES,
	validateEvent,
	type EventType,
} from '../events/schema';
import { isIsoUtcShape, parseIsoUtcMs, ISO_NOT_REAL } from './isoUtc';

export { ISO_BAD_SHAPE, ISO_NOT_REAL, isIsoUtcShape, parseIsoUtcMs } from './isoUtc';

/**
 * Hot-path reading of canonical events without zod: one check per field, no allocation. `isCanonicalEvent`
 * accepts exactly what `canonicalEventSchema` accepts (test/unit/segment/fastEvent.test.ts proves it on
 * generated valid and broken events); when it refuses, `invalidEventReason` asks zod for the wording.
 */

const TYPE_INDEX = new Map<unknown, number>(EVENT_TYPES.map((type, index) => [type, index]));
const KEY_TYPE_INDEX = new Map<unknown, number>(VIEWER_KEY_TYPES.map((type, index) => [type, index]));
const SOURCES = new Set<unknown>(EVENT_SOURCES);
const KEYWORDS = new Set<unknown>(KEYWORD_FAMILIES);

/** Index of an event type in EVENT_TYPES, or -1. */
export function eventTypeIndex(value: unknown): number {
	const index = TYPE_INDEX.get(value);
	return index === undefined ? -1 : index;
}

/** Index of a viewer key type in VIEWER_KEY_TYPES, or -1. */
export function viewerKeyTypeIndex(value: unknown): number {
	const index = KEY_TYPE_INDEX.get(value);
	return index === undefined ? -1 : index;
}

/** What zod calls an "object": not null, an array, a Date, Map, Set or a promise-like. */
export function isZodObject(value: unknown): value is Record<string, unknown> {
	if (typeof value !== 'object' || value === null) return false;
	if (Array.isArray(value) || value instanceof Date || value instanceof Map || value instanceof Set) return false;
	const then = (value as { then?: unknown }).then;
	if (typeof then === 'function' && typeof (value as { catch?: unknown }).catch === 'function') return false;
	return true;
}

function optionalString(value: unknown): boolean {
	return value === undefined || typeof value === 'string';
}

function nonEmptyString(value: unknown): boolean {
	return typeof value === 'string' && value.length > 0;
}

/** A loosely typed canonical event, as read on the hot path. */
export interface RawEvent {
	eventId: string;
	viewerKey: string;
	viewerKeyType: string;
	storyId?: string;
	type: EventType;
	occurredAt: string;
	ingestedAt: string;
	locale?: string;
	extra?: Record<string, unknown>;
	[key: string]: unknown;
}

/** The last ingestedAt that passed: events read back from a table come in ingestion batches sharing it. */
let lastIngestedAt: string | undefined;

function isIngestedAtShape(s: string): boolean {
	if (s === lastIngestedAt) return true;
	if (!isIsoUtcShape(s)) return false;
	lastIngestedAt = s;
	return true;
}

/**
 * Set by `canonicalOccurredMs` when it accepts an event: [index of its type, index of its viewer key type],
 * so the caller does not look them up a second time.
 */
export const lastAccepted = new Int32Array(2);

/**
 * Epoch ms of `occurredAt` when `value` passes the canonical schema; NaN when it does not. A schema-valid
 * event whose occurredAt names no real instant gives ISO_NOT_REAL (Infinity). One call does both the
 * validation and the timestamp parse, so the hot path reads occurredAt once.
 */
export function canonicalOccurredMs(value: unknown): number {
	if (!isZodObject(value)) return Number.NaN;
	const e = value;
	const type = TYPE_INDEX.get(e.type);
	const keyType = KEY_TYPE_INDEX.get(e.viewerKeyType);
	if (
		!(
			type !== undefined &&
			keyType !== undefined &&
			nonEmptyString(e.eventId) &&
			nonEmptyString(e.viewerKey) &&
			optionalString(e.storyId) &&
			typeof e.occurredAt === 'string' &&
			typeof e.ingestedAt === 'string' &&
			isIngestedAtShape(e.ingestedAt) &&
			SOURCES.has(e.source) &&
			nonEmptyString(e.sourceTool) &&
			optionalString(e.context) &&
			(e.keyword === undefined || KEYWORDS.has(e.keyword)) &&
			optionalString(e.locale) &&
			optionalString(e.text) &&
			(e.extra === undefined || isZodObject(e.extra))
		)
	) {
		return Number.NaN;
	}
	lastAccepted[0] = type;
	lastAccepted[1] = keyType;
	return parseIsoUtcMs(e.occurredAt as string);
}

/** True exactly when `validateEvent(value).ok` is true, without zod. */
export function isCanonicalEvent(value: unknown): value is RawEvent {
	return !Number.isNaN(canonicalOccurredMs(value));
}

/** The user-facing reason an event is refused (cold path: zod's wording, plus the real-date check). */
export function invalidEventReason(value: unknown): string {
	const result = validateEvent(value);
	if (!result.ok) return result.reason;
	if (parseIsoUtcMs(result.event.occurredAt) === ISO_NOT_REAL) {
		return 'occurredAt: is not a real date and time';
	}
	return 'event: not readable';
}
