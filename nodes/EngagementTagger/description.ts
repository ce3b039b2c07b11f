import type { INodeParameters, INodeProperties } from 'n8n-workflow';

import * as backfill from './actions/backfill';
import * as recordEngagement from './actions/recordEngagement';
import * as reEvaluate from './actions/reEvaluate';

/**
 * Inputs and outputs per operation. Each function is stringified into an expression over $parameter,
 * so it must stay self-contained (no imports, no closures).
 */
const configuredInputs = (parameters: INodeParameters) => {
	if (parameters.operation === 'backfill') {
		return [
			{ type: 'main', displayName: 'Contacts' },
			{ type: 'main', displayName: 'Events' },
		];
	}
	return [
		{
			type: 'main',
			displayName: parameters.operation === 'recordEngagement' ? 'Events' : 'Contacts',
		},
	];
};

const configuredOutputs = (parameters: INodeParameters) => {
	const outputs = [
		{ type: 'main', displayName: 'Changed' },
		{ type: 'main', displayName: 'Unchanged' },
	];
	if (parameters.operation !== 'reEvaluate') outputs.push({ type: 'main', displayName: 'Skipped' });
	return outputs;
};

type Expression = `={{${string}}}`;
export const inputsExpression = `={{(${configuredInputs})($parameter)}}` as Expression;
export const outputsExpression = `={{(${configuredOutputs})($parameter)}}` as Expression;

/** Output indices. */
export const CHANGED = 0;
export const UNCHANGED = 1;
export const SKIPPED = 2;

const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Back-Fill',
			value: 'backfill',
			description:
				'Compute last engagement and tags as of a date from an event history and contacts',
			action: 'Backfill engagement tags from history',
		},
		{
			name: 'Re-Evaluate',
			value: 'reEvaluate',
			description: 'Move the tags of contacts as days pass since their last engagement (run daily)',
			action: 'Update engagement tags as time passes',
		},
		{
			name: 'Record Engagement',
			value: 'recordEngagement',
			description:
				'Update the last engagement of contacts from engagement events and tag them engaged',
			action: 'Record engagement events',
		},
	],
	default: 'reEvaluate',
};

const common: INodeProperties[] = [
	{
		displayName: 'As Of',
		name: 'asOf',
		type: 'dateTime',
		default: '',
		description:
			'The moment the tags are computed for. Leave empty for now; set it to replay a past day (the same input and As Of always give the same output).',
	},
	{
		displayName: 'Thresholds',
		name: 'preset',
		type: 'options',
		options: [
			{
				name: 'Consecutive Waits (7 / 28 / 58 Days)',
				value: 'consecutiveWaits',
				description:
					"The recipe's waits read as consecutive steps: 7 days, then 21 more, then 30 more",
			},
			{ name: 'Custom', value: 'custom', description: 'Set the three thresholds yourself' },
			{
				name: 'Elapsed Since Last Engagement (7 / 21 / 30 Days)',
				value: 'elapsed',
				description:
					'Recent Activity under 7 days, Engaged under 21, Disengaged from 21 to under 30, Inactive from 30',
			},
		],
		default: 'elapsed',
		description: 'How many days since the last engagement move a contact from one tag to the next',
	},
	{
		displayName: 'Recent Activity Under (Days)',
		name: 'recentActivityDays',
		type: 'number',
		typeOptions: { minValue: 0.001, numberPrecision: 3 },
		default: 7,
		description:
			'Recent Activity (together with Engaged) while the last engagement is less than this many days ago',
		displayOptions: { show: { preset: ['custom'] } },
	},
	{
		displayName: 'Engaged Under (Days)',
		name: 'engagedDays',
		type: 'number',
		typeOptions: { minValue: 0.001, numberPrecision: 3 },
		default: 21,
		description:
			'Engaged while the last engagement is less than this many days ago; Disengaged from here',
		displayOptions: { show: { preset: ['custom'] } },
	},
	{
		displayName: 'Inactive From (Days)',
		name: 'inactiveDays',
		type: 'number',
		typeOptions: { minValue: 0.001, numberPrecision: 3 },
		default: 30,
		description: 'Inactive once the last engagement is this many days ago or more',
		displayOptions: { show: { preset: ['custom'] } },
	},
];

const options: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Contact Key Fields',
			name: 'contactKeyFields',
			type: 'string',
			default: 'contactKey, viewerKey, email',
			description:
				'Fields tried in order for the key that identifies a contact (dot paths allowed). Keys with @ are compared lower-cased.',
		},
		{
			displayName: 'Disengaged Tag',
			name: 'disengagedTag',
			type: 'string',
			default: 'Disengaged',
		},
		{
			displayName: 'Engaged Tag',
			name: 'engagedTag',
			type: 'string',
			default: 'Engaged',
		},
		{
			displayName: 'Event Time Field',
			name: 'timeField',
			type: 'string',
			default: 'occurredAt',
			description: 'Field with the time of an engagement event (ISO 8601 or epoch)',
		},
		{
			displayName: 'Event Type Field',
			name: 'typeField',
			type: 'string',
			default: 'type',
			description: 'Field with the event type; an item without one counts as an engagement',
		},
		{
			displayName: 'Fields to Keep From Events',
			name: 'fieldsToKeep',
			type: 'string',
			default: 'email, contactId, crmId',
			description:
				'Comma-separated fields copied from event items onto the contacts they create (for the CRM node). Nothing else of an event is kept.',
		},
		{
			displayName: 'Inactive Tag',
			name: 'inactiveTag',
			type: 'string',
			default: 'Inactive',
		},
		{
			displayName: 'Last Engaged At Field',
			name: 'lastEngagedAtField',
			type: 'string',
			default: 'lastEngagedAt',
			description:
				'Field with the stored last engagement of a contact; empty means the contact never engaged',
		},
		{
			displayName: 'Recent Activity Tag',
			name: 'recentActivityTag',
			type: 'string',
			default: 'Recent Activity',
		},
		{
			displayName: 'Tags Field',
			name: 'tagsField',
			type: 'string',
			default: 'tags',
			description:
				'Field with the current tags (array, or text separated by commas or semicolons). Without it the full tag change is output.',
		},
	],
};

export const properties: INodeProperties[] = [
	operation,
	...common,
	...backfill.description,
	...recordEngagement.description,
	...reEvaluate.description,
	options,
];
