import { createHmac } from 'crypto';
import {
	CadenceRun,
	DEFAULT_UTM,
	clickEvent,
	parseSequence,
	signClickToken,
	trackedLink,
	verifyClickToken,
	type CadenceSequenceInput,
	type SendDecision,
} from '../../../nodes/core/cadence';
import { at, iso, MIN } from './simulate';

const PEPPER = 'pepper-for-tests-0001';
const LINK = {
	url: 'https://shop.example.com/yoga?utm_source=instagram&utm_content=hello-A#slots',
	contactKey: 'ig_contact_1',
	sendKey: 'cad:ig_contact_1:spring:1',
};
const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
/** A token signed exactly as the redirect expects, for payloads signClickToken itself would refuse to make. */
const forge = (payload: string, secret = PEPPER) =>
	`${payload}.${createHmac('sha256', secret).update(`story-leads/click/v1\n${payload}`).digest().subarray(0, 16).toString('base64url')}`;

describe('click tokens', () => {
	it('round-trips the link, the contact and the send, and stays URL-path safe', () => {
		const token = signClickToken(LINK, PEPPER);
		expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
		expect(verifyClickToken(token, PEPPER)).toEqual({ ok: true, ...LINK });
		expect(trackedLink('https://n8n.example.com/webhook/abc/r/', token)).toBe(
			`https://n8n.example.com/webhook/abc/r/${token}`,
		);
	});

	it('refuses a token whose link was changed to another host (open redirect), keeping the signature', () => {
		const [, signature] = signClickToken(LINK, PEPPER).split('.');
		const payload = b64url(JSON.stringify(['https://evil.example.net/', LINK.contactKey, LINK.sendKey]));
		expect(verifyClickToken(`${payload}.${signature}`, PEPPER)).toMatchObject({ ok: false, reason: 'bad_signature' });
	});

	it('refuses a token with a flipped signature character, another secret, no signature, or not a token at all', () => {
		const token = signClickToken(LINK, PEPPER);
		// Every other last character: the ones that only change base64's padding bits decode to the same bytes.
		for (const last of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.replace(token.slice(-1), ''))
			expect(verifyClickToken(token.slice(0, -1) + last, PEPPER)).toMatchObject({ reason: 'bad_signature' });
		expect(verifyClickToken(token, 'another-pepper-of-32-characters-1')).toMatchObject({ reason: 'bad_signature' });
		for (const bad of [token.split('.')[0], `${token}.x`, '', 'https://evil.example.net/', undefined, 42, 'a.b c'])
			expect(verifyClickToken(bad, PEPPER)).toMatchObject({ ok: false, reason: 'malformed_token' });
		expect(verifyClickToken(token, '')).toMatchObject({ ok: false, reason: 'missing_secret' });
	});

	it('never redirects to a javascript:, data: or relative URL, even when validly signed', () => {
		for (const url of ['javascript:alert(1)', 'data:text/html,<script>1</script>', '//evil.example.net/', '/admin'])
			expect(verifyClickToken(forge(b64url(JSON.stringify([url, 'c1', 's1']))), PEPPER)).toMatchObject({
				ok: false,
				reason: 'not_http',
			});
		expect(() => signClickToken({ ...LINK, url: 'javascript:alert(1)' }, PEPPER)).toThrow(/Only http\(s\)/);
		expect(() => signClickToken(LINK, '')).toThrow(/needs a secret/);
	});

	it('refuses a signed payload that does not name a link, a contact and a send', () => {
		for (const fields of [['https://x.com/'], ['https://x.com/', '', 's1'], ['https://x.com/', 1, 's1'], { url: 'https://x.com/' }])
			expect(verifyClickToken(forge(b64url(JSON.stringify(fields))), PEPPER)).toMatchObject({ reason: 'malformed_token' });
		expect(verifyClickToken(forge(b64url('not json')), PEPPER)).toMatchObject({ reason: 'malformed_token' });
	});

	it('makes the canonical link_click event of the contact, keyed on the send and the time', () => {
		expect(clickEvent(LINK, '2026-11-18T10:05:00.000Z')).toEqual({
			eventId: `link_click:${LINK.sendKey}:2026-11-18T10:05:00.000Z`,
			viewerKey: LINK.contactKey,
			type: 'link_click',
			occurredAt: '2026-11-18T10:05:00.000Z',
			ingestedAt: '2026-11-18T10:05:00.000Z',
			source: 'items',
			sourceTool: 'click_redirect',
			context: LINK.sendKey,
		});
	});
});

describe('Cadence run with click tracking', () => {
	const NOW = at('2026-11-18T10:00:00Z');
	const sequence: CadenceSequenceInput = {
		id: 'spring',
		steps: [
			{
				id: 'hello',
				delay: { min: 0, unit: 'minutes' },
				channel: 'email',
				variants: ['Hi, see https://shop.example.com/new, or chat on https://wa.me/331.'],
			},
		],
	};
	const decide = () =>
		new CadenceRun(
			parseSequence(sequence),
			{
				utm: { ...DEFAULT_UTM, skipHosts: ['wa.me'] },
				quietHours: null,
				clickTracking: { baseUrl: 'https://n8n.example.com/webhook/abc/r', secret: PEPPER },
			},
			NOW,
		).decide({ contactId: 'c1', state: { enrolledAt: iso(NOW - MIN) } }) as SendDecision;

	it('sends each tagged link through the redirect, signed for the contact and the send; skipped hosts stay direct', () => {
		const d = decide();
		const tagged =
			'https://shop.example.com/new?utm_source=instagram&utm_medium=story_dm&utm_campaign=spring&utm_content=hello-A';
		expect(d.links).toEqual([tagged]);
		const match = /^Hi, see https:\/\/n8n\.example\.com\/webhook\/abc\/r\/([A-Za-z0-9_.-]+), or chat on https:\/\/wa\.me\/331\./.exec(
			d.message,
		);
		expect(match).not.toBeNull();
		expect(verifyClickToken(match![1], PEPPER)).toEqual({
			ok: true,
			url: tagged,
			contactKey: 'c1',
			sendKey: d.idempotencyKey,
		});
	});
});
