// End to end in a real n8n 2.x: publishing a workflow with the Instagram Story Trigger subscribes the account to
// the webhook fields its Events need (POST /{ig-user-id}/subscribed_apps on the fake Graph API), the trigger answers
// Meta's handshake on its production URL, only correctly signed POSTs start an execution, and a read receipt
// (messaging_seen) becomes a message_seen event.
const crypto = require('crypto');
const http = require('http');
const { createInstance, waitForWebhook, PACKAGE_NAME } = require('../../scripts/n8n/harness');
const { rawJson } = require('../../scripts/n8n/meta');
const { startFakeGraphApi } = require('../../scripts/fakes/graphApi');

jest.setTimeout(15 * 60 * 1000);

const APP_SECRET = 'e2e-app-secret-for-signatures';
const VERIFY_TOKEN = 'e2e-verify-token';
const WEBHOOK_ID = '5d0c7a2e-6b1f-4c39-9d5e-2f8a1b3c4d5e';
const ACCOUNT_ID = '17841453247170088';
const GRAPH_TOKEN = 'e2e-trigger-token-not-a-secret';

const storyReply = (mid, text) => ({
	object: 'instagram',
	entry: [
		{
			time: 1663580825767,
			id: '17841453247170088',
			messaging: [
				{
					sender: { id: '3603717463085785' },
					recipient: { id: '17841453247170088' },
					timestamp: 1663580825282,
					message: {
						mid,
						text,
						reply_to: { story: { url: 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1', id: '18040775032372871' } },
					},
				},
			],
		},
	],
});
const STORY_REPLY = JSON.stringify(storyReply('aWdfZAG1faWtfmid_e2e_1', 'Hello story'));

const sign = (body, secret = APP_SECRET) =>
	'sha256=' + crypto.createHmac('sha256', secret).update(Buffer.from(body, 'utf8')).digest('hex');

/**
 * Records what the workflow forwards, so each execution is counted outside n8n. An event from a sender in
 * `failFor` is refused with 500 (a store that is down), which fails the forwarding step.
 */
function startRecorder({ failFor = [] } = {}) {
	const received = [];
	const refused = new Set(failFor);
	const server = http.createServer((req, res) => {
		let body = '';
		req.on('data', (d) => (body += d));
		req.on('end', () => {
			const event = JSON.parse(body || '{}');
			if (refused.has(event.viewerKey)) {
				res.writeHead(500, { 'content-type': 'application/json' });
				res.end('{"error":"store unavailable"}');
				return;
			}
			received.push(event);
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('{"ok":true}');
		});
	});
	return new Promise((resolve) =>
		server.listen(0, '127.0.0.1', () =>
			resolve({ url: `http://127.0.0.1:${server.address().port}/`, received, refused, close: () => server.close() }),
		),
	);
}

async function waitFor(predicate, timeoutMs = 30000) {
	const deadline = Date.now() + timeoutMs;
	while (!predicate()) {
		if (Date.now() > deadline) return false;
		await new Promise((r) => setTimeout(r, 200));
	}
	return true;
}

const ACK_WEBHOOK_ID = '7e1d8b3f-2a4c-4d5e-8f6a-0b1c2d3e4f5a';
const STORE_DOWN_FOR = '3603717463085999';

/** A workflow: the trigger, then a step that forwards (stores) each event at `storeUrl`. */
function forwardingWorkflow({ id, name, webhookId, triggerParameters, storeUrl }) {
	return {
		id,
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: `${id}-t1`,
				name: 'Instagram Story Trigger',
				type: `${PACKAGE_NAME}.instagramStoryTrigger`,
				typeVersion: 1,
				position: [0, 0],
				webhookId,
				credentials: { instagramApi: { id: 'cred-ig', name: 'Instagram (webhooks)' } },
				parameters: triggerParameters,
			},
			{
				id: `${id}-t2`,
				name: 'Forward',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [220, 0],
				parameters: {
					method: 'POST',
					url: storeUrl,
					sendBody: true,
					specifyBody: 'json',
					jsonBody: '={{ JSON.stringify($json) }}',
					options: {},
				},
			},
		],
		connections: { 'Instagram Story Trigger': { main: [[{ node: 'Forward', type: 'main', index: 0 }]] } },
	};
}

describe('Instagram Story Trigger in a real n8n 2.x', () => {
	let n8n;
	let server;
	let recorder;
	let store;
	let url;
	let graph;
	let ackUrl;

	beforeAll(async () => {
		recorder = await startRecorder();
		store = await startRecorder({ failFor: [STORE_DOWN_FOR] });
		graph = await startFakeGraphApi({ accessToken: GRAPH_TOKEN, accountId: ACCOUNT_ID });
		n8n = await createInstance();
		await n8n.importCredentials([
			{
				id: 'cred-ig',
				name: 'Instagram (webhooks)',
				type: 'instagramApi',
				data: {
					host: 'graph.instagram.com',
					apiVersion: 'v25.0',
					accessToken: GRAPH_TOKEN,
					accountId: ACCOUNT_ID,
					appSecret: APP_SECRET,
					verifyToken: VERIFY_TOKEN,
					baseUrl: graph.url,
				},
			},
		]);
		await n8n.importWorkflow(
			forwardingWorkflow({
				id: 'e2eTrigger000001',
				name: 'E2E Story Trigger',
				webhookId: WEBHOOK_ID,
				triggerParameters: {},
				storeUrl: recorder.url,
			}),
		);
		await n8n.publishWorkflow('e2eTrigger000001');
		await n8n.importWorkflow(
			forwardingWorkflow({
				id: 'e2eTriggerAck0001',
				name: 'E2E Story Trigger, acknowledged after storing',
				webhookId: ACK_WEBHOOK_ID,
				triggerParameters: { options: { acknowledge: 'afterStored' } },
				storeUrl: store.url,
			}),
		);
		await n8n.publishWorkflow('e2eTriggerAck0001');
		server = await n8n.start();
		url = `${server.baseUrl}/webhook/${WEBHOOK_ID}/webhook`;
		ackUrl = `${server.baseUrl}/webhook/${ACK_WEBHOOK_ID}/webhook`;
		await waitForWebhook(`${url}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`);
		await waitForWebhook(`${ackUrl}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`);
	});

	afterAll(async () => {
		if (server) await server.stop();
		if (recorder) recorder.close();
		if (graph) await graph.close();
		if (store) store.close();
		if (n8n) n8n.cleanup();
	});

	it('publishing subscribed the account to the fields of its Events (Meta step 3), checked on start', async () => {
		// n8n serves the handshake as soon as the GET webhook is stored; the POST webhook's hooks run right after.
		expect(await waitFor(() => graph.subscriptions.has(ACCOUNT_ID), 60000)).toBe(true);
		const calls = graph.requests.filter((r) => r.path.endsWith('/subscribed_apps'));
		// Default Events: every type. Instagram Login has no story_insights field.
		const fields = 'comments,message_reactions,messages,messaging_postbacks,messaging_seen';
		expect(calls.map((r) => [r.method, r.path])).toEqual(
			expect.arrayContaining([
				['GET', `/v25.0/${ACCOUNT_ID}/subscribed_apps`],
				['POST', `/v25.0/${ACCOUNT_ID}/subscribed_apps`],
			]),
		);
		expect(calls.find((r) => r.method === 'POST').query.subscribed_fields).toBe(fields);
		expect(calls.every((r) => r.headers.authorization === `Bearer ${GRAPH_TOKEN}`)).toBe(true);
		expect(graph.subscriptions.get(ACCOUNT_ID)).toEqual(fields.split(','));
	});

	it('answers the verification handshake with the challenge only for the right token', async () => {
		const ok = await fetch(`${url}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`);
		expect(ok.status).toBe(200);
		expect(await ok.text()).toBe('1158201444');
		const wrong = await fetch(`${url}?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1158201444`);
		expect(wrong.status).toBe(403);
	});

	it('executes only for correctly signed POSTs', async () => {
		const post = (body, headers) =>
			fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
		const unsigned = await post(STORY_REPLY, {});
		const wrongSecret = await post(STORY_REPLY, { 'x-hub-signature-256': sign(STORY_REPLY, 'not-the-secret') });
		const tampered = await post(STORY_REPLY.replace('Hello story', 'Hello stork'), {
			'x-hub-signature-256': sign(STORY_REPLY),
		});
		const sha1Only = await post(STORY_REPLY, {
			'x-hub-signature': 'sha1=' + crypto.createHmac('sha1', APP_SECRET).update(STORY_REPLY).digest('hex'),
		});
		expect([unsigned.status, wrongSecret.status, tampered.status, sha1Only.status]).toEqual([401, 403, 403, 401]);

		const signed = await post(STORY_REPLY, { 'x-hub-signature-256': sign(STORY_REPLY) });
		expect(signed.status).toBe(200);
		expect(await waitFor(() => recorder.received.length >= 1)).toBe(true);
		// Give any wrongly started execution time to show up before counting.
		await new Promise((r) => setTimeout(r, 3000));
		expect(recorder.received).toHaveLength(1);
		expect(recorder.received[0]).toMatchObject({
			type: 'story_reply',
			viewerKey: '3603717463085785',
			viewerKeyType: 'igsid',
			storyId: '18040775032372871',
			source: 'webhook',
		});
		expect(recorder.received[0].text).toBeUndefined();
	});

	// Meta signs the bytes it sends (its JSON escapes `/` and non-ASCII; other senders indent): the signature must be
	// checked over the raw request body n8n received, never over a re-serialisation of the parsed JSON.
	it('accepts escaped and pretty-printed bodies signed over their bytes, refuses a re-serialised signature', async () => {
		const before = recorder.received.length;
		const post = (raw, signedText) =>
			fetch(url, {
				method: 'POST',
				body: raw,
				headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(signedText) },
			});
		const escaped = rawJson(storyReply('aWdf_e2e_escaped', 'Hé 😍 https://shop.example/a'), 'escaped');
		const pretty = rawJson(storyReply('aWdf_e2e_pretty', 'Hello   story'), 'pretty');
		for (const raw of [escaped, pretty]) expect(raw).not.toBe(JSON.stringify(JSON.parse(raw)));

		const refused = [
			(await post(escaped, JSON.stringify(JSON.parse(escaped)))).status,
			(await post(pretty, JSON.stringify(JSON.parse(pretty)))).status,
		];
		const accepted = [(await post(escaped, escaped)).status, (await post(pretty, pretty)).status];
		expect({ refused, accepted }).toEqual({ refused: [403, 403], accepted: [200, 200] });

		expect(await waitFor(() => recorder.received.length >= before + 2)).toBe(true);
		// Give any wrongly started execution time to show up before counting.
		await new Promise((r) => setTimeout(r, 3000));
		const forwarded = recorder.received.slice(before);
		expect(forwarded.map((e) => [e.type, e.storyId, e.viewerKey]).sort()).toEqual([
			['story_reply', '18040775032372871', '3603717463085785'],
			['story_reply', '18040775032372871', '3603717463085785'],
		]);
		expect(new Set(forwarded.map((e) => e.eventId)).size).toBe(2);
	});

	it('turns a signed read receipt (messaging_seen) into a message_seen event naming the DM seen', async () => {
		const before = recorder.received.length;
		const receipt = JSON.stringify({
			object: 'instagram',
			entry: [
				{
					id: ACCOUNT_ID,
					time: 1663580900000,
					messaging: [
						{
							sender: { id: '3603717463085785' },
							recipient: { id: ACCOUNT_ID },
							timestamp: 1663580899000,
							read: { mid: 'aWdfZAG1faWtfmid_our_dm' },
						},
					],
				},
			],
		});
		const res = await fetch(url, {
			method: 'POST',
			body: receipt,
			headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(receipt) },
		});
		expect(res.status).toBe(200);
		expect(await waitFor(() => recorder.received.length >= before + 1)).toBe(true);
		expect(recorder.received.slice(before)).toEqual([
			expect.objectContaining({
				type: 'message_seen',
				viewerKey: '3603717463085785',
				occurredAt: '2022-09-19T09:48:19.000Z',
				extra: { messageId: 'aWdfZAG1faWtfmid_our_dm' },
			}),
		]);
	});

	// Acknowledge Deliveries = After the Workflow Stored Them: Meta's 200 means the event is stored; a failure
	// before that answers 500, so Meta redelivers instead of the event being lost.
	describe('acknowledged after storing', () => {
		const post = (body) =>
			fetch(ackUrl, {
				method: 'POST',
				body,
				headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body) },
			});

		it('answers 200 only once the event is stored', async () => {
			const before = store.received.length;
			const body = JSON.stringify(storyReply('aWdf_e2e_ack_stored', 'Hello'));
			const res = await post(body);
			// The store already holds the event when Meta gets its answer.
			const storedWhenAnswered = store.received.length - before;
			expect([res.status, storedWhenAnswered]).toEqual([200, 1]);
			expect(store.received[before]).toMatchObject({ type: 'story_reply', viewerKey: '3603717463085785' });
		});

		it('answers 500 when storing fails, so Meta redelivers; the redelivery is stored once the store is back', async () => {
			const failing = storyReply('aWdf_e2e_ack_store_down', 'Hello');
			failing.entry[0].messaging[0].sender.id = STORE_DOWN_FOR;
			const body = JSON.stringify(failing);
			const before = store.received.length;
			const res = await post(body);
			expect(res.status).toBe(500);
			expect(store.received.length).toBe(before);
			// Signature refusals still answer at once, without a run.
			const unsigned = await fetch(ackUrl, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
			expect(unsigned.status).toBe(401);
			// Meta redelivers the same body; the store is back.
			store.refused.delete(STORE_DOWN_FOR);
			const redelivered = await post(body);
			expect([redelivered.status, store.received.length - before]).toEqual([200, 1]);
			expect(store.received[before]).toMatchObject({ type: 'story_reply', viewerKey: STORE_DOWN_FOR });
		});
	});
});
