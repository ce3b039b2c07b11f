import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { properties } from './description';
import { router } from './actions/router';
import { INSTAGRAM_CREDENTIAL_TEST, instagramApiTest } from '../shared/instagramCredentialTest';

export class InstagramDm implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Instagram DM',
		name: 'instagramDm',
		icon: { light: 'file:instagramDm.svg', dark: 'file:instagramDm.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description:
			'Send Instagram direct messages and private replies through the official API, and read profiles. Refused sends go to Not Sent with a reason.',
		defaults: { name: 'Instagram DM' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Sent', 'Not Sent'],
		credentials: [{ name: 'instagramApi', required: true, testedBy: 'instagramApiTest' }],
		properties,
	};

	methods = { credentialTest: { [INSTAGRAM_CREDENTIAL_TEST]: instagramApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
