import {
	jsonParse,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import type { IngestBatch } from '../../core/capture/ingest';
import { ingestWebhookBody } from '../../core/capture/sources';
import type { WebhookExtraField } from '../../core/capture/webhook';
import { webhookExtraFieldOptions } from '../../InstagramStoryTrigger/description';

const properties: INodeProperties[] = [
	{
		displayName:
			'Use this with n8n\'s Webhook node only after checking X-Hub-Signature-256 yourself; the Instagram Story Trigger does that for you.',
		name: 'signatureNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Body Field',
		name: 'bodyField',
		type: 'string',
		default: 'body',
		description:
			'Field holding the webhook body (the Webhook node puts it in "body"); JSON text is parsed. Empty: the whole item is the body.',
	},
	{
		displayName: 'Ignore Echoes',
		name: 'ignoreEchoes',
		type: 'boolean',
		default: true,
		description: 'Whether to ignore the account\'s own outgoing messages (is_echo)',
	},
	{
		displayName: 'Webhook Extra Fields',
		name: 'webhookExtraFields',
		type: 'multiOptions',
		options: webhookExtraFieldOptions,
		default: [],
		description: 'Fields to keep in "extra" besides the canonical event. Nothing else is kept.',
	},
];

export const description = updateDisplayOptions({ show: { operation: ['webhookPayload'] } }, properties);

/** Each input item carries one raw Meta webhook body, parsed exactly as the trigger parses it. */
export async function execute(
	this: IExecuteFunctions,
	batch: IngestBatch,
	itemIndex: number,
	item: INodeExecutionData,
): Promise<void> {
	const field = (this.getNodeParameter('bodyField', itemIndex, 'body') as string).trim();
	let body: unknown = field && item.json[field] !== undefined ? item.json[field] : item.json;
	if (typeof body === 'string') body = jsonParse<unknown>(body, { fallbackValue: body });
	ingestWebhookBody(batch, body, itemIndex, {
		ignoreEchoes: this.getNodeParameter('ignoreEchoes', itemIndex, true) as boolean,
		extraFields: this.getNodeParameter('webhookExtraFields', itemIndex, []) as WebhookExtraField[],
	});
}
