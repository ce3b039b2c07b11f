import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { executeFailSafe, rawOperation, type SafeRoute } from '../shared/failSafe';
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
}

/** Never Changed on a failure (that output rewrites CRM tags): Unchanged for Re-evaluate, else Skipped. */
function safeRoute(ctx: IExecuteFunctions): SafeRoute {
	const operation = rawOperation(ctx, 'reEvaluate');
	if (operation === 'reEvaluate') return { outputs: 2, safe: 1 };
	return { outputs: 3, safe: 2, inputs: operation === 'backfill' ? [0, 1] : [0] };
}
