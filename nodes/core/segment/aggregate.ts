import { EVENT_TYPES, INTERACTION_TYPES, type EventType } from '../events/schema';
import {
	canonicalOccurredMs,
	eventTypeIndex,
	invalidEventReason,
	lastAccepted,
	type RawEvent,
} from '../events/fastEvent';
import { ISO_NOT_REAL } from '../time/isoUtc';
import type { InvalidEvent } from './types';

/**
 * The single pass over the events. Memory grows with the number of viewers, never with the number of events:
 * each viewer is a 128-byte row of one growable Float64Array (timestamps, decayed score, counters, its distinct
 * stories as a short list or a bitset), so an in-window event touches one Map entry and one row and allocates
 * nothing. Viewers whose stories outgrow the row spill into one shared open-addressing table of (viewer, story)
 * pairs. Tracked fields keep the timestamp and input index of their latest value (ties need the eventId) and the
 * value itself, written only when it changes. Events go through in small batches (validate, find viewers,
 * update), which keeps the order of everything observable and lets the lookups of a batch overlap.
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

// Row layout (Float64 slots; 128 bytes hold everything an in-window event touches): the timestamps, the decayed
// score and the locale's latest timestamp; then int32 counters per type, the distinct-story count, where the
// stories are and the locale's input index, then the stories themselves (a short list, or a bitset once a viewer
// has seen more of them). The other tracked fields keep (timestamp, input index) pairs in a separate array,
// touched only by events with a value; every field's latest value is kept in a plain array per field.
const FIRST_TS = 0;
const LAST_TS = 1;
const FIRST_VIEW_TS = 2;
const LAST_INTERACTION_TS = 3;
const DECAY_MICRO = 4;
/** Timestamp of the locale's latest value (field 0). */
const LOCALE_TS = 5;
const COUNTS = 12; // int32 offset (after 6 doubles)
const STORY_COUNT = COUNTS + TYPE_COUNT;
/** Where the viewer's distinct stories live: STORIES_LISTED, STORIES_BITSET or STORIES_PAIRED. */
const STORY_MODE = STORY_COUNT + 1;
/** Input index of the event that gave the locale (field 0) its latest value; −1 before any. */
const LOCALE_INDEX = STORY_MODE + 1;
/** Up to STORY_INLINE story ids (below INLINE_ID_LIMIT) as uint16 in the row. */
const STORIES_LISTED = 0;
/** The same 16·STORY_INLINE bits as a bitset over story ids 0 … BITSET_BITS − 1. */
const STORIES_BITSET = 1;
/** In the shared pair table. */
const STORIES_PAIRED = 2;
/** Uint16 offset of the inline stories. */
const STORIES16 = (LOCALE_INDEX + 1) * 2;
const STRIDE = 16;
const STORY_INLINE = STRIDE * 4 - STORIES16;
const INLINE_ID_LIMIT = 0xffff;
const BITSET_BITS = STORY_INLINE * 16;
/** Events per batch of the single pass (see `aggregate`). */
const BATCH = 64;

/** A field read from events: alternative paths, the first one present on an event wins. */
export interface TrackedField {
	key: string;
	paths: string[][];
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
	if (paths.length === 1 && paths[0].length === 2 && paths[0][0] === 'extra') {
		const key = paths[0][1];
		return (_event, extra) => {
			if (extra === undefined) return undefined;
			const v = extra[key];
			return isPrimitive(v) ? v : undefined;
		};
	}
	return (event, extra) => {
		for (const path of paths) {
			const v =
				path[0] === 'extra' ? (extra === undefined ? undefined : readPath(extra, path, 1)) : readPath(event, path, 0);
			if (isPrimitive(v)) return v;
		}
		return undefined;
	};
}

function extraOf(e: RawEvent): Record<string, unknown> | undefined {
	const extra = e.extra;
	return typeof extra === 'object' && extra !== null ? extra : undefined;
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

/** Built-in tracked fields: fixed slots, read with plain property access. */
export const LOCALE_FIELD = 0;
export const FOLLOWERS_FIELD = 1;
export const BIO_FIELD = 2;
export const PROFILE_PIC_FIELD = 3;

const readFollowers: FieldReader = (e, extra) =>
	firstPrimitive(extra === undefined ? undefined : extra.followerCount, e.followerCount);
const readBio: FieldReader = (e, extra) =>
	firstPrimitive4(
		extra === undefined ? undefined : extra.bio,
		extra === undefined ? undefined : extra.biography,
		e.bio,
		e.biography,
	);
const readProfilePic: FieldReader = (e, extra) =>
	firstPrimitive(extra === undefined ? undefined : extra.hasProfilePic, e.hasProfilePic);

/**
 * (viewer, story) pairs of the viewers with more than STORY_INLINE distinct stories: one open-addressing hash
 * set in an Int32Array (viewer + 1, story), so a spilling viewer allocates nothing of its own.
 */
class StoryPairs {
	private slots = new Int32Array(2 * 1024);
	private mask = 1023;
	private size = 0;

	/** Adds the pair; true when it was not there yet. */
	add(v: number, story: number): boolean {
		const key = v + 1;
		let slots = this.slots;
		let h = (Math.imul(key, 0x9e3779b1) ^ Math.imul(story + 0x7f4a7c15, 0x85ebca77)) >>> 0;
		h = (h ^ (h >>> 15)) & this.mask;
		for (;;) {
			const at = h * 2;
			const k = slots[at];
			if (k === 0) break;
			if (k === key && slots[at + 1] === story) return false;
			h = (h + 1) & this.mask;
		}
		if ((this.size + 1) * 2 > this.mask + 1) {
			this.grow();
			slots = this.slots;
			h = (Math.imul(key, 0x9e3779b1) ^ Math.imul(story + 0x7f4a7c15, 0x85ebca77)) >>> 0;
			h = (h ^ (h >>> 15)) & this.mask;
			while (slots[h * 2] !== 0) h = (h + 1) & this.mask;
		}
		slots[h * 2] = key;
		slots[h * 2 + 1] = story;
		this.size++;
		return true;
	}

	private grow(): void {
		const old = this.slots;
		const capacity = (this.mask + 1) * 2;
		const slots = new Int32Array(2 * capacity);
		const mask = capacity - 1;
		for (let at = 0; at < old.length; at += 2) {
			const key = old[at];
			if (key === 0) continue;
			const story = old[at + 1];
			let h = (Math.imul(key, 0x9e3779b1) ^ Math.imul(story + 0x7f4a7c15, 0x85ebca77)) >>> 0;
			h = (h ^ (h >>> 15)) & mask;
			while (slots[h * 2] !== 0) h = (h + 1) & mask;
			slots[h * 2] = key;
			slots[h * 2 + 1] = story;
		}
		this.slots = slots;
		this.mask = mask;
	}
}

/** Per-viewer aggregates, one row per viewer (index = order of first appearance). */
export class ViewerTable {
	readonly stride: number;
	rows: Float64Array;
	ints: Int32Array;
	shorts: Uint16Array;
	/** Valid events before the window or after As of, per viewer. */
	outsideCounts: Int32Array;
	count = 0;
	readonly keys: string[] = [];
	readonly keyTypes: number[] = [];
	readonly storyPairs = new StoryPairs();
	/** Only filled when input indexes are kept (pairedItem). */
	readonly items: Array<number[] | undefined> = [];
	readonly itemCounts: number[] = [];
	/** Per viewer and tracked field f ≥ 1: the timestamp and input index of the field's latest value. */
	fieldRows: Float64Array;
	readonly fieldStride: number;
	/** Per tracked field, per viewer: the latest value. */
	readonly fieldValues: Array<Array<Primitive | undefined>>;

	constructor(
		private readonly events: ReadonlyArray<unknown>,
		readonly fieldCount: number,
		readonly trackItems = false,
	) {
		this.stride = STRIDE;
		this.fieldStride = Math.max(1, 2 * (fieldCount - 1));
		this.fieldValues = Array.from({ length: fieldCount }, () => []);
		this.rows = new Float64Array(STRIDE * 1024);
		this.fieldRows = new Float64Array(this.fieldStride * 1024);
		this.ints = new Int32Array(this.rows.buffer);
		this.shorts = new Uint16Array(this.rows.buffer);
		this.outsideCounts = new Int32Array(1024);
	}

	add(key: string, keyType: number): number {
		const v = this.count++;
		const stride = this.stride;
		const base = v * stride;
		if (base + stride > this.rows.length) {
			const grown = new Float64Array(this.rows.length * 2);
			grown.set(this.rows);
			this.rows = grown;
			this.ints = new Int32Array(grown.buffer);
			this.shorts = new Uint16Array(grown.buffer);
			const fieldRows = new Float64Array(this.fieldRows.length * 2);
			fieldRows.set(this.fieldRows);
			this.fieldRows = fieldRows;
			const outside = new Int32Array(this.outsideCounts.length * 2);
			outside.set(this.outsideCounts);
			this.outsideCounts = outside;
		}
		const rows = this.rows;
		rows[base + FIRST_TS] = Number.POSITIVE_INFINITY;
		rows[base + LAST_TS] = Number.NEGATIVE_INFINITY;
		rows[base + FIRST_VIEW_TS] = Number.POSITIVE_INFINITY;
		rows[base + LAST_INTERACTION_TS] = Number.NEGATIVE_INFINITY;
		rows[base + LOCALE_TS] = Number.NEGATIVE_INFINITY;
		this.ints[base * 2 + LOCALE_INDEX] = -1;
		const fieldRows = this.fieldRows;
		const fieldBase = v * this.fieldStride;
		for (let at = 0; at < this.fieldStride; at += 2) {
			fieldRows[fieldBase + at] = Number.NEGATIVE_INFINITY;
			fieldRows[fieldBase + at + 1] = -1;
		}
		for (let f = 0; f < this.fieldCount; f++) this.fieldValues[f].push(undefined);
		this.keys.push(key);
		this.keyTypes.push(keyType);
		if (this.trackItems) {
			this.items.push(undefined);
			this.itemCounts.push(0);
		}
		return v;
	}

	/** In-window events (one per type count). */
	inWindow(v: number): number {
		const at = v * this.stride * 2 + COUNTS;
		let n = 0;
		for (let t = 0; t < TYPE_COUNT; t++) n += this.ints[at + t];
		return n;
	}
	outside(v: number): number {
		return this.outsideCounts[v];
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
	/** Whether any of the tracked fields first … last has a value for this viewer. */
	hasAnyField(v: number, first: number, last: number): boolean {
		for (let f = first; f <= last; f++) if (this.fieldValues[f][v] !== undefined) return true;
		return false;
	}
	/** The latest in-window value of a tracked field, or undefined. */
	fieldValue(v: number, f: number | undefined): Primitive | undefined {
		return f === undefined ? undefined : this.fieldValues[f][v];
	}

	/** Keeps event `i`'s locale when it is later than the current one (ties: larger eventId). */
	offerLocale(v: number, ts: number, i: number, e: RawEvent, value: Primitive): void {
		const base = v * this.stride;
		const current = this.rows[base + LOCALE_TS];
		if (ts < current) return;
		const intAt = base * 2 + LOCALE_INDEX;
		if (ts === current && !this.winsTie(this.ints[intAt], e, value, this.fieldValues[LOCALE_FIELD][v])) return;
		this.rows[base + LOCALE_TS] = ts;
		this.ints[intAt] = i;
		this.fieldValues[LOCALE_FIELD][v] = value;
	}

	/** Keeps event `i`'s value of field f ≥ 1 when it is later than the current one (ties: larger eventId). */
	offer(v: number, f: number, ts: number, i: number, e: RawEvent, value: Primitive): void {
		const at = v * this.fieldStride + 2 * (f - 1);
		const fieldRows = this.fieldRows;
		const current = fieldRows[at];
		if (ts < current) return;
		if (ts === current && !this.winsTie(fieldRows[at + 1], e, value, this.fieldValues[f][v])) return;
		fieldRows[at] = ts;
		fieldRows[at + 1] = i;
		this.fieldValues[f][v] = value;
	}

	/** Same timestamp: the larger eventId wins; the same event twice with different values keeps the larger text. */
	private winsTie(heldIndex: number, e: RawEvent, value: Primitive, held: Primitive | undefined): boolean {
		const eventId = e.eventId;
		const heldId = (this.events[heldIndex] as RawEvent).eventId;
		if (eventId !== heldId) return eventId > heldId;
		return String(value) > String(held);
	}
}

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
	const userReaders = options.tracked.map(compileReader);
	const userCount = userReaders.length;
	const table = new ViewerTable(events, firstUser + userCount, maxItemsPerViewer > 0);
	const stride = table.stride;
	const byKeyType: Array<Map<string, number>> = [new Map(), new Map(), new Map()];
	const stories = new Map<string, number>();
	const pairs = table.storyPairs;
	const invalid: InvalidEvent[] = [];
	let inWindow = 0;
	let beforeWindow = 0;
	let afterAsOf = 0;
	const decayRate = halfLifeMs > 0 ? Math.LN2 / halfLifeMs : 0;
	let rows = table.rows;
	let ints = table.ints;
	let shorts = table.shorts;

	const readsExtra = profileSignals || userCount > 0;
	const batchTs = new Float64Array(BATCH);
	const batchType = new Int32Array(BATCH);
	const batchKeyType = new Int32Array(BATCH);
	const batchIndex = new Int32Array(BATCH);
	const batchViewer = new Int32Array(BATCH);
	let stopped = false;

	// Events go through in batches of BATCH, in three passes: validate and parse (reads each event's own
	// strings, front to back), find the viewers (the Map lookups of one batch do not wait on each other), then
	// update the rows. The order of everything observable — viewer numbering, refusals, kept input indexes — is
	// the input order, as in one plain loop.
	for (let from = 0; from < events.length && !stopped; from += BATCH) {
		const to = Math.min(from + BATCH, events.length);
		let m = 0;
		for (let i = from; i < to; i++) {
			const raw = events[i];
			const ts = canonicalOccurredMs(raw);
			if (!(ts < ISO_NOT_REAL)) {
				invalid.push({ index: i, reason: invalidEventReason(raw) });
				if (options.stopOnInvalid) {
					stopped = true;
					break;
				}
				continue;
			}
			batchTs[m] = ts;
			batchType[m] = lastAccepted[0];
			batchKeyType[m] = lastAccepted[1];
			batchIndex[m] = i;
			m++;
		}
		for (let j = 0; j < m; j++) {
			const e = events[batchIndex[j]] as RawEvent;
			const map = byKeyType[batchKeyType[j]];
			let v = map.get(e.viewerKey);
			if (v === undefined) {
				v = table.add(e.viewerKey, batchKeyType[j]);
				map.set(e.viewerKey, v);
			}
			batchViewer[j] = v;
		}
		rows = table.rows;
		ints = table.ints;
		shorts = table.shorts;
		for (let j = 0; j < m; j++) {
			const i = batchIndex[j];
			const e = events[i] as RawEvent;
			const ts = batchTs[j];
			const t = batchType[j];
			const v = batchViewer[j];
			if (maxItemsPerViewer > 0) {
				if (table.itemCounts[v] < maxItemsPerViewer) {
					const list = table.items[v];
					if (list === undefined) table.items[v] = [i];
					else list.push(i);
				}
				table.itemCounts[v]++;
			}
			if (ts <= startMs || ts > asOfMs) {
				if (ts > asOfMs) afterAsOf++;
				else beforeWindow++;
				table.outsideCounts[v]++;
				continue;
			}
			inWindow++;
			const base = v * stride;
			const intBase = base * 2;
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
				if (storyId !== undefined && storyId !== null && storyId !== '') {
					let id = stories.get(storyId);
					if (id === undefined) {
						id = stories.size;
						stories.set(storyId, id);
					}
					const n = ints[intBase + STORY_COUNT];
					const mode = ints[intBase + STORY_MODE];
					const at = base * 4 + STORIES16;
					if (mode === STORIES_LISTED) {
						let k = 0;
						while (k < n && shorts[at + k] !== id) k++;
						if (k === n) {
							if (n < STORY_INLINE && id < INLINE_ID_LIMIT) shorts[at + n] = id;
							else ints[intBase + STORY_MODE] = spillList(shorts, at, n, id, pairs, v);
							ints[intBase + STORY_COUNT] = n + 1;
						}
					} else if (mode === STORIES_BITSET && id < BITSET_BITS) {
						const word = at + (id >> 4);
						const bit = 1 << (id & 15);
						if ((shorts[word] & bit) === 0) {
							shorts[word] |= bit;
							ints[intBase + STORY_COUNT] = n + 1;
						}
					} else {
						if (mode === STORIES_BITSET) {
							spillBitset(shorts, at, pairs, v);
							ints[intBase + STORY_MODE] = STORIES_PAIRED;
						}
						if (pairs.add(v, id)) ints[intBase + STORY_COUNT] = n + 1;
					}
				}
			}
			if (decayRate > 0) {
				const w = weightsMicro[t];
				if (w !== 0) rows[base + DECAY_MICRO] += Math.round(w * Math.exp((ts - asOfMs) * decayRate));
			}
			const locale = e.locale;
			if (locale !== undefined && locale !== null && ts >= rows[base + LOCALE_TS]) table.offerLocale(v, ts, i, e, locale);
			if (!readsExtra) continue;
			const extra = extraOf(e);
			if (profileSignals) {
				const followers = readFollowers(e, extra);
				if (followers !== undefined) table.offer(v, FOLLOWERS_FIELD, ts, i, e, followers);
				const bio = readBio(e, extra);
				if (bio !== undefined) table.offer(v, BIO_FIELD, ts, i, e, bio);
				const pic = readProfilePic(e, extra);
				if (pic !== undefined) table.offer(v, PROFILE_PIC_FIELD, ts, i, e, pic);
			}
			for (let f = 0; f < userCount; f++) {
				const value = userReaders[f](e, extra);
				if (value !== undefined) table.offer(v, firstUser + f, ts, i, e, value);
			}
		}
	}
	return { table, invalid, events: events.length, inWindow, beforeWindow, afterAsOf, firstUserField: firstUser };
}


const listed = new Int32Array(STORY_INLINE + 1);

/**
 * A listed viewer's story `id` does not fit the list: the stories become a bitset when every id is below
 * BITSET_BITS, else they move to the pair table. Returns the new mode.
 */
function spillList(shorts: Uint16Array, at: number, n: number, id: number, pairs: StoryPairs, v: number): number {
	let max = id;
	for (let k = 0; k < n; k++) {
		listed[k] = shorts[at + k];
		if (listed[k] > max) max = listed[k];
	}
	listed[n] = id;
	if (max < BITSET_BITS) {
		for (let k = 0; k < STORY_INLINE; k++) shorts[at + k] = 0;
		for (let k = 0; k <= n; k++) shorts[at + (listed[k] >> 4)] |= 1 << (listed[k] & 15);
		return STORIES_BITSET;
	}
	for (let k = 0; k <= n; k++) pairs.add(v, listed[k]);
	return STORIES_PAIRED;
}

/** Moves a viewer's bitset of stories to the pair table. */
function spillBitset(shorts: Uint16Array, at: number, pairs: StoryPairs, v: number): void {
	for (let word = 0; word < STORY_INLINE; word++) {
		const bits = shorts[at + word];
		for (let b = 0; b < 16; b++) if ((bits & (1 << b)) !== 0) pairs.add(v, word * 16 + b);
	}
}
