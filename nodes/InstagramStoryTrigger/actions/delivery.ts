import type {
	IDataObject,
	INodeProperties,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { verifyMetaSignature } from '../../core/capture/signature';
import { describeInvalidUpdates, readSignedDelivery } from '../../core/capture/delivery';
import type { WebhookExtraField } from '../../core/capture/webhook';
import type { CanonicalEvent } from '../../core/events/schema';
import { needsMentionStoryLookup, withMentionStory } from '../../core/capture/mentionStory';
import { getGraphSession, graphApiCall, type GraphSession } from '../../shared/transport';
import { PRIVACY_HOLD, answer, holdWithoutPepper, readPepperState } from '../helpers';

/** The delivery's parameters (events, pseudonymise, options) are the whole node's: see ../description.ts. */
export const description: INodeProperties[] = [];

/**
 * Meta's signed POST: verify X-Hub-Signature-256, parse, keep the wanted event types, start the workflow.
 * Broken updates (or a body that is not JSON) are logged, never answered with an error status.
 */
export async function execute(
	this: IWebhookFunctions,
	appSecret: string,
): Promise<IWebhookResponseData> {
	const req = this.getRequestObject();
	if (!req.rawBody) await req.readRawBody();
	const raw = req.rawBody ?? Buffer.alloc(0);
	const signature = verifyMetaSignature(raw, req.headers, appSecret);
	if (!signature.ok) {
		if (signature.reason === 'missing_secret') return answer(this, 500, 'No app secret is set in the credential');
		const missing = signature.reason === 'missing_signature' || signature.reason === 'sha1_only';
		return missing ? answer(this, 401, 'Missing X-Hub-Signature-256') : answer(this, 403, 'Invalid signature');
	}

	const wanted = new Set(this.getNodeParameter('events', []) as string[]);
	const options = this.getNodeParameter('options', {}) as {
		extraFields?: WebhookExtraField[];
		ignoreEchoes?: boolean;
		includeMessageText?: boolean;
		lookUpMentionStoryIds?: boolean;
	};
	// Pseudonymise on but no usable pepper (the credential broke after publishing): acknowledge, keep objections.
	const pepperState = await readPepperState(this);
	const pepper = 'pepper' in pepperState ? pepperState.pepper : undefined;
	// A signed body is always acknowledged with 200: anything else makes Meta redeliver it for 36 hours.
	const delivery = readSignedDelivery(
		raw.toString('utf8'),
		{
			ingestedAt: Date.now(),
			includeText: options.includeMessageText === true,
			ignoreEchoes: options.ignoreEchoes !== false,
			extraFields: options.extraFields ?? [],
			pepper,
		},
		wanted,
	);
	if (delivery.invalid.length > 0) this.logger.warn(describeInvalidUpdates(delivery.invalid));
	let events =
		options.lookUpMentionStoryIds === true ? await withMentionStories(this, delivery.events, delivery.messageIds) : delivery.events;
	if ('problem' in pepperState && events.length > 0) {
		const held = holdWithoutPepper(events, pepperState.problem);
		this.logger.error(
			`Instagram Story Trigger: Pseudonymise Viewers is on, but the pepper cannot be used (${pepperState.problem}). ${held.held} event(s) a person wrote emitted with the key Meta sent and extra.privacyHold = "${PRIVACY_HOLD}"; ${held.withheld} reaction/mention event(s) withheld. Fix the Story Leads Privacy API credential.`,
		);
		events = held.kept;
	}
	// Signed but nothing the user asked for (echoes, unselected or unsupported types): acknowledge, do not run.
	if (events.length === 0) return answer(this, 200, 'EVENT_RECEIVED');
	return { workflowData: [events.map((event) => ({ json: event as unknown as IDataObject }))] };
}

/**
 * "Look Up Mention Story IDs": one `GET /{mid}?fields=story` per story mention, tried once (Meta waits for the
 * answer to this delivery). A refusal keeps the mention, with the reason in extra.storyIdLookup.
 */
async function withMentionStories(
	ctx: IWebhookFunctions,
	events: CanonicalEvent[],
	messageIds: Array<string | undefined>,
): Promise<CanonicalEvent[]> {
	let session: GraphSession | undefined;
	let unusable: string | undefined;
	const out: CanonicalEvent[] = [];
	for (let i = 0; i < events.length; i++) {
		const mid = messageIds[i];
		if (!needsMentionStoryLookup(events[i], mid)) {
			out.push(events[i]);
			continue;
		}
		if (!session && unusable === undefined) {
			try {
				session = await getGraphSession.call(ctx);
			} catch (error) {
				// A credential the look-up cannot use must not cost the delivery (an error status makes Meta redeliver it).
				unusable = 'invalid_credential';
				ctx.logger.warn(`Instagram webhook: story ids of mentions not looked up (${(error as Error).message})`);
			}
		}
		if (!session) {
			out.push(withMentionStory(events[i], { ok: false, reason: unusable ?? 'invalid_credential' }));
			continue;
		}
		const result = await graphApiCall.call(ctx, 'GET', `/${encodeURIComponent(mid)}`, {
			qs: { fields: 'story' },
			session,
			purpose: 'messaging',
			retry: { policy: { maxAttempts: 1, transientMaxAttempts: 1 } },
		});
		if (!result.ok) ctx.logger.warn(`Instagram webhook: story id of a mention not available (${result.error.reason})`);
		out.push(withMentionStory(events[i], result.ok ? { ok: true, body: result.body } : { ok: false, reason: result.error.reason }));
	}
	return out;
}
