#!/usr/bin/env node
/**
 * Fake Instagram Graph API for tests (plain CommonJS, http on 127.0.0.1, random port by default).
 * Implements the endpoints our nodes call and Meta's refusals with their real bodies and headers.
 *
 *   const { startFakeGraphApi } = require('./graphApi');
 *   const fake = await startFakeGraphApi({ accessToken: 'test-token' });
 *   fake.setRecipientBehaviour('1002', 'outside_window');
 *   // credential baseUrl = fake.url; fake.requests lists what arrived; fake.messages the DMs it accepted, in order
 *   await fake.close();
 *
 * Standalone: `node scripts/fakes/graphApi.js --port 4010 [--token test-token]` prints the URL.
 *
 * Behaviours (per id: recipient IGSID, comment id, media id or profile id; or the default):
 *   ok, outside_window (10/2534022), unavailable (551), throttle_once (4, then ok), throttle_always (613),
 *   throttle_buc (80002 with estimated_time_to_regain_access 5 min), token_expired (190/463),
 *   permission (200, names instagram_business_manage_messages), blocked (10/2018108), invalid_recipient (100/2534014),
 *   already_replied (100/2534025), transient_once (2, then ok), server_error_once (502 HTML, then ok),
 *   not_json (200 with an HTML body), not_enough_viewers (10, insights), token_echo (190 repeating the token).
 * Any request whose bearer token differs from `accessToken` gets 190 (when `accessToken` is set).
 */
'use strict';

const http = require('http');

const BEHAVIOURS = [
	'ok',
	'outside_window',
	'unavailable',
	'throttle_once',
	'throttle_always',
	'throttle_buc',
	'token_expired',
	'permission',
	'blocked',
	'invalid_recipient',
	'already_replied',
	'transient_once',
	'server_error_once',
	'not_json',
	'not_enough_viewers',
	'token_echo',
];

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

/** The refusal for a behaviour, or undefined when the request should succeed. */
function refusal(behaviour, accountId, state, bearer = '') {
	switch (behaviour) {
		case 'outside_window':
			return { status: 400, body: graphError(10, 2534022, '(#10) This message is sent outside of allowed window.') };
		case 'unavailable':
			return { status: 400, body: graphError(551, 1545041, "(#551) This person isn't available right now.") };
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
		case 'throttle_always':
			return {
				status: 400,
				headers: { 'X-Business-Use-Case-Usage': bucHeader(accountId, 0) },
				body: graphError(613, undefined, '(#613) Calls to this api have exceeded the rate limit.'),
			};
		case 'throttle_buc':
			return {
				status: 400,
				headers: { 'X-Business-Use-Case-Usage': bucHeader(accountId, 5, 'instagram') },
				body: graphError(80002, undefined, "(#80002) There have been too many calls to this Instagram account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting."),
			};
		case 'token_expired':
			return {
				status: 400,
				body: graphError(190, 463, 'Error validating access token: Session has expired on Tuesday, 10-Nov-26 10:00:00 PST. The current time is Tuesday, 10-Nov-26 11:00:00 PST.'),
			};
		case 'permission':
			return {
				status: 403,
				body: graphError(200, undefined, '(#200) Requires instagram_business_manage_messages permission to manage the object'),
			};
		case 'blocked':
			return { status: 400, body: graphError(10, 2018108, "(#10) This person isn't receiving messages from you right now.") };
		case 'invalid_recipient':
			return { status: 400, body: graphError(100, 2534014, '(#100) No matching user found') };
		case 'already_replied':
			return { status: 400, body: graphError(100, 2534025, '(#100) This comment already has a private reply.') };
		case 'transient_once':
			if (state.transient) return undefined;
			state.transient = true;
			return { status: 500, body: graphError(2, undefined, 'An unexpected error has occurred. Please retry your request later.', 'OAuthException', { is_transient: true }) };
		case 'server_error_once':
			if (state.serverError) return undefined;
			state.serverError = true;
			return { status: 502, contentType: 'text/html', raw: '<html><body><h1>502 Bad Gateway</h1></body></html>' };
		case 'not_json':
			return { status: 200, contentType: 'text/html', raw: '<!doctype html><html><body>Welcome to nginx!</body></html>' };
		case 'token_echo':
			// A badly behaved proxy that repeats the token: our nodes must scrub it from every message.
			return { status: 400, body: graphError(190, undefined, `Invalid OAuth access token: ${bearer} (Authorization: Bearer ${bearer})`) };
		case 'not_enough_viewers':
			return { status: 400, body: graphError(10, undefined, '(#10) Not enough viewers for the media to show insights') };
		default:
			return undefined;
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
 * @param {string} [options.accountId='17841400000000001'] the /me id
 * @param {string} [options.username='story_leads_demo']
 * @param {string[]} [options.stories] story media ids served by /:id/stories
 * @param {number} [options.storiesPageSize=2]
 * @param {Record<string, object>} [options.profiles] profile by IGSID (defaults are generated)
 */
async function startFakeGraphApi(options = {}) {
	const accessToken = options.accessToken === undefined ? 'test-token' : options.accessToken;
	const accountId = options.accountId || '17841400000000001';
	const username = options.username || 'story_leads_demo';
	const stories = options.stories || ['18040000000000001', '18040000000000002', '18040000000000003', '18040000000000004', '18040000000000005'];
	const pageSize = options.storiesPageSize || 2;
	const profiles = options.profiles || {};
	const requests = [];
	const messages = []; // accepted DMs: { recipientId, text, messageId }
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

	function handle(req, res, raw, origin) {
		const url = new URL(req.url, origin);
		const query = Object.fromEntries(url.searchParams);
		const body = parseBody(raw, req.headers['content-type']);
		const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
		requests.push({ method: req.method, path: url.pathname, query, headers: { ...req.headers }, body });

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

		if (req.method === 'POST' && edge === 'messages' && segments.length === 3) {
			const recipient = body && typeof body === 'object' ? body.recipient || {} : {};
			const target = recipient.id || recipient.comment_id;
			if (!target || !body.message) {
				return send(res, 400, graphError(100, undefined, '(#100) The parameter recipient is required'));
			}
			const r = refusal(behaviourFor(target), accountId, stateFor(target), bearerOf(req, query));
			if (r) return sendRefusal(res, r);
			messageCounter += 1;
			requests[requests.length - 1].accepted = true;
			const messageId = `aWdfZAG1faWtfmid_${messageCounter}`;
			messages.push({ recipientId: String(target), text: body.message.text, messageId });
			const answer = () => send(res, 200, { recipient_id: recipient.id || `igsid_of_${recipient.comment_id}`, message_id: messageId });
			if (sendAnswerDelayMs > 0) return void setTimeout(answer, sendAnswerDelayMs);
			return answer();
		}
		if (req.method !== 'GET') {
			return send(res, 400, graphError(100, undefined, `Unsupported ${req.method} request.`, 'GraphMethodException'));
		}
		if (id === 'me' && segments.length === 2) {
			const r = refusal(behaviourFor('me'), accountId, stateFor('me'));
			if (r) return sendRefusal(res, r);
			return send(res, 200, pick({ id: accountId, username, name: 'Story Leads Demo', user_id: accountId }, query.fields));
		}
		if (edge === 'stories' && segments.length === 3) {
			const r = refusal(behaviourFor(id), accountId, stateFor(id));
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
		if (edge === 'insights' && segments.length === 3) {
			const r = refusal(behaviourFor(id), accountId, stateFor(id));
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
			const r = refusal(behaviourFor(id), accountId, stateFor(id));
			if (r) return sendRefusal(res, r);
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
		reset() {
			requests.length = 0;
			messages.length = 0;
			behaviours = new Map();
			states = new Map();
			defaultBehaviour = 'ok';
			messageCounter = 0;
			tokenExpiresAfterSends = Infinity;
			sendAnswerDelayMs = 0;
		},
		close() {
			for (const socket of sockets) socket.destroy();
			return new Promise((resolve) => server.close(() => resolve()));
		},
	};
	return fake;
}

module.exports = { startFakeGraphApi, BEHAVIOURS };

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
