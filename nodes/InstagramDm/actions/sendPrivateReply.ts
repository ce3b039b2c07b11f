import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { messagesPath } from '../../core/graph/connection';
import { preparePrivateReply } from '../../core/messaging/dm';
import { readNowParameter, type RoutedItem } from '../../shared/items';
import { graphApiCall } from '../../shared/transport';
import {
	SENT,
	baseJson,
	failureItem,
	idempotencyKeyOf,
	invalidInputItem,
	sessionFor,
	type DmRun,
} from '../helpers';
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

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	item: INodeExecutionData,
	run: DmRun,
): Promise<RoutedItem[]> {
	const commentId = this.getNodeParameter('commentId', itemIndex, '') as unknown;
	const base: IDataObject = {
		...baseJson(run, item, 'sendPrivateReply'),
		commentId: typeof commentId === 'string' ? commentId.trim() : String(commentId ?? ''),
		idempotencyKey: idempotencyKeyOf(this, itemIndex, item),
	};
	const prepared = preparePrivateReply({ commentId, text: this.getNodeParameter('text', itemIndex, '') as unknown });
	if (!prepared.ok) return [invalidInputItem(base, prepared)];

	const session = await sessionFor(this, run, itemIndex);
	const result = await graphApiCall.call(this, 'POST', messagesPath(session.connection), {
		body: prepared.body as IDataObject,
		itemIndex,
		purpose: 'privateReply',
		session,
		retry: { budget: run.budget, policy: { maxTotalWaitMs: run.maxTotalWaitMs }, jitterSeed: prepared.commentId },
	});
	if (!result.ok) return [failureItem(this, itemIndex, base, result)];
	return [
		{
			output: SENT,
			json: {
				...base,
				recipientId: typeof result.body.recipient_id === 'string' ? result.body.recipient_id : null,
				messageId: typeof result.body.message_id === 'string' ? result.body.message_id : null,
				sentAt: new Date(readNowParameter(this, 'options.now', itemIndex)).toISOString(),
				attempts: result.attempts,
			},
		},
	];
}
