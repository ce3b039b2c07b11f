import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { inputsExpression, outputsExpression, properties } from './description';
import * as backfill from './operations/backfill';
import * as recordEngagement from './operations/recordEngagement';
import * as reEvaluate from './operations/reEvaluate';

const operations = { backfill, recordEngagement, reEvaluate };

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
}
