import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { createWaitBudget, type WaitBudget } from '../core/graph/backoff';
import { routeFailure, type InvalidInput } from '../core/messaging/dm';
import type { RoutedItem } from '../shared/items';
import {
	getGraphSession,
	graphErrorToNodeError,
	type GraphCallFailure,
	type GraphSession,
} from '../shared/transport';

export const SENT = 0;
export const NOT_SENT = 1;

/** State shared by every item of one node run. */
export interface DmRun {
	session?: GraphSession;
	/** One wait budget for the whole run: retries of all items together never wait longer. */
	budget: WaitBudget;
	maxTotalWaitMs: number;
	keepInputFields: boolean;
}

export function createRun(ctx: IExecuteFunctions): DmRun {
	const seconds = Number(ctx.getNodeParameter('options.maxRetryWait', 0, 60));
	const maxTotalWaitMs = Math.max(0, Number.isFinite(seconds) ? seconds * 1000 : 60_000);
	return {
		budget: createWaitBudget(maxTotalWaitMs),
		maxTotalWaitMs,
		keepInputFields: ctx.getNodeParameter('options.keepInputFields', 0, true) as boolean,
	};
}

export async function sessionFor(ctx: IExecuteFunctions, run: DmRun, itemIndex: number): Promise<GraphSession> {
	run.session = run.session ?? (await getGraphSession.call(ctx, itemIndex));
	return run.session;
}

/** The input fields kept on every output item (all of them unless "Keep Input Fields" is off). */
export function baseJson(run: DmRun, item: INodeExecutionData, operation: string): IDataObject {
	return { ...(run.keepInputFields ? item.json : {}), operation };
}

/** The idempotency key: the parameter, else the input item's own `idempotencyKey`. */
export function idempotencyKeyOf(ctx: IExecuteFunctions, itemIndex: number, item: INodeExecutionData): string {
	const param = String(ctx.getNodeParameter('idempotencyKey', itemIndex, '') ?? '').trim();
	if (param !== '') return param;
	const own = item.json.idempotencyKey;
	return typeof own === 'string' || typeof own === 'number' ? String(own) : '';
}

export function invalidInputItem(base: IDataObject, invalid: InvalidInput): RoutedItem {
	return {
		output: NOT_SENT,
		json: { ...base, reason: invalid.reason, reasonText: invalid.reasonText, field: invalid.field, retryable: false },
	};
}

/**
 * A failed Graph call: per-recipient refusals and exhausted retries → "Not Sent" item; account-level
 * failures → a Not Sent item with `error` under "Continue on fail", else a thrown NodeApiError.
 */
export function failureItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	base: IDataObject,
	failure: GraphCallFailure,
): RoutedItem {
	const { error } = failure;
	const details: IDataObject = { attempts: failure.attempts, retryWaitMs: failure.waitedMs };
	if (error.code !== undefined) details.errorCode = error.code;
	if (error.subcode !== undefined) details.errorSubcode = error.subcode;
	if (error.fbtraceId !== undefined) details.fbtraceId = error.fbtraceId;
	const route = routeFailure(error);
	if (route.route === 'notSent') {
		return {
			output: NOT_SENT,
			json: { ...base, reason: route.reason, reasonText: route.reasonText, retryable: route.retryable, ...details },
		};
	}
	const apiError = graphErrorToNodeError(ctx.getNode(), failure, itemIndex);
	if (!ctx.continueOnFail()) throw apiError;
	return {
		output: NOT_SENT,
		json: { ...base, error: apiError.message, reason: error.reason, reasonText: apiError.description ?? error.message, retryable: false, ...details },
	};
}

/** Fields shared by several operations (each operation file applies its own displayOptions). */
export const recipientIdField: INodeProperties = {
	displayName: 'Recipient ID (IGSID)',
	name: 'recipientId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. {{ $json.viewerKey }}',
	description:
		'Instagram-scoped ID of the person, as received in a webhook (sender.ID). Empty or malformed IDs go to Not Sent with reason invalid_input.',
};

export const textField: INodeProperties = {
	displayName: 'Text',
	name: 'text',
	type: 'string',
	typeOptions: { rows: 4 },
	default: '',
	required: true,
	description: 'Message text, at most 1000 characters. Empty or longer text goes to Not Sent with reason invalid_input.',
};

export const idempotencyKeyField: INodeProperties = {
	displayName: 'Idempotency Key',
	name: 'idempotencyKey',
	type: 'string',
	default: '',
	placeholder: 'e.g. {{ $json.viewerKey }}:step-2',
	description:
		'Copied to the output (e.g. contact + cadence step) so a re-run can be detected downstream. Empty: the input item\'s own idempotencyKey field, if any.',
};
