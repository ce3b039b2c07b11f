import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type IPairedItemData,
} from 'n8n-workflow';

import { backfill } from '../../core/engagement';
import {
	engagementTypesProperty,
	handleProblems,
	neverEngagedProperty,
	readSettings,
	recordedFields,
	skippedItem,
} from '../helpers';

const properties: INodeProperties[] = [
	engagementTypesProperty,
	neverEngagedProperty,
	{
		displayName: 'Include Contacts Only Found in Events',
		name: 'includeEventOnlyContacts',
		type: 'boolean',
		default: true,
		description:
			'Whether contacts that appear in the Events input but not in the Contacts input are output too; if off, their events go to Skipped',
	},
];

export const description = updateDisplayOptions({ show: { operation: ['backfill'] } }, properties);

/**
 * Back-fill: Contacts (input 1) and Events (input 2) → each contact's last engagement and tags as of "As of"
 * on Changed or Unchanged; events after "As of" or of unselected types go to Skipped.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const contacts = this.getInputData(0);
	const events = this.getInputData(1);
	const settings = readSettings(this, 'backfill');
	const includeEventOnlyContacts = this.getNodeParameter(
		'includeEventOnlyContacts',
		0,
		true,
	) as boolean;
	const result = backfill(
		contacts.map((item) => item.json),
		events.map((item) => item.json),
		{ ...settings, includeEventOnlyContacts },
	);
	const outputs: INodeExecutionData[][] = [[], [], []];
	handleProblems(this, result.problems, outputs, 2, true);
	for (const contact of result.contacts) {
		const base: IDataObject =
			contact.contactIndex === undefined
				? { contactKey: contact.contactKey, ...contact.kept }
				: { ...contacts[contact.contactIndex].json };
		const json = {
			...base,
			...recordedFields(contact),
		};
		const pairedItem: IPairedItemData[] = contact.eventIndices.map((item) => ({ item, input: 1 }));
		if (contact.contactIndex !== undefined) pairedItem.unshift({ item: contact.contactIndex });
		outputs[contact.changed ? 0 : 1].push({ json, pairedItem });
	}
	for (const skipped of result.skipped) outputs[2].push(skippedItem(events, skipped, 1));
	return outputs;
}
