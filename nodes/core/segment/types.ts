import type { EventType, ViewerKeyType } from '../events/schema';

/** Built-in segments, in priority order (route mode "first match" and the order of `segments` on an item). */
export const BUILT_IN_SEGMENTS = [
	'highEngagement',
	'profileVisitor',
	'repeatViewer',
	'topScore',
	'languagePlace',
] as const;
export type BuiltInSegment = (typeof BUILT_IN_SEGMENTS)[number];

/** The bot segment comes after every other one; a possible bot gets no other segment. */
export const BOT_SEGMENT = 'possibleBot';
/** Route mode's last output; never a segment name. */
export const NO_SEGMENT = 'noSegment';

export type CustomOperation =
	| 'equals'
	| 'notEquals'
	| 'contains'
	| 'notContains'
	| 'startsWith'
	| 'oneOf'
	| 'exists'
	| 'notExists'
	| 'gt'
	| 'gte'
	| 'lt'
	| 'lte';

export const CUSTOM_OPERATIONS: readonly CustomOperation[] = [
	'equals',
	'notEquals',
	'contains',
	'notContains',
	'startsWith',
	'oneOf',
	'exists',
	'notExists',
	'gt',
	'gte',
	'lt',
	'lte',
];

/** One condition of a custom segment; conditions sharing a segment name must all hold. */
export interface CustomCondition {
	segment: string;
	/** `score`, `stats.<name>` (e.g. `stats.distinctStories`, `stats.events.reaction`) or an event path (`extra.city`). */
	field: string;
	operation: CustomOperation;
	value: string;
}

export type BotSignal = 'noFollowers' | 'emptyBio' | 'noProfilePic';
export const BOT_SIGNALS: readonly BotSignal[] = ['noFollowers', 'emptyBio', 'noProfilePic'];

export interface SegmentRules {
	repeatViewer?: { minStories: number };
	profileVisitor?: { minVisits: number; countLinkClicks: boolean };
	highEngagement?: { eventTypes: EventType[]; minInteractions: number };
	languagePlace?: { field: string; values: string[]; match: 'prefix' | 'exact' };
	topScore?: { topPercent: number };
	possibleBot?: { maxFollowers: number; minSignals: number; signals: BotSignal[] };
	custom?: { conditions: CustomCondition[]; caseSensitive: boolean };
}

export interface SegmentOptions {
	/** Epoch ms of "As of": the window is (asOf − window, asOf]. */
	asOfMs: number;
	windowDays: number;
	/** Omitted rules are off. */
	rules: SegmentRules;
	/** Score weight per event type (missing types weigh 0). */
	weights: Partial<Record<EventType, number>>;
	/** Recency half-life in days; 0 or undefined means no decay. */
	halfLifeDays?: number;
	/** Input indexes kept per viewer for pairedItem (0 = none). */
	maxItemsPerViewer?: number;
	/** Stop at the first invalid event (the node throws) instead of collecting all of them. */
	stopOnInvalid?: boolean;
}

export interface ViewerStats {
	distinctStories: number;
	/** In-window events per type, non-zero types only, in EVENT_TYPES order. */
	events: Partial<Record<EventType, number>>;
	eventsInWindow: number;
	/** This viewer's valid events before the window or after As of. */
	ignoredOutsideWindow: number;
	firstSeen: string;
	lastSeen: string;
	/** A reply, reaction, mention, message, postback or comment at or after the first in-window view. */
	engagedAfterView: boolean;
	locale: string | null;
}

export interface ViewerResult {
	viewerKey: string;
	viewerKeyType: ViewerKeyType;
	segments: string[];
	score: number;
	/** 1-based place in the score ranking (possible bots and zero scores are not ranked). */
	rank: number | null;
	stats: ViewerStats;
	reasons: string[];
	/** Contributing input indexes (ascending input order, at most maxItemsPerViewer). */
	items: number[];
	/** Total contributing input items (may exceed items.length). */
	itemCount: number;
}

export interface InvalidEvent {
	index: number;
	reason: string;
}

export interface SegmentSummary {
	events: number;
	invalid: number;
	inWindow: number;
	beforeWindow: number;
	afterAsOf: number;
	viewers: number;
	/** Viewers whose every event was outside the window: counted here, not emitted. */
	viewersOutsideWindowOnly: number;
	/** Per segment name, emitted viewers in it (route "first" or not). */
	segments: Record<string, number>;
	noSegment: number;
}

export interface SegmentResult {
	/** Sorted by score desc, lastSeen desc, viewerKey asc, viewerKeyType asc. */
	viewers: ViewerResult[];
	invalid: InvalidEvent[];
	summary: SegmentSummary;
	/** Every segment the options can produce, in priority order (the route outputs before "No segment"). */
	segmentOrder: string[];
}

/** Default score weights: interactions that show intent weigh more than a passive view. */
export const DEFAULT_WEIGHTS: Record<EventType, number> = {
	view: 1,
	story_reply: 5,
	story_mention: 4,
	reaction: 3,
	message: 4,
	postback: 2,
	comment: 2,
	profile_visit: 3,
	link_click: 4,
	story_insights: 0,
	email_open: 1,
	email_click: 2,
	site_visit: 2,
	// Seeing a DM is passive, like an email open.
	message_seen: 1,
};

export const DEFAULT_ENGAGEMENT_TYPES: EventType[] = [
	'story_reply',
	'reaction',
	'story_mention',
	'message',
	'postback',
];
