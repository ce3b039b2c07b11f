import {
	graphErrorCode,
	isNotEnoughViewers,
	readMetrics,
	readNavigation,
	storiesFromAnswer,
	storyInsightsEvent,
} from '../../../nodes/core/capture/graphStories';
import { canonicalEventSchema } from '../../../nodes/core/events/schema';

const NOW = Date.parse('2026-11-22T10:00:00.000Z');
const options = { accountId: '17841400000000000', ingestedAt: NOW };
const story = { id: '17861937508009798', timestamp: '2026-11-22T08:00:00+0000', media_type: 'IMAGE' };

const metricsAnswer = {
	data: [
		{ name: 'views', period: 'lifetime', values: [{ value: 120 }] },
		{ name: 'reach', period: 'lifetime', values: [{ value: 80 }] },
		{ name: 'replies', period: 'lifetime', values: [{ value: 0 }] },
		{ name: 'shares', period: 'lifetime', total_value: { value: 3 } },
		{ name: 'total_interactions', period: 'lifetime', values: [{ value: 3 }] },
		{ name: 'follows', period: 'lifetime', values: [{ value: 1 }] },
	],
};
const navigationAnswer = {
	data: [
		{
			name: 'navigation',
			period: 'lifetime',
			values: [{ value: 25 }],
			total_value: {
				value: 25,
				breakdowns: [
					{
						dimension_keys: ['story_navigation_action_type'],
						results: [
							{ dimension_values: ['tap_forward'], value: 19 },
							{ dimension_values: ['TAP_BACK'], value: 3 },
							{ dimension_values: ['tap_exit'], value: 3 },
						],
					},
				],
			},
			id: '17861937508009798/insights/navigation/lifetime',
		},
	],
};
const notEnough = { error: { message: '(#10) Not enough viewers for the media to show insights', type: 'OAuthException', code: 10 } };

describe('Graph API stories → story-level records', () => {
	it('maps a story with metrics and navigation (asked separately) to one story_insights record', () => {
		const mapped = storyInsightsEvent({ story, metrics: metricsAnswer, navigation: navigationAnswer }, options);
		expect(mapped.ok).toBe(true);
		if (!mapped.ok) return;
		expect(canonicalEventSchema.safeParse(mapped.event).success).toBe(true);
		expect(mapped.event).toEqual({
			eventId: expect.stringMatching(/^ev_/),
			viewerKey: options.accountId,
			viewerKeyType: 'igsid',
			storyId: '17861937508009798',
			type: 'story_insights',
			occurredAt: '2026-11-22T08:00:00.000Z',
			ingestedAt: '2026-11-22T10:00:00.000Z',
			source: 'graph_api',
			sourceTool: 'instagram_graph_api',
			extra: {
				metrics: { views: 120, reach: 80, replies: 0, shares: 3, total_interactions: 3, follows: 1 },
				navigation: { total: 25, tap_forward: 19, tap_back: 3, tap_exit: 3 },
				belowThreshold: false,
				mediaType: 'IMAGE',
			},
		});
	});

	it('turns error 10 "not enough viewers" into a below-threshold record, not a failure', () => {
		const mapped = storyInsightsEvent({ story, metrics: notEnough, navigation: notEnough }, options);
		expect(mapped).toMatchObject({ ok: true, event: { extra: { metrics: {}, belowThreshold: true } } });
		expect(isNotEnoughViewers(notEnough)).toBe(true);
		expect(isNotEnoughViewers({ error: { code: 10, message: '(#10) Application does not have permission' } })).toBe(false);
		expect(isNotEnoughViewers({ error: { code: 100, message: 'Not enough viewers' } })).toBe(false);
		expect(graphErrorCode({ error: { code: '10' } })).toBe(10);
		expect(graphErrorCode({ code: 190 })).toBe(190);
		expect(graphErrorCode('x')).toBeUndefined();
	});

	it('keeps the same id on a re-run (upsert refreshes the metrics) and refuses a story without id', () => {
		const a = storyInsightsEvent({ story, metrics: metricsAnswer }, options);
		const b = storyInsightsEvent({ story, metrics: { data: [] } }, { ...options, ingestedAt: NOW + 3_600_000 });
		expect(a.ok && b.ok && a.event.eventId === b.event.eventId).toBe(true);
		expect(storyInsightsEvent({ story: {} }, options)).toEqual({
			ok: false,
			reason: 'malformed_payload',
			message: 'A story in the list has no id',
		});
	});

	it('reads metrics leniently: missing metrics stay absent, never 0', () => {
		expect(readMetrics({ data: [{ name: 'views', values: [] }, { name: 'reach', values: [{ value: 5 }] }, 'x'] })).toEqual({
			reach: 5,
		});
		expect(readMetrics(undefined)).toEqual({});
		expect(readNavigation(metricsAnswer)).toBeUndefined();
		expect(storiesFromAnswer({ data: [{ id: '1' }] })).toEqual([{ id: '1' }]);
		expect(storiesFromAnswer([{ id: '2' }])).toEqual([{ id: '2' }]);
		expect(storiesFromAnswer(null)).toEqual([]);
	});
});
