// What an AI agent can do with our nodes: n8n registers each usableAsTool node again as `<type>Tool` and runs
// the same class under that type. The tool variants hide what an agent must not touch, and refuse it at run time.
import { NodeHelpers, type IDataObject, type INodeParameters, type INodeProperties, type INodeTypeDescription } from 'n8n-workflow';

import { InstagramApi } from '../../credentials/InstagramApi.credentials';
import { ConsentGate } from '../../nodes/ConsentGate/ConsentGate.node';
import { InstagramDm } from '../../nodes/InstagramDm/InstagramDm.node';
import { startFakeGraphApi, type FakeGraphApi } from '../../scripts/fakes/graphApi';
import { PACKAGE, runSingleNode } from '../helpers/workflow';

const TOKEN = ['IGAAT', 'tool', 'fixture'].join('-');
const NOW = '2026-03-10T12:00:00.000Z';
const DM_TOOL = `${PACKAGE}.instagramDmTool`;
const GATE_TOOL = `${PACKAGE}.consentGateTool`;
const nodeTypes = {
	[DM_TOOL]: new InstagramDm(),
	[`${PACKAGE}.instagramDm`]: new InstagramDm(),
	[GATE_TOOL]: new ConsentGate(),
};

let fake: FakeGraphApi;
beforeAll(async () => {
	fake = await startFakeGraphApi({ accessToken: TOKEN });
});
afterAll(async () => await fake.close());
beforeEach(() => fake.reset());

/** As n8n's convertNodeToAiTool names the variant: the `@tool` display condition reads the type name. */
function asTool(description: INodeTypeDescription): INodeTypeDescription {
	return { ...description, name: `${description.name}Tool` };
}

function shown(description: INodeTypeDescription, values: INodeParameters, name: string): INodeProperties[] {
	return description.properties.filter(
		(p) => p.name === name && NodeHelpers.displayParameter(values, p, { typeVersion: 1 }, description),
	);
}

async function runDm(type: string, humanAgent: boolean) {
	return await runSingleNode(
		{
			type,
			// As a tool, Now stays empty (sentAt is the real time): see toolMode.test.ts.
			parameters: { operation: 'sendMessage', recipientId: '17841400000000011', text: 'Hi', humanAgent, options: type === DM_TOOL ? {} : { now: NOW } },
			inputs: [[{}]],
			credentials: { instagramApi: { id: 'c1', name: 'Instagram' } },
		},
		{
			nodeTypes,
			credentials: {
				instagramApi: { host: 'graph.instagram.com', apiVersion: 'v25.0', accessToken: TOKEN, accountId: '17841400000000001', baseUrl: fake.url },
			},
			credentialTypes: { instagramApi: new InstagramApi() },
		},
	);
}

describe('Instagram DM as an AI tool', () => {
	const description = new InstagramDm().description;

	it('does not offer "A Person Typed This Message" (HUMAN_AGENT) in the tool variant; the regular node does', () => {
		const values = { operation: 'sendMessage' };
		expect(shown(description, values, 'humanAgent')).toHaveLength(1);
		expect(shown(asTool(description), values, 'humanAgent')).toHaveLength(0);
	});

	it('refuses HUMAN_AGENT at run time when it runs as a tool, before anything is sent', async () => {
		const result = await runDm(DM_TOOL, true);
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toMatch(/HUMAN_AGENT.*not available when this node runs as an AI tool/);
		expect(fake.requests).toEqual([]);
	});

	it('still sends ordinary messages as a tool, and HUMAN_AGENT outside the tool', async () => {
		const plain = await runDm(DM_TOOL, false);
		expect(plain.error).toBeUndefined();
		expect(plain.outputOf('Node Under Test')[0]).toHaveLength(1);
		const human = await runDm(`${PACKAGE}.instagramDm`, true);
		expect(human.error).toBeUndefined();
		expect(human.outputOf('Node Under Test')[0][0].json.tag).toBe('HUMAN_AGENT');
	});
});

describe('Consent Gate as an AI tool', () => {
	const description = new ConsentGate().description;
	const operationsShown = (d: INodeTypeDescription) =>
		shown(d, {}, 'operation').flatMap((p) => (p.options ?? []).map((o) => (o as { value: string }).value));

	it('offers Check and Subject Request only in the tool variant, every operation in the regular node', () => {
		expect(operationsShown(description)).toEqual(['check', 'purge', 'recordFromMessage', 'recordManual', 'subjectRequest']);
		expect(operationsShown(asTool(description))).toEqual(['check', 'subjectRequest']);
		expect(shown(asTool(description), { operation: 'subjectRequest' }, 'requestType')).toHaveLength(0);
		expect(shown(description, { operation: 'subjectRequest' }, 'requestType')).toHaveLength(1);
	});

	// As a tool, Now stays empty: decisions use the real clock (see toolMode.test.ts).
	const run = async (parameters: IDataObject, inputs: IDataObject[][]) =>
		await runSingleNode({ type: GATE_TOOL, parameters, inputs }, { nodeTypes });

	it.each([
		['recordManual', { subjectKey: 'a', channel: 'instagram_dm', status: 'opt_in', lawfulBasis: 'consent', source: 'manual' }],
		['recordFromMessage', {}],
		['purge', {}],
		['subjectRequest', { subjectKey: 'a', requestType: 'erasure' }],
	])('refuses %s at run time when it runs as a tool', async (operation, extra) => {
		const result = await run({ operation, ...extra }, [[{ subjectKey: 'a' }]]);
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toMatch(/not available when this node runs as an AI tool/);
	});

	it('checks contacts and answers access requests as a tool', async () => {
		const inbound = new Date(Date.now() - 3_600_000).toISOString();
		const optIn = { recordId: 'cr_a', subjectKey: 'a', channel: 'instagram_dm', purpose: 'marketing', status: 'opt_in', lawfulBasis: 'consent', source: 'form', evidence: 'Form v1', recordedAt: inbound };
		const check = await run({ operation: 'check' }, [[{ viewerKey: 'a', channel: 'instagram_dm', lastInboundAt: inbound }], [optIn]]);
		expect(check.error).toBeUndefined();
		expect(check.outputOf('Node Under Test')[0]).toHaveLength(1);
		const access = await run({ operation: 'subjectRequest', subjectKey: 'a', requestType: 'access' }, [[{ viewerKey: 'a' }]]);
		expect(access.error).toBeUndefined();
		expect(access.outputOf('Node Under Test')[0][0].json.subjectKey).toBe('a');
	});
});
