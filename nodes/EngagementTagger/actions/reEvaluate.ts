import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { evaluationWarnings, reEvaluateContact } from '../../core/engagement';
import { neverEngagedProperty, problemItem, readSettings, resultFields } from '../helpers';

const properties: INodeProperties[] = [neverEngagedProperty];

export const description = updateDisplayOptions(
	{ show: { operation: ['reEvaluate'] } },
	properties,
);

/**
 * Re-evaluate (Part 1 of the recipe): each contact → Changed (its tags must change) or Unchanged, in input
 * order. Contact fields pass through; the result fields are added.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData(0);
	const { asOfMs, tagger, fields } = readSettings(this, 'reEvaluate');
	const changed: INodeExecutionData[] = [];
	const unchanged: INodeExecutionData[] = [];
	for (let index = 0; index < items.length; index++) {
		const contact = items[index].json;
		const result = reEvaluateContact(contact, index, fields, tagger, asOfMs);
		if (!result.ok) {
			unchanged.push(problemItem(this, result, false));
			continue;
		}
		const { evaluation } = result;
		const json = {
			...contact,
			...resultFields(
				result.contactKey,
				result.lastEngagedAtMs,
				evaluation,
				result.previousTags,
				evaluation.changed,
				evaluationWarnings(evaluation, result.lastEngagedAtMs, asOfMs),
			),
		};
		(evaluation.changed ? changed : unchanged).push({ json, pairedItem: { item: index } });
	}
	return [changed, unchanged];
}
