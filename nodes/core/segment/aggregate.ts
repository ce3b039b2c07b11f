import { EVENT_TYPES, INTERACTION_TYPES, type EventType } from '../events/schema';
import {
	canonicalOccurredMs,
	eventTypeIndex,
	invalidEventReason,
	viewerKeyTypeIndex,
	ISO_NOT_REAL,
	type RawEvent,
} from './fastEvent';
import type { InvalidEvent } from './types';

/**
 * The single pass over the events. Memory grows with the number of viewers, never with the number of events:
 * each viewer is a row of one growable Float64Array (timestamps, counters, up to STORY_INLINE story ids, the
 * timestamp of each tracked field's latest value), so an event touches one Map entry and one contiguous row.
 * Nothing here depends on input order: sums are integers, "latest" values are chosen by (occurredAt, eventId).
 */

export const TYPE_COUNT = EVENT_TYPES.length;
export const VIEW = eventTypeIndex('view');
export const PROFILE_VISIT = eventTypeIndex('profile_visit');
export const LINK_CLICK = eventTypeIndex('link_click');

/** Event types whose storyId counts as a story the viewer saw (replying or reacting needs a view). */
const STORY_SEEN = typeFlags(['view', 'story_reply', 'reaction']);
const INTERACTION = typeFlags(INTERACTION_TYPES);

function typeFlags(types: readonly EventType[]): Uint8Array {
	const flags = new Uint8Array(TYPE_COUNT);
	for (const type of types) flags[eventTypeIndex(type)] = 1;
	return flags;
}

// Row layout: one Float64Array for every viewer, with an Int32Array view of the same buffer. A row is
// 5 doubles (timestamps, decayed score), then 22 int32 (counters, inline story ids, per-type counts) — 128
// bytes — then one double per tracked field (the timestamp of its latest value).
const FIRST_TS = 0;
const LAST_TS = 1;
const FIRST_VIEW_TS = 2;
const LAST_INTERACTION_TS = 3;
const DECAY_MICRO = 4;
const INT_BASE = 10; // int32 offset of the counters (after 5 doubles)
const IN_WINDOW = INT_BASE;
const OUTSIDE = INT_BASE + 1;
const STORY_COUNT = INT_BASE + 2;
const STORIES = INT_BASE + 3;
/** Distinct stories kept in the row; a viewer with more moves to a Set. */
export const STORY_INLINE = 6;
const COUNTS = STORIES + STORY_INLINE;
const FIELD_TS = 16;

/** A field read from events: alternative paths, the first one present on an event wins. */
export interface TrackedField {
	key: string;
	paths: string[][];
}

/** The value of a tracked field on a viewer's latest event that carried it. */
export interface FieldSlot {
	value: string | number | boolean;
	ts: number;
	eventId: string;
}

type Primitive = string | number | boolean;
/** Reads one tracked field from an event; `extra` is the event's `extra` object or undefined. */
type FieldReader = (event: RawEvent, extra: Record<string, unknown> | undefined) => Primitive | undefined;

function isPrimitive(v: unknown): v is Primitive {
	return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function readPath(start: unknown, path: string[], from: number): unknown {
	let x = start;
	for (let i = from; i < path.length; i++) {
		if (typeof x !== 'object' || x === null) return undefined;
		x = (x as Record<string, unknown>)[path[i]];
	}
	return x;
}

/** A reader for user paths; paths under `extra` cost nothing on events without `extra`. */
function compileReader(field: TrackedField): FieldReader {
	const paths = field.paths;
	return (event, extra) => {
		for (const path of paths) {
			const v =
				path[0] === 'extra' ? (extra === undefined ? undefined : readPath(extra, path, 1)) : readPath(event, path, 0);
			if (isPrimitive(v)) return v;
		}
		return undefined;
	};
}

/** Per-viewer aggregates, one row per viewer (index = order of first appearance). */
export class ViewerTable {
	readonly stride: number;
	rows: Float64Array;
	ints: Int32Array;
	count = 0;
	readonly keys: string[] = [];
	readonly keyTypes: number[] = [];
	/** Viewers with more than STORY_INLINE distinct stories. */
	readonly storySets = new Map<number, Set<number>>();
	/** Per tracked field, per viewer: latest value and its eventId (the timestamp lives in the row). */
	readonly fieldValues: Array<Array<Primitive | undefined>>;
	readonly fieldIds: string[][];
	/** Only filled when input indexes are kept (pairedItem). */
	readonly items: Array<number[] | undefined> = [];
	readonly itemCounts: number[] = [];

	constructor(
		readonly fieldCount: number,
		readonly trackItems = false,
	) {
		this.stride = FIELD_TS + fieldCount;
		this.rows = new Float64Array(this.stride * 1024);
		this.ints = new Int32Array(this.rows.buffer);
		this.fieldValues = Array.from({ length: fieldCount }, () => []);
		this.fieldIds = Array.from({ length: fieldCount }, () => []);
	}

	add(key: string, keyType: number): number {
		const v = this.count++;
		const base = v * this.stride;
		if (base + this.stride > this.rows.length) {
			const grown = new Float64Array(this.rows.length * 2);
			grown.set(this.rows);
			this.rows = grown;
			this.ints = new Int32Array(grown.buffer);
		}
		const rows = this.rows;
		rows[base + FIRST_TS] = Number.POSITIVE_INFINITY;
		rows[base + LAST_TS] = Number.NEGATIVE_INFINITY;
		rows[base + FIRST_VIEW_TS] = Number.POSITIVE_INFINITY;
		rows[base + LAST_INTERACTION_TS] = Number.NEGATIVE_INFINITY;
		for (let f = 0; f < this.fieldCount; f++) rows[base + FIELD_TS + f] = Number.NEGATIVE_INFINITY;
		this.keys.push(key);
		this.keyTypes.push(keyType);
		if (this.trackItems) {
			this.items.push(undefined);
			this.itemCounts.push(0);
		}
		for (let f = 0; f < this.fieldCount; f++) {
			this.fieldValues[f].push(undefined);
			this.fieldIds[f].push('');
		}
		return v;
	}

	inWindow(v: number): number {
		return this.ints[v * this.stride * 2 + IN_WINDOW];
	}
	outside(v: number): number {
		return this.ints[v * this.stride * 2 + OUTSIDE];
	}
	firstTs(v: number): number {
		return this.rows[v * this.stride + FIRST_TS];
	}
	lastTs(v: number): number {
		return this.rows[v * this.stride + LAST_TS];
	}
	decayMicro(v: number): number {
		return this.rows[v * this.stride + DECAY_MICRO];
	}
	typeCount(v: number, t: number): number {
		return this.ints[v * this.stride * 2 + COUNTS + t];
	}
	distinctStories(v: number): number {
		return this.ints[v * this.stride * 2 + STORY_COUNT];
	}
	/** A reply, reaction, mention, message, postback or comment at or after the first in-window view. */
	engagedAfterView(v: number): boolean {
		const base = v * this.stride;
		return this.rows[base + LAST_INTERACTION_TS] >= this.rows[base + FIRST_VIEW_TS];
	}
	fieldValue(v: number, f: number | undefined): Primitive | undefined {
		return f === undefined ? undefined : this.fieldValues[f][v];
	}
	field(v: number, f: number | undefined): FieldSlot | undefined {
		if (f === undefined) return undefined;
		const value = this.fieldValues[f][v];
		if (value === undefined) return undefined;
		return { value, ts: this.rows[v * this.stride + FIELD_TS + f], eventId: this.fieldIds[f][v] };
	}

	/** Keeps `value` when its event is later than the field's current one (ties: larger eventId). */
	offer(v: number, f: number, ts: number, eventId: string, value: Primitive): void {
		const at = v * this.stride + FIELD_TS + f;
		const current = this.rows[at];
		if (ts < current) return;
		if (ts === current) {
			const currentId = this.fieldIds[f][v];
			if (eventId < currentId) return;
			// The same event twice with different values: keep the larger text, so input order cannot matter.
			if (eventId === currentId && String(value) <= String(this.fieldValues[f][v])) return;
		}
		this.rows[at] = ts;
		this.fieldValues[f][v] = value;
		this.fieldIds[f][v] = eventId;
	}
}

/** Built-in tracked fields: fixed slots, read with plain property access. */
export const LOCALE_FIELD = 0;
export const FOLLOWERS_FIELD = 1;
export const BIO_FIELD = 2;
export const PROFILE_PIC_FIELD = 3;

export interface AggregateOptions {
	asOfMs: number;
	windowMs: number;
	/** Per event type, weight × 1e6 rounded; only read when halfLifeMs > 0. */
	weightsMicro: Float64Array;
	halfLifeMs: number;
	/** Read the bot rule's profile signals into slots 1–3 (slot 0 is always the locale). */
	profileSignals: boolean;
	/** User paths, in the slots after the built-in ones. */
	tracked: TrackedField[];
	maxItemsPerViewer: number;
	stopOnInvalid: boolean;
}

export interface Aggregation {
	table: ViewerTable;
	invalid: InvalidEvent[];
	events: number;
	inWindow: number;
	beforeWindow: number;
	afterAsOf: number;
	/** Slot of the first user path in `tracked`. */
	firstUserField: number;
}

/** One pass over the events; see the file comment. The window is (asOf − window, asOf]. */
export function aggregate(events: ReadonlyArray<unknown>, options: AggregateOptions): Aggregation {
	const { asOfMs, weightsMicro, halfLifeMs, maxItemsPerViewer, profileSignals } = options;
	const startMs = asOfMs - options.windowMs;
	const firstUser = profileSignals ? PROFILE_PIC_FIELD + 1 : LOCALE_FIELD + 1;
	const readers = options.tracked.map(compileReader);
	const userCount = readers.length;
	const table = new ViewerTable(firstUser + userCount, maxItemsPerViewer > 0);
	const stride = table.stride;
	const byKeyType: Array<Map<string, number>> = [new Map(), new Map(), new Map()];
	const stories = new Map<string, number>();
	const invalid: InvalidEvent[] = [];
	let inWindow = 0;
	let beforeWindow = 0;
	let afterAsOf = 0;
	const decayRate = halfLifeMs > 0 ? Math.LN2 / halfLifeMs : 0;

	for (let i = 0; i < events.length; i++) {
		const raw = events[i];
		const ts = canonicalOccurredMs(raw);
		if (Number.isNaN(ts) || ts === ISO_NOT_REAL) {
			invalid.push({ index: i, reason: invalidEventReason(raw) });
			if (options.stopOnInvalid) break;
			continue;
		}
		const e = raw as RawEvent;
		const keyType = viewerKeyTypeIndex(e.viewerKeyType);
		const map = byKeyType[keyType];
		let v = map.get(e.viewerKey);
		if (v === undefined) {
			v = table.add(e.viewerKey, keyType);
			map.set(e.viewerKey, v);
		}
		if (maxItemsPerViewer > 0) {
			if (table.itemCounts[v] < maxItemsPerViewer) {
				const list = table.items[v];
				if (list === undefined) table.items[v] = [i];
				else list.push(i);
			}
			table.itemCounts[v]++;
		}
		const rows = table.rows;
		const ints = table.ints;
		const base = v * stride;
		const intBase = base * 2;
		if (ts <= startMs || ts > asOfMs) {
			if (ts > asOfMs) afterAsOf++;
			else beforeWindow++;
			ints[intBase + OUTSIDE]++;
			continue;
		}
		inWindow++;
		const t = eventTypeIndex(e.type);
		ints[intBase + IN_WINDOW]++;
		ints[intBase + COUNTS + t]++;
		if (ts < rows[base + FIRST_TS]) rows[base + FIRST_TS] = ts;
		if (ts > rows[base + LAST_TS]) rows[base + LAST_TS] = ts;
		if (t === VIEW) {
			if (ts < rows[base + FIRST_VIEW_TS]) rows[base + FIRST_VIEW_TS] = ts;
		} else if (INTERACTION[t] === 1 && ts > rows[base + LAST_INTERACTION_TS]) {
			rows[base + LAST_INTERACTION_TS] = ts;
		}
		if (STORY_SEEN[t] === 1) {
			const storyId = e.storyId;
			if (storyId !== undefined && storyId !== '') {
				let id = stories.get(storyId);
				if (id === undefined) {
					id = stories.size;
					stories.set(storyId, id);
				}
				addStory(table, ints, v, intBase, id);
			}
		}
		if (decayRate > 0) {
			const w = weightsMicro[t];
			if (w !== 0) rows[base + DECAY_MICRO] += Math.round(w * Math.exp((ts - asOfMs) * decayRate));
		}
		const locale = e.locale;
		if (locale !== undefined && ts >= rows[base + FIELD_TS + LOCALE_FIELD]) {
			table.offer(v, LOCALE_FIELD, ts, e.eventId, locale);
		}
		const extraValue = e.extra;
		const extra = typeof extraValue === 'object' && extraValue !== null ? extraValue : undefined;
		if (profileSignals) {
			const followers = firstPrimitive(extra === undefined ? undefined : extra.followerCount, e.followerCount);
			if (followers !== undefined) table.offer(v, FOLLOWERS_FIELD, ts, e.eventId, followers);
			const bio = firstPrimitive4(
				extra === undefined ? undefined : extra.bio,
				extra === undefined ? undefined : extra.biography,
				e.bio,
				e.biography,
			);
			if (bio !== undefined) table.offer(v, BIO_FIELD, ts, e.eventId, bio);
			const pic = firstPrimitive(extra === undefined ? undefined : extra.hasProfilePic, e.hasProfilePic);
			if (pic !== undefined) table.offer(v, PROFILE_PIC_FIELD, ts, e.eventId, pic);
		}
		for (let f = 0; f < userCount; f++) {
			const value = readers[f](e, extra);
			if (value !== undefined) table.offer(v, firstUser + f, ts, e.eventId, value);
		}
	}
	return { table, invalid, events: events.length, inWindow, beforeWindow, afterAsOf, firstUserField: firstUser };
}

function firstPrimitive(a: unknown, b: unknown): Primitive | undefined {
	if (isPrimitive(a)) return a;
	return isPrimitive(b) ? b : undefined;
}

function firstPrimitive4(a: unknown, b: unknown, c: unknown, d: unknown): Primitive | undefined {
	if (isPrimitive(a)) return a;
	if (isPrimitive(b)) return b;
	if (isPrimitive(c)) return c;
	return isPrimitive(d) ? d : undefined;
}

function addStory(table: ViewerTable, ints: Int32Array, v: number, intBase: number, id: number): void {
	const n = ints[intBase + STORY_COUNT];
	if (n > STORY_INLINE) {
		const set = table.storySets.get(v) as Set<number>;
		set.add(id);
		ints[intBase + STORY_COUNT] = set.size;
		return;
	}
	for (let k = 0; k < n; k++) if (ints[intBase + STORIES + k] === id) return;
	if (n < STORY_INLINE) {
		ints[intBase + STORIES + n] = id;
		ints[intBase + STORY_COUNT] = n + 1;
		return;
	}
	const grown = new Set<number>();
	for (let k = 0; k < n; k++) grown.add(ints[intBase + STORIES + k]);
	grown.add(id);
	table.storySets.set(v, grown);
	ints[intBase + STORY_COUNT] = grown.size;
}
