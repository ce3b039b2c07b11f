import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import * as segment from './segment';

/**
 * One action: the Tag and Route output modes share the whole run (read, score, segment) and differ only in
 * which output a viewer lands on, so they stay one `segment` action rather than two near-copies.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await segment.execute.call(this);
}
