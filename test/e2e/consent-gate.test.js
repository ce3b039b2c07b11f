// End to end in a real n8n 2.x: a person who sent STOP is never passed to the Instagram DM node, and the
// gate still runs when its Consent records input receives no rows (requiredInputs).
const { createInstance, nodeOutputs, assertRan, PACKAGE_NAME } = require('../../scripts/n8n/harness');
const { startFakeGraphApi } = require('../../scripts/fakes/graphApi');
const { node, itemsNodes } = require('./workflow-builder');

jest.setTimeout(15 * 60 * 1000);

const NOW = '2026-11-22T12:00:00.000Z';
const HOUR_AGO = '2026-11-22T11:00:00.000Z';

function inboundMessage(viewerKey, text) {
	return {
		eventId: `ev_${viewerKey}_${text}`,
		viewerKey,
		viewerKeyType: 'igsid',
		type: 'message',
		occurredAt: HOUR_AGO,
		ingestedAt: HOUR_AGO,
		source: 'webhook',
		sourceTool: 'instagram_webhook',
		text,
	};
}

function gateWorkflow(id, messages, contacts) {
	return {
		id,
		name: `E2E Consent Gate ${id}`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			node('t', 'Run now', 'n8n-nodes-base.manualTrigger', 1, [0, 200], {}),
			...itemsNodes('m', 'Inbound messages', [200, 0], 'messages', messages),
			node('r', 'Record from message', `${PACKAGE_NAME}.consentGate`, 1, [600, 0], {
				operation: 'recordFromMessage',
				now: NOW,
			}),
			...itemsNodes('c', 'Contacts', [200, 400], 'contacts', contacts),
			node('g', 'Consent Gate', `${PACKAGE_NAME}.consentGate`, 1, [800, 300], {
				operation: 'check',
				now: NOW,
				requireOptIn: false,
			}),
			node(
				'd',
				'Instagram DM',
				`${PACKAGE_NAME}.instagramDm`,
				1,
				[1000, 300],
				{ operation: 'sendMessage', recipientId: '={{ $json.viewerKey }}', text: 'Thanks for your reply!' },
				{ credentials: { instagramApi: { id: 'cred-ig', name: 'Instagram (fake)' } } },
			),
		],
		connections: {
			'Run now': {
				main: [
					[
						{ node: 'Inbound messages', type: 'main', index: 0 },
						{ node: 'Contacts', type: 'main', index: 0 },
					],
				],
			},
			'Inbound messages': { main: [[{ node: 'Inbound messages (split)', type: 'main', index: 0 }]] },
			'Inbound messages (split)': { main: [[{ node: 'Record from message', type: 'main', index: 0 }]] },
			'Record from message': { main: [[{ node: 'Consent Gate', type: 'main', index: 1 }]] },
			Contacts: { main: [[{ node: 'Contacts (split)', type: 'main', index: 0 }]] },
			'Contacts (split)': { main: [[{ node: 'Consent Gate', type: 'main', index: 0 }]] },
			'Consent Gate': { main: [[{ node: 'Instagram DM', type: 'main', index: 0 }]] },
		},
	};
}

const CONTACTS = [
	{ viewerKey: 'u_stop', channel: 'instagram_dm', lastInboundAt: HOUR_AGO },
	{ viewerKey: 'u_ok', channel: 'instagram_dm', lastInboundAt: HOUR_AGO },
];

describe('Consent Gate in a real n8n 2.x', () => {
	let n8n;
	let graph;

	beforeAll(async () => {
		graph = await startFakeGraphApi({ accessToken: 'gate-token', accountId: '17841400000000002' });
		n8n = await createInstance();
		await n8n.importCredentials([
			{
				id: 'cred-ig',
				name: 'Instagram (fake)',
				type: 'instagramApi',
				data: {
					host: 'graph.instagram.com',
					apiVersion: 'v25.0',
					accessToken: 'gate-token',
					accountId: '17841400000000002',
					baseUrl: graph.url,
				},
			},
		]);
	});

	afterAll(async () => {
		if (graph) await graph.close();
		if (n8n) n8n.cleanup();
	});

	it('never passes a contact who sent STOP to the DM node', async () => {
		graph.reset();
		await n8n.importWorkflow(
			gateWorkflow('e2eGateStop00001', [inboundMessage('u_stop', 'STOP'), inboundMessage('u_ok', 'love it')], CONTACTS),
		);
		const result = await n8n.executeWorkflow('e2eGateStop00001');
		assertRan(result);
		const [records] = nodeOutputs(result.run, 'Record from message');
		expect(records.map((i) => [i.json.subjectKey, i.json.status])).toEqual([['u_stop', 'opt_out']]);
		const [allowed, blocked] = nodeOutputs(result.run, 'Consent Gate');
		expect(allowed.map((i) => i.json.viewerKey)).toEqual(['u_ok']);
		expect(blocked.map((i) => [i.json.viewerKey, i.json.reason])).toEqual([['u_stop', 'opted_out']]);
		const sends = graph.requests.filter((r) => r.method === 'POST' && /\/messages$/.test(r.path));
		expect(sends.map((r) => r.body.recipient.id)).toEqual(['u_ok']);
	});

	it('still runs when the Consent records input receives no rows', async () => {
		graph.reset();
		await n8n.importWorkflow(
			gateWorkflow('e2eGateEmpty0001', [inboundMessage('u_stop', 'hello there')], CONTACTS),
		);
		const result = await n8n.executeWorkflow('e2eGateEmpty0001');
		assertRan(result);
		expect(nodeOutputs(result.run, 'Record from message')[0]).toEqual([]);
		const [allowed, blocked] = nodeOutputs(result.run, 'Consent Gate');
		expect(allowed.map((i) => i.json.viewerKey).sort()).toEqual(['u_ok', 'u_stop']);
		expect(blocked).toEqual([]);
		const sends = graph.requests.filter((r) => r.method === 'POST' && /\/messages$/.test(r.path));
		expect(sends.map((r) => r.body.recipient.id).sort()).toEqual(['u_ok', 'u_stop']);
	});
});
