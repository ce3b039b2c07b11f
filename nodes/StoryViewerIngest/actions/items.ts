import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import type { IngestBatch } from '../../core/capture/ingest';
import { ItemMapper } from '../../core/capture/sources';
import { columnsProperty, readColumnChoice, splitList, type CommonOptions } from '../helpers';

const properties: INodeProperties[] = [{ ...columnsProperty }];

export const description = updateDisplayOptions({ show: { operation: ['items'] } }, properties);

const mappers = new WeakMap<IngestBatch, ItemMapper>();

/** Each input item is one record: its fields are mapped to a canonical event. */
export async function execute(
	this: IExecuteFunctions,
	batch: IngestBatch,
	itemIndex: number,
	item: INodeExecutionData,
): Promise<void> {
	let mapper = mappers.get(batch);
	if (mapper === undefined) {
		const options = this.getNodeParameter('options', 0, {}) as CommonOptions;
		mapper = new ItemMapper(readColumnChoice(this, 0), splitList(options.extraFields));
		mappers.set(batch, mapper);
	}
	mapper.add(batch, item.json, itemIndex);
}
