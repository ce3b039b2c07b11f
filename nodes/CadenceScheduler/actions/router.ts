import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import * as schedule from './schedule';

/** The node has one operation (no selector): every run schedules. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await schedule.execute.call(this);
}
