import { createHmac, timingSafeEqual } from 'crypto';

/**
 * First-party click tracking: a link in a DM goes through the user's own redirect webhook (`<base>/<token>`), which
 * answers 302 to the link and stores a `link_click` for the contact and the send. The token carries the link, the
 * contact and the send, signed with HMAC-SHA256 under the user's secret, so the redirect needs no lookup before it
 * answers and redirects only to links the user's own messages contained: a token it did not sign (or any other URL)
 * is refused, never redirected. Tokens do not expire: people click days after a message, and a dead link in a DM
 * costs a sale; rotating the secret retires every token at once.
 */

/** What a click token carries. */
export interface ClickLink {
	/** The destination, as sent (UTM parameters included). */
	url: string;
	/** The contact the message went to. */
	contactKey: string;
	/** The send it came from (the message's idempotency key). */
	sendKey: string;
}

export type ClickTokenResult =
	| ({ ok: true } & ClickLink)
	| { ok: false; reason: ClickRefusal; reasonText: string };

export type ClickRefusal = 'missing_secret' | 'malformed_token' | 'bad_signature' | 'not_http';

/** The WHATWG URL parser of the runtime; the core's tsconfig has no DOM types. */
declare const URL: new (input: string) => { protocol: string; hostname: string };

/** Separates these signatures from every other use of the same secret (e.g. pseudonymising viewer keys). */
const DOMAIN = 'story-leads/click/v1\n';
/** 128 bits of HMAC-SHA256: unforgeable, and shorter links. */
const SIGNATURE_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

function base64url(data: Buffer): string {
	return data.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Buffer {
	return Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

function signature(payload: string, secret: string): Buffer {
	return createHmac('sha256', secret).update(DOMAIN + payload).digest().subarray(0, SIGNATURE_BYTES);
}

/** Whether `link` is an absolute http(s) URL (what a redirect may ever point at). */
export function isHttpUrl(link: string): boolean {
	try {
		const url = new URL(link);
		return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
	} catch {
		return false;
	}
}

/** The signed token of one link: `<payload>.<signature>`, both base64url (safe in a URL path). */
export function signClickToken(link: ClickLink, secret: string): string {
	if (secret === '') throw new Error('A click token needs a secret.');
	if (!isHttpUrl(link.url)) throw new Error(`Only http(s) links are tracked, not "${link.url}".`);
	const payload = base64url(Buffer.from(JSON.stringify([link.url, link.contactKey, link.sendKey]), 'utf8'));
	return `${payload}.${base64url(signature(payload, secret))}`;
}

const refuse = (reason: ClickRefusal, reasonText: string): ClickTokenResult => ({
	ok: false,
	reason,
	reasonText,
});

/** The link a token carries when this secret signed it; otherwise why not (the redirect answers 404). */
export function verifyClickToken(token: unknown, secret: string): ClickTokenResult {
	if (secret === '') return refuse('missing_secret', 'No secret is set to check click tokens.');
	const parts = typeof token === 'string' ? token.trim().split('.') : [];
	if (parts.length !== 2 || !parts.every((part) => BASE64URL.test(part)))
		return refuse('malformed_token', 'The click token is not <payload>.<signature>.');
	const [payload, given] = parts;
	// Compared as text: a non-canonical base64 spelling of the right bytes is not the signature either.
	const expected = Buffer.from(base64url(signature(payload, secret)), 'utf8');
	const received = Buffer.from(given, 'utf8');
	if (received.length !== expected.length || !timingSafeEqual(received, expected))
		return refuse('bad_signature', 'The click token was not signed with this secret.');
	let fields: unknown;
	try {
		fields = JSON.parse(fromBase64url(payload).toString('utf8'));
	} catch {
		return refuse('malformed_token', 'The click token payload is not readable.');
	}
	if (
		!Array.isArray(fields) ||
		fields.length !== 3 ||
		!fields.every((field) => typeof field === 'string') ||
		fields[1] === ''
	)
		return refuse('malformed_token', 'The click token does not name a link, a contact and a send.');
	const [url, contactKey, sendKey] = fields as string[];
	// Signed tokens only ever hold http(s) links; checked again so nothing else can be redirected to.
	if (!isHttpUrl(url)) return refuse('not_http', 'The click token does not hold an http(s) link.');
	return { ok: true, url, contactKey, sendKey };
}

/** `<base>/<token>`: the link a message carries when clicks go through the redirect webhook at `base`. */
export function trackedLink(base: string, token: string): string {
	return `${base.replace(/\/+$/, '')}/${token}`;
}

/** The tracking settings of a run: the redirect webhook's base URL and the signing secret. */
export interface ClickTracking {
	baseUrl: string;
	secret: string;
}

/** The canonical `link_click` event of a verified click (the events table's columns), at `occurredAt`. */
export function clickEvent(link: ClickLink, occurredAt: string) {
	return {
		eventId: `link_click:${link.sendKey || link.contactKey}:${occurredAt}`,
		viewerKey: link.contactKey,
		type: 'link_click' as const,
		occurredAt,
		ingestedAt: occurredAt,
		source: 'items',
		sourceTool: 'click_redirect',
		/** The send the click came from (its idempotency key). */
		context: link.sendKey,
	};
}
