#!/usr/bin/env node
/**
 * Fake Instagram Graph API for tests (plain CommonJS, http on 127.0.0.1, random port by default).
 * It follows Meta's documentation, not our own reading of it:
 * - refusals carry Meta's documented error body
 *   `{error:{message,type,code,error_subcode,is_transient?,error_user_title?,error_user_msg,fbtrace_id}}` with the
 *   (code, subcode) pairs of the Messenger Platform "Common Error Codes" page
 *   (https://developers.facebook.com/documentation/business-messaging/messenger-platform/error-codes) and the Graph
 *   API error-handling page (https://developers.facebook.com/docs/graph-api/guides/error-handling). Meta localizes
 *   `error_user_msg` (and the `message` of some errors): with `locale: 'de_DE'` (option, setLocale, or a `locale`
 *   query parameter) both are German, so a client that reads the English text instead of the codes fails.
 * - requests are checked like Meta checks them: the node in the path must be the account the token belongs to
 *   (`me`, the Instagram professional account ID, or with Facebook Login the Page ID; else 100/33 naming the ID),
 *   message text at most 1,000 bytes of UTF-8, at most 13 quick replies with titles of at most 20 characters
 *   (Send API: https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/messaging-api/).
 * - it serves `GET /me?fields=user_id,username` (Instagram Login: `user_id` is the professional account ID, `id` is
 *   app-scoped and differs), `GET /{page-id}?fields=instagram_business_account` (Facebook Login),
 *   `POST|GET|DELETE /{ig-user-id|me}/subscribed_apps?subscribed_fields=a,b` (Instagram Login) and
 *   `POST|GET|DELETE /{page-id}/subscribed_apps` (Facebook Login) (Instagram Platform "Setup Webhooks
 *   Subscriptions", step 3: https://developers.facebook.com/docs/instagram-platform/webhooks), and
 *   `GET /{message-id}?fields=story` for story mentions
 *   (https://developers.facebook.com/docs/messenger-platform/instagram/features/story-mention).
 *
 *   const { startFakeGraphApi } = require('./graphApi');
 *   const fake = await startFakeGraphApi({ accessToken: 'test-token' });
 *   fake.setRecipientBehaviour('1002', 'outside_window');
 *   // credential baseUrl = fake.url; fake.requests lists what arrived; fake.messages the DMs it accepted, in order
 *   await fake.close();
 *
 * Standalone: `node scripts/fakes/graphApi.js --port 4010 [--token test-token]` prints the URL.
 *
 * Behaviours (per id: recipient IGSID, comment id, media id, profile id or the account/Page id; or the default) are
 * the keys of REFUSALS below plus `ok`, the one-shot `throttle_once`, `transient_once`, `server_error_once`, and
 * `not_json` (200 with an HTML body) and `token_echo` (190 repeating the token, a badly behaved proxy).
 * `maybe_sent` answers 1/1357046 *and* delivers the message (Meta: "the messages are all sent successfully, but the
 * endpoint returns an error"), so `fake.messages` holds it.
 * Any request whose bearer token differs from `accessToken` gets 190 (when `accessToken` is set).
 */
'use strict';

const http = require('http');

/** Instagram webhook fields (https://developers.facebook.com/docs/graph-api/webhooks/reference/instagram). */
const INSTAGRAM_WEBHOOK_FIELDS = [
	'comments',
	'live_comments',
	'mentions',
	'story_insights',
	'messages',
	'message_reactions',
	'message_edit',
	'messaging_seen',
	'messaging_postbacks',
	'messaging_referral',
	'messaging_optins',
	'messaging_handover',
	'standby',
];

const MAX_TEXT_BYTES = 1000;
const MAX_QUICK_REPLIES = 13;
const MAX_QUICK_REPLY_TITLE = 20;

/**
 * Documented refusals: HTTP status, code, subcode, type, Meta's message, and the localizable user title/message.
 * `de` holds the German wording of message and error_user_msg.
 */
const REFUSALS = {
	outside_window: { status: 400, code: 10, subcode: 2534022, message: '(#10) This message is sent outside of allowed window.',
		title: 'Message not sent', user: 'This message was sent outside the allowed window.',
		de: ['(#10) Diese Nachricht wurde außerhalb des zulässigen Zeitfensters gesendet.', 'Diese Nachricht wurde außerhalb des zulässigen Zeitfensters gesendet.'] },
	outside_window_2018278: { status: 400, code: 10, subcode: 2018278, message: '(#10) Message sent outside of allowed window.',
		title: 'Message not sent', user: 'This message was sent outside the allowed window.',
		de: ['(#10) Nachricht außerhalb des zulässigen Zeitfensters gesendet.', 'Diese Nachricht wurde außerhalb des zulässigen Zeitfensters gesendet.'] },
	outside_window_2018065: { status: 400, code: 10, subcode: 2018065, message: '(#10) This message is sent outside of allowed window.',
		title: 'Message not sent', user: 'This message was sent outside the allowed window.',
		de: ['(#10) Diese Nachricht liegt außerhalb des erlaubten Zeitraums.', 'Diese Nachricht liegt außerhalb des erlaubten Zeitraums.'] },
	unavailable: { status: 400, code: 551, subcode: 1545041, message: "(#551) This person isn't available right now.",
		title: 'Message Not Sent', user: "This person isn't available right now.",
		de: ['(#551) Diese Person ist gerade nicht erreichbar.', 'Diese Person ist gerade nicht erreichbar.'] },
	unavailable_200: { status: 400, code: 200, subcode: 1545041, message: "(#200) This person isn't available right now.",
		title: 'Message Not Sent', user: "This person isn't available right now.",
		de: ['(#200) Diese Person ist gerade nicht erreichbar.', 'Diese Person ist gerade nicht erreichbar.'] },
	blocked: { status: 400, code: 10, subcode: 2018108, message: "(#10) This person isn't receiving messages from you right now.",
		user: "This person isn't receiving messages from you right now.",
		de: ['(#10) Diese Person empfängt gerade keine Nachrichten von dir.', 'Diese Person empfängt gerade keine Nachrichten von dir.'] },
	invalid_recipient: { status: 400, code: 100, subcode: 2534014, message: '(#100) No matching user found',
		user: 'No matching user found.', de: ['(#100) Kein passender Nutzer gefunden', 'Kein passender Nutzer gefunden.'] },
	comment_invalid: { status: 400, code: 100, subcode: 2534025, message: '(#100) The comment is invalid for a private reply.',
		user: 'You can only send one private reply to a comment, within 7 days of it.',
		de: ['(#100) Der Kommentar ist für eine private Antwort ungültig.', 'Du kannst auf einen Kommentar nur einmal privat antworten, innerhalb von 7 Tagen.'] },
	business_blocked: { status: 400, code: 100, subcode: 2534029, message: '(#100) This business is blocked from sending messages through the Instagram Messaging API.',
		user: 'Your business cannot send messages right now.',
		de: ['(#100) Dieses Unternehmen darf über die Instagram Messaging API keine Nachrichten senden.', 'Dein Unternehmen kann gerade keine Nachrichten senden.'] },
	page_not_linked: { status: 400, code: 100, subcode: 2534013, message: '(#100) The Page is not linked to an Instagram account.',
		user: 'Link an Instagram professional account to this Page.',
		de: ['(#100) Die Seite ist mit keinem Instagram-Konto verknüpft.', 'Verknüpfe ein professionelles Instagram-Konto mit dieser Seite.'] },
	object_not_found: { status: 400, code: 100, subcode: 33, type: 'GraphMethodException',
		message: "Unsupported request. Object with ID '{id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.",
		de: ["Nicht unterstützte Anfrage. Das Objekt mit der ID '{id}' existiert nicht oder kann nicht geladen werden.", undefined] },
	token_expired: { status: 400, code: 190, subcode: 463,
		message: 'Error validating access token: Session has expired on Tuesday, 10-Nov-26 10:00:00 PST. The current time is Tuesday, 10-Nov-26 11:00:00 PST.',
		de: ['Fehler beim Prüfen des Zugriffsschlüssels: Die Sitzung ist abgelaufen.', undefined] },
	permission: { status: 403, code: 200, message: '(#200) Requires instagram_business_manage_messages permission to manage the object',
		de: ['(#200) Erfordert die Berechtigung instagram_business_manage_messages', undefined] },
	messages_access_disabled: { status: 403, code: 200, subcode: 2534041, message: '(#200) The owner of this account has disabled access to Instagram Direct messages.',
		user: 'Turn on "Allow access to messages" in the Instagram app.',
		de: ['(#200) Der Inhaber dieses Kontos hat den Zugriff auf Instagram Direct-Nachrichten deaktiviert.', 'Aktiviere „Zugriff auf Nachrichten erlauben“ in der Instagram-App.'] },
	account_restricted: { status: 400, code: 10, subcode: 1893063, message: '(#10) This account is temporarily restricted from sending messages.',
		user: 'Your account is restricted right now.',
		de: ['(#10) Dieses Konto darf vorübergehend keine Nachrichten senden.', 'Dein Konto ist gerade eingeschränkt.'] },
	unknown_error: { status: 500, code: 1, subcode: 99, message: 'An unknown error occurred.',
		de: ['Ein unbekannter Fehler ist aufgetreten.', undefined] },
	maybe_sent: { status: 500, code: 1, subcode: 1357046, message: 'Received Invalid JSON reply.', delivers: true,
		de: ['Ungültige JSON-Antwort erhalten.', undefined] },
	transient: { status: 500, code: 2, transient: true, message: 'An unexpected error has occurred. Please retry your request later.',
		de: ['Ein unerwarteter Fehler ist aufgetreten. Bitte versuche es später erneut.', undefined] },
	bothersome: { status: 400, code: 613, subcode: 2018338,
		message: '(#613) This account is sending messages at a rate that may be considered bothersome. Decrease the rate.',
		user: 'You are sending messages too fast.',
		de: ['(#613) Dieses Konto sendet Nachrichten in einer Häufigkeit, die als störend gelten kann.', 'Du sendest Nachrichten zu schnell.'] },
	throttle_always: { status: 400, code: 613, message: '(#613) Calls to this api have exceeded the rate limit.', buc: 0,
		de: ['(#613) Die Aufrufe dieser API haben das Limit überschritten.', undefined] },
	throttle_buc: { status: 400, code: 80002, buc: 5, bucType: 'instagram',
		message: '(#80002) There have been too many calls to this Instagram account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.',
		de: ['(#80002) Zu viele Aufrufe für dieses Instagram-Konto. Warte etwas und versuche es erneut.', undefined] },
	not_enough_viewers: { status: 400, code: 10, message: '(#10) Not enough viewers for the media to show insights',
		de: undefined },
	profile_consent: { status: 400, code: 230, message: '(#230) User consent is required to access user profile',
		de: ['(#230) Für den Zugriff auf das Nutzerprofil ist eine Einwilligung erforderlich', undefined] },
};
// The old name of comment_invalid (kept for existing tests).
REFUSALS.already_replied = REFUSALS.comment_invalid;

const BEHAVIOURS = ['ok', ...Object.keys(REFUSALS), 'throttle_once', 'transient_once', 'server_error_once', 'not_json', 'token_echo'];

function graphError(code, subcode, message, type = 'OAuthException', extra = {}) {
	const error = { message, type, code };
	if (subcode !== undefined) error.error_subcode = subcode;
	Object.assign(error, extra);
	error.fbtrace_id = 'AfakeTrace' + code + (subcode || '');
	return { error };
}

function bucHeader(accountId, minutes, type = 'messenger') {
	return JSON.stringify({
		[accountId]: [
			{ type, call_count: 100, total_cputime: 25, total_time: 30, estimated_time_to_regain_access: minutes },
		],
	});
}

/** Meta's body for a documented refusal, in the locale (German text for de_*; English otherwise). */
function documented(name, locale, id = '') {
	const r = REFUSALS[name];
	const german = /^de/i.test(locale || '') && r.de;
	const fill = (text) => (text === undefined ? undefined : text.split('{id}').join(id));
	const extra = {};
	if (r.transient) extra.is_transient = true;
	else extra.is_transient = false;
	if (r.title) extra.error_user_title = german ? 'Nachricht nicht gesendet' : r.title;
	const user = german && r.de[1] !== undefined ? r.de[1] : r.user;
	if (user) extra.error_user_msg = user;
	const headers = r.buc !== undefined ? { 'X-Business-Use-Case-Usage': bucHeader(id, r.buc, r.bucType) } : undefined;
	return {
		status: r.status,
		headers,
		body: graphError(r.code, r.subcode, fill(german ? r.de[0] : r.message), r.type || 'OAuthException', extra),
	};
}

/** The refusal for a behaviour, or undefined when the request should succeed. */
function refusal(behaviour, accountId, state, bearer = '', locale = '', id = accountId) {
	switch (behaviour) {
		case 'ok':
			return undefined;
		case 'throttle_once':
			if (state.throttled) return undefined;
			state.throttled = true;
			return {
				status: 400,
				headers: {
					'X-Business-Use-Case-Usage': bucHeader(accountId, 0),
					'X-App-Usage': JSON.stringify({ call_count: 100, total_cputime: 10, total_time: 12 }),
				},
				body: graphError(4, undefined, '(#4) Application request limit reached', 'OAuthException', { is_transient: true }),
			};
		case 'transient_once':
			if (state.transient) return undefined;
			state.transient = true;
			return documented('transient', locale);
		case 'server_error_once':
			if (state.serverError) return undefined;
			state.serverError = true;
			return { status: 502, contentType: 'text/html', raw: '<html><body><h1>502 Bad Gateway</h1></body></html>' };
		case 'not_json':
			return { status: 200, contentType: 'text/html', raw: '<!doctype html><html><body>Welcome to nginx!</body></html>' };
		case 'token_echo':
			// A badly behaved proxy that repeats the token: our nodes must scrub it from every message.
			return { status: 400, body: graphError(190, undefined, `Invalid OAuth access token: ${bearer} (Authorization: Bearer ${bearer})`) };
		default: {
			if (!REFUSALS[behaviour]) return undefined;
			const answer = documented(behaviour, locale, behaviour === 'object_not_found' ? id : accountId);
			if (REFUSALS[behaviour].delivers) answer.delivers = true;
			return answer;
		}
	}
}

function parseBody(raw, contentType) {
	if (raw === '') return undefined;
	if (/application\/json/i.test(contentType || '')) {
		try {
			return JSON.parse(raw);
		} catch {
			return raw;
		}
	}
	if (/application\/x-www-form-urlencoded/i.test(contentType || '')) {
		const out = {};
		for (const [key, value] of new URLSearchParams(raw)) {
			try {
				out[key] = JSON.parse(value);
			} catch {
				out[key] = value;
			}
		}
		return out;
	}
	try {
		return JSON.parse(raw);
	} catch {
		return raw;
	}
}

function bearerOf(req, query) {
	const header = req.headers.authorization || '';
	const match = /^Bearer\s+(.+)$/i.exec(header);
	if (match) return match[1].trim();
	return query.access_token;
}

/**
 * @param {object} [options]
 * @param {number} [options.port=0] 0 = random free port
 * @param {string} [options.accessToken='test-token'] expected bearer token; '' accepts any token
 * @param {string} [options.accountId='17841400000000001'] the Instagram professional account ID the token belongs to
 *   (`user_id` of /me with Instagram Login; the Page's `instagram_business_account` with Facebook Login)
 * @param {string} [options.appScopedId] the app-scoped `id` of /me with Instagram Login (differs from accountId)
 * @param {'instagram'|'facebook'} [options.loginType='instagram'] Facebook Login: the token is the Page's; /me is the Page
 * @param {string} [options.pageId='100000000000001'] the Facebook Page linked to the account (Facebook Login)
 * @param {string} [options.appId='1234567890123456'] the Meta app listed by GET subscribed_apps
 * @param {string} [options.username='story_leads_demo']
 * @param {string} [options.locale='en_US'] language of localized error texts (de_DE: German)
 * @param {string[]} [options.stories] story media ids served by /:id/stories
 * @param {number} [options.storiesPageSize=2]
 * @param {Record<string, object>} [options.profiles] profile by IGSID (defaults are generated)
 * @param {Record<string, {storyId?: string, link?: string}>} [options.storyMentions] story mentions by message id
 * @param {Array<{campaign_id: string, campaign_name: string, spend: string}>} [options.adSpend] what
 *   GET /act_<id>/insights?fields=spend&level=campaign answers for any time_range (Marketing API, Ads Insights:
 *   https://developers.facebook.com/documentation/ads-commerce/marketing-api/insights — `spend` is a decimal string
 *   in the ad account's currency, one row per campaign at level=campaign, one row for the account otherwise)
 */
async function startFakeGraphApi(options = {}) {
	const accessToken = options.accessToken === undefined ? 'test-token' : options.accessToken;
	const accountId = options.accountId || '17841400000000001';
	const appScopedId = options.appScopedId || `2${accountId.slice(1)}`;
	const loginType = options.loginType === 'facebook' ? 'facebook' : 'instagram';
	const pageId = options.pageId || '100000000000001';
	const appId = options.appId || '1234567890123456';
	const username = options.username || 'story_leads_demo';
	const stories = options.stories || ['18040000000000001', '18040000000000002', '18040000000000003', '18040000000000004', '18040000000000005'];
	const pageSize = options.storiesPageSize || 2;
	const profiles = options.profiles || {};
	const adSpend = options.adSpend || [];
	const requests = [];
	const messages = []; // accepted DMs: { recipientId, text, messageId }
	/** Webhook subscriptions by the node they were made on (account ID or Page ID): the subscribed fields. */
	const subscriptions = new Map();
	let storyMentions = new Map(Object.entries(options.storyMentions || {}));
	let locale = options.locale || 'en_US';
	let behaviours = new Map();
	let states = new Map();
	let defaultBehaviour = 'ok';
	let messageCounter = 0;
	/** Fault mode: after this many accepted messages the token counts as expired (190/463), for every call. */
	let tokenExpiresAfterSends = Infinity;
	/** Fault mode: a slow Graph API, which accepts a message at once but answers only this many ms later. */
	let sendAnswerDelayMs = 0;

	function behaviourFor(id) {
		return behaviours.get(String(id)) || defaultBehaviour;
	}
	function stateFor(id) {
		const key = String(id);
		if (!states.has(key)) states.set(key, {});
		return states.get(key);
	}

	function send(res, status, body, headers = {}) {
		const text = JSON.stringify(body);
		res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8', ...headers });
		res.end(text);
	}
	function sendRefusal(res, r) {
		if (r.raw !== undefined) {
			res.writeHead(r.status, { 'Content-Type': r.contentType || 'text/plain', ...(r.headers || {}) });
			res.end(r.raw);
			return;
		}
		send(res, r.status, r.body, r.headers);
	}

	function profileOf(igsid) {
		return {
			id: igsid,
			name: `Person ${igsid}`,
			username: `person_${igsid}`,
			profile_pic: `https://lookaside.fbsbx.com/fake/${igsid}.jpg`,
			follower_count: 42,
			is_user_follow_business: true,
			is_business_follow_user: false,
			is_verified_user: false,
			...(profiles[igsid] || {}),
		};
	}

	function pick(object, fields) {
		if (!fields) return object;
		const out = { id: object.id };
		for (const field of String(fields).split(',')) if (object[field] !== undefined) out[field] = object[field];
		return out;
	}

	/** The nodes this token may act as: `me`, the account, and with Facebook Login the Page. */
	function ownNode(id) {
		return id === 'me' || id === accountId || (loginType === 'facebook' && id === pageId);
	}

	function fieldsOf(query, body) {
		const raw = query.subscribed_fields !== undefined ? query.subscribed_fields : body && typeof body === 'object' ? body.subscribed_fields : undefined;
		if (raw === undefined) return undefined;
		const list = Array.isArray(raw) ? raw : String(raw).split(',');
		return list.map((f) => String(f).trim()).filter(Boolean);
	}

	/** POST|GET|DELETE /{ig-user-id|me|page-id}/subscribed_apps. */
	function subscribedApps(req, res, id, query, body, loc) {
		if (!ownNode(id)) return sendRefusal(res, documented('object_not_found', loc, id));
		const r = refusal(behaviourFor(id), accountId, stateFor(id), '', loc, id);
		if (r) return sendRefusal(res, r);
		const node = loginType === 'facebook' ? pageId : accountId;
		if (req.method === 'GET') {
			const fields = subscriptions.get(node);
			return send(res, 200, { data: fields ? [{ id: appId, name: 'Story Leads', subscribed_fields: fields }] : [] });
		}
		if (req.method === 'DELETE') {
			subscriptions.delete(node);
			return send(res, 200, { success: true });
		}
		const fields = fieldsOf(query, body);
		if (loginType === 'instagram' && (fields === undefined || fields.length === 0)) {
			return send(res, 400, graphError(100, undefined, '(#100) The parameter subscribed_fields is required.', 'OAuthException'));
		}
		const unknown = (fields || []).find((f) => loginType === 'instagram' && !INSTAGRAM_WEBHOOK_FIELDS.includes(f));
		if (unknown !== undefined) {
			return send(res, 400, graphError(100, undefined, `(#100) Param subscribed_fields must be one of {${INSTAGRAM_WEBHOOK_FIELDS.join(', ')}} - got "${unknown}"`, 'OAuthException'));
		}
		subscriptions.set(node, fields || []);
		return send(res, 200, { success: true });
	}

	/** The Send API's checks, in Meta's order: the node, the recipient, the message. */
	function checkSend(id, body, loc) {
		if (!ownNode(id)) return documented('object_not_found', loc, id);
		const recipient = body && typeof body === 'object' ? body.recipient || {} : {};
		if (!(recipient.id || recipient.comment_id) || !body.message) {
			return { status: 400, body: graphError(100, undefined, '(#100) The parameter recipient is required') };
		}
		const text = body.message.text;
		if (typeof text === 'string' && Buffer.byteLength(text, 'utf8') > MAX_TEXT_BYTES) {
			return { status: 400, body: graphError(100, undefined, `(#100) Length of param message[text] must be less than or equal to ${MAX_TEXT_BYTES}`) };
		}
		const replies = body.message.quick_replies;
		if (Array.isArray(replies)) {
			if (replies.length > MAX_QUICK_REPLIES) {
				return { status: 400, body: graphError(100, undefined, `(#100) param message[quick_replies] must have at most ${MAX_QUICK_REPLIES} items`) };
			}
			const long = replies.findIndex((q) => typeof q.title === 'string' && Array.from(q.title).length > MAX_QUICK_REPLY_TITLE);
			if (long >= 0) {
				return { status: 400, body: graphError(100, undefined, `(#100) param message[quick_replies][${long}][title] must be at most ${MAX_QUICK_REPLY_TITLE} characters`) };
			}
		}
		return undefined;
	}

	function handle(req, res, raw, origin) {
		const url = new URL(req.url, origin);
		const query = Object.fromEntries(url.searchParams);
		const body = parseBody(raw, req.headers['content-type']);
		const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
		requests.push({ method: req.method, path: url.pathname, query, headers: { ...req.headers }, body });
		const loc = query.locale || locale;

		if (accessToken !== '' && bearerOf(req, query) !== accessToken) {
			return send(res, 400, graphError(190, undefined, 'Invalid OAuth access token - Cannot parse access token'));
		}
		if (messageCounter >= tokenExpiresAfterSends) {
			return send(res, 400, graphError(190, 463, 'Error validating access token: Session has expired.'));
		}
		if (segments.length < 2 || !/^v\d+\.\d+$/.test(segments[0])) {
			return send(res, 400, graphError(2500, undefined, 'Unknown path components: ' + url.pathname, 'OAuthException'));
		}
		const [, id, edge] = segments;
		if (edge === 'subscribed_apps' && segments.length === 3 && ['GET', 'POST', 'DELETE'].includes(req.method)) {
			return subscribedApps(req, res, id, query, body, loc);
		}
		if (req.method === 'POST' && edge === 'messages' && segments.length === 3) {
			const invalid = checkSend(id, body, loc);
			if (invalid) return sendRefusal(res, invalid);
			const recipient = body.recipient;
			const target = recipient.id || recipient.comment_id;
			const r = refusal(behaviourFor(target), accountId, stateFor(target), bearerOf(req, query), loc, target);
			if (r && !r.delivers) return sendRefusal(res, r);
			messageCounter += 1;
			requests[requests.length - 1].accepted = true;
			const messageId = `aWdfZAG1faWtfmid_${messageCounter}`;
			messages.push({ recipientId: String(target), text: body.message.text, messageId });
			if (r) return sendRefusal(res, r); // delivered, and Meta answers an error all the same (1/1357046)
			const answer = () => send(res, 200, { recipient_id: recipient.id || `igsid_of_${recipient.comment_id}`, message_id: messageId });
			if (sendAnswerDelayMs > 0) return void setTimeout(answer, sendAnswerDelayMs);
			return answer();
		}
		if (req.method !== 'GET') {
			return send(res, 400, graphError(100, undefined, `Unsupported ${req.method} request.`, 'GraphMethodException'));
		}
		if (id === 'me' && segments.length === 2) {
			const r = refusal(behaviourFor('me'), accountId, stateFor('me'), '', loc);
			if (r) return sendRefusal(res, r);
			const me =
				loginType === 'facebook'
					? { id: pageId, name: 'Story Leads Demo Page' }
					: { id: appScopedId, user_id: accountId, username, name: 'Story Leads Demo' };
			return send(res, 200, pick(me, query.fields));
		}
		if (edge === 'stories' && segments.length === 3) {
			if (!ownNode(id)) return sendRefusal(res, documented('object_not_found', loc, id));
			const r = refusal(behaviourFor(id), accountId, stateFor(id), '', loc, id);
			if (r) return sendRefusal(res, r);
			const limit = Number(query.limit) > 0 ? Number(query.limit) : pageSize;
			const start = query.after ? Math.max(0, stories.indexOf(Buffer.from(query.after, 'base64').toString('utf8')) + 1) : 0;
			const page = stories.slice(start, start + limit);
			const result = { data: page.map((storyId) => ({ id: storyId })) };
			if (page.length > 0) {
				const encode = (s) => Buffer.from(s).toString('base64');
				result.paging = { cursors: { before: encode(page[0]), after: encode(page[page.length - 1]) } };
				if (start + limit < stories.length) {
					const next = new URL(`${origin}/${segments[0]}/${id}/stories`);
					next.searchParams.set('limit', String(limit));
					next.searchParams.set('after', encode(page[page.length - 1]));
					next.searchParams.set('access_token', 'NEXT-LINK-TOKEN');
					result.paging.next = next.toString();
				}
			}
			return send(res, 200, result);
		}
		if (edge === 'insights' && segments.length === 3 && id.startsWith('act_')) {
			const r = refusal(behaviourFor(id), accountId, stateFor(id), '', loc, id);
			if (r) return sendRefusal(res, r);
			let range;
			try {
				range = JSON.parse(query.time_range || 'null');
			} catch {
				range = null;
			}
			if (!range || !/^\d{4}-\d{2}-\d{2}$/.test(range.since || '') || !/^\d{4}-\d{2}-\d{2}$/.test(range.until || '')) {
				return send(res, 400, graphError(100, undefined, '(#100) time_range must be {"since":"YYYY-MM-DD","until":"YYYY-MM-DD"}'));
			}
			const dates = { date_start: range.since, date_stop: range.until };
			const account = id.slice(4);
			const rows =
				query.level === 'campaign'
					? adSpend.map((c) => ({ account_id: account, campaign_id: c.campaign_id, campaign_name: c.campaign_name, spend: c.spend, ...dates }))
					: [{ account_id: account, spend: adSpend.reduce((sum, c) => sum + Number(c.spend), 0).toFixed(2), ...dates }];
			return send(res, 200, { data: rows, paging: { cursors: { before: 'MAZDZD', after: 'MAZDZD' } } });
		}
		if (edge === 'insights' && segments.length === 3) {
			const r = refusal(behaviourFor(id), accountId, stateFor(id), '', loc, id);
			if (r) return sendRefusal(res, r);
			const metrics = String(query.metric || 'views,reach').split(',');
			return send(res, 200, {
				data: metrics.map((name, i) => ({
					name,
					period: 'lifetime',
					values: [{ value: 10 * (i + 1) }],
					title: name,
					description: `Fake ${name}`,
					id: `${id}/insights/${name}/lifetime`,
				})),
			});
		}
		if (segments.length === 2) {
			const r = refusal(behaviourFor(id), accountId, stateFor(id), '', loc, id);
			if (r) return sendRefusal(res, r);
			const fields = String(query.fields || '').split(',');
			// GET /{message-id}?fields=story: the story a mention points at (while the account can read it).
			if (fields.includes('story')) {
				const mention = storyMentions.get(id);
				if (!mention) return sendRefusal(res, documented('object_not_found', loc, id));
				const story = mention.storyId ? { story: { mention: { link: mention.link || `https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=${mention.storyId}`, id: mention.storyId } } } : {};
				return send(res, 200, { ...story, id });
			}
			if (loginType === 'facebook' && id === pageId) {
				return send(res, 200, pick({ id: pageId, name: 'Story Leads Demo Page', instagram_business_account: { id: accountId } }, query.fields));
			}
			if (id === accountId) {
				return send(res, 200, pick({ id: accountId, user_id: accountId, username, name: 'Story Leads Demo' }, query.fields));
			}
			return send(res, 200, pick(profileOf(id), query.fields));
		}
		return send(res, 400, graphError(2500, undefined, 'Unknown path components: ' + url.pathname));
	}

	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			try {
				handle(req, res, Buffer.concat(chunks).toString('utf8'), fake.url);
			} catch (error) {
				res.writeHead(500, { 'Content-Type': 'text/plain' });
				res.end('fake graph api crashed: ' + (error && error.message));
			}
		});
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port || 0, '127.0.0.1', resolve);
	});
	const port = server.address().port;
	const sockets = new Set();
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});

	const fake = {
		url: `http://127.0.0.1:${port}`,
		port,
		requests,
		messages,
		accessToken,
		accountId,
		pageId,
		appScopedId,
		loginType,
		/** Webhook subscriptions made through subscribed_apps: node ID (account or Page) → fields. */
		subscriptions,
		/** Error texts in this locale from now on (e.g. 'de_DE'); a request's `locale` parameter wins. */
		setLocale(value) {
			locale = value || 'en_US';
		},
		/** A story mention message the fake knows: GET /{mid}?fields=story answers with the story ID. */
		addStoryMention(mid, mention = {}) {
			storyMentions.set(String(mid), mention);
		},
		setRecipientBehaviour(igsid, behaviour) {
			if (!BEHAVIOURS.includes(behaviour)) throw new Error(`Unknown behaviour ${behaviour}`);
			behaviours.set(String(igsid), behaviour);
			states.delete(String(igsid));
		},
		setDefaultBehaviour(behaviour) {
			if (!BEHAVIOURS.includes(behaviour)) throw new Error(`Unknown behaviour ${behaviour}`);
			defaultBehaviour = behaviour;
		},
		/** The token expires once `count` messages were accepted (an account-level error mid-batch). */
		expireTokenAfterSends(count) {
			tokenExpiresAfterSends = count;
		},
		/**
		 * A slow Graph API: each accepted message is answered `ms` later (0 = at once). The message counts as
		 * delivered from the moment it is accepted, as on Meta's side a send the caller waits for is already out.
		 */
		slowSends(ms) {
			sendAnswerDelayMs = ms;
		},
		/** The token works again (the user reconnected); the message count is kept. */
		renewToken() {
			tokenExpiresAfterSends = Infinity;
		},
		/** GET /{mid}?fields=story answers with this story ID (a story mention the account can read). */
		setMentionStory(mid, storyId) {
			storyMentions.set(String(mid), { storyId: String(storyId) });
		},
		reset() {
			requests.length = 0;
			messages.length = 0;
			behaviours = new Map();
			states = new Map();
			defaultBehaviour = 'ok';
			messageCounter = 0;
			tokenExpiresAfterSends = Infinity;
			subscriptions.clear();
			storyMentions = new Map(Object.entries(options.storyMentions || {}));
			locale = options.locale || 'en_US';
			sendAnswerDelayMs = 0;
		},
		close() {
			for (const socket of sockets) socket.destroy();
			return new Promise((resolve) => server.close(() => resolve()));
		},
	};
	return fake;
}

module.exports = { startFakeGraphApi, BEHAVIOURS, REFUSALS, INSTAGRAM_WEBHOOK_FIELDS };

if (require.main === module) {
	const args = process.argv.slice(2);
	const arg = (name) => {
		const i = args.indexOf(name);
		return i >= 0 ? args[i + 1] : undefined;
	};
	startFakeGraphApi({ port: Number(arg('--port') || 0), accessToken: arg('--token') }).then((fake) => {
		process.stdout.write(`${fake.url}\n`);
		const stop = () => fake.close().then(() => process.exit(0));
		process.on('SIGINT', stop);
		process.on('SIGTERM', stop);
	});
}
