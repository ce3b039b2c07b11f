import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import * as recordConversion from './recordConversion';
import * as report from './report';

const operations: Record<
	string,
	{ execute: (this: IExecuteFunctions) => Promise<INodeExecutionData[][]> }
> = {
	report,
	recordConversion,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = operations[operation];
	if (!handler) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`, {
			itemIndex: 0,
		});
	}
	return await handler.execute.call(this);
}
