import {
	EVENT_TYPES,
	type CanonicalEvent,
	type EventSource,
	type EventType,
	type ViewerKeyType,
} from '../events/schema';
import { deterministicEventId } from '../events/eventId';
import { defaultKeywordMatcher, type KeywordMatcher } from '../consent/keywords';
import { parseInstant, toIso, DAY_MS } from '../time/instant';
import { isoFromMs } from './isoTime';
import { normaliseHandle, pseudonymise } from './privacy';
import { checkEvent } from './validate';

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
	valid: KeptEvent[];
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

/** Earliest instant accepted as a story event (Instagram Stories launched in August 2016). */
const EARLIEST_MS = Date.UTC(2010, 0, 1);

export type RowRecord = ArrayLike<unknown> | Record<string, unknown>;

function text(value: unknown): string | undefined {
	if (typeof value === 'string') {
		const trimmed = value.trim();
		return trimmed === '' ? undefined : trimmed;
	}
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value === 'bigint') return value.toString();
	return undefined;
}

function blank(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

export class IngestBatch {
	private readonly kept: KeptEvent[] = [];
	private readonly invalid: InvalidRecord[] = [];
	private readonly byId = new Map<string, number>();
	private readonly counts: IngestCounts = { in: 0, valid: 0, invalid: 0, duplicate: 0 };
	private readonly ingestedAtIso: string;
	private readonly latestMs: number;
	private readonly matcher: KeywordMatcher;

	constructor(readonly options: IngestOptions) {
		this.ingestedAtIso = toIso(options.ingestedAt);
		// A day of slack for clocks and zones; anything later is a mis-read column.
		this.latestMs = options.ingestedAt + DAY_MS;
		this.matcher = options.keywordMatcher ?? defaultKeywordMatcher;
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
		const failure = this.keep(event, ref);
		if (failure !== undefined) this.reject('schema', failure, ref, original());
	}

	/** Keeps a valid event (or merges its duplicate) and returns undefined, or returns zod's reason. */
	private keep(event: CanonicalEvent, ref: SourceRef): string | undefined {
		const checked = checkEvent(event);
		if (!checked.ok) return checked.reason;
		this.counts.in++;
		const slot = this.byId.get(event.eventId);
		if (slot === undefined) {
			this.byId.set(event.eventId, this.kept.length);
			this.kept.push({ event: checked.event, itemIndex: ref.itemIndex });
			this.counts.valid++;
			return undefined;
		}
		this.counts.duplicate++;
		const kept = this.kept[slot];
		if (checked.event.occurredAt < kept.event.occurredAt) kept.event = checked.event;
		if (ref.itemIndex !== kept.itemIndex) {
			const merged = (kept.mergedItemIndexes ??= []);
			if (!merged.includes(ref.itemIndex)) merged.push(ref.itemIndex);
		}
		return undefined;
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
					const handle = normaliseHandle(raw);
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

		const occurredAt = isoFromMs(ms);
		if (o.pepper !== undefined) {
			viewerKey = pseudonymise(viewerKey, viewerKeyType, o.pepper);
			viewerKeyType = 'pseudonym';
		}
		const storyId = map.storyId === undefined ? undefined : text(row[map.storyId]);
		const event: CanonicalEvent = {
			eventId: deterministicEventId([o.source, o.sourceTool, viewerKeyType, viewerKey, storyId, occurredAt, type]),
			viewerKey,
			viewerKeyType,
			type,
			occurredAt,
			ingestedAt: this.ingestedAtIso,
			source: o.source,
			sourceTool: o.sourceTool,
		};
		if (storyId !== undefined) event.storyId = storyId;
		if (map.context !== undefined) {
			const context = text(row[map.context]);
			if (context !== undefined) event.context = context;
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
		const failure = this.keep(event, ref);
		if (failure !== undefined) this.reject('schema', failure, ref, originalOf(record));
	}

	private parseTime(value: unknown): number | undefined {
		const o = this.options;
		if (o.timeFormat) {
			const formatted = parseInstant(value, { format: o.timeFormat, timeZone: o.timeZone });
			if (formatted !== undefined) return formatted;
		}
		return parseInstant(value, { timeZone: o.timeZone });
	}

	result(): IngestResult {
		return { valid: this.kept, invalid: this.invalid, counts: { ...this.counts } };
	}
}

/** "12 in · 9 valid · 2 invalid · 1 duplicate" for execution hints and logs. */
export function describeCounts(counts: IngestCounts): string {
	return `${counts.in} in · ${counts.valid} valid · ${counts.invalid} invalid · ${counts.duplicate} duplicate`;
}
