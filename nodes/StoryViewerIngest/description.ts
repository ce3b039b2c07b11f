import type { INodeProperties } from 'n8n-workflow';

import { commonProperties } from './helpers';
import * as csv from './actions/csv';
import * as graphApiStories from './actions/graphApiStories';
import * as items from './actions/items';
import * as webhookPayload from './actions/webhookPayload';

export const NO_VIEWER_LIST_NOTICE =
	'Instagram gives no per-viewer story list. This node ingests what you may lawfully have: viewer lists you or an approved vendor exported, raw webhook bodies (replies, mentions, reactions, DMs, comments) and story-level insights.';

export const properties: INodeProperties[] = [
	{
		displayName: NO_VIEWER_LIST_NOTICE,
		name: 'noViewerListNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		default: 'items',
		options: [
			{
				name: 'CSV',
				value: 'csv',
				description: 'Read a viewer export from a CSV file or text',
				action: 'Ingest CSV viewer export',
			},
			{
				name: 'Graph API Stories',
				value: 'graphApiStories',
				description: 'List the live stories with their insights (aggregate counts, no viewers)',
				action: 'Ingest story insights from the graph api',
			},
			{
				name: 'Items',
				value: 'items',
				description: 'Map the fields of incoming items (HTTP Request, Data table, form…) to story events',
				action: 'Ingest items as story events',
			},
			{
				name: 'Meta Webhook Payload',
				value: 'webhookPayload',
				description: 'Parse raw Meta webhook bodies received with n8n\'s Webhook node',
				action: 'Ingest meta webhook payloads',
			},
		],
	},
	...items.description,
	...csv.description,
	...webhookPayload.description,
	...graphApiStories.description,
	...commonProperties,
];
