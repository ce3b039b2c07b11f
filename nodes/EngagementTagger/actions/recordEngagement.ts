import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { recordEngagement } from '../../core/engagement';
import {
	engagementTypesProperty,
	handleProblems,
	readSettings,
	recordedFields,
	skippedItem,
} from '../helpers';

const properties: INodeProperties[] = [engagementTypesProperty];

export const description = updateDisplayOptions(
	{ show: { operation: ['recordEngagement'] } },
	properties,
);

/**
 * Record engagement (Part 2 of the recipe): events → one item per contact (first appearance order) on
 * Changed or Unchanged, paired with all its counted events; events that do not count go to Skipped.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const events = this.getInputData(0);
	const settings = readSettings(this, 'recordEngagement');
	const result = recordEngagement(
		events.map((item) => item.json),
		settings,
	);
	const outputs: INodeExecutionData[][] = [[], [], []];
	handleProblems(this, result.problems, outputs, 2, false);
	for (const contact of result.contacts) {
		const json = {
			contactKey: contact.contactKey,
			...contact.kept,
			...recordedFields(contact),
		};
		outputs[contact.changed ? 0 : 1].push({
			json,
			pairedItem: contact.eventIndices.map((item) => ({ item })),
		});
	}
	for (const skipped of result.skipped) outputs[2].push(skippedItem(events, skipped, 0));
	return outputs;
}
