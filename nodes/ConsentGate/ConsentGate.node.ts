import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { inputsExpression, outputsExpression, properties } from './description';
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
		const operation = this.getNodeParameter('operation', 0) as string;
		const handler = operations[operation];
		if (!handler) throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
		return await handler.execute.call(this);
	}
}
