import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { inputsExpression, outputsExpression, properties } from './description';
import { router } from './actions/router';

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
		return await router.call(this);
	}
}
