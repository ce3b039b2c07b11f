import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { executeFailSafe, rawOperation, type SafeRoute } from '../../shared/failSafe';

import * as backfill from './backfill';
import * as recordEngagement from './recordEngagement';
import * as reEvaluate from './reEvaluate';

const operations = { backfill, recordEngagement, reEvaluate };

/** Runs the chosen operation; each operation file reads its own parameters and shapes its outputs. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await executeFailSafe.call(this, () => safeRoute(this), async () => {
		const operation = this.getNodeParameter('operation', 0) as string;
		if (!Object.prototype.hasOwnProperty.call(operations, operation)) {
			throw new NodeOperationError(
				this.getNode(),
				`The operation "${operation}" is not supported`,
				{ itemIndex: 0 },
			);
		}
		return await operations[operation as keyof typeof operations].execute.call(this);
	});
}

/** Never Changed on a failure (that output rewrites CRM tags): Unchanged for Re-evaluate, else Skipped. */
function safeRoute(ctx: IExecuteFunctions): SafeRoute {
	const operation = rawOperation(ctx, 'reEvaluate');
	if (operation === 'reEvaluate') return { outputs: 2, safe: 1 };
	return { outputs: 3, safe: 2, inputs: operation === 'backfill' ? [0, 1] : [0] };
}
