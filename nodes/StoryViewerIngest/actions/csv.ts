import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import type { CsvDelimiter } from '../../core/capture/csv';
import type { IngestBatch } from '../../core/capture/ingest';
import { ingestCsvText } from '../../core/capture/sources';
import { columnsProperty, readColumnChoice, splitList, type CommonOptions } from '../helpers';

const DELIMITERS: Record<string, CsvDelimiter | 'auto'> = { auto: 'auto', comma: ',', semicolon: ';', tab: '\t' };

const properties: INodeProperties[] = [
	{
		displayName: 'Input',
		name: 'inputType',
		type: 'options',
		default: 'binary',
		options: [
			{ name: 'Binary File', value: 'binary', description: 'A CSV file in a binary property' },
			{ name: 'Text', value: 'text', description: 'CSV text in a parameter or expression' },
		],
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		displayOptions: { show: { inputType: ['binary'] } },
		description: 'Name of the binary property holding the CSV file',
	},
	{
		displayName: 'CSV Text',
		name: 'csvText',
		type: 'string',
		typeOptions: { rows: 6 },
		default: '',
		required: true,
		displayOptions: { show: { inputType: ['text'] } },
		placeholder: 'e.g. handle,first_seen,story_id',
	},
	{
		displayName: 'Delimiter',
		name: 'delimiter',
		type: 'options',
		default: 'auto',
		options: [
			{ name: 'Auto-Detect', value: 'auto', description: 'Comma, semicolon or tab, from the header line' },
			{ name: 'Comma', value: 'comma' },
			{ name: 'Semicolon', value: 'semicolon' },
			{ name: 'Tab', value: 'tab' },
		],
	},
	{ ...columnsProperty },
];

export const description = updateDisplayOptions({ show: { operation: ['csv'] } }, properties);

/** One input item carries one CSV file or text; every data row becomes an event or a refusal. */
export async function execute(
	this: IExecuteFunctions,
	batch: IngestBatch,
	itemIndex: number,
): Promise<void> {
	const inputType = this.getNodeParameter('inputType', itemIndex) as 'binary' | 'text';
	let text: string;
	if (inputType === 'binary') {
		const property = this.getNodeParameter('binaryPropertyName', itemIndex) as string;
		this.helpers.assertBinaryData(itemIndex, property);
		const buffer = await this.helpers.getBinaryDataBuffer(itemIndex, property);
		text = buffer.toString('utf8');
	} else {
		const value = this.getNodeParameter('csvText', itemIndex) as unknown;
		if (typeof value !== 'string') {
			throw new NodeOperationError(this.getNode(), 'CSV Text must be text', { itemIndex });
		}
		text = value;
	}
	const delimiter = DELIMITERS[this.getNodeParameter('delimiter', itemIndex, 'auto') as string] ?? 'auto';
	const options = this.getNodeParameter('options', 0, {}) as CommonOptions;
	ingestCsvText(batch, text, itemIndex, {
		delimiter,
		columns: readColumnChoice(this, itemIndex),
		extraFields: splitList(options.extraFields),
	});
}
