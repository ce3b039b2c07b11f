import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import {
	NAVIGATION_METRIC,
	NOT_ENOUGH_VIEWERS_CODE,
	STORY_FIELDS,
	STORY_METRICS,
	isNotEnoughViewers,
	storyInsightsEvent,
} from '../../core/capture/graphStories';
import type { IngestBatch } from '../../core/capture/ingest';
import {
	getGraphSession,
	graphApiCall,
	graphApiRequestAllItems,
	graphErrorToNodeError,
	type GraphSession,
} from '../../shared/transport';

const properties: INodeProperties[] = [
	{
		displayName:
			'Lists the account\'s live stories with their aggregate insights, one story-level record each (type story_insights). Instagram gives no list of who viewed a story.',
		name: 'graphNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Include Navigation',
		name: 'includeNavigation',
		type: 'boolean',
		default: true,
		description:
			'Whether to also fetch taps forward/back, exits and swipes (one extra call per story: Meta requires navigation on its own)',
	},
	{
		displayName: 'Max Stories',
		name: 'maxStories',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 100,
		description: 'Max number of live stories to read',
	},
];

export const description = updateDisplayOptions({ show: { operation: ['graphApiStories'] } }, properties);

type InsightsAnswer = { ok: true; answer: unknown } | { ok: false; reason: string; message: string };

/** One insights call: a body, error 10 "not enough viewers" as an answer, a per-story refusal, or a throw. */
async function insights(
	ctx: IExecuteFunctions,
	session: GraphSession,
	storyId: string,
	qs: IDataObject,
	itemIndex: number,
): Promise<InsightsAnswer> {
	const result = await graphApiCall.call(ctx, 'GET', `/${storyId}/insights`, {
		qs,
		itemIndex,
		session,
		purpose: 'insights',
	});
	if (result.ok) return { ok: true, answer: result.body };
	const error = { code: result.error.code, message: result.error.graphMessage ?? result.error.message };
	const belowThreshold =
		result.error.reason === 'below_threshold' ||
		(error.code === NOT_ENOUGH_VIEWERS_CODE && isNotEnoughViewers({ error }));
	if (belowThreshold) return { ok: true, answer: { error: { ...error, code: NOT_ENOUGH_VIEWERS_CODE } } };
	// A story that expired or is refused on its own goes to Invalid; account-level problems stop the node.
	if (result.error.perRecipient) {
		return { ok: false, reason: result.error.reason, message: `${result.error.reason}: ${result.error.message}` };
	}
	throw graphErrorToNodeError(ctx.getNode(), result, itemIndex);
}

/** Reads the live stories of the credential's account and their insights into story-level records. */
export async function execute(this: IExecuteFunctions, batch: IngestBatch, itemIndex: number): Promise<void> {
	const session = await getGraphSession.call(this, itemIndex);
	const accountId = session.connection.accountId;
	if (!accountId) {
		throw new NodeOperationError(this.getNode(), 'The Instagram API credential has no Instagram Account ID', {
			itemIndex,
			description:
				'Set "Instagram Account ID" in the credential to the professional account ID: user_id of GET /me?fields=user_id,username (Instagram Login) or the Page\'s instagram_business_account (Facebook Login). Testing the credential shows it.',
		});
	}
	const includeNavigation = this.getNodeParameter('includeNavigation', itemIndex, true) as boolean;
	const maxStories = this.getNodeParameter('maxStories', itemIndex, 100) as number;
	const stories = await graphApiRequestAllItems.call(this, 'GET', `/${accountId}/stories`, {
		qs: { fields: STORY_FIELDS },
		itemIndex,
		session,
		purpose: 'stories',
		limit: maxStories,
	});
	let row = 0;
	for (const story of stories) {
		row++;
		const ref = { itemIndex, row };
		const storyId = typeof story.id === 'string' || typeof story.id === 'number' ? String(story.id) : '';
		let metrics: unknown;
		let navigation: unknown;
		if (storyId) {
			const answer = await insights(this, session, storyId, { metric: STORY_METRICS.join(',') }, itemIndex);
			if (!answer.ok) {
				batch.reject('graph_refused', answer.message, ref, story);
				continue;
			}
			metrics = answer.answer;
			if (includeNavigation) {
				const nav = await insights(
					this,
					session,
					storyId,
					{ metric: NAVIGATION_METRIC, breakdown: 'story_navigation_action_type' },
					itemIndex,
				);
				navigation = nav.ok ? nav.answer : undefined;
			}
		}
		const mapped = storyInsightsEvent(
			{ story, metrics, navigation },
			{ accountId, ingestedAt: batch.options.ingestedAt, sourceTool: batch.options.sourceTool },
		);
		if (mapped.ok) batch.addEvent(mapped.event, ref, () => story);
		else batch.reject(mapped.reason, mapped.message, ref, story);
	}
}
