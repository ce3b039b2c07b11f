import type { CanonicalEvent, EventSource, EventType, KeywordFamily, ViewerKeyType } from './schema';

/** The extra field that holds a viewer's follower count in exports (CSV column `follower_count`). */
export const FOLLOWER_COUNT_FIELD = 'follower_count';

/**
 * One row of the events Data table (workflows/src/tables.js, TABLES.events): the canonical fields, every
 * optional one present (null when absent, as the table stores an empty cell), the follower count as a number,
 * and nothing else. `extra` and `text` have no column: a viewer list's extras other than the follower count and
 * message text are not stored.
 */
export interface EventsTableRow {
	eventId: string;
	viewerKey: string;
	viewerKeyType: ViewerKeyType;
	storyId: string | null;
	type: EventType;
	occurredAt: string;
	ingestedAt: string;
	source: EventSource;
	sourceTool: string;
	context: string | null;
	keyword: KeywordFamily | null;
	locale: string | null;
	followerCount: number | null;
}

/**
 * A follower count as a number: a finite number, or text that reads as one ("1200", " 35 "). Anything else
 * (empty, "1.2k", "n/a", missing) is null: an unknown count, never 0 and never NaN (a number column refuses NaN).
 */
export function followerCountOf(value: unknown): number | null {
	if (typeof value === 'number') return Number.isFinite(value) ? value : null;
	if (typeof value !== 'string') return null;
	const text = value.trim();
	if (text === '') return null;
	const count = Number(text);
	return Number.isFinite(count) ? count : null;
}

/** The events-table row of a canonical event (see EventsTableRow). */
export function toEventsTableRow(event: CanonicalEvent): EventsTableRow {
	return {
		eventId: event.eventId,
		viewerKey: event.viewerKey,
		viewerKeyType: event.viewerKeyType,
		storyId: event.storyId ?? null,
		type: event.type,
		occurredAt: event.occurredAt,
		ingestedAt: event.ingestedAt,
		source: event.source,
		sourceTool: event.sourceTool,
		context: event.context ?? null,
		keyword: event.keyword ?? null,
		locale: event.locale ?? null,
		followerCount: event.extra ? followerCountOf(event.extra[FOLLOWER_COUNT_FIELD]) : null,
	};
}
