import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { properties } from './description';
import { execute } from './execute';
import { executeFailSafe } from '../shared/failSafe';
import { configuredOutputs, outputsExpression } from './outputs';

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
		// On a failure every event goes to the last output (No Segment, or Viewers in tag mode), as refused events do.
		return await executeFailSafe.call(
			this,
			() => {
				const outputs = configuredOutputs(this.getNode().parameters, NodeConnectionTypes.Main).length;
				return { outputs, safe: outputs - 1 };
			},
			async () => await execute.call(this),
		);
	}
}
