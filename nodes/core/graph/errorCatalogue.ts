/**
 * The error contract: every (code, subcode) pair Meta documents for the calls we make (Instagram messaging,
 * private replies, user profiles, stories and insights), each mapped to exactly one outcome:
 *
 * - `recipient`: this person/comment/media only; the item goes to an output with `reason`, the run goes on.
 * - `account`: the account, app or credential is unusable; the run stops and `fix` says what the user must do.
 * - `retry`: a throttle; the request was refused before it did anything, so it is retried with back-off.
 * - `maybeSent`: the request may have taken effect. A send is never retried (it would be a duplicate DM): it is
 *   output as `sent_unknown` so the send log holds it. A read (GET) with this outcome is simply retried.
 *
 * Rows are looked up by (code, subcode) first, then by code alone (`subcode` absent), then by code range.
 * Never by Meta's English text: `message` and `error_user_msg` are localized. The one exception is the insights
 * "Not enough viewers" row, which Meta documents only by its message (code 10 has no subcode there).
 * Each row cites the page that documents it (`source`). Plain data: no n8n, no I/O.
 */
import type { GraphErrorKind, GraphPurpose } from './errors';

export type GraphOutcome = 'recipient' | 'account' | 'retry' | 'maybeSent';

export const SOURCES = {
	/** Messenger Platform "Common Error Codes" (covers Instagram messaging and its 2534xxx subcodes). */
	messengerErrors: 'https://developers.facebook.com/documentation/business-messaging/messenger-platform/error-codes',
	/** Graph API "Handling Errors": codes 1, 2, 4, 10, 17, 102, 190 and 200–299, 341, 368 and the 190 subcodes. */
	graphErrors: 'https://developers.facebook.com/docs/graph-api/guides/error-handling',
	/** Graph API rate limiting: 4, 17, 32, 613 and the Business Use Case codes 80000–80014. */
	rateLimits: 'https://developers.facebook.com/docs/graph-api/overview/rate-limiting/',
	/** Private replies: one reply per comment, within 7 days. */
	privateReplies: 'https://developers.facebook.com/docs/instagram-platform/private-replies',
	/** User Profile API for Instagram messaging: "User consent is required to access user profile". */
	userProfile: 'https://developers.facebook.com/docs/messenger-platform/instagram/features/user-profile/',
	/** Media insights: "(#10) Not enough viewers for the media to show insights". */
	insights: 'https://developers.facebook.com/docs/instagram-platform/reference/instagram-media/insights',
	/** Messenger API for Instagram overview (36103: messaging not available for the account). */
	instagramMessaging: 'https://developers.facebook.com/docs/messenger-platform/instagram',
} as const;

export interface CatalogueEntry {
	code: number;
	/** Absent: the row for the code whatever its subcode (the fallback). */
	subcode?: number;
	/** Only for these purposes (absent: every purpose). */
	purposes?: readonly GraphPurpose[];
	/** Only when Meta's message matches (used by one row only; see the file comment). */
	messagePattern?: RegExp;
	outcome: GraphOutcome;
	kind: GraphErrorKind;
	/** Machine-readable reason on output items and errors (snake_case). */
	reason: string;
	/** What happened. `{id}` is replaced by the ID the request addressed. */
	message: string;
	/** recipient: what to do about this person; account: the fix the user must make; retry: the back-off. */
	fix: string;
	/** A maybe-sent outcome of an unknown cause stops the rest of the run (they go out in a later run). */
	stopsRun?: boolean;
	source: string;
}

/** Purposes whose URL path addresses the credential's own account or Page (not a person, comment or media). */
export const ACCOUNT_PATH_PURPOSES: readonly GraphPurpose[] = ['account', 'messaging', 'humanAgent', 'privateReply', 'stories', 'webhooks'];

const NEVER_RETRY_SEND =
	'Not retried: the message may have gone out, and a second attempt could send it twice. Check the conversation in the Instagram app; the send log holds it as sent_unknown.';

const OUTSIDE_WINDOW: Omit<CatalogueEntry, 'code' | 'subcode'> = {
	outcome: 'recipient',
	kind: 'outsideWindow',
	reason: 'outside_window',
	message: 'Outside the messaging window: the person has not messaged the account in the last 24 hours',
	fix: 'Wait until the person messages you again. Only a message a person typed may use the HUMAN_AGENT tag (7 days).',
	source: SOURCES.messengerErrors,
};

const USER_UNAVAILABLE: Omit<CatalogueEntry, 'code' | 'subcode'> = {
	outcome: 'recipient',
	kind: 'userUnavailable',
	reason: 'user_unavailable',
	message: "This person isn't available right now (blocked the account, turned messages off or deactivated)",
	fix: 'Do not retry. Stop automated messages to this person.',
	source: SOURCES.messengerErrors,
};

const TOKEN_FIX = 'Reconnect the Instagram API credential with a new token.';

function token(subcode: number | undefined, why: string): CatalogueEntry {
	return {
		code: 190,
		...(subcode === undefined ? {} : { subcode }),
		outcome: 'account',
		kind: 'token',
		reason: 'token_invalid',
		message: `The Instagram access token has expired or was revoked${why ? `: ${why}` : ''}`,
		fix: TOKEN_FIX,
		source: SOURCES.graphErrors,
	};
}

function throttle(code: number, what: string, backOff: string): CatalogueEntry {
	return {
		code,
		outcome: 'retry',
		kind: 'throttled',
		reason: 'rate_limited',
		message: `Instagram rate limit reached (${what})`,
		fix: `${backOff} Requests were retried with back-off within the run's wait budget. Send fewer messages per run, spread runs out, or raise "Max Total Retry Wait".`,
		source: SOURCES.rateLimits,
	};
}

export const ERROR_CATALOGUE: readonly CatalogueEntry[] = [
	// 1: unknown. Meta: "possibly a temporary issue due to downtime; wait and retry" — but for a send the message
	// may have gone out, so it is never retried.
	{ code: 1, outcome: 'maybeSent', kind: 'maybeSent', reason: 'sent_unknown', stopsRun: true,
		message: 'The Instagram Graph API failed with an unknown error; the message may or may not have been sent',
		fix: NEVER_RETRY_SEND, source: SOURCES.graphErrors },
	{ code: 1, subcode: 99, outcome: 'account', kind: 'permission', reason: 'unknown_error_permissions',
		message: 'The Instagram Graph API failed with an unknown error, which Meta says missing permissions can cause',
		fix: 'Check that the Meta app has Advanced Access for the Instagram messaging permissions, that the business is verified, and that the token was granted every permission the operation needs; then reconnect the credential.',
		source: SOURCES.messengerErrors },
	{ code: 1, subcode: 1357046, outcome: 'maybeSent', kind: 'maybeSent', reason: 'sent_unknown',
		message: 'Instagram answered "Received invalid JSON reply"; Meta documents that the message is sent all the same',
		fix: NEVER_RETRY_SEND, source: SOURCES.messengerErrors },
	// 2: "An unexpected error has occurred. Please retry your request later." Also when the person blocked the business.
	{ code: 2, outcome: 'maybeSent', kind: 'maybeSent', reason: 'sent_unknown', stopsRun: true,
		message: 'The Instagram Graph API had a temporary problem; the message may or may not have been sent',
		fix: `${NEVER_RETRY_SEND} Meta also answers code 2 when the person blocked the business. Later messages of this run were not tried; they go out in the next run.`,
		source: SOURCES.messengerErrors },

	// Throttles: refused before anything happened, so retrying is safe; the documented back-off per code.
	throttle(4, 'application request limit', 'Meta throttles the whole app: pause until X-App-Usage drops below 100 %.'),
	throttle(17, 'user request limit', 'Meta throttles this token: pause calls for this account.'),
	throttle(32, 'Page request limit', 'Meta throttles this Page: pause calls for this Page.'),
	throttle(613, 'calls exceeded the rate limit', 'Back off; Meta names no fixed wait.'),
	{ code: 613, subcode: 2018338, outcome: 'account', kind: 'slowDown', reason: 'slow_down',
		message: 'Meta warns that this account sends at a rate people may find bothersome',
		fix: 'Stop and send less: lower the per-run and per-hour caps and spread the cadence out. Retrying would escalate the warning into a restriction, so nothing is retried.',
		source: SOURCES.messengerErrors },

	// 10: permission denied — except the documented window and restriction subcodes and insights below 5.
	{ code: 10, outcome: 'account', kind: 'permission', reason: 'permission_missing',
		message: 'The Instagram access token is missing a permission', fix: 'Reconnect granting the permissions.',
		source: SOURCES.graphErrors },
	{ code: 10, subcode: 2534022, ...OUTSIDE_WINDOW },
	{ code: 10, subcode: 2018278, ...OUTSIDE_WINDOW },
	{ code: 10, subcode: 2018065, ...OUTSIDE_WINDOW },
	{ code: 10, subcode: 2018108, outcome: 'recipient', kind: 'blocked', reason: 'blocked',
		message: "This person isn't receiving messages from the account right now",
		fix: 'Do not retry. Stop automated messages to this person.', source: SOURCES.messengerErrors },
	{ code: 10, subcode: 1893063, outcome: 'account', kind: 'restricted', reason: 'account_restricted',
		message: 'Meta temporarily restricted this Instagram account from sending messages',
		fix: 'Wait until the restriction ends (the Instagram app and Meta Business Suite → Account quality show it), then lower the sending caps. Reconnecting or granting permissions does not lift it.',
		source: SOURCES.messengerErrors },
	{ code: 10, purposes: ['insights'], messagePattern: /not enough viewers/i, outcome: 'recipient', kind: 'invalidParameter',
		reason: 'below_threshold', message: 'Not enough viewers for the media to show insights',
		fix: 'Instagram hides metrics below 5. Store the story as "below threshold" and do not retry.', source: SOURCES.insights },

	// 100: invalid parameter.
	{ code: 100, purposes: ['messaging', 'humanAgent', 'privateReply', 'profile'], outcome: 'recipient', kind: 'invalidParameter',
		reason: 'invalid_recipient', message: 'Instagram refused this recipient or message',
		fix: 'Do not retry unchanged. Check the recipient (an IGSID from a webhook, or a comment ID) and the message (at most 1,000 bytes of text, at most 13 quick replies).',
		source: SOURCES.graphErrors },
	{ code: 100, outcome: 'recipient', kind: 'invalidParameter', reason: 'invalid_parameter',
		message: 'Instagram refused a parameter of this request',
		fix: 'Do not retry unchanged. Check the id (an IGSID from a webhook, a comment id or a media id) and the message.',
		source: SOURCES.graphErrors },
	{ code: 100, subcode: 33, purposes: ACCOUNT_PATH_PURPOSES, outcome: 'account', kind: 'configuration', reason: 'object_not_found',
		message: 'Instagram has no object {id} that this token can use',
		fix: 'The credential\'s Instagram Account ID (Instagram Login: user_id from GET /me?fields=user_id,username) or Page ID (Facebook Login) is wrong, or the token belongs to another account. Fix the ID in the Instagram API credential.',
		source: SOURCES.messengerErrors },
	{ code: 100, subcode: 33, purposes: ['profile', 'insights'], outcome: 'recipient', kind: 'invalidParameter', reason: 'object_not_found',
		message: 'Instagram has no object {id} that this token can read',
		fix: 'Do not retry. The person, comment or media is gone, or belongs to another account.', source: SOURCES.messengerErrors },
	{ code: 100, subcode: 2534013, outcome: 'account', kind: 'configuration', reason: 'page_not_linked',
		message: 'The Facebook Page {id} is not linked to an Instagram professional account',
		fix: 'Link the Instagram account to the Page (Meta Business Suite → Settings → Instagram accounts), or put the ID of the Page that is linked into the Instagram API credential.',
		source: SOURCES.messengerErrors },
	{ code: 100, subcode: 2534014, outcome: 'recipient', kind: 'invalidParameter', reason: 'invalid_recipient',
		message: 'No Instagram user matches this recipient ID', fix: 'Use the IGSID from a webhook event (sender.id) for this account.',
		source: SOURCES.messengerErrors },
	{ code: 100, subcode: 2018001, outcome: 'recipient', kind: 'invalidParameter', reason: 'invalid_recipient',
		message: 'No Instagram user matches this recipient ID', fix: 'Use the IGSID from a webhook event (sender.id) for this account.',
		source: SOURCES.messengerErrors },
	{ code: 100, subcode: 2534025, outcome: 'recipient', kind: 'invalidParameter', reason: 'comment_invalid',
		message: 'The comment is invalid for a private reply (too old, deleted, or already answered)',
		fix: 'Instagram allows one private reply per comment, within 7 days of the comment. Do not retry.',
		source: SOURCES.privateReplies },
	{ code: 100, subcode: 2534029, outcome: 'account', kind: 'restricted', reason: 'business_blocked',
		message: 'Meta blocked this business from sending messages through the Instagram Messaging API',
		fix: 'Review the account in Meta Business Suite → Account quality (Business Support Home) and resolve the policy issue there. No message can be sent until Meta lifts the block; reconnecting does not help.',
		source: SOURCES.messengerErrors },

	// 102, 190: the session or token.
	{ code: 102, outcome: 'account', kind: 'token', reason: 'token_invalid',
		message: 'The Instagram access token has expired or was revoked: the session is no longer valid',
		fix: TOKEN_FIX, source: SOURCES.graphErrors },
	token(undefined, ''),
	token(458, 'the app is no longer installed for this user'),
	token(459, 'the user must log in to Instagram or Facebook to unlock the account'),
	token(460, 'the password was changed'),
	token(463, 'the token expired'),
	token(464, 'the user is not confirmed'),
	token(467, 'the token is invalid'),

	// 200–299: permission (range fallback below); the documented messaging subcodes first.
	{ code: 200, subcode: 1545041, ...USER_UNAVAILABLE },
	{ code: 200, subcode: 2534041, outcome: 'account', kind: 'restricted', reason: 'messages_access_disabled',
		message: 'The account owner turned off access to Instagram Direct messages for connected tools',
		fix: 'In the Instagram app: Settings → Messages and story replies → Message controls → Connected tools → turn on "Allow access to messages". No new permission or token is needed.',
		source: SOURCES.messengerErrors },
	{ code: 230, purposes: ['profile'], outcome: 'recipient', kind: 'permission', reason: 'profile_consent_required',
		message: 'This person has not messaged the account, so their profile is not available',
		fix: 'Profiles are readable only after the person messaged the account or tapped an icebreaker.', source: SOURCES.userProfile },

	{ code: 368, outcome: 'account', kind: 'restricted', reason: 'account_restricted',
		message: 'Meta temporarily restricted this account or app from this action',
		fix: 'Pause automated sends; check the account\'s status in Meta Business Suite → Account quality before resuming. Reconnecting does not lift it.',
		source: SOURCES.graphErrors },
	{ code: 551, ...USER_UNAVAILABLE },
	{ code: 551, subcode: 1545041, ...USER_UNAVAILABLE },
	{ code: 36103, outcome: 'account', kind: 'configuration', reason: 'messaging_unavailable',
		message: 'Instagram messaging is not available for this account',
		fix: 'Use an Instagram professional (Business or Creator) account with messaging available, connected to the Meta app.',
		source: SOURCES.instagramMessaging },
];

/** Code ranges Meta documents as one family (after exact and code-only rows). */
export const RANGE_ROWS: ReadonlyArray<{ from: number; to: number; entry: Omit<CatalogueEntry, 'code'> }> = [
	{ from: 200, to: 299, entry: { outcome: 'account', kind: 'permission', reason: 'permission_missing',
		message: 'The Instagram access token is missing a permission', fix: 'Reconnect granting the permissions.',
		source: SOURCES.graphErrors } },
	{ from: 80000, to: 80014, entry: { outcome: 'retry', kind: 'throttled', reason: 'rate_limited',
		message: 'Instagram rate limit reached (Business Use Case limit)',
		fix: 'Meta names the wait in X-Business-Use-Case-Usage (estimated_time_to_regain_access); requests were retried after it when it fitted the run\'s wait budget. Send fewer messages per run, spread runs out, or raise "Max Total Retry Wait".',
		source: SOURCES.rateLimits } },
];

function applies(entry: CatalogueEntry, purpose: GraphPurpose, message: string): boolean {
	if (entry.purposes && !entry.purposes.includes(purpose)) return false;
	if (entry.messagePattern && !entry.messagePattern.test(message)) return false;
	return true;
}

/**
 * The row for an answer: exact (code, subcode), then the code's own row, then its range. Undefined for a code
 * Meta does not document for these calls (the caller falls back safely).
 */
export function lookupError(
	code: number,
	subcode: number | undefined,
	purpose: GraphPurpose,
	message = '',
): CatalogueEntry | undefined {
	if (subcode !== undefined) {
		const exact = ERROR_CATALOGUE.find((e) => e.code === code && e.subcode === subcode && applies(e, purpose, message));
		if (exact) return exact;
	}
	const byCode =
		ERROR_CATALOGUE.find((e) => e.code === code && e.subcode === undefined && e.messagePattern && applies(e, purpose, message)) ??
		ERROR_CATALOGUE.find((e) => e.code === code && e.subcode === undefined && !e.messagePattern && applies(e, purpose, message));
	if (byCode) return byCode;
	const range = RANGE_ROWS.find((r) => code >= r.from && code <= r.to);
	return range ? { code, ...range.entry } : undefined;
}
