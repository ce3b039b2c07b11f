// The fake Graph API follows Meta's documentation (scripts/fakes/graphApi.js cites the pages): documented error
// bodies, Meta's request checks, and the account-ID, subscription and story-mention routes.
const { startFakeGraphApi, REFUSALS, INSTAGRAM_WEBHOOK_FIELDS } = require('../../../scripts/fakes/graphApi');

const TOKEN = 'fake-graph-unit-token';
const ACCOUNT = '17841400000000321';
const PAGE = '100000000000321';

async function call(fake, method, path, { body, token = TOKEN } = {}) {
	const response = await fetch(`${fake.url}/v25.0${path}`, {
		method,
		headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
		body: body ? JSON.stringify(body) : undefined,
	});
	return { status: response.status, body: await response.json() };
}

const dm = (text, extra = {}) => ({ recipient: { id: '5001' }, messaging_type: 'RESPONSE', message: { text, ...extra } });

describe('fake Graph API (Instagram Login)', () => {
	let fake;
	beforeAll(async () => {
		fake = await startFakeGraphApi({ accessToken: TOKEN, accountId: ACCOUNT });
	});
	afterAll(async () => fake.close());
	beforeEach(() => fake.reset());

	it('GET /me?fields=user_id,username: user_id is the professional account, id is app-scoped and differs', async () => {
		const { status, body } = await call(fake, 'GET', '/me?fields=user_id,username');
		expect(status).toBe(200);
		expect(body).toEqual({ id: fake.appScopedId, user_id: ACCOUNT, username: 'story_leads_demo' });
		expect(body.id).not.toBe(ACCOUNT);
	});

	it('answers every refusal with Meta\'s documented body: message, type, code, subcode, user title/message, fbtrace_id', async () => {
		fake.setRecipientBehaviour('5001', 'unavailable');
		const { status, body } = await call(fake, 'POST', `/${ACCOUNT}/messages`, { body: dm('Hi') });
		expect(status).toBe(400);
		expect(body).toEqual({
			error: {
				message: "(#551) This person isn't available right now.",
				type: 'OAuthException',
				code: 551,
				error_subcode: 1545041,
				is_transient: false,
				error_user_title: 'Message Not Sent',
				error_user_msg: "This person isn't available right now.",
				fbtrace_id: 'AfakeTrace5511545041',
			},
		});
	});

	it('localizes message and error_user_msg (de_DE), by option or by the request\'s locale parameter', async () => {
		fake.setRecipientBehaviour('5001', 'outside_window_2018278');
		const english = await call(fake, 'POST', `/${ACCOUNT}/messages`, { body: dm('Hi') });
		const german = await call(fake, 'POST', `/${ACCOUNT}/messages?locale=de_DE`, { body: dm('Hi') });
		expect(english.body.error).toMatchObject({ code: 10, error_subcode: 2018278 });
		expect(german.body.error).toMatchObject({ code: 10, error_subcode: 2018278 });
		expect(german.body.error.message).not.toMatch(/outside|window/i);
		expect(german.body.error.error_user_msg).toMatch(/Zeitfenster/);
		fake.setLocale('de_DE');
		expect((await call(fake, 'POST', `/${ACCOUNT}/messages`, { body: dm('Hi') })).body.error.message).toMatch(/Zeitfenster/);
	});

	it('every documented refusal has a numeric code and a message; the German texts exist where Meta localizes', () => {
		for (const [name, r] of Object.entries(REFUSALS)) {
			expect([name, typeof r.code, typeof r.message]).toEqual([name, 'number', 'string']);
			if (r.user) expect([name, Array.isArray(r.de) && typeof r.de[1]]).toEqual([name, 'string']);
		}
	});

	it('refuses a send to a node that is not the token\'s account with 100/33, naming the ID; /me and the account work', async () => {
		const wrong = await call(fake, 'POST', '/17841499999999999/messages', { body: dm('Hi') });
		expect(wrong.status).toBe(400);
		expect(wrong.body.error).toMatchObject({ code: 100, error_subcode: 33, type: 'GraphMethodException' });
		expect(wrong.body.error.message).toContain("'17841499999999999'");
		expect((await call(fake, 'POST', '/me/messages', { body: dm('Hi') })).status).toBe(200);
		expect((await call(fake, 'POST', `/${ACCOUNT}/messages`, { body: dm('Hi') })).status).toBe(200);
		expect(fake.messages.map((m) => m.recipientId)).toEqual(['5001', '5001']);
	});

	it('checks the text in UTF-8 bytes (1,000 at most) and at most 13 quick replies with titles of 20 characters', async () => {
		expect((await call(fake, 'POST', '/me/messages', { body: dm('a'.repeat(1000)) })).status).toBe(200);
		const accented = await call(fake, 'POST', '/me/messages', { body: dm('é'.repeat(501)) });
		expect(accented.status).toBe(400);
		expect(accented.body.error).toMatchObject({ code: 100 });
		expect(accented.body.error.message).toMatch(/message\[text\]/);
		const replies = (n, title = 'Yes') => Array.from({ length: n }, (_, i) => ({ content_type: 'text', title, payload: `P${i}` }));
		expect((await call(fake, 'POST', '/me/messages', { body: dm('x', { quick_replies: replies(13) }) })).status).toBe(200);
		expect((await call(fake, 'POST', '/me/messages', { body: dm('x', { quick_replies: replies(14) }) })).body.error.message).toMatch(/at most 13/);
		expect((await call(fake, 'POST', '/me/messages', { body: dm('x', { quick_replies: replies(1, 'a'.repeat(21)) }) })).body.error.message).toMatch(/at most 20/);
		expect(fake.messages).toHaveLength(2);
	});

	it('maybe_sent (1/1357046) delivers the message and answers an error all the same', async () => {
		fake.setRecipientBehaviour('5001', 'maybe_sent');
		const answer = await call(fake, 'POST', '/me/messages', { body: dm('Hi') });
		expect(answer.status).toBe(500);
		expect(answer.body.error).toMatchObject({ code: 1, error_subcode: 1357046 });
		expect(fake.messages).toHaveLength(1);
	});

	it('subscribed_apps (Instagram Login): POST with subscribed_fields, GET lists them, DELETE removes; fields are checked', async () => {
		expect((await call(fake, 'GET', '/me/subscribed_apps')).body).toEqual({ data: [] });
		const missing = await call(fake, 'POST', '/me/subscribed_apps');
		expect(missing.body.error).toMatchObject({ code: 100 });
		expect(missing.body.error.message).toMatch(/subscribed_fields/);
		const unknown = await call(fake, 'POST', '/me/subscribed_apps?subscribed_fields=messages,feed');
		expect(unknown.body.error.message).toMatch(/got "feed"/);
		const created = await call(fake, 'POST', `/${ACCOUNT}/subscribed_apps?subscribed_fields=messages,comments,messaging_seen`);
		expect(created).toEqual({ status: 200, body: { success: true } });
		expect(fake.subscriptions.get(ACCOUNT)).toEqual(['messages', 'comments', 'messaging_seen']);
		const listed = await call(fake, 'GET', `/${ACCOUNT}/subscribed_apps`);
		expect(listed.body.data).toEqual([{ id: '1234567890123456', name: 'Story Leads', subscribed_fields: ['messages', 'comments', 'messaging_seen'] }]);
		expect((await call(fake, 'DELETE', '/me/subscribed_apps')).body).toEqual({ success: true });
		expect((await call(fake, 'GET', '/me/subscribed_apps')).body).toEqual({ data: [] });
		const other = await call(fake, 'POST', '/17841499999999999/subscribed_apps?subscribed_fields=messages');
		expect(other.body.error).toMatchObject({ code: 100, error_subcode: 33 });
		expect(INSTAGRAM_WEBHOOK_FIELDS).toContain('messaging_seen');
	});

	it('subscribed_apps answers a missing permission like any call (behaviour on the account)', async () => {
		fake.setRecipientBehaviour(ACCOUNT, 'permission');
		const refused = await call(fake, 'POST', `/${ACCOUNT}/subscribed_apps?subscribed_fields=messages`);
		expect(refused.status).toBe(403);
		expect(refused.body.error).toMatchObject({ code: 200 });
	});

	it('GET /{message-id}?fields=story: the story of a known mention; only the id when the story is not readable', async () => {
		fake.addStoryMention('mid-1', { storyId: '18040000000000777', link: 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=777' });
		fake.addStoryMention('mid-2', {});
		expect((await call(fake, 'GET', '/mid-1?fields=story')).body).toEqual({
			story: { mention: { link: 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=777', id: '18040000000000777' } },
			id: 'mid-1',
		});
		expect((await call(fake, 'GET', '/mid-2?fields=story')).body).toEqual({ id: 'mid-2' });
		expect((await call(fake, 'GET', '/mid-3?fields=story')).body.error).toMatchObject({ code: 100, error_subcode: 33 });
	});

	it('refuses a token that is not the account\'s with 190', async () => {
		expect((await call(fake, 'GET', '/me', { token: 'another' })).body.error).toMatchObject({ code: 190 });
	});
});

describe('fake Graph API (Facebook Login)', () => {
	let fake;
	beforeAll(async () => {
		fake = await startFakeGraphApi({ accessToken: TOKEN, accountId: ACCOUNT, loginType: 'facebook', pageId: PAGE });
	});
	afterAll(async () => fake.close());
	beforeEach(() => fake.reset());

	it('/me is the Page; the Page names its instagram_business_account', async () => {
		expect((await call(fake, 'GET', '/me?fields=id,name')).body).toEqual({ id: PAGE, name: 'Story Leads Demo Page' });
		expect((await call(fake, 'GET', `/${PAGE}?fields=instagram_business_account`)).body).toEqual({ id: PAGE, instagram_business_account: { id: ACCOUNT } });
	});

	it('sends through /{page-id}/messages and subscribes the Page with POST /{page-id}/subscribed_apps', async () => {
		expect((await call(fake, 'POST', `/${PAGE}/messages`, { body: dm('Hi') })).status).toBe(200);
		expect((await call(fake, 'POST', `/${PAGE}/subscribed_apps`)).body).toEqual({ success: true });
		expect(fake.subscriptions.get(PAGE)).toEqual([]);
		expect((await call(fake, 'GET', `/${PAGE}/subscribed_apps`)).body.data).toHaveLength(1);
		expect((await call(fake, 'DELETE', `/${PAGE}/subscribed_apps`)).body).toEqual({ success: true });
		expect(fake.subscriptions.size).toBe(0);
	});

	it('page_not_linked answers 100/2534013', async () => {
		fake.setRecipientBehaviour('5001', 'page_not_linked');
		expect((await call(fake, 'POST', `/${PAGE}/messages`, { body: dm('Hi') })).body.error).toMatchObject({ code: 100, error_subcode: 2534013 });
	});
});
