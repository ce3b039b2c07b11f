// Meta (Instagram) webhook deliveries as the platform sends them: JSON envelopes of the shapes in
// ../shared/reference/meta-instagram-platform.md §3.1, signed with X-Hub-Signature-256 (HMAC-SHA256 of the raw body
// with the app secret). Used by the template e2e test and `npm run demo`.
const crypto = require('crypto');

const ACCOUNT_ID = '17841400000000001';

function signature(rawBody, appSecret) {
	return 'sha256=' + crypto.createHmac('sha256', appSecret).update(rawBody).digest('hex');
}

let mid = 0;
const nextMid = (seed) => `aWdf${Buffer.from(`${seed}:${++mid}`).toString('base64url')}`;

function envelope(messaging, accountId = ACCOUNT_ID) {
	return {
		object: 'instagram',
		entry: messaging.map((m) => ({ id: accountId, time: m.timestamp, messaging: [m] })),
	};
}

const base = (igsid, atMs, accountId = ACCOUNT_ID) => ({
	sender: { id: String(igsid) },
	recipient: { id: accountId },
	timestamp: atMs,
});

const events = {
	storyReply(igsid, atMs, text, storyId = '18040775032372871') {
		return {
			...base(igsid, atMs),
			message: {
				mid: nextMid(`${igsid}:${atMs}:reply`),
				text,
				reply_to: { story: { url: `https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=${storyId}`, id: storyId } },
			},
		};
	},
	storyMention(igsid, atMs) {
		return {
			...base(igsid, atMs),
			message: {
				mid: nextMid(`${igsid}:${atMs}:mention`),
				attachments: [{ type: 'story_mention', payload: { url: 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1' } }],
			},
		};
	},
	reaction(igsid, atMs, emoji = '\u2764\ufe0f') {
		return {
			...base(igsid, atMs),
			reaction: { mid: nextMid(`${igsid}:${atMs}:reacted-to`), action: 'react', reaction: 'love', emoji },
		};
	},
	message(igsid, atMs, text) {
		return { ...base(igsid, atMs), message: { mid: nextMid(`${igsid}:${atMs}:message`), text } };
	},
};

/**
 * JSON the way a sender other than JavaScript writes it, to check that signatures are verified over the bytes
 * received, never over a re-serialisation. `escaped` writes `/` as `\/` and every non-ASCII character as \uXXXX
 * (PHP's json_encode default, what Meta's deliveries look like); `pretty` indents with extra spaces and CRLF.
 */
function rawJson(payload, style = 'compact') {
	if (style === 'compact') return JSON.stringify(payload);
	if (style === 'escaped') {
		return JSON.stringify(payload)
			.replace(/\//g, '\\/')
			.replace(/[\u0080-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
	}
	if (style === 'pretty') {
		// A space before each key's colon (keys start their line in indented output, so string values are untouched).
		const spaced = JSON.stringify(payload, null, 4).replace(/^(\s*"(?:[^"\\]|\\.)*"): /gm, '$1 : ');
		return spaced.replace(/\n/g, '\r\n') + '\r\n';
	}
	throw new Error(`unknown JSON style ${style}`);
}

/** POSTs a signed delivery (the body written in `style`, see rawJson); returns { status, body }. */
async function deliver(url, payload, appSecret, { sign = true, style = 'compact' } = {}) {
	const raw = rawJson(payload, style);
	const headers = { 'content-type': 'application/json' };
	if (sign) headers['x-hub-signature-256'] = signature(raw, appSecret);
	const res = await fetch(url, { method: 'POST', headers, body: raw });
	return { status: res.status, body: await res.text() };
}

module.exports = { ACCOUNT_ID, signature, envelope, events, deliver, rawJson };
