import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { runSingleNode } from '../helpers/workflow';

/** A two-input node that counts what arrived on each input: checks the harness itself. */
class CountInputs implements INodeType {
	description = {
		displayName: 'Count Inputs',
		name: 'countInputs',
		group: ['transform'],
		version: 1,
		description: 'test',
		defaults: { name: 'Count' },
		inputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		requiredInputs: 0,
		properties: [{ displayName: 'Label', name: 'label', type: 'string', default: '' }],
	} as unknown as INodeTypeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const first = this.getInputData(0);
		const second = this.getInputData(1);
		return [
			[
				{
					json: { label: this.getNodeParameter('label', 0) as string, first: first.length, second: second.length },
					pairedItem: { item: 0 },
				},
			],
		];
	}
}

describe('in-process workflow harness', () => {
	const nodeTypes = { 'test.count': new CountInputs() };

	it('feeds seeded items to both inputs and evaluates expressions', async () => {
		const result = await runSingleNode(
			{
				type: 'test.count',
				parameters: { label: '={{ "as of " + "2026" }}' },
				inputs: [[{ a: 1 }, { a: 2 }], [{ b: 1 }]],
			},
			{ nodeTypes },
		);
		expect(result.error).toBeUndefined();
		expect(result.outputOf('Node Under Test')[0].map((i) => i.json)).toEqual([
			{ label: 'as of 2026', first: 2, second: 1 },
		]);
	});

	it('runs a node whose second input is not connected', async () => {
		const result = await runSingleNode(
			{ type: 'test.count', parameters: { label: 'x' }, inputs: [[{ a: 1 }]] },
			{ nodeTypes },
		);
		expect(result.outputOf('Node Under Test')[0][0].json).toEqual({ label: 'x', first: 1, second: 0 });
	});
});
