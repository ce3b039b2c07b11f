import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import * as check from './check';
import * as purge from './purge';
import * as recordFromMessage from './recordFromMessage';
import * as recordManual from './recordManual';
import * as subjectRequest from './subjectRequest';

const operations: Record<string, { execute: (this: IExecuteFunctions) => Promise<INodeExecutionData[][]> }> = {
	check,
	purge,
	recordFromMessage,
	recordManual,
	subjectRequest,
};

/** Runs the chosen operation; each operation file reads its own parameters and shapes its outputs. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = operations[operation];
	if (!handler) throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
	return await handler.execute.call(this);
}
