import {
	NodeApiError,
	NodeOperationError,
	fromFunction,
	webhookDescriptionFields,
	type IDataObject,
	type IHookFunctions,
	type IWebhookDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
	type JsonObject,
} from 'n8n-workflow';

import { pepperProblem } from '../core/capture/privacy';
import type { CanonicalEvent } from '../core/events/schema';
import { PRIVACY_CREDENTIAL } from '../shared/privacy';
import {
	describeSubscriptionFailure,
	fieldsToSubscribe,
	missingFields,
	subscribedFieldsOf,
	subscriptionFields,
	subscriptionTarget,
	type SubscriptionStep,
} from '../core/capture/subscription';
import { getGraphSession, graphApiCall, type GraphCallFailure, type GraphSession } from '../shared/transport';

/** Plain-text answer and no workflow run. */
export function answer(ctx: IWebhookFunctions, status: number, text: string): IWebhookResponseData {
	ctx.getResponseObject().status(status).type('text/plain').send(text).end();
	return { noWebhookResponse: true };
}

/**
 * Reading a credential in a webhook costs n8n a database read, a decryption and a fresh expression isolate
 * (about as much as the rest of a small run), so signed deliveries reuse the app secret for a short while.
 * A rotated secret takes effect within this time; Meta retries deliveries that were refused meanwhile.
 */
const SECRET_TTL_MS = 60_000;
const secrets = new Map<string, { appSecret: string; readAt: number }>();

/** The app secret of the node's Instagram credential, read at most once a minute per credential. */
export async function appSecretOf(ctx: IWebhookFunctions): Promise<string> {
	const id = ctx.getNode().credentials?.instagramApi?.id ?? '';
	const cached = id ? secrets.get(id) : undefined;
	const now = Date.now();
	if (cached && now - cached.readAt < SECRET_TTL_MS) return cached.appSecret;
	const credentials = await ctx.getCredentials('instagramApi');
	const appSecret = String(credentials.appSecret ?? '');
	if (id) secrets.set(id, { appSecret, readAt: now });
	return appSecret;
}

/**
 * "Pseudonymise Viewers" needs a usable pepper. Without one the trigger must neither answer Meta with an error
 * (Meta redelivers for 36 h, then drops the delivery, STOP included) nor emit raw keys as if nothing happened.
 * So: the workflow cannot be published without it (activation check), and a delivery that still meets a
 * broken credential is acknowledged and its objections are kept (holdWithoutPepper).
 */
export type PepperState =
	| { pseudonymise: false }
	| { pseudonymise: true; pepper: string }
	| { pseudonymise: true; problem: string };

/** Whether pseudonymisation is on and, if so, the pepper or why it cannot be used. Never throws. */
export async function readPepperState(ctx: IHookFunctions | IWebhookFunctions): Promise<PepperState> {
	const on = ctx.getNodeParameter('pseudonymise', false) as unknown;
	if (on !== true && on !== 'true') return { pseudonymise: false };
	let pepper: unknown;
	try {
		pepper = (await ctx.getCredentials(PRIVACY_CREDENTIAL)).pepper;
	} catch (error) {
		return { pseudonymise: true, problem: `The Story Leads Privacy API credential cannot be read (${(error as Error).message})` };
	}
	const problem = pepperProblem(pepper);
	return problem ? { pseudonymise: true, problem } : { pseudonymise: true, pepper: pepper as string };
}

/** Activation: a workflow with Pseudonymise Viewers on and no usable pepper is not published. */
export async function refuseWithoutPepper(ctx: IHookFunctions): Promise<void> {
	const state = await readPepperState(ctx);
	if (!('problem' in state)) return;
	throw new NodeOperationError(ctx.getNode(), `Pseudonymise Viewers is on, but the pepper cannot be used: ${state.problem}`, {
		description:
			'Select a Story Leads Privacy API credential with a pepper of at least 16 characters, or turn Pseudonymise Viewers off, then publish again.',
	});
}

/** Event types a person writes in: any of them may carry an objection (STOP), whatever keyword list is used. */
const WRITTEN_TYPES: ReadonlySet<string> = new Set(['message', 'story_reply', 'comment', 'postback']);

/** Why held events carry a raw key: written to each one's `extra.privacyHold`. */
export const PRIVACY_HOLD = 'pseudonymise_unavailable';

/**
 * A delivery read without a pepper although pseudonymisation is on. Kept: what a person wrote (it may be an
 * objection, which must be honoured, and that needs the person's key), marked `extra.privacyHold` with the
 * key left as Meta sent it (`viewerKeyType` igsid); story-level records, which carry no viewer key. Withheld:
 * reactions and mentions, which cannot object, so no raw key of theirs leaves the trigger (counted in the log).
 */
export function holdWithoutPepper(
	events: readonly CanonicalEvent[],
	problem: string,
): { kept: CanonicalEvent[]; held: number; withheld: number } {
	const kept: CanonicalEvent[] = [];
	let held = 0;
	let withheld = 0;
	for (const event of events) {
		if (event.type === 'story_insights') {
			kept.push(event);
		} else if (WRITTEN_TYPES.has(event.type)) {
			kept.push({ ...event, extra: { ...(event.extra ?? {}), privacyHold: PRIVACY_HOLD, privacyProblem: problem } });
			held++;
		} else {
			withheld++;
		}
	}
	return { kept, held, withheld };
}

/**
 * The trigger's lifecycle hooks (n8n calls them when the workflow is published, on start and when it is
 * unpublished): subscribe the account to the webhook fields its Events need (Meta's set-up step 3). The app's
 * callback URL and verify token are set in the App Dashboard; nothing here changes them.
 */

interface Wanted {
	session: GraphSession;
	path: string;
	target: string;
	fields: string[];
}

/** What to subscribe, or undefined when the user subscribes the account elsewhere (or no field is needed). */
async function wanted(ctx: IHookFunctions): Promise<Wanted | undefined> {
	if (ctx.getNodeParameter('subscribeAccount', true) !== true) return undefined;
	const session = await getGraphSession.call(ctx);
	const target = subscriptionTarget(session.connection);
	if (!target.ok) throw new NodeOperationError(ctx.getNode(), target.message, { description: target.description });
	const fields = subscriptionFields(ctx.getNodeParameter('events', []) as string[], session.connection.loginType);
	if (fields.length === 0) return undefined;
	return { session, path: target.path, target: target.node, fields };
}

function failure(ctx: IHookFunctions, step: SubscriptionStep, want: Wanted, result: GraphCallFailure): NodeApiError {
	const text = describeSubscriptionFailure({
		step,
		loginType: want.session.connection.loginType,
		target: want.target,
		fields: want.fields,
		kind: result.error.kind,
		code: result.error.code,
		subcode: result.error.subcode,
		graphMessage: result.error.graphMessage ?? result.error.message,
	});
	const response: JsonObject = { message: text.message, description: text.description, reason: result.error.reason };
	if (result.error.code !== undefined) response.code = result.error.code;
	if (result.error.subcode !== undefined) response.error_subcode = result.error.subcode;
	return new NodeApiError(ctx.getNode(), response, {
		message: text.message,
		description: text.description,
		httpCode: result.error.httpStatus !== undefined ? String(result.error.httpStatus) : undefined,
	});
}

async function currentFields(ctx: IHookFunctions, want: Wanted): Promise<string[]> {
	const result = await graphApiCall.call(ctx, 'GET', want.path, { session: want.session, purpose: 'webhooks' });
	if (!result.ok) throw failure(ctx, 'check', want, result);
	return subscribedFieldsOf(result.body);
}

/** On start and on publish: is the account subscribed to every field the Events need? (GET …/subscribed_apps) */
export async function subscriptionExists(this: IHookFunctions): Promise<boolean> {
	const want = await wanted(this);
	if (!want) return true;
	return missingFields(await currentFields(this, want), want.fields).length === 0;
}

/** Subscribes the account to the fields it has plus the ones the Events need (POST …/subscribed_apps). */
export async function subscribeAccount(this: IHookFunctions): Promise<boolean> {
	const want = await wanted(this);
	if (!want) return true;
	const fields = fieldsToSubscribe(await currentFields(this, want), want.fields);
	const result = await graphApiCall.call(this, 'POST', want.path, {
		session: want.session,
		purpose: 'webhooks',
		qs: { subscribed_fields: fields.join(',') },
		// Subscribing twice is harmless, so a lost answer may be retried.
		idempotent: true,
	});
	if (!result.ok) throw failure(this, 'subscribe', want, result);
	// Meta documents {"success": true}; some Graph edges answer the string "true".
	if (result.body.success !== true && result.body.success !== 'true') {
		throw new NodeOperationError(this.getNode(), `Meta did not confirm the webhook subscription of ${want.target}`, {
			description: `POST ${want.path} answered without "success": true. Check the account in the App Dashboard (Webhooks).`,
		});
	}
	return true;
}

/**
 * On unpublish, only when "Unsubscribe When Unpublished" is on: removes the app's subscription for the account
 * (DELETE …/subscribed_apps). Off by default: every workflow and tool using this app and account stops
 * receiving webhooks too.
 */
export async function unsubscribeAccount(this: IHookFunctions): Promise<boolean> {
	if (this.getNodeParameter('unsubscribeWhenUnpublished', false) !== true) return true;
	const want = await wanted(this);
	if (!want) return true;
	const result = await graphApiCall.call(this, 'DELETE', want.path, {
		session: want.session,
		purpose: 'webhooks',
		idempotent: true,
	});
	if (!result.ok) throw failure(this, 'unsubscribe', want, result);
	return true;
}

/**
 * The POST webhook's response mode, from the Acknowledge Deliveries option. Declared with n8n's own field helpers so
 * n8n (2.41 and later) reads it from the parameters instead of evaluating an expression. An expression here made
 * every delivery take an expression isolate for its webhook phase and hold it until the answer, which with
 * "After the Workflow Stored Them" comes when the run has stored the delivery: under a burst of replies that was
 * one isolate per delivery waiting (gigabytes, measured in bench:n8n). The function must stay self-contained: n8n
 * inlines its source as the editor's expression.
 */
export function acknowledgeResponseMode(): Pick<IWebhookDescription, 'responseMode'> {
	const field = (parameters: IDataObject) => {
		const options = (parameters.options || {}) as IDataObject;
		return options.acknowledge === 'afterStored' ? 'responseNode' : 'onReceived';
	};
	// n8n versions before these helpers take the expression alone.
	if (typeof webhookDescriptionFields !== 'function' || typeof fromFunction !== 'function') {
		return { responseMode: `={{(${String(field)})($parameter)}}` };
	}
	return webhookDescriptionFields({ responseMode: fromFunction(field) });
}
