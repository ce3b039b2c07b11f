import type { CanonicalEvent } from '../events/schema';
import { deterministicEventId } from '../events/eventId';
import { parseInstant, toIso } from '../time/instant';

/**
 * Story-level records from the Graph API: `/{ig-user-id}/stories` lists the live stories (media ids, no
 * viewers — the platform gives no per-viewer list), `/{media-id}/insights` gives aggregate counts. Navigation
 * (tap forward/back/exit, swipe) must be asked for in its own call. Below 5 viewers Meta answers error 10
 * "Not enough viewers", which becomes a below-threshold record rather than a failure.
 */

export const STORY_METRICS = [
	'views',
	'reach',
	'replies',
	'shares',
	'total_interactions',
	'follows',
	'profile_visits',
] as const;
export const NAVIGATION_METRIC = 'navigation';
export const STORY_FIELDS = 'id,timestamp,media_type,media_product_type,permalink';
export const GRAPH_SOURCE_TOOL = 'instagram_graph_api';

/** Meta's "(#10) Not enough viewers for the media to show insights". */
export const NOT_ENOUGH_VIEWERS_CODE = 10;

type Obj = Record<string, unknown>;
const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A Graph API answer: the JSON body, or the `{ error }` object of a failed call. */
export type GraphAnswer = unknown;

export interface StoryInsightsInput {
	story: unknown;
	/** Answer of `/{media-id}/insights?metric=views,reach,…`. */
	metrics?: GraphAnswer;
	/** Answer of `/{media-id}/insights?metric=navigation&breakdown=story_navigation_action_type`. */
	navigation?: GraphAnswer;
}

export interface StoryMappingOptions {
	/** The Instagram professional account id (the story owner): kept as the record's viewerKey. */
	accountId: string;
	ingestedAt: number;
	sourceTool?: string;
}

export type StoryMapping = { ok: true; event: CanonicalEvent } | { ok: false; reason: 'malformed_payload'; message: string };

/** The `error.code` of a Graph error answer (or of an n8n error wrapping one), else undefined. */
export function graphErrorCode(answer: unknown): number | undefined {
	if (!isObj(answer)) return undefined;
	const error = isObj(answer.error) ? answer.error : answer;
	const code = error.code ?? error.error_code;
	if (typeof code === 'number') return code;
	if (typeof code === 'string' && /^\d+$/.test(code)) return Number(code);
	return undefined;
}

export function isNotEnoughViewers(answer: unknown): boolean {
	if (graphErrorCode(answer) !== NOT_ENOUGH_VIEWERS_CODE) return false;
	const error = isObj(answer) && isObj(answer.error) ? answer.error : answer;
	const message = isObj(error) && typeof error.message === 'string' ? error.message : '';
	// Code 10 is also "permission denied"; only the insights wording means below threshold.
	return message === '' || /not enough viewers/i.test(message);
}

function metricValue(entry: Obj): number | undefined {
	const total = isObj(entry.total_value) ? entry.total_value.value : undefined;
	if (typeof total === 'number') return total;
	const values = Array.isArray(entry.values) ? entry.values : [];
	const first = isObj(values[0]) ? values[0].value : undefined;
	return typeof first === 'number' ? first : undefined;
}

/** `{ views: 120, reach: 80, … }` from an insights answer; metrics Meta left out are absent, not 0. */
export function readMetrics(answer: unknown): Record<string, number> {
	const metrics: Record<string, number> = {};
	const data = isObj(answer) && Array.isArray(answer.data) ? answer.data : [];
	for (const entry of data) {
		if (!isObj(entry) || typeof entry.name !== 'string' || entry.name === NAVIGATION_METRIC) continue;
		const value = metricValue(entry);
		if (value !== undefined) metrics[entry.name] = value;
	}
	return metrics;
}

/** `{ total: 25, tap_forward: 19, tap_back: 3, … }` from a navigation answer, or undefined. */
export function readNavigation(answer: unknown): Record<string, number> | undefined {
	const data = isObj(answer) && Array.isArray(answer.data) ? answer.data : [];
	const entry = data.find((e): e is Obj => isObj(e) && e.name === NAVIGATION_METRIC);
	if (!entry) return undefined;
	const navigation: Record<string, number> = {};
	const total = metricValue(entry);
	if (total !== undefined) navigation.total = total;
	const breakdowns = isObj(entry.total_value) && Array.isArray(entry.total_value.breakdowns) ? entry.total_value.breakdowns : [];
	for (const breakdown of breakdowns) {
		const results = isObj(breakdown) && Array.isArray(breakdown.results) ? breakdown.results : [];
		for (const result of results) {
			if (!isObj(result) || typeof result.value !== 'number') continue;
			const key = Array.isArray(result.dimension_values) ? result.dimension_values.join('_') : '';
			if (key) navigation[key.toLowerCase()] = result.value;
		}
	}
	return navigation;
}

/** One story + its insight answers → one `story_insights` record (source `graph_api`). */
export function storyInsightsEvent(input: StoryInsightsInput, options: StoryMappingOptions): StoryMapping {
	const story = input.story;
	const storyId = isObj(story) && (typeof story.id === 'string' || typeof story.id === 'number') ? String(story.id) : '';
	if (!storyId) return { ok: false, reason: 'malformed_payload', message: 'A story in the list has no id' };
	const sourceTool = options.sourceTool ?? GRAPH_SOURCE_TOOL;
	const postedMs = isObj(story) ? parseInstant(story.timestamp) : undefined;
	const belowThreshold = isNotEnoughViewers(input.metrics) || isNotEnoughViewers(input.navigation);
	const extra: Obj = { metrics: readMetrics(input.metrics), belowThreshold };
	const navigation = readNavigation(input.navigation);
	if (navigation !== undefined) extra.navigation = navigation;
	if (isObj(story) && typeof story.media_type === 'string') extra.mediaType = story.media_type;
	const event: CanonicalEvent = {
		eventId: deterministicEventId(['graph_api', sourceTool, options.accountId, storyId, 'story_insights']),
		viewerKey: options.accountId,
		viewerKeyType: 'igsid',
		storyId,
		type: 'story_insights',
		occurredAt: toIso(postedMs ?? options.ingestedAt),
		ingestedAt: toIso(options.ingestedAt),
		source: 'graph_api',
		sourceTool,
		extra,
	};
	return { ok: true, event };
}

/** The ids in a `/{ig-user-id}/stories` page (`{ data: [{ id }] }`) or a plain list of stories. */
export function storiesFromAnswer(answer: unknown): unknown[] {
	if (Array.isArray(answer)) return answer;
	return isObj(answer) && Array.isArray(answer.data) ? answer.data : [];
}
