import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type IPairedItemData,
} from 'n8n-workflow';
import { readInstant } from '../core/time/instant';

import { asNodeError, errorItemJson } from './failSafe';

/** One output item and the output (0-based) it goes to. */
export interface RoutedItem {
	output: number;
	json: IDataObject;
	/** Defaults to the input item being handled. */
	pairedItem?: IPairedItemData | IPairedItemData[];
}

export interface RouteOptions {
	/**
	 * The "do nothing" output (Not Sent, Done, Invalid…) that receives an item whose handling threw when
	 * "Continue on fail" is on. Required: output 0 is often a go-ahead output.
	 */
	safeOutput: number;
	/** Input index for pairedItem on multi-input nodes (default 0). */
	input?: number;
	/** Whether such an item keeps the input item's fields (default true). */
	keepInputFields?: boolean;
}

/**
 * Runs `handle` for every input item and routes what it returns, in one place: pairedItem on every
 * item, "Continue on fail" honoured (the failed item goes to the safe output), and thrown errors carrying the item index. Per-item refusals are
 * returned as items by `handle`; only what it throws is treated as a failure.
 */
export async function routeEachItem(
	this: IExecuteFunctions,
	outputCount: number,
	handle: (itemIndex: number, item: INodeExecutionData) => Promise<RoutedItem[]> | RoutedItem[],
	options: RouteOptions,
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
				outputs[options.safeOutput].push({
					json: errorItemJson(items[itemIndex], (error as Error).message, options.keepInputFields !== false),
					pairedItem: paired,
				});
				continue;
			}
			throw asNodeError(this, error, itemIndex);
		}
	}
	return outputs;
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
