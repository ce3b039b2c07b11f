import {
	NodeApiError,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

/**
 * Where a node's items go when it cannot decide: the output that means "do nothing" (Blocked, Keep,
 * Not Sent, Done, Invalid…). Needed because n8n, under "On Error: Continue", passes a throwing node's
 * input through its FIRST output — for our nodes that is Allowed, Send Now, Delete, Export or Sent.
 */
export interface SafeRoute {
	/** How many outputs the node returns for this configuration. */
	outputs: number;
	/** Index of the "do nothing" output. */
	safe: number;
	/** Inputs whose items are routed to the safe output (default: the first input only). */
	inputs?: number[];
	/**
	 * Whether the safe items keep the input item's fields (default true). Off where the safe output is
	 * also the only output and an input item could pass for a real result (e.g. a consent record).
	 */
	keepInputFields?: boolean;
}

/** The one machine-readable reason every fail-safe item carries. */
export const ERROR_REASON = 'error';

/** Keeps n8n errors as thrown (with their item index) and wraps anything else in a NodeOperationError. */
export function asNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (itemIndex !== undefined) {
			error.context = error.context ?? {};
			if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		}
		return error;
	}
	return new NodeOperationError(ctx.getNode(), error as Error, itemIndex === undefined ? {} : { itemIndex });
}

/** One fail-safe item: the input fields (unless turned off), `reason: 'error'` and the message. */
export function errorItemJson(item: INodeExecutionData, message: string, keepInputFields = true) {
	return { ...(keepInputFields ? item.json : {}), reason: ERROR_REASON, error: message };
}

/** Every item of the routed inputs on the safe output, paired with its input item. */
export function routeAllToSafe(ctx: IExecuteFunctions, route: SafeRoute, error: unknown): INodeExecutionData[][] {
	const outputs: INodeExecutionData[][] = Array.from({ length: route.outputs }, () => []);
	const message = error instanceof Error ? error.message : String(error);
	for (const input of route.inputs ?? [0]) {
		ctx.getInputData(input).forEach((item, index) => {
			outputs[route.safe].push({
				json: errorItemJson(item, message, route.keepInputFields !== false),
				pairedItem: input === 0 ? { item: index } : { item: index, input },
			});
		});
	}
	return outputs;
}

/**
 * Runs a node's whole `execute` so that it never fails open. If it throws: with "Continue on fail"
 * every item goes to the safe output with `reason: 'error'` and the message (nothing reaches a
 * go-ahead output); without it the error is rethrown as a NodeOperationError/NodeApiError.
 * `route` is resolved only on failure, from the node's raw parameters, so it cannot throw itself.
 */
export async function executeFailSafe(
	this: IExecuteFunctions,
	route: SafeRoute | (() => SafeRoute),
	execute: () => Promise<INodeExecutionData[][]>,
): Promise<INodeExecutionData[][]> {
	try {
		return await execute();
	} catch (error) {
		if (!this.continueOnFail()) throw asNodeError(this, error);
		return routeAllToSafe(this, typeof route === 'function' ? route() : route, error);
	}
}

/** The operation as configured (raw parameter, so reading it never throws), or the given default. */
export function rawOperation(ctx: IExecuteFunctions, fallback: string): string {
	const value = ctx.getNode().parameters.operation;
	return typeof value === 'string' && value !== '' ? value : fallback;
}
