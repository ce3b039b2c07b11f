import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { asNodeError, executeFailSafe } from '../../shared/failSafe';
import { DM_TOOL_LIMITS } from '../description';
import { enforceToolLimits } from '../../shared/tool';
import type { RoutedItem } from '../../shared/items';
import { graphApiCall } from '../../shared/transport';
import {
	NOT_SENT,
	SENT,
	baseJson,
	createRun,
	failureItem,
	haltedItem,
	sessionFor,
	skipDuplicateKeys,
	type DmRun,
	type ItemPlan,
} from '../helpers';
import * as getProfile from './getProfile';
import * as sendMessage from './sendMessage';
import * as sendPrivateReply from './sendPrivateReply';

type Prepare = (this: IExecuteFunctions, itemIndex: number, item: INodeExecutionData, run: DmRun) => ItemPlan;

const OPERATIONS: Record<string, Prepare> = {
	getProfile: getProfile.execute,
	sendMessage: sendMessage.execute,
	sendPrivateReply: sendPrivateReply.execute,
};

/** A Not Sent item for an item whose handling failed under "Continue on fail". */
function errorItem(run: DmRun, item: INodeExecutionData, operation: string, error: unknown, base?: IDataObject): RoutedItem {
	const configuration = error instanceof NodeOperationError;
	return {
		output: NOT_SENT,
		json: {
			...(base ?? baseJson(run, item, operation)),
			error: (error as Error).message,
			reason: configuration ? 'invalid_configuration' : 'error',
			reasonText: (error as { description?: string }).description ?? (error as Error).message,
			retryable: false,
		},
	};
}

/**
 * Output 0 "Sent", output 1 "Not Sent"; every item lands in one of them. Two phases, so a message that
 * went out always reaches Sent (and gets logged downstream): first every parameter of every item is read
 * (a bad one throws before anything is sent), then the calls run in item order.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	// A failure of the whole run never reaches Sent: under "Continue on fail" every item goes to Not Sent.
	return await executeFailSafe.call(this, { outputs: 2, safe: NOT_SENT }, async () => await sendAll.call(this));
}

async function sendAll(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as string;
	const prepare = OPERATIONS[operation];
	if (!prepare) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
	}
	enforceToolLimits(this, DM_TOOL_LIMITS);
	const run = createRun(this);
	const items = this.getInputData();

	const plans: ItemPlan[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			plans.push(prepare.call(this, itemIndex, items[itemIndex], run));
		} catch (error) {
			if (!this.continueOnFail()) throw asNodeError(this, error, itemIndex);
			plans.push({ done: errorItem(run, items[itemIndex], operation, error) });
		}
	}

	skipDuplicateKeys(plans);

	const outputs: INodeExecutionData[][] = [[], []];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const routed = await perform(this, run, plans[itemIndex], itemIndex, items[itemIndex], operation);
		if (routed.output === SENT) run.sentCount++;
		outputs[routed.output].push({ json: routed.json, pairedItem: { item: itemIndex } });
	}
	return outputs;
}

async function perform(
	ctx: IExecuteFunctions,
	run: DmRun,
	plan: ItemPlan,
	itemIndex: number,
	item: INodeExecutionData,
	operation: string,
): Promise<RoutedItem> {
	if ('done' in plan) return plan.done;
	const { call } = plan;
	if (run.halted) return haltedItem(run, call.base);
	let session;
	try {
		session = await sessionFor(ctx, run, itemIndex);
	} catch (error) {
		// A malformed credential: read before the first call, so nothing was sent yet.
		if (!ctx.continueOnFail()) throw asNodeError(ctx, error, itemIndex);
		return errorItem(run, item, operation, error, call.base);
	}
	const result = await graphApiCall.call(ctx, call.method, call.path(session.connection), {
		body: call.body,
		qs: call.qs,
		itemIndex,
		purpose: call.purpose,
		session,
		retry: { budget: run.budget, policy: { maxTotalWaitMs: run.maxTotalWaitMs }, jitterSeed: call.jitterSeed },
	});
	return result.ok ? call.onSuccess(result.body, result.attempts) : failureItem(ctx, run, itemIndex, call, result);
}
