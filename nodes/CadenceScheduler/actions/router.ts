import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { executeFailSafe } from '../../shared/failSafe';
import { refuseAsTool } from '../../shared/tool';
import * as schedule from './schedule';

/**
 * The node has one operation (no selector): every run schedules. Never Send Now on a failure: under
 * "Continue on fail" every contact goes to Done, which sends nothing (it stays due once fixed).
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await executeFailSafe.call(this, { outputs: 3, safe: schedule.OUTPUT.done }, async () => {
		refuseAsTool(
			this,
			'Scheduling follow-ups',
			'Every setting of the Cadence Scheduler (sequence, delays, quiet hours, caps, opt-out sentence) decides what is sent and when; an AI agent may not change that. Run the scheduler in a regular workflow.',
		);
		return await schedule.execute.call(this);
	});
}
