import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { messagesPath } from '../../core/graph/connection';
import { preparePrivateReply } from '../../core/messaging/dm';
import { readNowParameter } from '../../shared/items';
import { SENT, baseJson, idempotencyKeyOf, invalidInputItem, type DmRun, type ItemPlan, idText } from '../helpers';
import { idempotencyKeyField, textField } from '../helpers';

const properties: INodeProperties[] = [
	{
		displayName: 'Comment ID',
		name: 'commentId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 17858893269000001',
		description:
			'ID of the comment to answer privately (from a comments webhook). One private reply per comment, within 7 days.',
	},
	textField,
	idempotencyKeyField,
];

export const description = updateDisplayOptions({ show: { operation: ['sendPrivateReply'] } }, properties);

/** Reads the item's parameters (Now included) and builds its request; nothing is sent here. */
export function execute(this: IExecuteFunctions, itemIndex: number, item: INodeExecutionData, run: DmRun): ItemPlan {
	const commentId = this.getNodeParameter('commentId', itemIndex, '') as unknown;
	const base: IDataObject = {
		...baseJson(run, item, 'sendPrivateReply'),
		commentId: idText(commentId),
		idempotencyKey: idempotencyKeyOf(this, itemIndex, item),
	};
	const prepared = preparePrivateReply({ commentId, text: this.getNodeParameter('text', itemIndex, '') as unknown });
	if (!prepared.ok) return { done: invalidInputItem(base, prepared) };
	const sentAt = new Date(readNowParameter(this, 'options.now', itemIndex)).toISOString();
	return {
		call: {
			method: 'POST',
			path: messagesPath,
			body: prepared.body as IDataObject,
			purpose: 'privateReply',
			jitterSeed: prepared.commentId,
			base,
			sendFields: { recipientId: null, sentAt },
			onSuccess: (body, attempts) => ({
				output: SENT,
				json: {
					...base,
					recipientId: typeof body.recipient_id === 'string' ? body.recipient_id : null,
					messageId: typeof body.message_id === 'string' ? body.message_id : null,
					sentAt,
					attempts,
				},
			}),
		},
	};
}
