import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import { executeFailSafe } from '../../shared/failSafe';
import { configuredOutputs } from '../helpers';
import * as segment from './segment';

/**
 * One action: the Tag and Route output modes share the whole run (read, score, segment) and differ only in
 * which output a viewer lands on, so they stay one `segment` action rather than two near-copies. On a failure
 * (Continue on fail) every event goes to the last output (No Segment, or Viewers in tag mode), as refused events do.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await executeFailSafe.call(
		this,
		() => {
			const outputs = configuredOutputs(this.getNode().parameters, NodeConnectionTypes.Main).length;
			return { outputs, safe: outputs - 1 };
		},
		async () => await segment.execute.call(this),
	);
}
