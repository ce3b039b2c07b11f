// Never fail open: a configuration fault under "On Error: Continue" must send every item to the node's
// "do nothing" output. n8n itself would pass the input through the FIRST output (Allowed, Send Now, Delete…).
import type { INodeExecutionData } from 'n8n-workflow';

import { InstagramApi } from '../../credentials/InstagramApi.credentials';
import { CadenceScheduler } from '../../nodes/CadenceScheduler/CadenceScheduler.node';
import { ConsentGate } from '../../nodes/ConsentGate/ConsentGate.node';
import { EngagementTagger } from '../../nodes/EngagementTagger/EngagementTagger.node';
import { FunnelReport } from '../../nodes/FunnelReport/FunnelReport.node';
import { InstagramDm } from '../../nodes/InstagramDm/InstagramDm.node';
import { StoryViewerIngest } from '../../nodes/StoryViewerIngest/StoryViewerIngest.node';
import { ViewerSegment } from '../../nodes/ViewerSegment/ViewerSegment.node';
import { startFakeGraphApi, type FakeGraphApi } from '../../scripts/fakes/graphApi';
import { FAIL_SAFE_CASES, type FailSafeCase } from '../helpers/failSafeCases';
import { PACKAGE, runSingleNode } from '../helpers/workflow';

const TOKEN = ['IGAAT', 'failsafe', 'fixture'].join('-');
const nodeTypes = {
	[`${PACKAGE}.consentGate`]: new ConsentGate(),
	[`${PACKAGE}.instagramDm`]: new InstagramDm(),
	[`${PACKAGE}.cadenceScheduler`]: new CadenceScheduler(),
	[`${PACKAGE}.viewerSegment`]: new ViewerSegment(),
	[`${PACKAGE}.storyViewerIngest`]: new StoryViewerIngest(),
	[`${PACKAGE}.engagementTagger`]: new EngagementTagger(),
	[`${PACKAGE}.funnelReport`]: new FunnelReport(),
};

let fake: FakeGraphApi;
beforeAll(async () => {
	fake = await startFakeGraphApi({ accessToken: TOKEN });
});
afterAll(async () => await fake.close());
beforeEach(() => fake.reset());

async function run(testCase: FailSafeCase, onError?: 'continueRegularOutput' | 'continueErrorOutput') {
	return await runSingleNode(
		{
			type: `${PACKAGE}.${testCase.node}`,
			parameters: testCase.parameters,
			inputs: testCase.inputs,
			onError,
			credentials: testCase.graph ? { instagramApi: { id: 'c1', name: 'Instagram' } } : undefined,
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

/** Every item of the routed inputs, in order, on the safe output; nothing anywhere else. */
export function expectFailSafe(testCase: FailSafeCase, outputs: INodeExecutionData[][]): void {
	outputs.forEach((items, index) => {
		if (index !== testCase.safe) expect([index, items]).toEqual([index, []]);
	});
	const routed = testCase.routedInputs ?? [0];
	const expected = routed.flatMap((input) =>
		testCase.inputs[input].map((json, item) => ({
			json: testCase.bareItems
				? { reason: 'error', error: expect.stringMatching(/\S/) }
				: expect.objectContaining({ ...json, reason: testCase.reason ?? 'error', error: expect.stringMatching(/\S/) }),
			pairedItem: input === 0 ? { item } : { item, input },
		})),
	);
	const safe = (outputs[testCase.safe] ?? []).map((item) => ({ json: item.json, pairedItem: item.pairedItem }));
	expect(safe).toEqual(expected);
}

describe.each(FAIL_SAFE_CASES.map((c) => [c.name, c] as const))('%s', (_name, testCase) => {
	it('On Error: Continue (regular output) → every item on the safe output, none on a go-ahead output', async () => {
		const result = await run(testCase, 'continueRegularOutput');
		expect(result.error).toBeUndefined();
		expectFailSafe(testCase, result.outputOf('Node Under Test'));
		if (testCase.graph) expect(fake.requests).toEqual([]);
	});

	it('On Error: Continue (error output) → the same, and n8n\'s extra error output stays empty', async () => {
		const result = await run(testCase, 'continueErrorOutput');
		expect(result.error).toBeUndefined();
		const outputs = result.outputOf('Node Under Test');
		// n8n appends an Error output and moves there only items that are nothing but { error }; ours carry a reason.
		expect(outputs[testCase.outputs] ?? []).toEqual([]);
		expectFailSafe(testCase, outputs.slice(0, testCase.outputs));
		if (testCase.graph) expect(fake.requests).toEqual([]);
	});

	it('On Error: Stop → the node fails with a NodeOperationError and nothing is sent', async () => {
		const result = await run(testCase);
		expect(result.error?.name).toBe('NodeOperationError');
		if (testCase.graph) expect(fake.requests).toEqual([]);
	});
});
