import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import * as backfill from './backfill';
import * as recordEngagement from './recordEngagement';
import * as reEvaluate from './reEvaluate';

const operations = { backfill, recordEngagement, reEvaluate };

/** Runs the chosen operation; each operation file reads its own parameters and shapes its outputs. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as string;
	if (!Object.prototype.hasOwnProperty.call(operations, operation)) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" is not supported`,
			{ itemIndex: 0 },
		);
	}
	return await operations[operation as keyof typeof operations].execute.call(this);
}
