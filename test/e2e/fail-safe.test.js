// End to end in a real n8n 2.x: every node and operation with a configuration fault, under the node setting
// "On Error: Continue (regular output)" and "Continue (error output)". n8n would pass a throwing node's input
// through its FIRST output (Allowed, Send Now, Delete, Export, Sent…); our nodes must put every item on their
// "do nothing" output instead, and n8n's extra Error output must stay empty.
const { createInstance, nodeOutputs, assertRan, PACKAGE_NAME } = require('../../scripts/n8n/harness');
const { startFakeGraphApi } = require('../../scripts/fakes/graphApi');
const { FAIL_SAFE_CASES } = require('../helpers/failSafeCases');
const { node, itemsNodes, manualTrigger, link, workflow } = require('./workflow-builder');

jest.setTimeout(15 * 60 * 1000);

const TOKEN = 'e2e-failsafe-token';
const underTest = (index) => `Case ${index}`;

/** One branch per case: Set + Split Out per input → the node under test with the given On Error. */
function failSafeWorkflow(id, onError) {
	const nodes = [manualTrigger()];
	const connections = {};
	FAIL_SAFE_CASES.forEach((testCase, index) => {
		const y = index * 300;
		testCase.inputs.forEach((items, input) => {
			const name = `Case ${index} input ${input}`;
			nodes.push(...itemsNodes(`c${index}i${input}`, name, [220, y + input * 120], 'items', items));
			link(connections, 'Run now', name);
			link(connections, name, `${name} (split)`);
			link(connections, `${name} (split)`, underTest(index), 0, input);
		});
		nodes.push(
			node(`c${index}`, underTest(index), `${PACKAGE_NAME}.${testCase.node}`, 1, [700, y], testCase.parameters, {
				onError,
				...(testCase.graph ? { credentials: { instagramApi: { id: 'cred-ig', name: 'Instagram (fake)' } } } : {}),
			}),
		);
	});
	return workflow(id, `E2E fail-safe ${onError}`, nodes, connections);
}

describe('never fail open, in a real n8n 2.x', () => {
	let n8n;
	let graph;

	beforeAll(async () => {
		graph = await startFakeGraphApi({ accessToken: TOKEN });
		n8n = await createInstance();
		await n8n.importCredentials([
			{
				id: 'cred-ig',
				name: 'Instagram (fake)',
				type: 'instagramApi',
				data: { host: 'graph.instagram.com', apiVersion: 'v25.0', accessToken: TOKEN, accountId: '17841400000000001', baseUrl: graph.url },
			},
		]);
	});

	afterAll(async () => {
		if (graph) await graph.close();
		if (n8n) n8n.cleanup();
	});

	it.each([
		['continueRegularOutput', 'e2eFailSafeReg01'],
		['continueErrorOutput', 'e2eFailSafeErr01'],
	])('On Error: %s → every item of every case on its safe output, nothing sent', async (onError, id) => {
		graph.reset();
		await n8n.importWorkflow(failSafeWorkflow(id, onError));
		const result = await n8n.executeWorkflow(id);
		assertRan(result);
		const seen = FAIL_SAFE_CASES.map((testCase, index) => {
			const outputs = nodeOutputs(result.run, underTest(index));
			const ours = outputs.slice(0, testCase.outputs);
			const routed = testCase.routedInputs || [0];
			return {
				case: testCase.name,
				elsewhere: ours.map((items, output) => (output === testCase.safe ? 0 : items.length)),
				errorOutput: onError === 'continueErrorOutput' ? (outputs[testCase.outputs] || []).length : 0,
				safe: ours[testCase.safe].map((item) => [item.json.reason, typeof item.json.error, item.pairedItem]),
				expected: routed.flatMap((input) =>
					testCase.inputs[input].map((_, item) => [
						testCase.reason || 'error',
						'string',
						input === 0 ? { item } : { item, input },
					]),
				),
			};
		});
		for (const entry of seen) {
			expect({ case: entry.case, elsewhere: entry.elsewhere, errorOutput: entry.errorOutput, safe: entry.safe }).toEqual({
				case: entry.case,
				elsewhere: entry.elsewhere.map(() => 0),
				errorOutput: 0,
				safe: entry.expected,
			});
		}
		expect(graph.requests).toEqual([]);
	});
});
