import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { messagesPath } from '../../core/graph/connection';
import { prepareSendMessage, type QuickReplyInput } from '../../core/messaging/dm';
import { readNowParameter } from '../../shared/items';
import { readStrictBoolean } from '../../shared/settings';
import { assertNotTool } from '../../shared/tool';
import { SENT, baseJson, idempotencyKeyOf, invalidInputItem, type DmRun, type ItemPlan, idText } from '../helpers';
import { idempotencyKeyField, recipientIdField, textField } from '../helpers';

const properties: INodeProperties[] = [
	recipientIdField,
	textField,
	{
		displayName: 'A Person Typed This Message',
		name: 'humanAgent',
		type: 'boolean',
		default: false,
		// An AI agent's message is never typed by a person: the tool variant does not offer the tag.
		displayOptions: { hide: { '@tool': [true] } },
		description:
			'Whether a person (not an automation) wrote this message. Adds the HUMAN_AGENT tag, which allows replies up to 7 days after the person\'s last message. Never turn it on for automated messages: Meta can restrict the account.',
	},
	{
		displayName: 'Quick Replies',
		name: 'quickReplies',
		type: 'fixedCollection',
		placeholder: 'Add Quick Reply',
		typeOptions: { multipleValues: true },
		default: {},
		description: 'Up to 13 buttons shown under the message; titles up to 20 characters',
		options: [
			{
				displayName: 'Quick Reply',
				name: 'values',
				values: [
					{ displayName: 'Title', name: 'title', type: 'string', default: '', placeholder: 'e.g. Yes please' },
					{
						displayName: 'Payload',
						name: 'payload',
						type: 'string',
						default: '',
						placeholder: 'e.g. OPT_IN',
						description: 'Sent back in the webhook when tapped; defaults to the title',
					},
				],
			},
		],
	},
	idempotencyKeyField,
];

export const description = updateDisplayOptions({ show: { operation: ['sendMessage'] } }, properties);

/** Reads the item's parameters (Now included) and builds its request; nothing is sent here. */
export function execute(this: IExecuteFunctions, itemIndex: number, item: INodeExecutionData, run: DmRun): ItemPlan {
	const recipientId = this.getNodeParameter('recipientId', itemIndex, '') as unknown;
	const quick = this.getNodeParameter('quickReplies.values', itemIndex, []) as QuickReplyInput[];
	const humanAgent = readStrictBoolean(this, 'humanAgent', 'A Person Typed This Message', false, itemIndex);
	if (humanAgent) assertNotTool(this, itemIndex);
	const base: IDataObject = {
		...baseJson(run, item, 'sendMessage'),
		recipientId: idText(recipientId),
		idempotencyKey: idempotencyKeyOf(this, itemIndex, item),
	};
	const prepared = prepareSendMessage({
		recipientId,
		text: this.getNodeParameter('text', itemIndex, '') as unknown,
		quickReplies: Array.isArray(quick) ? quick : [],
		humanAgent,
	});
	if (!prepared.ok) return { done: invalidInputItem(base, prepared) };
	const sentAt = new Date(readNowParameter(this, 'options.now', itemIndex)).toISOString();
	return {
		call: {
			method: 'POST',
			path: messagesPath,
			body: prepared.body as IDataObject,
			purpose: prepared.tag ? 'humanAgent' : 'messaging',
			jitterSeed: prepared.recipientId,
			base,
			sendFields: { sentAt, messagingType: prepared.messagingType, ...(prepared.tag ? { tag: prepared.tag } : {}) },
			onSuccess: (body, attempts) => {
				const json: IDataObject = {
					...base,
					messageId: typeof body.message_id === 'string' ? body.message_id : null,
					sentAt,
					messagingType: prepared.messagingType,
					attempts,
				};
				if (prepared.tag) json.tag = prepared.tag;
				return { output: SENT, json };
			},
		},
	};
}
