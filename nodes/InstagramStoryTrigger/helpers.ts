import {
	NodeOperationError,
	type IHookFunctions,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { pepperProblem } from '../core/capture/privacy';
import type { CanonicalEvent } from '../core/events/schema';
import { PRIVACY_CREDENTIAL } from '../shared/privacy';

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
