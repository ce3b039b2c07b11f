import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { executeFailSafe, rawOperation, type SafeRoute } from '../shared/failSafe';
import { refuseAsTool } from '../shared/tool';
import { inputsExpression, isToolOperation, outputsExpression, properties } from './description';
import * as check from './operations/check';
import * as purge from './operations/purge';
import * as recordFromMessage from './operations/recordFromMessage';
import * as recordManual from './operations/recordManual';
import * as subjectRequest from './operations/subjectRequest';

const operations: Record<string, { execute: (this: IExecuteFunctions) => Promise<INodeExecutionData[][]> }> = {
	check,
	purge,
	recordFromMessage,
	recordManual,
	subjectRequest,
};

export class ConsentGate implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Consent Gate',
		name: 'consentGate',
		icon: { light: 'file:consentGate.svg', dark: 'file:consentGate.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] }}',
		description:
			'Let through only contacts with a lawful basis, no opt-out, an open messaging window and room under the send caps; record consent',
		defaults: { name: 'Consent Gate' },
		usableAsTool: true,
		inputs: inputsExpression,
		outputs: outputsExpression,
		// The second input (consent records) is optional: the gate runs when it gets nothing.
		requiredInputs: [0],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
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
