import {
	EVENT_TYPES,
	type CanonicalEvent,
	type EventSource,
	type EventType,
	type ViewerKeyType,
} from '../events/schema';
import { deterministicEventId, eventIdBucket } from '../events/eventId';
import { defaultKeywordMatcher, type KeywordMatcher } from '../consent/keywords';
import { epochToMs, parseInstant, toIso, DAY_MS, type ParseInstantOptions } from '../time/instant';
import { IdIndex } from './idIndex';
import { formatIsoUtc, parseIsoOffset } from '../time/isoUtc';
import { normaliseHandle, pseudonymise } from './privacy';
import { checkEvent, isCanonicalEventFast } from './validate';

/**
 * The batch every Story Viewer Ingest mode feeds: row mapping (CSV records and items), normalisation,
 * validation, de-duplication by eventId (earliest `occurredAt` kept) and counts that always add up:
 * `in = valid + invalid + duplicate`.
 */

export type RejectReason =
	| 'missing_viewer'
	| 'missing_time'
	| 'invalid_time'
	| 'invalid_type'
	| 'malformed_row'
	| 'schema'
	| 'not_an_object'
	| 'malformed_payload'
	| 'echo'
	| 'deleted_message'
	| 'unsupported_event'
	| 'missing_sender'
	| 'graph_refused';

export interface SourceRef {
	/** Index of the input item the record came from. */
	itemIndex: number;
	/** 1-based record number within that item (data rows for CSV, updates for webhook bodies). */
	row: number;
	/** 1-based line in the CSV text where the record starts. */
	line?: number;
}

export interface InvalidRecord extends SourceRef {
	reason: RejectReason;
	message: string;
	original: unknown;
}

export interface KeptEvent {
	event: CanonicalEvent;
	itemIndex: number;
	/** Other input items whose duplicates were merged into this event. */
	mergedItemIndexes?: number[];
}

export interface IngestCounts {
	in: number;
	valid: number;
	invalid: number;
	duplicate: number;
}

export interface IngestResult {
	/** Kept events, in the order their first occurrence arrived. */
	events: CanonicalEvent[];
	/** `itemIndexes[i]`: the input item `events[i]` came from. */
	itemIndexes: readonly number[];
	/** Position in `events` → other input items whose duplicates were merged into that event (only where any). */
	mergedItemIndexes: ReadonlyMap<number, number[]>;
	/** The same, one record per event: built on first read (the node reads the arrays above). */
	readonly valid: KeptEvent[];
	invalid: InvalidRecord[];
	counts: IngestCounts;
}

export type MissingTimePolicy = 'reject' | 'useIngestedAt';
export type ViewerKeyPolicy = 'auto' | 'handle' | 'igsid';

export interface IngestOptions {
	source: EventSource;
	sourceTool: string;
	/** Epoch ms stamped as `ingestedAt` on every event ("Now"). */
	ingestedAt: number;
	/** When set, viewer keys are replaced by HMAC pseudonyms. */
	pepper?: string;
	includeText?: boolean;
	/** Allow-listed extra columns/fields copied into `extra`. */
	extraFields?: readonly string[];
	/** IANA zone for timestamps without an offset (default UTC). */
	timeZone?: string;
	/** date-fns format for timestamps, e.g. `dd/MM/yyyy HH:mm`. */
	timeFormat?: string;
	missingTime?: MissingTimePolicy;
	defaultType?: EventType;
	keywordMatcher?: KeywordMatcher;
}

/** Where each field of a row lives: column positions (CSV) or property names (items). */
export interface FieldMap {
	viewerId?: number | string;
	handle?: number | string;
	/** With a single viewer column of unknown kind: how to read it. */
	viewerKeyPolicy?: ViewerKeyPolicy;
	time?: number | string;
	storyId?: number | string;
	context?: number | string;
	type?: number | string;
	text?: number | string;
	locale?: number | string;
	extras?: ReadonlyArray<readonly [string, number | string]>;
}

const TYPE_SET: ReadonlySet<string> = new Set(EVENT_TYPES);
const TYPE_ALIASES: Readonly<Record<string, EventType>> = {
	viewed: 'view',
	seen: 'view',
	reply: 'story_reply',
	replied: 'story_reply',
	mention: 'story_mention',
	mentioned: 'story_mention',
	react: 'reaction',
	like: 'reaction',
	dm: 'message',
	click: 'link_click',
	visit: 'profile_visit',
};

/** Canonical event type from a free-text value ("Story Reply", "reply", "story-reply"), or undefined. */
export function normaliseEventType(value: string): EventType | undefined {
	const key = value.trim().toLowerCase().replace(/[\s-]+/g, '_');
	if (TYPE_SET.has(key)) return key as EventType;
	return TYPE_ALIASES[key];
}

/** Slots in the batch's cache of formatted timestamps (a power of two). */
const ISO_SLOTS = 1024;

/** Earliest instant accepted as a story event (Instagram Stories launched in August 2016). */
const EARLIEST_MS = Date.UTC(2010, 0, 1);

export type RowRecord = ArrayLike<unknown> | Record<string, unknown>;

/** True when `value` starts and ends with a visible ASCII character, so `trim()` would return it unchanged. */
function tidy(value: string): boolean {
	const first = value.charCodeAt(0);
	const last = value.charCodeAt(value.length - 1);
	return first > 32 && first < 127 && last > 32 && last < 127;
}

function text(value: unknown): string | undefined {
	if (typeof value === 'string') {
		if (tidy(value)) return value;
		const trimmed = value.trim();
		return trimmed === '' ? undefined : trimmed;
	}
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value === 'bigint') return value.toString();
	return undefined;
}

function blank(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && !tidy(value) && value.trim() === '');
}

export class IngestBatch {
	// Kept events and where they came from, in parallel arrays: no record object per event.
	private readonly events: CanonicalEvent[] = [];
	private readonly itemIndexes: number[] = [];
	private readonly merged = new Map<number, number[]>();
	private readonly invalid: InvalidRecord[] = [];
	private readonly index = new IdIndex((position) => this.events[position].eventId);
	private readonly counts: IngestCounts = { in: 0, valid: 0, invalid: 0, duplicate: 0 };
	private readonly ingestedAtIso: string;
	private readonly latestMs: number;
	private readonly matcher: KeywordMatcher;
	/**
	 * True when the batch-wide fields (source, sourceTool, ingestedAt, default type, and the ISO form of every
	 * accepted occurredAt) pass the schema. Then an event built by `addRow` is valid by construction — every
	 * other field is a non-empty trimmed string, an enum value picked from its list, or a plain object — and
	 * the per-row check is skipped; otherwise every row goes through `checkEvent` and zod names the reason.
	 */
	private readonly trusted: boolean;
	/**
	 * Recently formatted timestamps by second (1,024 slots): rows of one export share instants (a story's views
	 * fall within a day, often at second or minute resolution), so their events share one string.
	 */
	private readonly isoMs = new Float64Array(ISO_SLOTS).fill(NaN);
	private readonly isoStrings: string[] = new Array<string>(ISO_SLOTS).fill('');
	// The last storyId and context seen: equal values on later rows reuse the same string.
	private lastStoryId = '';
	private lastContext = '';
	private readonly plainTimeOptions: ParseInstantOptions;
	private readonly formatTimeOptions: ParseInstantOptions | undefined;

	constructor(readonly options: IngestOptions) {
		this.ingestedAtIso = toIso(options.ingestedAt);
		// A day of slack for clocks and zones; anything later is a mis-read column.
		this.latestMs = options.ingestedAt + DAY_MS;
		this.matcher = options.keywordMatcher ?? defaultKeywordMatcher;
		this.plainTimeOptions = { timeZone: options.timeZone };
		this.formatTimeOptions = options.timeFormat ? { format: options.timeFormat, timeZone: options.timeZone } : undefined;
		const probe = (ms: number) =>
			isCanonicalEventFast({
				eventId: 'ev_',
				viewerKey: 'probe',
				viewerKeyType: 'handle',
				type: options.defaultType ?? 'view',
				occurredAt: formatIsoUtc(ms),
				ingestedAt: this.ingestedAtIso,
				source: options.source,
				sourceTool: options.sourceTool,
			});
		this.trusted =
			Number.isFinite(this.latestMs) && probe(EARLIEST_MS) && probe(Math.max(EARLIEST_MS, Math.floor(this.latestMs)));
	}

	/** Expects about `rows` more records (a hint: sizes the de-duplication index once instead of growing it). */
	reserve(rows: number): void {
		if (rows > 0 && Number.isFinite(rows)) this.index.reserve(this.events.length + rows);
	}

	/** Records a refusal. `original` may be a function, called only here (rows are rebuilt lazily). */
	reject(reason: RejectReason, message: string, ref: SourceRef, original: unknown): void {
		this.counts.in++;
		this.counts.invalid++;
		const record: InvalidRecord = { reason, message, itemIndex: ref.itemIndex, row: ref.row, original };
		if (ref.line !== undefined) record.line = ref.line;
		this.invalid.push(record);
	}

	/** Validates a finished event and de-duplicates it. */
	addEvent(event: CanonicalEvent, ref: SourceRef, original: () => unknown): void {
		const checked = checkEvent(event);
		if (!checked.ok) {
			this.reject('schema', checked.reason, ref, original());
			return;
		}
		this.keep(checked.event, eventIdBucket(checked.event.eventId), ref.itemIndex);
	}

	/** Keeps a valid event, or merges it into the kept event with the same id (earliest `occurredAt` wins). */
	private keep(event: CanonicalEvent, bucket: number, itemIndex: number): void {
		this.counts.in++;
		const position = this.index.findOrInsert(bucket, event.eventId, this.events.length);
		if (position === -1) {
			this.events.push(event);
			this.itemIndexes.push(itemIndex);
			this.counts.valid++;
			return;
		}
		this.counts.duplicate++;
		if (event.occurredAt < this.events[position].occurredAt) this.events[position] = event;
		if (itemIndex !== this.itemIndexes[position]) {
			let merged = this.merged.get(position);
			if (merged === undefined) {
				merged = [];
				this.merged.set(position, merged);
			}
			if (!merged.includes(itemIndex)) merged.push(itemIndex);
		}
	}

	/**
	 * Maps one row (a CSV record or an item's JSON) to a canonical event, or refuses it with a reason.
	 * `originalOf` rebuilds the row as the user saw it, only for refusals. `ref` is read, never kept, so a
	 * caller may reuse one object for every row.
	 */
	addRow(record: RowRecord, map: FieldMap, ref: SourceRef, originalOf: (record: RowRecord) => unknown): void {
		const row = record as Record<string | number, unknown>;
		const o = this.options;

		// Viewer: a scoped id wins over a handle when both are present on the row.
		let viewerKey: string | undefined;
		let viewerKeyType: ViewerKeyType = 'handle';
		const id = map.viewerId === undefined ? undefined : text(row[map.viewerId]);
		if (id !== undefined) {
			viewerKey = id;
			viewerKeyType = 'igsid';
		} else if (map.handle !== undefined) {
			const raw = text(row[map.handle]);
			if (raw !== undefined) {
				if (map.viewerKeyPolicy === 'igsid') {
					viewerKey = raw;
					viewerKeyType = 'igsid';
				} else {
					// `raw` is trimmed already: without a leading @ it only needs lower-casing.
					const handle = raw.charCodeAt(0) === 64 ? normaliseHandle(raw) : raw.toLowerCase();
					if (handle !== '') viewerKey = handle;
				}
			}
		}
		if (viewerKey === undefined) {
			this.reject('missing_viewer', 'No viewer handle or id on this row', ref, originalOf(record));
			return;
		}

		// Time.
		const rawTime = map.time === undefined ? undefined : row[map.time];
		let ms: number | undefined;
		if (blank(rawTime)) {
			if (o.missingTime !== 'useIngestedAt') {
				this.reject('missing_time', 'No timestamp on this row', ref, originalOf(record));
				return;
			}
			ms = o.ingestedAt;
		} else {
			ms = this.parseTime(rawTime);
			if (ms === undefined || ms < EARLIEST_MS || ms > this.latestMs) {
				const why = ms === undefined ? 'is not a readable timestamp' : 'is outside 2010 … now + 1 day';
				this.reject('invalid_time', `Timestamp ${JSON.stringify(rawTime)} ${why}`, ref, originalOf(record));
				return;
			}
		}

		// Type.
		let type: EventType = o.defaultType ?? 'view';
		if (map.type !== undefined) {
			const rawType = row[map.type];
			if (!blank(rawType)) {
				const parsed = typeof rawType === 'string' ? normaliseEventType(rawType) : undefined;
				if (parsed === undefined) {
					this.reject('invalid_type', `Unknown event type ${JSON.stringify(rawType)}`, ref, originalOf(record));
					return;
				}
				type = parsed;
			}
		}

		if (o.pepper !== undefined) {
			viewerKey = pseudonymise(viewerKey, viewerKeyType, o.pepper);
			viewerKeyType = 'pseudonym';
		}
		let storyId = map.storyId === undefined ? undefined : text(row[map.storyId]);
		if (storyId !== undefined) {
			if (storyId === this.lastStoryId) storyId = this.lastStoryId;
			else this.lastStoryId = storyId;
		}
		let context = map.context === undefined ? undefined : text(row[map.context]);
		if (context !== undefined) {
			if (context === this.lastContext) context = this.lastContext;
			else this.lastContext = context;
		}
		const source = o.source;
		const sourceTool = o.sourceTool;
		let occurredAt: string;
		const slot = Math.floor(ms / 1000) & (ISO_SLOTS - 1);
		if (this.isoMs[slot] === ms) {
			occurredAt = this.isoStrings[slot];
		} else {
			occurredAt = formatIsoUtc(ms);
			this.isoMs[slot] = ms;
			this.isoStrings[slot] = occurredAt;
		}
		const eventId = deterministicEventId([source, sourceTool, viewerKeyType, viewerKey, storyId, occurredAt, type]);
		const ingestedAt = this.ingestedAtIso;
		// Built in one literal per shape (same key order as ever), so V8 keeps every field in the object.
		let event: CanonicalEvent;
		if (storyId !== undefined) {
			event =
				context !== undefined
					? { eventId, viewerKey, viewerKeyType, type, occurredAt, ingestedAt, source, sourceTool, storyId, context }
					: { eventId, viewerKey, viewerKeyType, type, occurredAt, ingestedAt, source, sourceTool, storyId };
		} else {
			event =
				context !== undefined
					? { eventId, viewerKey, viewerKeyType, type, occurredAt, ingestedAt, source, sourceTool, context }
					: { eventId, viewerKey, viewerKeyType, type, occurredAt, ingestedAt, source, sourceTool };
		}
		if (map.locale !== undefined) {
			const locale = text(row[map.locale]);
			if (locale !== undefined) event.locale = locale;
		}
		if (map.text !== undefined) {
			const raw = row[map.text];
			if (typeof raw === 'string' && raw !== '') {
				const keyword = this.matcher.match(raw);
				if (keyword) event.keyword = keyword;
				if (o.includeText) event.text = raw;
			}
		}
		if (map.extras !== undefined && map.extras.length > 0) {
			const extra: Record<string, unknown> = {};
			let any = false;
			for (const [name, key] of map.extras) {
				const value = row[key];
				if (value !== undefined && value !== '') {
					extra[name] = value;
					any = true;
				}
			}
			if (any) event.extra = extra;
		}
		if (!this.trusted || event.keyword !== undefined) {
			const checked = checkEvent(event);
			if (!checked.ok) {
				this.reject('schema', checked.reason, ref, originalOf(record));
				return;
			}
			event = checked.event;
		}
		this.keep(event, eventIdBucket(eventId), ref.itemIndex);
	}

	private parseTime(value: unknown): number | undefined {
		if (typeof value === 'number') return Number.isFinite(value) ? epochToMs(value) : undefined;
		if (this.formatTimeOptions !== undefined) {
			const formatted = parseInstant(value, this.formatTimeOptions);
			if (formatted !== undefined) return formatted;
		} else if (typeof value === 'string') {
			const fast = parseIsoOffset(value);
			if (fast !== undefined) return fast;
		}
		return parseInstant(value, this.plainTimeOptions);
	}

	result(): IngestResult {
		const { events, itemIndexes, merged } = this;
		let valid: KeptEvent[] | undefined;
		return {
			events,
			itemIndexes,
			mergedItemIndexes: merged,
			get valid(): KeptEvent[] {
				valid ??= events.map((event, i) => {
					const kept: KeptEvent = { event, itemIndex: itemIndexes[i] };
					const others = merged.get(i);
					if (others !== undefined) kept.mergedItemIndexes = others;
					return kept;
				});
				return valid;
			},
			invalid: this.invalid,
			counts: { ...this.counts },
		};
	}
}

/** "12 in · 9 valid · 2 invalid · 1 duplicate" for execution hints and logs. */
export function describeCounts(counts: IngestCounts): string {
	return `${counts.in} in · ${counts.valid} valid · ${counts.invalid} invalid · ${counts.duplicate} duplicate`;
}
