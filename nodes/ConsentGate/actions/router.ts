import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import { executeFailSafe, rawOperation, type SafeRoute } from '../../shared/failSafe';
import { refuseAsTool } from '../../shared/tool';
import { isToolOperation } from '../description';
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

/**
 * Runs the chosen operation; each operation file reads its own parameters and shapes its outputs. As an AI
 * tool only Check and Subject Request (access) run. A failure never reaches Allowed/Delete/Export (safeRoute).
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await executeFailSafe.call(this, () => safeRoute(this), async () => {
		const operation = this.getNodeParameter('operation', 0) as string;
		const handler = operations[operation];
		if (!handler) throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
		if (!isToolOperation(operation, this.getNodeParameter('requestType', 0, 'access') as string)) {
			refuseAsTool(
				this,
				`The operation "${operation}"`,
				'An AI agent may check contacts and answer access requests only; recording consent, purging and erasure stay in regular workflows.',
			);
		}
		return await handler.execute.call(this);
	});
}

/**
 * The "do nothing" output per operation: Blocked, Keep, Other messages, Other rows. Record Manual has
 * one output, so its error items carry no input field that could pass for a consent record.
 */
function safeRoute(ctx: IExecuteFunctions): SafeRoute {
	const operation = rawOperation(ctx, 'check');
	if (operation === 'recordManual') return { outputs: 1, safe: 0, keepInputFields: false };
	if (operation === 'recordFromMessage') return { outputs: 3, safe: 2 };
	if (operation === 'subjectRequest') {
		return ctx.getNode().parameters.requestType === 'erasure' ? { outputs: 3, safe: 2 } : { outputs: 2, safe: 1 };
	}
	return { outputs: 2, safe: 1 };
}
