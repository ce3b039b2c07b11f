import { createHmac, timingSafeEqual } from 'crypto';

/**
 * Meta signs every webhook POST with `X-Hub-Signature-256: sha256=<hex>`, the HMAC-SHA256 of the raw body
 * bytes keyed with the app secret. The legacy `X-Hub-Signature` (SHA-1) is never accepted on its own.
 */
export type SignatureResult =
	| { ok: true }
	| { ok: false; reason: 'missing_secret' | 'missing_signature' | 'sha1_only' | 'malformed_signature' | 'mismatch' };

const SHA256_HEADER = /^sha256=([0-9a-f]{64})$/i;

/** Header lookup that accepts any casing and arrays (Node gives lower-case names; tests may not). */
export function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() !== wanted) continue;
		if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : undefined;
		return typeof value === 'string' ? value : undefined;
	}
	return undefined;
}

export function signBody(rawBody: Buffer | string, appSecret: string): string {
	return 'sha256=' + createHmac('sha256', appSecret).update(rawBody).digest('hex');
}

export function verifyMetaSignature(
	rawBody: Buffer | string,
	headers: Record<string, unknown>,
	appSecret: string,
): SignatureResult {
	if (!appSecret) return { ok: false, reason: 'missing_secret' };
	const header = headerValue(headers, 'x-hub-signature-256');
	if (header === undefined || header.trim() === '') {
		return { ok: false, reason: headerValue(headers, 'x-hub-signature') ? 'sha1_only' : 'missing_signature' };
	}
	const match = SHA256_HEADER.exec(header.trim());
	if (!match) return { ok: false, reason: 'malformed_signature' };
	const expected = createHmac('sha256', appSecret).update(rawBody).digest();
	const given = Buffer.from(match[1], 'hex');
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'mismatch' };
	return { ok: true };
}

export type HandshakeResult = { ok: true; challenge: string } | { ok: false; reason: string };

/** Meta's GET verification: `hub.mode=subscribe`, the configured verify token, and a challenge to echo. */
export function checkHandshake(query: Record<string, unknown>, verifyToken: string): HandshakeResult {
	const mode = query['hub.mode'];
	const token = query['hub.verify_token'];
	const challenge = query['hub.challenge'];
	if (mode !== 'subscribe') return { ok: false, reason: 'hub.mode is not "subscribe"' };
	if (typeof challenge !== 'string' || challenge === '') return { ok: false, reason: 'hub.challenge is missing' };
	if (!verifyToken) return { ok: false, reason: 'No verify token is set in the credential' };
	if (typeof token !== 'string' || !safeEqualText(token, verifyToken)) {
		return { ok: false, reason: 'hub.verify_token does not match the credential' };
	}
	return { ok: true, challenge };
}

/** Constant-time string comparison (lengths are compared on hashes, so they do not leak either). */
function safeEqualText(a: string, b: string): boolean {
	const ha = createHmac('sha256', 'verify-token').update(a).digest();
	const hb = createHmac('sha256', 'verify-token').update(b).digest();
	return timingSafeEqual(ha, hb);
}
