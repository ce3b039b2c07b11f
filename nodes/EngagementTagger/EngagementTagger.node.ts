import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { inputsExpression, outputsExpression, properties } from './description';
import { router } from './actions/router';

export class EngagementTagger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Engagement Tagger',
		name: 'engagementTagger',
		icon: { light: 'file:engagementTagger.svg', dark: 'file:engagementTagger.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description:
			'Tag contacts Engaged, Recent Activity, Disengaged or Inactive by the time since their last engagement, for any CRM',
		defaults: { name: 'Engagement Tagger' },
		usableAsTool: true,
		inputs: inputsExpression,
		outputs: outputsExpression,
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
