import type { INodeProperties } from 'n8n-workflow';

/** Fields shared by several operations (each operation file applies its own displayOptions). */
export const recipientIdField: INodeProperties = {
	displayName: 'Recipient ID (IGSID)',
	name: 'recipientId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. {{ $json.viewerKey }}',
	description:
		'Instagram-scoped ID of the person, as received in a webhook (sender.ID). Empty or malformed IDs go to Not Sent with reason invalid_input.',
};

export const textField: INodeProperties = {
	displayName: 'Text',
	name: 'text',
	type: 'string',
	typeOptions: { rows: 4 },
	default: '',
	required: true,
	description: 'Message text, at most 1000 characters. Empty or longer text goes to Not Sent with reason invalid_input.',
};

export const idempotencyKeyField: INodeProperties = {
	displayName: 'Idempotency Key',
	name: 'idempotencyKey',
	type: 'string',
	default: '',
	placeholder: 'e.g. {{ $json.viewerKey }}:step-2',
	description:
		'Copied to the output (e.g. contact + cadence step) so a re-run can be detected downstream. Empty: the input item\'s own idempotencyKey field, if any.',
};
