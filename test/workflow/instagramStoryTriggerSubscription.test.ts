// The trigger's lifecycle against the fake Graph API (scripts/fakes/graphApi.js): publishing subscribes the account
// to the webhook fields its Events need (Meta's set-up step 3), starting checks it, unpublishing leaves it unless
// asked; and the credential test shows the professional account ID and refuses another one.
import { createHmac } from 'crypto';
import type { IDataObject, IHookFunctions, IHttpRequestOptions, IWebhookFunctions } from 'n8n-workflow';

import { InstagramStoryTrigger } from '../../nodes/InstagramStoryTrigger/InstagramStoryTrigger.node';
import { InstagramDm } from '../../nodes/InstagramDm/InstagramDm.node';
import { StoryViewerIngest } from '../../nodes/StoryViewerIngest/StoryViewerIngest.node';
import { instagramApiTest } from '../../nodes/shared/instagramCredentialTest';
import { startFakeGraphApi } from '../../scripts/fakes/graphApi';
import type { FakeGraphApi } from '../../scripts/fakes/graphApi';
import * as p from '../unit/capture/payloads';

const TOKEN = 'subscription-test-token';
const ACCOUNT = '17841400000000001';
const PAGE = '100000000000077';
const APP_SECRET = 'subscription-app-secret';

let fake: FakeGraphApi;
/** Facebook Login: the token is the Page's, so Meta (and the fake) answer for the Page, not the account. */
let pageFake: FakeGraphApi;
beforeAll(async () => {
	fake = await startFakeGraphApi({ accessToken: TOKEN, accountId: ACCOUNT, pageId: PAGE });
	pageFake = await startFakeGraphApi({ accessToken: TOKEN, accountId: ACCOUNT, pageId: PAGE, loginType: 'facebook' });
});
afterAll(async () => {
	await fake.close();
	await pageFake.close();
});
beforeEach(() => {
	fake.reset();
	pageFake.reset();
});

/** n8n's httpRequestWithAuthentication for the Instagram credential, over real HTTP (Bearer header). */
function authenticatedRequest(credentials: IDataObject) {
	return async (_type: string, options: IHttpRequestOptions) => {
		const url = new URL(options.url);
		for (const [key, value] of Object.entries(options.qs ?? {})) url.searchParams.set(key, String(value));
		const res = await fetch(url, {
			method: options.method ?? 'GET',
			headers: { authorization: `Bearer ${String(credentials.accessToken)}` },
		});
		const text = await res.text();
		let body: unknown = text;
		try {
			body = JSON.parse(text);
		} catch {
			// not JSON: the transport classifies it
		}
		return { statusCode: res.status, body, headers: Object.fromEntries(res.headers) };
	};
}

function credentialsFor(extra: IDataObject = {}): IDataObject {
	return {
		host: 'graph.instagram.com',
		apiVersion: 'v25.0',
		accessToken: TOKEN,
		accountId: ACCOUNT,
		appSecret: APP_SECRET,
		verifyToken: 'v',
		baseUrl: fake.url,
		...extra,
	};
}

function hookContext(parameters: IDataObject, credentials: IDataObject = credentialsFor()): IHookFunctions {
	const all: IDataObject = { events: ['story_reply', 'message_seen'], subscribeAccount: true, ...parameters };
	return {
		getNode: () => ({ name: 'Instagram Story Trigger' }),
		getNodeParameter: (name: string, fallback?: unknown) => (name in all ? all[name] : fallback),
		getCredentials: async () => credentials,
		helpers: { httpRequestWithAuthentication: authenticatedRequest(credentials) },
	} as unknown as IHookFunctions;
}

const hooks = () => new InstagramStoryTrigger().webhookMethods.default;
const subscribedAppsCalls = () =>
	fake.requests.filter((r) => r.path.endsWith('/subscribed_apps')).map((r) => [r.method, r.path, r.query.subscribed_fields]);

describe('Instagram Story Trigger: account subscription on publish', () => {
	it('on publish: finds the account not subscribed, subscribes it to the fields its Events need; on start: finds it', async () => {
		const ctx = hookContext({ events: ['story_reply', 'story_mention', 'message', 'postback', 'reaction', 'comment', 'message_seen'] });
		expect(await hooks().checkExists.call(ctx)).toBe(false);
		expect(await hooks().create.call(ctx)).toBe(true);
		expect(fake.subscriptions.get(ACCOUNT)).toEqual([
			'comments',
			'message_reactions',
			'messages',
			'messaging_postbacks',
			'messaging_seen',
		]);
		expect(await hooks().checkExists.call(ctx)).toBe(true);
		expect(subscribedAppsCalls()).toEqual([
			['GET', `/v25.0/${ACCOUNT}/subscribed_apps`, undefined],
			['GET', `/v25.0/${ACCOUNT}/subscribed_apps`, undefined],
			['POST', `/v25.0/${ACCOUNT}/subscribed_apps`, 'comments,message_reactions,messages,messaging_postbacks,messaging_seen'],
			['GET', `/v25.0/${ACCOUNT}/subscribed_apps`, undefined],
		]);
	});

	it('adds its fields to what another workflow subscribed (Meta\'s POST replaces the list)', async () => {
		await hooks().create.call(hookContext({ events: ['comment'] }));
		const second = hookContext({ events: ['message_seen'] });
		expect(await hooks().checkExists.call(second)).toBe(false);
		await hooks().create.call(second);
		expect(fake.subscriptions.get(ACCOUNT)).toEqual(['comments', 'messaging_seen']);
	});

	it('subscribes the Page with Page fields for Facebook Login', async () => {
		const ctx = hookContext(
			{ events: ['message', 'message_seen', 'comment'] },
			credentialsFor({ host: 'graph.facebook.com', pageId: PAGE, baseUrl: pageFake.url }),
		);
		await hooks().create.call(ctx);
		expect(pageFake.subscriptions.get(PAGE)).toEqual(['feed', 'message_reads', 'messages']);
	});

	it('refuses to publish with a message naming the missing permission and the step', async () => {
		fake.setRecipientBehaviour(ACCOUNT, 'permission');
		const error = await hooks().checkExists.call(hookContext({})).catch((e: Error & { description?: string }) => e);
		expect(error).toBeInstanceOf(Error);
		expect((error as Error).message).toContain('Could not read the account\'s webhook subscription');
		expect((error as { description?: string }).description).toContain('instagram_business_manage_messages');
		expect((error as { description?: string }).description).toContain('App Dashboard');
		expect((error as Error).message).not.toContain(TOKEN);
	});

	it('refuses a wrong account ID as a configuration error (Meta: object does not exist)', async () => {
		const error = await hooks()
			.checkExists.call(hookContext({}, credentialsFor({ accountId: '25000000000000009' })))
			.catch((e: Error & { description?: string }) => e);
		expect((error as { description?: string }).description).toContain('user_id of GET /me?fields=user_id,username');
	});

	it('Facebook Login without a Page ID says to set it, before calling Meta', async () => {
		const error = await hooks()
			.create.call(hookContext({}, credentialsFor({ host: 'graph.facebook.com', pageId: '' })))
			.catch((e: Error) => e);
		expect((error as Error).message).toContain('Facebook Page ID');
		expect(fake.requests).toEqual([]);
	});

	it('does nothing remotely when subscribing is off (callback and account set up by hand)', async () => {
		const ctx = hookContext({ subscribeAccount: false, unsubscribeWhenUnpublished: true });
		expect(await hooks().checkExists.call(ctx)).toBe(true);
		expect(await hooks().create.call(ctx)).toBe(true);
		expect(await hooks().delete.call(ctx)).toBe(true);
		expect(fake.requests).toEqual([]);
	});

	it('on unpublish keeps the subscription by default, removes it only when asked', async () => {
		await hooks().create.call(hookContext({}));
		expect(await hooks().delete.call(hookContext({}))).toBe(true);
		expect(fake.subscriptions.has(ACCOUNT)).toBe(true);
		expect(await hooks().delete.call(hookContext({ unsubscribeWhenUnpublished: true }))).toBe(true);
		expect(fake.subscriptions.has(ACCOUNT)).toBe(false);
		expect(subscribedAppsCalls().filter(([method]) => method === 'DELETE')).toEqual([
			['DELETE', `/v25.0/${ACCOUNT}/subscribed_apps`, undefined],
		]);
	});

	it('offers the options with safe defaults: subscribe on, unsubscribe off, mention look-up off', () => {
		const properties = new InstagramStoryTrigger().description.properties;
		const byName = Object.fromEntries(properties.map((prop) => [prop.name, prop]));
		expect(byName.subscribeAccount.default).toBe(true);
		expect(byName.unsubscribeWhenUnpublished.default).toBe(false);
		const options = (byName.options.options ?? []) as Array<{ name: string; default: unknown }>;
		expect(options.find((o) => o.name === 'lookUpMentionStoryIds')?.default).toBe(false);
		const events = (byName.events.options ?? []) as Array<{ value: string }>;
		expect(events.map((o) => o.value)).toContain('message_seen');
	});
});

/** The credential test context n8n gives a `testedBy` function: only the legacy `request` helper. */
function credentialTestContext() {
	return {
		helpers: {
			request: async (options: { method: string; uri: string; qs?: Record<string, string>; headers?: Record<string, string> }) => {
				const url = new URL(options.uri);
				for (const [key, value] of Object.entries(options.qs ?? {})) url.searchParams.set(key, value);
				const res = await fetch(url, { method: options.method, headers: options.headers });
				const body = (await res.json()) as unknown;
				if (res.status >= 400) throw Object.assign(new Error(`${res.status} - ${JSON.stringify(body)}`), { statusCode: res.status, error: body });
				return body;
			},
		},
	};
}

async function testCredential(data: IDataObject) {
	const run = instagramApiTest as unknown as (this: unknown, c: unknown) => Promise<{ status: string; message: string }>;
	return await run.call(credentialTestContext(), { id: '1', name: 'Instagram', type: 'instagramApi', data });
}

describe('Instagram API credential test', () => {
	it('is the test of every node that takes the credential', () => {
		for (const node of [new InstagramStoryTrigger(), new InstagramDm(), new StoryViewerIngest()]) {
			const entry = node.description.credentials?.find((c) => c.name === 'instagramApi');
			expect(entry?.testedBy).toBe('instagramApiTest');
			expect(Object.keys(node.methods.credentialTest)).toContain('instagramApiTest');
		}
	});

	it('Instagram Login: shows the professional account ID (user_id of /me) and refuses another one', async () => {
		expect(await testCredential(credentialsFor())).toEqual({
			status: 'OK',
			message: `Connected to @story_leads_demo, professional account ID ${ACCOUNT}`,
		});
		expect(fake.requests.map((r) => [r.path, r.query.fields])).toEqual([['/v25.0/me', 'user_id,username']]);
		const wrong = await testCredential(credentialsFor({ accountId: '25000000000000009' }));
		expect(wrong).toEqual({ status: 'Error', message: expect.stringContaining(`set it to ${ACCOUNT}`) });
		const empty = await testCredential(credentialsFor({ accountId: '' }));
		expect(empty.message).toContain(`Set Instagram Account ID to ${ACCOUNT}`);
	});

	it('Facebook Login: reads the Page\'s instagram_business_account', async () => {
		const page = { host: 'graph.facebook.com', pageId: PAGE, baseUrl: pageFake.url };
		const ok = await testCredential(credentialsFor(page));
		expect(ok.status).toBe('OK');
		expect(pageFake.requests.map((r) => [r.path, r.query.fields])).toEqual([[`/v25.0/${PAGE}`, 'id,name,instagram_business_account']]);
		const pageIdAsAccount = await testCredential(credentialsFor({ ...page, accountId: PAGE }));
		expect(pageIdAsAccount).toEqual({ status: 'Error', message: expect.stringContaining(`set it to ${ACCOUNT}`) });
	});

	it('reports Meta\'s refusal without the token', async () => {
		const refused = await testCredential(credentialsFor({ accessToken: 'not-the-token' }));
		expect(refused.status).toBe('Error');
		expect(refused.message).toContain('GET /me?fields=user_id,username was refused');
		expect(refused.message).toContain('Invalid OAuth access token');
		expect(refused.message).not.toContain('not-the-token');
	});
});

describe('Instagram Story Trigger: story ids of mentions', () => {
	const sign = (raw: string) => 'sha256=' + createHmac('sha256', APP_SECRET).update(raw).digest('hex');

	async function deliver(body: unknown, options: IDataObject) {
		const raw = JSON.stringify(body);
		const credentials = credentialsFor();
		const warnings: string[] = [];
		const parameters: IDataObject = { events: ['story_mention', 'message_seen'], pseudonymise: false, options };
		const ctx = {
			logger: { warn: (message: string) => warnings.push(message) },
			getWebhookName: () => 'default',
			getRequestObject: () => ({ rawBody: Buffer.from(raw), headers: { 'x-hub-signature-256': sign(raw) } }),
			getResponseObject: () => ({}),
			getNode: () => ({ name: 'Instagram Story Trigger', credentials: { instagramApi: { id: 'mentions', name: 'x' } } }),
			getNodeParameter: (name: string, fallback?: unknown) => (name in parameters ? parameters[name] : fallback),
			getCredentials: async () => credentials,
			helpers: { httpRequestWithAuthentication: authenticatedRequest(credentials) },
		} as unknown as IWebhookFunctions;
		const result = await new InstagramStoryTrigger().webhook.call(ctx);
		return { events: (result.workflowData?.[0] ?? []).map((i) => i.json), warnings };
	}

	const mention = (mid: string) =>
		p.envelope([
			{
				sender: { id: p.IGSID },
				recipient: { id: p.IG_ID },
				timestamp: 1700000000000,
				message: { mid, attachments: [{ type: 'story_mention', payload: { url: 'https://lookaside.fbsbx.com/x' } }] },
			},
		]);

	it('adds the story id when the option is on and Meta answers; never asks when it is off', async () => {
		fake.setMentionStory('aWdfmention1', '18000000000000042');
		const off = await deliver(mention('aWdfmention1'), {});
		expect(off.events[0].storyId).toBeUndefined();
		expect(fake.requests).toEqual([]);
		const on = await deliver(mention('aWdfmention1'), { lookUpMentionStoryIds: true });
		expect(on.events.map((e) => [e.type, e.storyId])).toEqual([['story_mention', '18000000000000042']]);
		expect(fake.requests.map((r) => [r.path, r.query.fields])).toEqual([['/v25.0/aWdfmention1', 'story']]);
		// The mid is used for the look-up, not kept in the event.
		expect(on.events[0].extra).toBeUndefined();
	});

	it('keeps a mention whose story Meta refuses, with the reason, and still starts the workflow', async () => {
		fake.setMentionStory('aWdfmention2', '18000000000000043');
		fake.setRecipientBehaviour('aWdfmention2', 'permission');
		const refused = await deliver(mention('aWdfmention2'), { lookUpMentionStoryIds: true });
		expect(refused.events).toHaveLength(1);
		expect(refused.events[0].storyId).toBeUndefined();
		expect(refused.events[0].extra).toEqual({ storyIdLookup: expect.stringMatching(/^[a-z_]+$/) });
		expect(refused.warnings).toEqual([expect.stringContaining('story id of a mention not available')]);
	});

	it('keeps the mentions when the credential cannot be used for the look-up (the delivery still gets its 200)', async () => {
		const broken = credentialsFor({ baseUrl: 'not a url' });
		const raw = JSON.stringify(mention('aWdfmention3'));
		const warnings: string[] = [];
		const parameters: IDataObject = { events: ['story_mention'], pseudonymise: false, options: { lookUpMentionStoryIds: true } };
		const ctx = {
			logger: { warn: (message: string) => warnings.push(message) },
			getWebhookName: () => 'default',
			getRequestObject: () => ({ rawBody: Buffer.from(raw), headers: { 'x-hub-signature-256': sign(raw) } }),
			getResponseObject: () => ({}),
			getNode: () => ({ name: 'Instagram Story Trigger', credentials: { instagramApi: { id: 'broken', name: 'x' } } }),
			getNodeParameter: (name: string, fallback?: unknown) => (name in parameters ? parameters[name] : fallback),
			getCredentials: async () => broken,
			helpers: { httpRequestWithAuthentication: authenticatedRequest(broken) },
		} as unknown as IWebhookFunctions;
		const result = await new InstagramStoryTrigger().webhook.call(ctx);
		expect(result.workflowData?.[0].map((i) => [i.json.type, i.json.extra])).toEqual([
			['story_mention', { storyIdLookup: 'invalid_credential' }],
		]);
		expect(warnings).toEqual([expect.stringContaining('not looked up')]);
		expect(fake.requests).toEqual([]);
	});

	it('a read receipt in the same delivery is a message_seen event, untouched by the look-up', async () => {
		const body = { object: 'instagram', entry: [...(p.seen('aWdfOURmid').entry as unknown[])] };
		const { events } = await deliver(body, { lookUpMentionStoryIds: true });
		expect(events.map((e) => [e.type, e.viewerKey, e.extra])).toEqual([['message_seen', p.IGSID, { messageId: 'aWdfOURmid' }]]);
		expect(fake.requests).toEqual([]);
	});
});
