import type { INodeProperties } from 'n8n-workflow';

import { fixedInTool, hideInTool, type ToolLimit } from '../shared/tool';

import * as getProfile from './actions/getProfile';
import * as sendMessage from './actions/sendMessage';
import * as sendPrivateReply from './actions/sendPrivateReply';

/**
 * As an AI tool the node sends only RESPONSE messages stamped with the real time: sentAt feeds the send log the
 * caps count, so an earlier time would free room. (HUMAN_AGENT is refused per item, see actions/sendMessage.ts.)
 */
export const DM_TOOL_LIMITS: readonly ToolLimit[] = [fixedInTool('options.now', 'Now', '')];

/** Every parameter of the Instagram DM node: operation selector, per-operation fields, options. */
export const properties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Get Profile',
				value: 'getProfile',
				description: 'Read name, username and follow status of a person who messaged the account',
				action: 'Get a profile',
			},
			{
				name: 'Send Message',
				value: 'sendMessage',
				description: 'Send a text message (with optional quick replies) within the messaging window',
				action: 'Send a message',
			},
			{
				name: 'Send Private Reply',
				value: 'sendPrivateReply',
				description: 'Answer a comment with one private message',
				action: 'Send a private reply',
			},
		],
		default: 'sendMessage',
	},
	...sendMessage.description,
	...sendPrivateReply.description,
	...getProfile.description,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Keep Input Fields',
				name: 'keepInputFields',
				type: 'boolean',
				default: true,
				description: 'Whether output items keep the fields of the input item (e.g. viewerKey, contactId)',
			},
			{
				displayName: 'Max Total Retry Wait (Seconds)',
				name: 'maxRetryWait',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 3600 },
				default: 60,
				description:
					'Longest time this run may wait in total while retrying rate-limited or temporarily failed requests. What is left goes to Not Sent (rate_limited / temporary_error).',
			},
			// Hidden in the tool variant: sentAt feeds the send log's caps, so an agent never writes another time.
			hideInTool({
				displayName: 'Now',
				name: 'now',
				type: 'string',
				default: '',
				placeholder: 'e.g. 2026-11-22T09:00:00Z',
				description: 'Time written to sentAt / fetchedAt. Empty means the current time; set it for reproducible runs.',
			}),
		],
	},
];
