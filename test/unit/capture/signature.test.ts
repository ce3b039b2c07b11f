import { createHmac } from 'crypto';

import { checkHandshake, signBody, verifyMetaSignature } from '../../../nodes/core/capture/signature';

const SECRET = 'app-secret-123';
const BODY = Buffer.from('{"object":"instagram","entry":[{"id":"1","time":1,"messaging":[]}]}');
const sign = (body: Buffer | string, secret = SECRET) =>
	'sha256=' + createHmac('sha256', secret).update(body).digest('hex');

describe('X-Hub-Signature-256 verification', () => {
	it('accepts the HMAC-SHA256 of the raw body, from a Buffer or a string, any header casing', () => {
		expect(verifyMetaSignature(BODY, { 'x-hub-signature-256': sign(BODY) }, SECRET)).toEqual({ ok: true });
		expect(verifyMetaSignature(BODY.toString(), { 'X-Hub-Signature-256': sign(BODY) }, SECRET)).toEqual({ ok: true });
		expect(verifyMetaSignature(BODY, { 'x-hub-signature-256': [sign(BODY)] }, SECRET)).toEqual({ ok: true });
		expect(signBody(BODY, SECRET)).toBe(sign(BODY));
	});

	it('refuses a tampered body (even one byte, even re-serialised JSON)', () => {
		const signature = sign(BODY);
		const tampered = Buffer.from(BODY.toString().replace('"1"', '"2"'));
		expect(verifyMetaSignature(tampered, { 'x-hub-signature-256': signature }, SECRET)).toEqual({
			ok: false,
			reason: 'mismatch',
		});
		const reserialised = JSON.stringify(JSON.parse(BODY.toString()), null, 1);
		expect(verifyMetaSignature(reserialised, { 'x-hub-signature-256': signature }, SECRET).ok).toBe(false);
	});

	it('refuses a signature made with another secret', () => {
		expect(verifyMetaSignature(BODY, { 'x-hub-signature-256': sign(BODY, 'other') }, SECRET)).toEqual({
			ok: false,
			reason: 'mismatch',
		});
	});

	it('refuses a missing header, and a SHA1-only header even when its SHA1 is right', () => {
		expect(verifyMetaSignature(BODY, {}, SECRET)).toEqual({ ok: false, reason: 'missing_signature' });
		const sha1 = 'sha1=' + createHmac('sha1', SECRET).update(BODY).digest('hex');
		expect(verifyMetaSignature(BODY, { 'x-hub-signature': sha1 }, SECRET)).toEqual({ ok: false, reason: 'sha1_only' });
		expect(verifyMetaSignature(BODY, { 'x-hub-signature-256': sha1 }, SECRET)).toEqual({
			ok: false,
			reason: 'malformed_signature',
		});
	});

	it('refuses malformed headers and an empty secret', () => {
		for (const header of ['', 'sha256=', 'sha256=xyz', sign(BODY).slice(0, -2), sign(BODY).replace('sha256=', '')]) {
			expect(verifyMetaSignature(BODY, { 'x-hub-signature-256': header }, SECRET).ok).toBe(false);
		}
		expect(verifyMetaSignature(BODY, { 'x-hub-signature-256': sign(BODY, '') }, '')).toEqual({
			ok: false,
			reason: 'missing_secret',
		});
	});
});

describe('verification handshake', () => {
	const query = { 'hub.mode': 'subscribe', 'hub.verify_token': 'my-token', 'hub.challenge': '1158201444' };

	it('echoes the challenge when mode and token match', () => {
		expect(checkHandshake(query, 'my-token')).toEqual({ ok: true, challenge: '1158201444' });
	});

	it('refuses a wrong token, a wrong mode, a missing challenge and an empty configured token', () => {
		expect(checkHandshake({ ...query, 'hub.verify_token': 'nope' }, 'my-token').ok).toBe(false);
		expect(checkHandshake({ ...query, 'hub.verify_token': 'my-token ' }, 'my-token').ok).toBe(false);
		expect(checkHandshake({ ...query, 'hub.mode': 'unsubscribe' }, 'my-token').ok).toBe(false);
		expect(checkHandshake({ 'hub.mode': 'subscribe', 'hub.verify_token': 'my-token' }, 'my-token').ok).toBe(false);
		expect(checkHandshake({ ...query, 'hub.verify_token': '' }, '').ok).toBe(false);
		expect(checkHandshake({}, 'my-token').ok).toBe(false);
	});
});
