// End to end in a real n8n 2.x (issue 22, class 10): with Pseudonymise Viewers on, the Instagram Story Trigger
// refuses to be published without a usable pepper, and a signed delivery that meets a pepper broken after
// publishing is acknowledged with 200 (no redelivery) and still starts the workflow with the STOP, marked.
const crypto = require('crypto');
const http = require('http');
const { createInstance, waitForWebhook, PACKAGE_NAME } = require('../../scripts/n8n/harness');
const { N8nApi } = require('../../scripts/n8n/n8nApi');

jest.setTimeout(15 * 60 * 1000);

const APP_SECRET = 'e2e-privacy-app-secret';
const VERIFY_TOKEN = 'e2e-privacy-verify-token';
const PEPPER = 'e2e-privacy-pepper-0123456789';
const IGSID = '3603717463085785';
const HOOK_MISSING = '7a1c5e2d-1111-4c39-9d5e-2f8a1b3c4d5e';
const HOOK_GOOD = '7a1c5e2d-2222-4c39-9d5e-2f8a1b3c4d5e';
const HOOK_SHORT = '7a1c5e2d-3333-4c39-9d5e-2f8a1b3c4d5e';

const stop = (mid) =>
	JSON.stringify({
		object: 'instagram',
		entry: [{ time: 1663580825767, id: '17841453247170088', messaging: [{ sender: { id: IGSID }, recipient: { id: '17841453247170088' }, timestamp: 1663580825282, message: { mid, text: 'STOP' } }] }],
	});
const sign = (body) => 'sha256=' + crypto.createHmac('sha256', APP_SECRET).update(Buffer.from(body, 'utf8')).digest('hex');

function startRecorder() {
	const received = [];
	const server = http.createServer((req, res) => {
		let body = '';
		req.on('data', (d) => (body += d));
		req.on('end', () => {
			received.push(JSON.parse(body || '{}'));
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('{"ok":true}');
		});
	});
	return new Promise((resolve) =>
		server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}/`, received, close: () => server.close() })),
	);
}

function workflow(id, webhookId, privacyCredential, recorderUrl) {
	return {
		id,
		name: id,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: `${id}-t`,
				name: 'Instagram Story Trigger',
				type: `${PACKAGE_NAME}.instagramStoryTrigger`,
				typeVersion: 1.1,
				position: [0, 0],
				webhookId,
				credentials: {
					instagramApi: { id: 'cred-ig', name: 'Instagram' },
					...(privacyCredential ? { storyLeadsPrivacyApi: { id: privacyCredential, name: 'Privacy' } } : {}),
				},
				// No Graph API here (tests never reach the internet): the account subscription on publish is tested
				// against the fake in story-trigger.test.js.
				parameters: { pseudonymise: true, subscribeAccount: false },
			},
			{
				id: `${id}-f`,
				name: 'Forward',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [220, 0],
				parameters: { method: 'POST', url: recorderUrl, sendBody: true, specifyBody: 'json', jsonBody: '={{ JSON.stringify($json) }}', options: {} },
			},
		],
		connections: { 'Instagram Story Trigger': { main: [[{ node: 'Forward', type: 'main', index: 0 }]] } },
	};
}

async function waitForAsync(predicate, timeoutMs = 60000) {
	const deadline = Date.now() + timeoutMs;
	while (!(await predicate())) {
		if (Date.now() > deadline) return false;
		await new Promise((r) => setTimeout(r, 500));
	}
	return true;
}

async function waitFor(predicate, timeoutMs = 30000) {
	const deadline = Date.now() + timeoutMs;
	while (!predicate()) {
		if (Date.now() > deadline) return false;
		await new Promise((r) => setTimeout(r, 200));
	}
	return true;
}

describe('Pseudonymise Viewers without a usable pepper, in a real n8n 2.x', () => {
	let n8n;
	let server;
	let recorder;
	let api;

	beforeAll(async () => {
		recorder = await startRecorder();
		n8n = await createInstance();
		await n8n.importCredentials([
			{
				id: 'cred-ig',
				name: 'Instagram',
				type: 'instagramApi',
				data: { host: 'graph.instagram.com', apiVersion: 'v25.0', accessToken: 'unused', accountId: '17841453247170088', appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN },
			},
			{ id: 'cred-privacy', name: 'Privacy', type: 'storyLeadsPrivacyApi', data: { pepper: PEPPER } },
			{ id: 'cred-short', name: 'Privacy (short)', type: 'storyLeadsPrivacyApi', data: { pepper: 'short' } },
		]);
		await n8n.importWorkflow(workflow('e2ePrivacyShort', HOOK_SHORT, 'cred-short', recorder.url));
		await n8n.importWorkflow(workflow('e2ePrivacyMissing', HOOK_MISSING, undefined, recorder.url));
		await n8n.importWorkflow(workflow('e2ePrivacyGood', HOOK_GOOD, 'cred-privacy', recorder.url));
		server = await n8n.start();
		api = new N8nApi(server.baseUrl);
		await api.ensureOwner();
	});

	afterAll(async () => {
		if (server) await server.stop();
		if (recorder) recorder.close();
		if (n8n) n8n.cleanup();
	});

	it('refuses to publish the workflow when the privacy credential is missing (n8n) or its pepper unusable (the trigger)', async () => {
		// n8n's own check: the credential is required while Pseudonymise Viewers is on.
		await expect(api.publish('e2ePrivacyMissing')).rejects.toThrow(/Missing required credential: storyLeadsPrivacyApi/);
		// A credential n8n accepts but whose pepper cannot be used: n8n 2.x publishes through an outbox, so the
		// trigger's activation check (webhook checkExists) fails the publication afterwards, as its status reports.
		await api.publish('e2ePrivacyShort');
		let status;
		const failed = await waitForAsync(async () => {
			status = JSON.stringify(await api.request('GET', '/workflows/e2ePrivacyShort/publication-status'));
			return /Pseudonymise Viewers is on, but the pepper cannot be used/.test(status);
		});
		expect({ failed, status }).toEqual({ failed: true, status: expect.stringMatching(/The pepper is shorter than 16 characters/) });
		expect(JSON.parse(status)).toMatchObject({ status: 'failed', liveVersionId: null });
		expect((await api.getWorkflow('e2ePrivacyMissing')).active).toBe(false);
		// Nothing listens on the refused workflow's URL.
		const refused = await fetch(`${server.baseUrl}/webhook/${HOOK_SHORT}/webhook?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`);
		expect(refused.status).toBe(404);
	});

	it('publishes with a usable pepper; after the pepper breaks, a STOP is acknowledged with 200 and still emitted, marked', async () => {
		await api.publish('e2ePrivacyGood');
		const url = `${server.baseUrl}/webhook/${HOOK_GOOD}/webhook`;
		await waitForWebhook(`${url}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`);
		const post = (body) => fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body) } });

		const first = stop('aWdf_privacy_1');
		expect((await post(first)).status).toBe(200);
		expect(await waitFor(() => recorder.received.length >= 1)).toBe(true);
		expect(recorder.received[0]).toMatchObject({ keyword: 'opt_out', viewerKeyType: 'pseudonym' });
		expect(recorder.received[0].viewerKey).not.toBe(IGSID);

		// The credential is changed after publishing: its pepper is now too short.
		await api.request('PATCH', '/credentials/cred-privacy', { name: 'Privacy', type: 'storyLeadsPrivacyApi', data: { pepper: 'short' } });
		const second = stop('aWdf_privacy_2');
		expect((await post(second)).status).toBe(200);
		expect(await waitFor(() => recorder.received.length >= 2)).toBe(true);
		const held = { keyword: 'opt_out', viewerKey: IGSID, viewerKeyType: 'igsid', extra: { privacyHold: 'pseudonymise_unavailable' } };
		expect(recorder.received[1]).toMatchObject(held);

		// Then the credential is deleted: still 200, the STOP still arrives.
		await api.request('DELETE', '/credentials/cred-privacy');
		expect((await post(stop('aWdf_privacy_3'))).status).toBe(200);
		expect(await waitFor(() => recorder.received.length >= 3)).toBe(true);
		expect(recorder.received[2]).toMatchObject(held);
	});
});
