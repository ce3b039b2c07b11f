import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { routeEachItem, withItemIndex, type RoutedItem } from '../../shared/items';
import { NOT_SENT, baseJson, createRun, type DmRun } from '../helpers';
import * as getProfile from './getProfile';
import * as sendMessage from './sendMessage';
import * as sendPrivateReply from './sendPrivateReply';

type Operation = (
	this: IExecuteFunctions,
	itemIndex: number,
	item: INodeExecutionData,
	run: DmRun,
) => Promise<RoutedItem[]>;

const OPERATIONS: Record<string, Operation> = {
	getProfile: getProfile.execute,
	sendMessage: sendMessage.execute,
	sendPrivateReply: sendPrivateReply.execute,
};

/** Per-item loop: output 0 "Sent", output 1 "Not Sent"; every item lands in one of them (or throws). */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as string;
	const execute = OPERATIONS[operation];
	if (!execute) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
	}
	const run = createRun(this);
	return await routeEachItem.call(
		this,
		2,
		async (itemIndex, item) => {
			try {
				return await execute.call(this, itemIndex, item, run);
			} catch (error) {
				if (!this.continueOnFail()) throw withItemIndex(this, error, itemIndex);
				const configuration = error instanceof NodeOperationError;
				return [
					{
						output: NOT_SENT,
						json: {
							...baseJson(run, item, operation),
							error: (error as Error).message,
							reason: configuration ? 'invalid_configuration' : 'error',
							reasonText: (error as { description?: string }).description ?? (error as Error).message,
							retryable: false,
						},
					},
				];
			}
		},
		{ errorOutput: NOT_SENT },
	);
}
