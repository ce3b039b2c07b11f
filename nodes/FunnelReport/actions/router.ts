import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { executeFailSafe, rawOperation, type SafeRoute } from '../../shared/failSafe';
import { inputItems } from '../helpers';
import * as recordClick from './recordClick';
import * as recordConversion from './recordConversion';
import * as report from './report';

/**
 * Never fail open: under "Continue on fail" a Report failure sends every row to Not counted (no report is
 * made), a Record Conversion failure sends every event to Invalid (nothing is stored, no cadence stops) and a
 * Record Click failure sends every click to Refused (no redirect).
 */
function safeRoute(ctx: IExecuteFunctions): SafeRoute {
	if (rawOperation(ctx, 'report') === 'recordClick') return { outputs: 2, safe: recordClick.OUTPUT.refused };
	if (rawOperation(ctx, 'report') === 'recordConversion')
		return { outputs: 3, safe: recordConversion.OUTPUT.invalid };
	const inputs = report.INPUT_ORDER.map((_name, input) => input).filter(
		(input) => inputItems(ctx, input).length > 0,
	);
	return { outputs: 2, safe: report.OUTPUT.notCounted, inputs };
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await executeFailSafe.call(
		this,
		() => safeRoute(this),
		async () => {
			const operation = rawOperation(this, 'report');
			if (operation === 'recordConversion') return await recordConversion.execute.call(this);
			if (operation === 'recordClick') return await recordClick.execute.call(this);
			return await report.execute.call(this);
		},
	);
}
