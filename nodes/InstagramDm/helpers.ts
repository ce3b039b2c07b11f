import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { createWaitBudget, type WaitBudget } from '../core/graph/backoff';
import type { GraphConnection } from '../core/graph/connection';
import type { GraphErrorInfo, GraphPurpose } from '../core/graph/errors';
import { routeFailure, type InvalidInput } from '../core/messaging/dm';
import { idempotencyKeyText, laterDuplicates } from '../core/messaging/idempotency';
import type { RoutedItem } from '../shared/items';
import { readBoundedNumber } from '../shared/settings';
import {
	getGraphSession,
	graphErrorToNodeError,
	type GraphCallFailure,
	type GraphSession,
} from '../shared/transport';

export const SENT = 0;
export const NOT_SENT = 1;

/** An id parameter as text for the output (trimmed; a number as its digits), whatever the user put there. */
export function idText(value: unknown): string {
	return typeof value === 'string' ? value.trim() : String(value ?? '');
}

/** State shared by every item of one node run. */
export interface DmRun {
	session?: GraphSession;
	/** One wait budget for the whole run: retries of all items together never wait longer. */
	budget: WaitBudget;
	maxTotalWaitMs: number;
	keepInputFields: boolean;
	/** Items that reached Sent so far in this run. */
	sentCount: number;
	/**
	 * Set by the first account-level failure, or by a send of unknown outcome during an outage: later items are
	 * not tried (no call, no duplicate). `reason` is what the untried items carry.
	 */
	halted?: { error: GraphErrorInfo; itemIndex: number; reason: string };
}

/**
 * One Graph call an item needs, fully prepared from the parameters before the first call of the run
 * (so nothing read afterwards can fail once a message went out).
 */
export interface PlannedCall {
	method: IHttpRequestMethods;
	path: (connection: GraphConnection) => string;
	body?: IDataObject;
	qs?: IDataObject;
	purpose: GraphPurpose;
	jitterSeed: string;
	/** Fields of the output item, whatever the outcome. */
	base: IDataObject;
	/** The Sent item built from the answer. */
	onSuccess: (body: IDataObject, attempts: number) => RoutedItem;
	/** Fields of a Sent item known before the answer (sentAt, messagingType…), also on a maybe-sent item. */
	sendFields?: IDataObject;
}

/** What an operation makes of one item before any call: a finished item (e.g. invalid input) or a call. */
export type ItemPlan = { done: RoutedItem } | { call: PlannedCall };

export function createRun(ctx: IExecuteFunctions): DmRun {
	const seconds = readBoundedNumber(ctx, 'options.maxRetryWait', 'Max Total Retry Wait (Seconds)', 60, { min: 0, max: 3600 });
	const maxTotalWaitMs = seconds * 1000;
	return {
		budget: createWaitBudget(maxTotalWaitMs),
		maxTotalWaitMs,
		keepInputFields: ctx.getNodeParameter('options.keepInputFields', 0, true) as boolean,
		sentCount: 0,
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

/** Graph details copied onto a Not Sent item. */
function failureDetails(failure: GraphCallFailure): IDataObject {
	const { error } = failure;
	const details: IDataObject = { attempts: failure.attempts, retryWaitMs: failure.waitedMs };
	if (error.code !== undefined) details.errorCode = error.code;
	if (error.subcode !== undefined) details.errorSubcode = error.subcode;
	if (error.fbtraceId !== undefined) details.fbtraceId = error.fbtraceId;
	return details;
}

/**
 * A failed Graph call, routed by the error contract (nodes/core/graph/errorCatalogue.ts):
 * - per-recipient refusals and exhausted throttle retries → "Not Sent" with the reason;
 * - a send whose outcome is unknown (maybe sent) → "Sent" with `sentUnknown: true` and reason `sent_unknown`,
 *   never retried: the send log holds it, so no later run sends it again (at most one DM per key). After an
 *   outage-like one (code 2, HTTP 5xx, dropped connection) the rest of the run is not tried;
 * - an account-level failure (expired token, permission, restriction, wrong account ID…) halts the run: once
 *   something was sent (or under "Continue on fail") this item and every later one go to Not Sent with
 *   `retryable: true`, so the sent items still reach Sent and get logged; before any send, without
 *   "Continue on fail", it throws a NodeApiError with the item index.
 */
export function failureItem(
	ctx: IExecuteFunctions,
	run: DmRun,
	itemIndex: number,
	call: Pick<PlannedCall, 'base' | 'sendFields'>,
	failure: GraphCallFailure,
): RoutedItem {
	const { base } = call;
	const { error } = failure;
	const route = routeFailure(error);
	if (route.route === 'notSent') {
		return {
			output: NOT_SENT,
			json: { ...base, reason: route.reason, reasonText: route.reasonText, retryable: route.retryable, ...failureDetails(failure) },
		};
	}
	if (route.route === 'maybeSent') {
		if (route.stopsRun) run.halted = { error, itemIndex, reason: 'temporary_error' };
		return {
			output: SENT,
			json: {
				...base,
				messageId: null,
				...(call.sendFields ?? {}),
				sentUnknown: true,
				reason: route.reason,
				reasonText: route.reasonText,
				retryable: false,
				...failureDetails(failure),
			},
		};
	}
	const apiError = graphErrorToNodeError(ctx.getNode(), failure, itemIndex);
	if (run.sentCount === 0 && !ctx.continueOnFail()) throw apiError;
	run.halted = { error, itemIndex, reason: error.reason };
	return {
		output: NOT_SENT,
		json: {
			...base,
			error: apiError.message,
			reason: error.reason,
			reasonText: apiError.description ?? error.message,
			retryable: true,
			...failureDetails(failure),
		},
	};
}

/** An item not tried because an earlier item hit an account-level failure in this run. */
export function haltedItem(run: DmRun, base: IDataObject): RoutedItem {
	const halted = run.halted as NonNullable<DmRun['halted']>;
	return {
		output: NOT_SENT,
		json: {
			...base,
			reason: halted.reason,
			reasonText: `Not tried: item ${halted.itemIndex} of this run failed with "${halted.error.message}". ${halted.error.description}`,
			retryable: true,
		},
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
	description:
		'Message text, at most 1,000 bytes of UTF-8 (Meta\'s limit: 1,000 plain letters, 500 accented ones, about 250 emoji). Empty or longer text goes to Not Sent with reason invalid_input.',
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

/**
 * At most one send per idempotency key in one run: an item whose key (trimmed, NFC) an earlier item that is
 * about to be sent already carries goes to Not Sent with `duplicate_key` instead of being sent again. Items
 * that are already finished (invalid input, errors) claim no key. Runs on the plans, before the first call.
 */
export function skipDuplicateKeys(plans: ItemPlan[]): void {
	const keys = plans.map((plan) => ('call' in plan ? idempotencyKeyText(plan.call.base.idempotencyKey) : undefined));
	for (const [position, first] of laterDuplicates(keys)) {
		const plan = plans[position];
		if (!('call' in plan)) continue;
		plans[position] = {
			done: {
				output: NOT_SENT,
				json: {
					...plan.call.base,
					reason: 'duplicate_key',
					reasonText: `Item ${first} of this run has the same idempotency key and is sent instead; one send per key`,
					duplicateOf: first,
					retryable: false,
				},
			},
		};
	}
}
