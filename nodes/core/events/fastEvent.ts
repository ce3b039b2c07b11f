import {
	EVENT_SOURCES,
	EVENT_TYPES,
	KEYWORD_FAMILIES,
	VIEWER_KEY_TYPES,
	validateEvent,
	type EventType,
} from './schema';
import { isIsoUtcShape, parseIsoUtcMs, ISO_NOT_REAL } from '../time/isoUtc';

/**
 * Hot-path reading of canonical events without zod, shared by Viewer Segment and Story Viewer Ingest: one check
 * per field, no allocation. `isCanonicalEvent`
 * accepts exactly what `canonicalEventSchema` accepts (test/unit/segment/fastEvent.test.ts proves it on
 * generated valid and broken events); when it refuses, `invalidEventReason` asks zod for the wording.
 */

const TYPE_INDEX = new Map<unknown, number>(EVENT_TYPES.map((type, index) => [type, index]));
const KEY_TYPE_INDEX = new Map<unknown, number>(VIEWER_KEY_TYPES.map((type, index) => [type, index]));
const KEYWORDS = new Set<unknown>(KEYWORD_FAMILIES);

/** Index of an event type in EVENT_TYPES, or -1. */
export function eventTypeIndex(value: unknown): number {
	const index = TYPE_INDEX.get(value);
	return index === undefined ? -1 : index;
}

/**
 * The same as eventTypeIndex, as a switch: on the hot path most type strings are the literals themselves, so
 * each case is a pointer comparison. Checked against EVENT_TYPES when this module loads.
 */
function typeIndexOf(value: unknown): number {
	switch (value) {
		case 'view':
			return 0;
		case 'story_reply':
			return 1;
		case 'story_mention':
			return 2;
		case 'reaction':
			return 3;
		case 'message':
			return 4;
		case 'postback':
			return 5;
		case 'comment':
			return 6;
		case 'profile_visit':
			return 7;
		case 'link_click':
			return 8;
		case 'story_insights':
			return 9;
		case 'email_open':
			return 10;
		case 'email_click':
			return 11;
		case 'site_visit':
			return 12;
		case 'message_seen':
			return 13;
		default:
			return -1;
	}
}

/** viewerKeyTypeIndex as a switch (see typeIndexOf). */
function keyTypeIndexOf(value: unknown): number {
	switch (value) {
		case 'igsid':
			return 0;
		case 'handle':
			return 1;
		case 'pseudonym':
			return 2;
		default:
			return -1;
	}
}

/** Whether `value` is one of EVENT_SOURCES, as a switch (see typeIndexOf). */
function isSource(value: unknown): boolean {
	switch (value) {
		case 'webhook':
		case 'csv':
		case 'items':
		case 'graph_api':
			return true;
		default:
			return false;
	}
}

// The switches must list exactly the schema's values, in its order.
if (
	EVENT_TYPES.length !== 14 ||
	EVENT_TYPES.some((type, index) => typeIndexOf(type) !== index) ||
	VIEWER_KEY_TYPES.length !== 3 ||
	VIEWER_KEY_TYPES.some((type, index) => keyTypeIndexOf(type) !== index) ||
	EVENT_SOURCES.length !== 4 ||
	!EVENT_SOURCES.every(isSource)
) {
	throw new Error('fastEvent: the type, key type or source switch no longer matches the event schema');
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

/** Absent, null (an empty cell of a stored row) or a string. */
function optionalString(value: unknown): boolean {
	return value === undefined || value === null || typeof value === 'string';
}

function nonEmptyString(value: unknown): boolean {
	return typeof value === 'string' && value.length > 0;
}

/** A loosely typed canonical event, as read on the hot path. */
export interface RawEvent {
	eventId: string;
	viewerKey: string;
	viewerKeyType: string;
	storyId?: string | null;
	type: EventType;
	occurredAt: string;
	ingestedAt: string;
	locale?: string | null;
	extra?: Record<string, unknown> | null;
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
	const type = typeIndexOf(e.type);
	const keyType = keyTypeIndexOf(e.viewerKeyType);
	if (
		!(
			type >= 0 &&
			keyType >= 0 &&
			nonEmptyString(e.eventId) &&
			nonEmptyString(e.viewerKey) &&
			optionalString(e.storyId) &&
			typeof e.occurredAt === 'string' &&
			typeof e.ingestedAt === 'string' &&
			isIngestedAtShape(e.ingestedAt) &&
			isSource(e.source) &&
			nonEmptyString(e.sourceTool) &&
			optionalString(e.context) &&
			(e.keyword === undefined || e.keyword === null || KEYWORDS.has(e.keyword)) &&
			optionalString(e.locale) &&
			optionalString(e.text) &&
			(e.extra === undefined || e.extra === null || isZodObject(e.extra))
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
