import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type IPairedItemData,
} from 'n8n-workflow';
import { readInstant } from '../core/time/instant';

/** One output item and the output (0-based) it goes to. */
export interface RoutedItem {
	output: number;
	json: IDataObject;
	/** Defaults to the input item being handled. */
	pairedItem?: IPairedItemData | IPairedItemData[];
}

export interface RouteOptions {
	/** Output that receives `{ error }` items when "Continue on fail" is on (default 0). */
	errorOutput?: number;
	/** Input index for pairedItem on multi-input nodes (default 0). */
	input?: number;
}

/**
 * Runs `handle` for every input item and routes what it returns, in one place: pairedItem on every
 * item, "Continue on fail" honoured, and thrown errors carrying the item index. Per-item refusals are
 * returned as items by `handle`; only what it throws is treated as a failure.
 */
export async function routeEachItem(
	this: IExecuteFunctions,
	outputCount: number,
	handle: (itemIndex: number, item: INodeExecutionData) => Promise<RoutedItem[]> | RoutedItem[],
	options: RouteOptions = {},
): Promise<INodeExecutionData[][]> {
	const input = options.input ?? 0;
	const items = this.getInputData(input);
	const outputs: INodeExecutionData[][] = Array.from({ length: outputCount }, () => []);
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const paired: IPairedItemData = input === 0 ? { item: itemIndex } : { item: itemIndex, input };
		try {
			const routed = await handle(itemIndex, items[itemIndex]);
			for (const entry of routed) {
				outputs[entry.output].push({ json: entry.json, pairedItem: entry.pairedItem ?? paired });
			}
		} catch (error) {
			if (this.continueOnFail()) {
				outputs[options.errorOutput ?? 0].push({
					json: { error: (error as Error).message },
					pairedItem: paired,
				});
				continue;
			}
			throw withItemIndex(this, error, itemIndex);
		}
	}
	return outputs;
}

/** Keeps n8n errors (adding the item index) and wraps anything else in a NodeOperationError. */
export function withItemIndex(
	ctx: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context = error.context ?? {};
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

/**
 * Reads a timestamp parameter such as "As of" / "Now": empty means the current time. Any form the core's
 * timestamp module accepts (docs/development.md, "Timestamps"); a zone-less value is UTC, never the host's zone.
 */
export function readNowParameter(ctx: IExecuteFunctions, name: string, itemIndex = 0): number {
	const raw = ctx.getNodeParameter(name, itemIndex, '') as unknown;
	if (raw === '' || raw === undefined || raw === null) return Date.now();
	// A Luxon DateTime (from an expression) prints as ISO 8601 with its offset.
	const value = typeof raw === 'object' && 'toISO' in raw ? String(raw) : raw;
	const read = readInstant(value, `"${name}" parameter`);
	if (!read.ok) {
		throw new NodeOperationError(ctx.getNode(), `The ${read.reason}`, {
			itemIndex,
			description: 'Use an ISO 8601 value such as 2026-11-22T09:00:00Z (2000 … 9999), or leave it empty for now.',
		});
	}
	return read.ms;
}
