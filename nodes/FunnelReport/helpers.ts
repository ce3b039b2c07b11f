import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type IPairedItemData,
} from 'n8n-workflow';

/** The items of one input; [] when it is not connected or got nothing (n8n then has no slot for it). */
export function inputItems(ctx: IExecuteFunctions, input: number): INodeExecutionData[] {
	try {
		return ctx.getInputData(input);
	} catch (error) {
		if ((error as Error).message === 'Could not get input with given index') return [];
		throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex: 0 });
	}
}

/** The JSON of every item of one input ([] when the input got nothing). */
export function inputRows(ctx: IExecuteFunctions, input: number): IDataObject[] {
	return inputItems(ctx, input).map((item) => item.json);
}

export function paired(item: number, input: number): IPairedItemData {
	return input === 0 ? { item } : { item, input };
}

/** Every item of every input, as pairedItem of an aggregate (the report) or of a failure. */
export function allPaired(ctx: IExecuteFunctions, inputs: number): IPairedItemData[] {
	const list: IPairedItemData[] = [];
	for (let input = 0; input < inputs; input++) {
		inputItems(ctx, input).forEach((_item, index) => list.push(paired(index, input)));
	}
	return list;
}

/** A Data table read with "Always Output Data" emits one empty item for an empty table: not a row. */
export function isEmptyRow(json: IDataObject): boolean {
	return Object.keys(json).length === 0;
}
