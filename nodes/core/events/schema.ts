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

export const canonicalEventSchema = z.object({
	eventId: z.string().min(1),
	viewerKey: z.string().min(1),
	viewerKeyType: z.enum(VIEWER_KEY_TYPES),
	storyId: z.string().optional(),
	type: z.enum(EVENT_TYPES),
	occurredAt: isoUtc,
	ingestedAt: isoUtc,
	source: z.enum(EVENT_SOURCES),
	sourceTool: z.string().min(1),
	context: z.string().optional(),
	keyword: z.enum(KEYWORD_FAMILIES).optional(),
	locale: z.string().optional(),
	/** Only present when the user opted in to keep message text. */
	text: z.string().optional(),
	/** Allow-listed extra fields chosen by the user (e.g. reaction emoji, story metrics). */
	extra: z.record(z.string(), z.unknown()).optional(),
});

export type CanonicalEvent = z.infer<typeof canonicalEventSchema>;

export type EventValidation =
	| { ok: true; event: CanonicalEvent }
	| { ok: false; reason: string };

/** Validates one stored or incoming event; the reason names the failing fields for the user. */
export function validateEvent(value: unknown): EventValidation {
	const result = canonicalEventSchema.safeParse(value);
	if (result.success) return { ok: true, event: result.data };
	const reason = result.error.issues
		.map((issue) => `${issue.path.join('.') || 'event'}: ${issue.message}`)
		.join('; ');
	return { ok: false, reason };
}
