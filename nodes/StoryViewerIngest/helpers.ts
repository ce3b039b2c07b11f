import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { EVENT_TYPES, type EventType } from '../core/events/schema';
import type { IngestBatch, MissingTimePolicy, ViewerKeyPolicy } from '../core/capture/ingest';
import type { ColumnChoice } from '../core/capture/sources';
import { pseudonymiseProperty } from '../shared/privacy';

/** What every operation's `execute` gets: the shared batch, the item and its index. */
export type OperationExecute = (
	this: IExecuteFunctions,
	batch: IngestBatch,
	itemIndex: number,
	item: INodeExecutionData,
) => Promise<void>;

export interface CommonOptions {
	includeMessageText?: boolean;
	extraFields?: string;
	sourceTool?: string;
	timeZone?: string;
	timeFormat?: string;
	missingTime?: MissingTimePolicy;
	defaultType?: EventType;
	outputFormat?: OutputFormat;
}

/** What Valid emits: canonical events, or rows of the events Data table (core/events/tableRow.ts). */
export type OutputFormat = 'canonicalEvent' | 'tableRow';

const TYPE_NAMES: Record<EventType, string> = {
	comment: 'Comment',
	email_click: 'Email Click',
	email_open: 'Email Open',
	link_click: 'Link Click',
	message: 'Message',
	message_seen: 'Message Seen',
	postback: 'Postback',
	profile_visit: 'Profile Visit',
	reaction: 'Reaction',
	site_visit: 'Site Visit',
	story_insights: 'Story Insights',
	story_mention: 'Story Mention',
	story_reply: 'Story Reply',
	view: 'View',
};

/** "a, b ,c" → ['a','b','c'] */
export function splitList(value: string | undefined): string[] {
	return (value ?? '')
		.split(',')
		.map((part) => part.trim())
		.filter((part) => part !== '');
}

/** Columns/fields set by hand in the "Columns" collection; empty ones are auto-detected. */
export function readColumnChoice(ctx: IExecuteFunctions, itemIndex: number): ColumnChoice {
	const raw = ctx.getNodeParameter('columns', itemIndex, {}) as Record<string, string>;
	const choice: ColumnChoice = {};
	for (const key of ['viewer', 'time', 'storyId', 'context', 'type', 'text', 'locale'] as const) {
		const value = typeof raw[key] === 'string' ? raw[key].trim() : '';
		if (value) choice[key] = value;
	}
	if (raw.viewerKeyType) choice.viewerKeyPolicy = raw.viewerKeyType as ViewerKeyPolicy;
	return choice;
}

/** The "Columns" collection shared by the Items and CSV operations. */
export const columnsProperty: INodeProperties = {
	displayName: 'Columns',
	name: 'columns',
	type: 'collection',
	placeholder: 'Set a Column by Hand',
	default: {},
	description:
		'Leave empty to auto-detect: handle/username, viewer_id/igsid, first_seen/viewed_at/timestamp, story_id, context/campaign/tag, type, text/message, locale',
	options: [
		{ displayName: 'Context Column', name: 'context', type: 'string', default: '', placeholder: 'e.g. campaign' },
		{ displayName: 'Event Type Column', name: 'type', type: 'string', default: '', placeholder: 'e.g. event_type' },
		{ displayName: 'Locale Column', name: 'locale', type: 'string', default: '', placeholder: 'e.g. language' },
		{ displayName: 'Story ID Column', name: 'storyId', type: 'string', default: '', placeholder: 'e.g. story_id' },
		{ displayName: 'Text Column', name: 'text', type: 'string', default: '', placeholder: 'e.g. message' },
		{ displayName: 'Time Column', name: 'time', type: 'string', default: '', placeholder: 'e.g. first_seen' },
		{ displayName: 'Viewer Column', name: 'viewer', type: 'string', default: '', placeholder: 'e.g. username' },
		{
			displayName: 'Viewer Key Type',
			name: 'viewerKeyType',
			type: 'options',
			default: 'auto',
			description: 'How to read the viewer column',
			options: [
				{ name: 'Auto', value: 'auto', description: 'A viewer_id/igsid column is an IGSID, anything else a handle' },
				{ name: 'Handle', value: 'handle', description: 'Instagram username (trimmed, lower-cased, @ removed)' },
				{ name: 'IGSID', value: 'igsid', description: 'Instagram-scoped ID, as webhooks send it' },
			],
		},
	],
};

export const commonProperties: INodeProperties[] = [
	{
		displayName: 'Now',
		name: 'asOf',
		type: 'string',
		default: '',
		placeholder: 'e.g. 2026-11-22T10:00:00Z',
		description:
			'Time stamped as ingestedAt on every event (ISO 8601). Empty means the current time; set it to make a re-run give identical output.',
	},
	pseudonymiseProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Default Event Type',
				name: 'defaultType',
				type: 'options',
				default: 'view',
				description: 'Type of rows that have no type column (Items and CSV)',
				options: [...EVENT_TYPES]
					.map((value) => ({ name: TYPE_NAMES[value], value }))
					.sort((a, b) => a.name.localeCompare(b.name)),
			},
			{
				displayName: 'Extra Fields',
				name: 'extraFields',
				type: 'string',
				default: '',
				placeholder: 'e.g. city, follower_count',
				description:
					'Comma-separated columns or fields to keep in "extra" (Items and CSV). Nothing else is kept.',
			},
			{
				displayName: 'Include Message Text',
				name: 'includeMessageText',
				type: 'boolean',
				default: false,
				description:
					'Whether to keep message, reply or comment text in "text". The detected keyword (STOP, START, HELP…) is always kept.',
			},
			{
				displayName: 'Output Format',
				name: 'outputFormat',
				type: 'options',
				default: 'canonicalEvent',
				description: 'What each item on the Valid output holds',
				options: [
					{
						name: 'Canonical Event',
						value: 'canonicalEvent',
						description: 'The full canonical event, with "extra" and "text" when kept',
					},
					{
						name: 'Events Table Row',
						value: 'tableRow',
						description:
							'Only the columns of the Story Leads events Data table: optional fields as null when absent, followerCount read as a number from the extra field follower_count (list it under Extra Fields), no "extra" and no "text". Insert these with a Data table node that maps fields by name.',
					},
				],
			},
			{
				displayName: 'Source Tool',
				name: 'sourceTool',
				type: 'string',
				default: '',
				placeholder: 'e.g. vendor_export',
				description:
					'Name of the tool the records come from, stored as sourceTool and part of the event ID. Default: items, csv_import, instagram_webhook or instagram_graph_api.',
			},
			{
				displayName: 'Time Format',
				name: 'timeFormat',
				type: 'string',
				default: '',
				placeholder: 'e.g. dd/MM/yyyy HH:mm',
				description:
					'Date-fns format of the time column, read in the time zone below. Empty: ISO 8601 or epoch seconds/milliseconds.',
			},
			{
				displayName: 'Time Zone',
				name: 'timeZone',
				type: 'string',
				default: 'UTC',
				placeholder: 'e.g. Europe/Berlin',
				description: 'IANA time zone of timestamps that carry no offset',
			},
			{
				displayName: 'When Time Is Missing',
				name: 'missingTime',
				type: 'options',
				default: 'reject',
				options: [
					{ name: 'Send Row to Invalid', value: 'reject' },
					{ name: 'Use Now', value: 'useIngestedAt', description: 'Use the "Now" time as occurredAt' },
				],
			},
		],
	},
];
