import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { properties } from './description';
import { router } from './actions/router';
import { outputsExpression } from './helpers';

/** Viewer Segment: canonical story events in, one item per viewer with segments, score, stats and reasons out. */
export class ViewerSegment implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Viewer Segment',
		name: 'viewerSegment',
		icon: { light: 'file:viewerSegment.svg', dark: 'file:viewerSegment.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["outputMode"] === "route" ? "Route by segment" : "Tag viewers"}}',
		description: 'Explainable segments and lead scores per viewer from canonical story events',
		defaults: { name: 'Viewer Segment' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: outputsExpression,
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
