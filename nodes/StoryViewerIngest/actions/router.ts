import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type IPairedItemData,
} from 'n8n-workflow';

import { IngestBatch, describeCounts, type IngestOptions } from '../../core/capture/ingest';
import { CaptureConfigError } from '../../core/capture/sources';
import type { CanonicalEvent } from '../../core/events/schema';
import { toEventsTableRow } from '../../core/events/tableRow';
import { isValidTimeZone } from '../../core/time/instant';
import { asNodeError, executeFailSafe } from '../../shared/failSafe';
import { readNowParameter, routeEachItem } from '../../shared/items';
import { readPepper } from '../../shared/privacy';
import type { CommonOptions, OperationExecute } from '../helpers';
import * as csv from './csv';
import * as graphApiStories from './graphApiStories';
import * as items from './items';
import * as webhookPayload from './webhookPayload';

export type Operation = 'items' | 'csv' | 'webhookPayload' | 'graphApiStories';

const OPERATIONS: Record<Operation, { execute: OperationExecute; source: IngestOptions['source']; tool: string }> = {
	items: { execute: items.execute, source: 'items', tool: 'items' },
	csv: { execute: csv.execute, source: 'csv', tool: 'csv_import' },
	webhookPayload: { execute: webhookPayload.execute, source: 'webhook', tool: 'instagram_webhook' },
	graphApiStories: { execute: graphApiStories.execute, source: 'graph_api', tool: 'instagram_graph_api' },
};

export const VALID = 0;
export const INVALID = 1;

async function readBatchOptions(ctx: IExecuteFunctions, operation: Operation): Promise<IngestOptions> {
	const options = ctx.getNodeParameter('options', 0, {}) as CommonOptions;
	const timeZone = (options.timeZone ?? 'UTC').trim() || 'UTC';
	if (!isValidTimeZone(timeZone)) {
		throw new NodeOperationError(ctx.getNode(), `"${timeZone}" is not an IANA time zone`, {
			description: 'Use a zone name such as Europe/Berlin or America/New_York.',
		});
	}
	let pepper: string | undefined;
	try {
		pepper = await readPepper(ctx, ctx.getNodeParameter('pseudonymise', 0, false) as boolean);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), error as Error);
	}
	const spec = OPERATIONS[operation];
	return {
		source: spec.source,
		sourceTool: (options.sourceTool ?? '').trim() || spec.tool,
		ingestedAt: readNowParameter(ctx, 'asOf'),
		pepper,
		includeText: options.includeMessageText === true,
		timeZone,
		timeFormat: (options.timeFormat ?? '').trim() || undefined,
		missingTime: options.missingTime ?? 'reject',
		defaultType: options.defaultType ?? 'view',
	};
}

/** Runs the chosen operation over every input item into one batch, then emits Valid and Invalid. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	// A failure never reaches Valid: under "Continue on fail" every input item goes to Invalid.
	return await executeFailSafe.call(this, { outputs: 2, safe: INVALID }, async () => await ingest.call(this));
}

async function ingest(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as Operation;
	const spec = OPERATIONS[operation];
	if (!spec) throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
	const batch = new IngestBatch(await readBatchOptions(this, operation));
	// Items: one record per input item, so the de-duplication index can be sized once.
	if (operation === 'items') batch.reserve(this.getInputData().length);

	const failures = await routeEachItem.call(
		this,
		2,
		async (itemIndex, item) => {
			try {
				await spec.execute.call(this, batch, itemIndex, item);
			} catch (error) {
				if (error instanceof CaptureConfigError) {
					throw new NodeOperationError(this.getNode(), error.message, { itemIndex, description: error.description });
				}
				throw asNodeError(this, error, itemIndex);
			}
			return [];
		},
		{ safeOutput: INVALID },
	);

	const { events, itemIndexes, mergedItemIndexes, invalid, counts } = batch.result();
	const options = this.getNodeParameter('options', 0, {}) as CommonOptions;
	const shape: (event: CanonicalEvent) => object = options.outputFormat === 'tableRow' ? toEventsTableRow : (event) => event;
	const validItems: INodeExecutionData[] = new Array<INodeExecutionData>(events.length);
	for (let i = 0; i < events.length; i++) {
		const merged = mergedItemIndexes.get(i);
		const pairedItem: IPairedItemData | IPairedItemData[] = merged
			? [{ item: itemIndexes[i] }, ...merged.map((item) => ({ item }))]
			: { item: itemIndexes[i] };
		validItems[i] = { json: shape(events[i]) as IDataObject, pairedItem };
	}
	const invalidItems: INodeExecutionData[] = invalid.map((record) => ({
		json: { ...record, source: batch.options.source } as unknown as IDataObject,
		pairedItem: { item: record.itemIndex },
	}));
	invalidItems.push(...failures[INVALID]);

	const failed = failures[INVALID].length;
	this.addExecutionHints({
		message: `Story Viewer Ingest: ${describeCounts(counts)}${failed ? ` · ${failed} input items failed` : ''}`,
		location: 'outputPane',
	});
	return [validItems, invalidItems];
}
