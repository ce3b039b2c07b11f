import type { LoginType } from '../graph/errors';
import type { WebhookEventType } from './webhook';

/**
 * Which webhook fields an Instagram Story Trigger needs, and where the account is subscribed to them.
 *
 * Meta delivers webhooks for an account only after the app subscribes that account ("Setup Webhooks
 * Subscriptions", step 3, https://developers.facebook.com/docs/instagram-platform/webhooks):
 * - Instagram Login: `POST /{ig-user-id}/subscribed_apps?subscribed_fields=…` on graph.instagram.com, with the
 *   Instagram webhook field names (https://developers.facebook.com/docs/instagram-platform/webhooks/fields).
 * - Facebook Login: `POST /{page-id}/subscribed_apps?subscribed_fields=…` with a Page token; the fields are the
 *   Page's webhook fields (https://developers.facebook.com/docs/graph-api/reference/page/subscribed_apps), while
 *   the Instagram fields themselves are picked for the app in the App Dashboard.
 * The callback URL and verify token belong to the app, not the account: they are set in the App Dashboard (or with
 * an app token through `POST /{app-id}/subscriptions`), never by this package.
 */

/** Instagram webhook field(s) each event type arrives in (Instagram Login). */
export const INSTAGRAM_FIELDS: Record<WebhookEventType, readonly string[]> = {
	story_reply: ['messages'],
	story_mention: ['messages'],
	message: ['messages'],
	// Quick-reply taps arrive in `messages`, button taps in `messaging_postbacks`.
	postback: ['messages', 'messaging_postbacks'],
	reaction: ['message_reactions'],
	comment: ['comments'],
	message_seen: ['messaging_seen'],
	// Story insights are delivered to Facebook Login apps only; nothing to subscribe with Instagram Login.
	story_insights: [],
};

/** Page webhook field(s) that carry each event type for an Instagram account linked to a Page (Facebook Login). */
export const PAGE_FIELDS: Record<WebhookEventType, readonly string[]> = {
	story_reply: ['messages'],
	story_mention: ['messages'],
	message: ['messages'],
	postback: ['messages', 'messaging_postbacks'],
	reaction: ['message_reactions'],
	// Instagram comments and story insights reach a Page app through its `feed` subscription.
	comment: ['feed'],
	// Messenger's read receipts field; Instagram's `messaging_seen` is picked in the App Dashboard.
	message_seen: ['message_reads'],
	story_insights: ['feed'],
};

/** Permissions each Instagram webhook field needs (Meta's "webhook fields and permissions" page). */
const FIELD_PERMISSIONS: Record<LoginType, Record<string, readonly string[]>> = {
	instagram: {
		messages: ['instagram_business_basic', 'instagram_business_manage_messages'],
		messaging_postbacks: ['instagram_business_basic', 'instagram_business_manage_messages'],
		message_reactions: ['instagram_business_basic', 'instagram_business_manage_messages'],
		messaging_seen: ['instagram_business_basic', 'instagram_business_manage_messages'],
		comments: ['instagram_business_basic', 'instagram_business_manage_comments'],
	},
	facebook: {
		messages: ['instagram_basic', 'instagram_manage_messages', 'pages_manage_metadata'],
		messaging_postbacks: ['instagram_basic', 'instagram_manage_messages', 'pages_manage_metadata'],
		message_reactions: ['instagram_basic', 'instagram_manage_messages', 'pages_manage_metadata'],
		message_reads: ['instagram_basic', 'instagram_manage_messages', 'pages_manage_metadata'],
		feed: [
			'instagram_basic',
			'instagram_manage_comments',
			'instagram_manage_insights',
			'pages_manage_metadata',
			'pages_read_engagement',
			'pages_show_list',
		],
	},
};

/** The fields to subscribe the account to for the chosen events, sorted and without repeats. */
export function subscriptionFields(events: readonly string[], loginType: LoginType): string[] {
	const table = loginType === 'facebook' ? PAGE_FIELDS : INSTAGRAM_FIELDS;
	const fields = new Set<string>();
	for (const event of events) for (const field of table[event as WebhookEventType] ?? []) fields.add(field);
	return [...fields].sort();
}

/** The permissions the token needs to subscribe these fields (for error messages), sorted. */
export function permissionsForFields(fields: readonly string[], loginType: LoginType): string[] {
	const needed = new Set<string>(loginType === 'facebook' ? ['pages_manage_metadata'] : ['instagram_business_basic']);
	for (const field of fields) for (const permission of FIELD_PERMISSIONS[loginType][field] ?? []) needed.add(permission);
	return [...needed].sort();
}

export type SubscriptionTarget = { ok: true; path: string; node: string } | { ok: false; message: string; description: string };

/**
 * Where the account's subscription lives: `/{account-id}/subscribed_apps` (Instagram Login; `/me` when no id is
 * set, as Meta allows) or `/{page-id}/subscribed_apps` (Facebook Login, which needs the Page ID).
 */
export function subscriptionTarget(connection: { loginType: LoginType; accountId: string; pageId: string }): SubscriptionTarget {
	if (connection.loginType === 'facebook') {
		if (connection.pageId === '') {
			return {
				ok: false,
				message: 'The Instagram API credential has no Facebook Page ID',
				description:
					'With Facebook Login, Meta subscribes the Page linked to the Instagram account (POST /{page-id}/subscribed_apps). Set "Facebook Page ID" in the credential, or turn off "Subscribe Account When Published" and subscribe the Page yourself.',
			};
		}
		return { ok: true, path: `/${encodeURIComponent(connection.pageId)}/subscribed_apps`, node: `Page ${connection.pageId}` };
	}
	const node = connection.accountId === '' ? 'me' : connection.accountId;
	return {
		ok: true,
		path: `/${encodeURIComponent(node)}/subscribed_apps`,
		node: node === 'me' ? 'the token\'s account' : `account ${node}`,
	};
}

function isObj(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The fields the account is subscribed to, from `GET …/subscribed_apps`
 * (`{"data":[{"subscribed_fields":["messages",…], …}]}`; entries may also be `{ "name": "messages" }`).
 */
export function subscribedFieldsOf(body: unknown): string[] {
	const fields = new Set<string>();
	const data = isObj(body) && Array.isArray(body.data) ? body.data : [];
	for (const app of data) {
		if (!isObj(app) || !Array.isArray(app.subscribed_fields)) continue;
		for (const field of app.subscribed_fields) {
			if (typeof field === 'string' && field !== '') fields.add(field);
			else if (isObj(field) && typeof field.name === 'string') fields.add(field.name);
		}
	}
	return [...fields].sort();
}

/** Fields in `wanted` the account is not subscribed to yet. */
export function missingFields(current: readonly string[], wanted: readonly string[]): string[] {
	const have = new Set(current);
	return wanted.filter((field) => !have.has(field));
}

/**
 * The fields to POST: what is there plus what is wanted. Meta's POST replaces the account's field list, and two
 * workflows (Part 1 and Part 2) may subscribe the same account for different events.
 */
export function fieldsToSubscribe(current: readonly string[], wanted: readonly string[]): string[] {
	return [...new Set([...current, ...wanted])].sort();
}

export type SubscriptionStep = 'check' | 'subscribe' | 'unsubscribe';

const STEP_TEXT: Record<SubscriptionStep, string> = {
	check: 'Could not read the account\'s webhook subscription',
	subscribe: 'Could not subscribe the account to the webhook fields',
	unsubscribe: 'Could not unsubscribe the account from the app\'s webhooks',
};

/** What went wrong in one step of the subscription and how to fix it (no secrets: built from plain facts). */
export function describeSubscriptionFailure(input: {
	step: SubscriptionStep;
	loginType: LoginType;
	target: string;
	fields: readonly string[];
	/** Why Graph refused: the classified error's kind, Meta's code and subcode, and its message. */
	kind: string;
	code?: number;
	subcode?: number;
	graphMessage: string;
}): { message: string; description: string } {
	const { step, loginType, target, fields } = input;
	const call = loginType === 'facebook' ? 'POST /{page-id}/subscribed_apps' : 'POST /{ig-user-id}/subscribed_apps';
	const message = `${STEP_TEXT[step]} (${target}, ${call}): ${input.graphMessage}`;
	const permissions = permissionsForFields(fields, loginType).join(', ');
	const tokenKind =
		loginType === 'facebook'
			? 'a Page access token of the Page linked to the Instagram account (a user token cannot subscribe a Page)'
			: 'an Instagram user token of the professional account';
	// Decided on Meta's codes as well as the kind, so the advice holds however the catalogue classifies them.
	const { code, subcode } = input;
	const wrongId = (code === 100 && (subcode === 33 || subcode === 2534013)) || input.kind === 'invalidParameter';
	const token = input.kind === 'token' || code === 190 || code === 102;
	const permission = input.kind === 'permission' || code === 10 || (code !== undefined && code >= 200 && code <= 299);
	const fix: string[] = [];
	if (token) fix.push('The token is invalid or expired: generate a new one and update the credential.');
	else if (permission) fix.push(`Reconnect granting ${permissions}.`);
	else if (wrongId)
		fix.push(
			loginType === 'facebook'
				? 'Check "Facebook Page ID" in the credential: it must be the Page linked to the Instagram account.'
				: 'Check "Instagram Account ID" in the credential: it must be the user_id of GET /me?fields=user_id,username.',
		);
	else fix.push(`The token needs ${permissions}.`);
	fix.push(
		`This step needs ${tokenKind}. Subscribing the account is step 3 of Meta's webhook set-up; the callback URL and verify token (steps 1 and 2) are set once for the app in the App Dashboard. To subscribe the account yourself, turn off "Subscribe Account When Published".`,
	);
	return { message, description: fix.join(' ') };
}
