// End to end in a real n8n 2.x: our packed package is loaded as a community package, a workflow
// (Manual Trigger → Code-free Set of recipients → Instagram DM) is imported and run with `n8n execute`,
// and the fake Graph API on 127.0.0.1 records what n8n sent.
const { createInstance, nodeOutputs, assertRan, PACKAGE_NAME } = require('../../scripts/n8n/harness');
const { startFakeGraphApi } = require('../../scripts/fakes/graphApi');
const pkg = require('../../package.json');

jest.setTimeout(15 * 60 * 1000);

const ACCESS_TOKEN = 'e2e-token-never-in-output';

function dmWorkflow(id, recipients) {
	return {
		id,
		name: `E2E Instagram DM ${id}`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'a1',
				name: 'Run now',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'a2',
				name: 'Recipients',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [220, 0],
				parameters: {
					mode: 'raw',
					jsonOutput: `={{ ${JSON.stringify(recipients)} }}`,
					options: {},
				},
			},
			{
				id: 'a3',
				name: 'Split',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [440, 0],
				parameters: { fieldToSplitOut: 'recipients', options: {} },
			},
			{
				id: 'a4',
				name: 'Instagram DM',
				type: `${PACKAGE_NAME}.instagramDm`,
				typeVersion: 1,
				position: [660, 0],
				credentials: { instagramApi: { id: 'cred-ig', name: 'Instagram (fake)' } },
				parameters: {
					operation: 'sendMessage',
					recipientId: '={{ $json.igsid }}',
					text: '={{ $json.text }}',
					idempotencyKey: '={{ $json.key }}',
				},
			},
		],
		connections: {
			'Run now': { main: [[{ node: 'Recipients', type: 'main', index: 0 }]] },
			Recipients: { main: [[{ node: 'Split', type: 'main', index: 0 }]] },
			Split: { main: [[{ node: 'Instagram DM', type: 'main', index: 0 }]] },
		},
	};
}

describe('Instagram DM in a real n8n 2.x', () => {
	let n8n;
	let graph;

	beforeAll(async () => {
		graph = await startFakeGraphApi({ accessToken: ACCESS_TOKEN, accountId: '17841400000000000' });
		n8n = await createInstance();
		await n8n.importCredentials([
			{
				id: 'cred-ig',
				name: 'Instagram (fake)',
				type: 'instagramApi',
				data: {
					host: 'graph.instagram.com',
					apiVersion: 'v25.0',
					accessToken: ACCESS_TOKEN,
					accountId: '17841400000000000',
					appSecret: 'e2e-app-secret',
					verifyToken: 'e2e-verify',
					baseUrl: graph.url,
				},
			},
		]);
	});

	afterAll(async () => {
		if (graph) await graph.close();
		if (n8n) n8n.cleanup();
	});

	it('loads every node and credential type the package declares', async () => {
		const types = await n8n.loadedNodeTypes();
		const declared = pkg.n8n.nodes.map((file) => {
			const mod = require(`../../${file}`);
			const NodeClass = Object.values(mod)[0];
			return `${PACKAGE_NAME}.${new NodeClass().description.name}`;
		});
		expect(declared.length).toBeGreaterThan(0);
		for (const type of declared) expect(types).toContain(type);
	});

	it('sends through the Graph API and routes per-recipient refusals to Not Sent, a maybe-sent send to Sent (sent_unknown)', async () => {
		graph.reset();
		// Meta's documented answers, localized: the node reads (code, subcode), never the text.
		graph.setLocale('de_DE');
		graph.setRecipientBehaviour('igsid-window', 'outside_window_2018278');
		graph.setRecipientBehaviour('igsid-gone', 'unavailable_200');
		graph.setRecipientBehaviour('igsid-maybe', 'maybe_sent');
		const recipients = {
			recipients: [
				{ igsid: 'igsid-ok', text: 'Thanks for replying to our story!', key: 'k-ok' },
				{ igsid: 'igsid-window', text: 'Late follow-up', key: 'k-window' },
				{ igsid: 'igsid-gone', text: 'Hello', key: 'k-gone' },
				{ igsid: 'igsid-maybe', text: 'Hello again', key: 'k-maybe' },
			],
		};
		await n8n.importWorkflow(dmWorkflow('e2eDmSend0001', recipients));
		const result = await n8n.executeWorkflow('e2eDmSend0001');
		assertRan(result);
		const [sent, notSent] = nodeOutputs(result.run, 'Instagram DM');
		expect(sent.map((i) => [i.json.idempotencyKey, i.json.sentUnknown || false, i.json.reason || null])).toEqual([
			['k-ok', false, null],
			['k-maybe', true, 'sent_unknown'],
		]);
		expect(notSent.map((i) => [i.json.idempotencyKey, i.json.reason])).toEqual([
			['k-window', 'outside_window'],
			['k-gone', 'user_unavailable'],
		]);
		const sends = graph.requests.filter((r) => r.method === 'POST' && /\/messages$/.test(r.path));
		// 1/1357046 is never retried: one request, one delivered message.
		expect(sends.map((r) => r.body.recipient.id)).toEqual(['igsid-ok', 'igsid-window', 'igsid-gone', 'igsid-maybe']);
		expect(graph.messages.map((m) => m.recipientId)).toEqual(['igsid-ok', 'igsid-maybe']);
		expect(sends[0].body.message.text).toBe('Thanks for replying to our story!');
		expect(sends[0].headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
		expect(result.stdout + result.stderr).not.toContain(ACCESS_TOKEN);
	});

	it('fails the execution with a clear message when the token has expired', async () => {
		graph.reset();
		graph.setDefaultBehaviour('token_expired');
		await n8n.importWorkflow(dmWorkflow('e2eDmToken0001', { recipients: [{ igsid: 'igsid-a', text: 'Hi', key: 'k' }] }));
		const result = await n8n.executeWorkflow('e2eDmToken0001');
		graph.setDefaultBehaviour('ok');
		const output = result.stdout + result.stderr;
		expect(result.code).not.toBe(0);
		const task = result.run.data.resultData.runData['Instagram DM'][0];
		expect(task.error.message).toMatch(/token/i);
		expect(result.run.data.resultData.error.message).toMatch(/token/i);
		expect(nodeOutputs(result.run, 'Instagram DM')).toEqual([]);
		expect(output).not.toContain(ACCESS_TOKEN);
	});
});
