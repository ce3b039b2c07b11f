import { z } from 'zod';

/**
 * The canonical story-interest event: the one shape every capture path emits and every other node reads.
 * Minimal on purpose: anything else is kept only when the user picks it from an allow-list (`extra`).
 */
export const EVENT_TYPES = [
	'view',
	'story_reply',
	'story_mention',
	'reaction',
	'message',
	'postback',
	'comment',
	'profile_visit',
	'link_click',
	'story_insights',
	'email_open',
	'email_click',
	'site_visit',
	// The person saw a DM the account sent (Instagram's messaging_seen webhook): the DM open signal.
	'message_seen',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Interactions a person makes with the account (everything but passive views, insights and email/site signals). */
export const INTERACTION_TYPES: readonly EventType[] = [
	'story_reply',
	'story_mention',
	'reaction',
	'message',
	'postback',
	'comment',
];

export const VIEWER_KEY_TYPES = ['igsid', 'handle', 'pseudonym'] as const;
export type ViewerKeyType = (typeof VIEWER_KEY_TYPES)[number];

export const EVENT_SOURCES = ['webhook', 'csv', 'items', 'graph_api'] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];

export const KEYWORD_FAMILIES = ['opt_out', 'opt_in', 'help'] as const;
export type KeywordFamily = (typeof KEYWORD_FAMILIES)[number];

const isoUtc = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/, 'must be ISO 8601 in UTC, e.g. 2026-11-22T10:00:00.000Z');

/**
 * Optional fields also accept null and read it as absent: a Data table or database row holds null for an empty
 * cell, and an event read back from storage must validate the same as the event that was stored.
 */
const absentIfNull = <T extends z.ZodTypeAny>(schema: T) =>
	schema
		.nullish()
		.transform((value): z.output<T> | undefined => (value === null ? undefined : value));

/** The optional fields of the canonical event (null counts as absent in each). */
export const OPTIONAL_EVENT_FIELDS = ['storyId', 'context', 'keyword', 'locale', 'text', 'extra'] as const;

export const canonicalEventSchema = z.object({
	eventId: z.string().min(1),
	viewerKey: z.string().min(1),
	viewerKeyType: z.enum(VIEWER_KEY_TYPES),
	storyId: absentIfNull(z.string()),
	type: z.enum(EVENT_TYPES),
	occurredAt: isoUtc,
	ingestedAt: isoUtc,
	source: z.enum(EVENT_SOURCES),
	sourceTool: z.string().min(1),
	context: absentIfNull(z.string()),
	keyword: absentIfNull(z.enum(KEYWORD_FAMILIES)),
	locale: absentIfNull(z.string()),
	/** Only present when the user opted in to keep message text. */
	text: absentIfNull(z.string()),
	/** Allow-listed extra fields chosen by the user (e.g. reaction emoji, story metrics). */
	extra: absentIfNull(z.record(z.string(), z.unknown())),
});

export type CanonicalEvent = z.infer<typeof canonicalEventSchema>;

export type EventValidation =
	| { ok: true; event: CanonicalEvent }
	| { ok: false; reason: string };

/** Validates one stored or incoming event; the reason names the failing fields for the user. */
export function validateEvent(value: unknown): EventValidation {
	const result = canonicalEventSchema.safeParse(value);
	if (result.success) return { ok: true, event: withoutAbsentFields(result.data) };
	const reason = result.error.issues
		.map((issue) => `${issue.path.join('.') || 'event'}: ${issue.message}`)
		.join('; ');
	return { ok: false, reason };
}

/** Drops the optional fields that are undefined (a null read back from storage), so the event has no such key. */
function withoutAbsentFields(event: CanonicalEvent): CanonicalEvent {
	for (const field of OPTIONAL_EVENT_FIELDS) if (field in event && event[field] === undefined) delete event[field];
	return event;
}

/** Whether an event holds null in an optional field (the fast validators then let zod build a clean copy). */
export function hasNullOptionalField(value: Record<string, unknown>): boolean {
	return (
		value.storyId === null ||
		value.context === null ||
		value.keyword === null ||
		value.locale === null ||
		value.text === null ||
		value.extra === null
	);
}
