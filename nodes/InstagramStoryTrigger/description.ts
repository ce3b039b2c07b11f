import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../core/capture/webhook';
import { pseudonymiseProperty } from '../shared/privacy';

const EVENT_LABELS: Record<WebhookEventType, { name: string; description: string }> = {
	comment: { name: 'Comment', description: 'A comment on a post, reel, story or live video' },
	message: { name: 'Message', description: 'A direct message (text or attachment) that is not a story reply' },
	message_seen: {
		name: 'Message Seen',
		description: 'The person saw a DM the account sent (read receipt; extra.messageId names the message)',
	},
	postback: { name: 'Postback or Quick Reply', description: 'A tap on a button or quick reply' },
	reaction: { name: 'Reaction', description: 'A reaction added to or removed from a message (extra.reactionAction)' },
	story_insights: {
		name: 'Story Insights',
		description: 'Story-level counts sent about an hour after a story expires (Facebook Login apps)',
	},
	story_mention: { name: 'Story Mention', description: 'Someone mentioned the account in their story' },
	story_reply: { name: 'Story Reply', description: 'Someone replied to one of the account\'s stories' },
};

export const eventOptions: INodePropertyOptions[] = [...WEBHOOK_EVENT_TYPES]
	.map((value) => ({ value, ...EVENT_LABELS[value] }))
	.sort((a, b) => a.name.localeCompare(b.name));

export const webhookExtraFieldOptions: INodePropertyOptions[] = [
	{ name: 'Comment ID', value: 'commentId' },
	{ name: 'Media ID', value: 'mediaId', description: 'The post, reel or story a comment is on' },
	{ name: 'Media Product Type', value: 'mediaProductType' },
	{ name: 'Message ID', value: 'messageId', description: 'Meta\'s mid, e.g. to reply in thread' },
	{ name: 'Parent Comment ID', value: 'parentCommentId' },
	{ name: 'Payload', value: 'payload', description: 'Quick-reply or postback payload' },
	{ name: 'Reaction', value: 'reaction', description: 'The emoji or reaction name' },
	{ name: 'Recipient ID', value: 'recipientId', description: 'Your professional account\'s ID' },
	{ name: 'Referral', value: 'referral', description: 'Ad or link referral data' },
	{ name: 'Story URL', value: 'storyUrl', description: 'CDN URL of the story (stops working when it expires)' },
	{ name: 'Title', value: 'title', description: 'Postback button title' },
	{ name: 'Username', value: 'username', description: 'Commenter\'s username' },
];

/** Options → Acknowledge Deliveries value that answers Meta only once the workflow stored the events. */
export const ACKNOWLEDGE_AFTER_STORED = 'afterStored';

export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			'Paste this node\'s production URL and the credential\'s verify token into your Meta app\'s webhook settings (App Dashboard) and pick the fields there. Publishing the workflow subscribes the account to the fields its Events need. Only deliveries signed with the app secret start the workflow.',
		name: 'setupNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options: eventOptions,
		default: [...WEBHOOK_EVENT_TYPES],
		required: true,
		description: 'Which interactions start the workflow. Instagram gives no list of story viewers; these are the interactions it does report.',
	},
	{
		displayName: 'Subscribe Account When Published',
		name: 'subscribeAccount',
		type: 'boolean',
		default: true,
		description:
			'Whether to subscribe the Instagram account (Facebook Login: its Page) to the webhook fields the Events need when the workflow is published, and check it on every start. Meta delivers nothing for an account that is not subscribed. Turn off if you subscribe it yourself.',
	},
	{
		displayName: 'Unsubscribe When Unpublished',
		name: 'unsubscribeWhenUnpublished',
		type: 'boolean',
		default: false,
		displayOptions: { show: { subscribeAccount: [true] } },
		description:
			'Whether to remove the app\'s webhook subscription for the account when the workflow is unpublished. Every other workflow using this app and account then stops receiving webhooks too.',
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
				displayName: 'Acknowledge Deliveries',
				name: 'acknowledge',
				type: 'options',
				options: [
					{
						name: 'After the Workflow Stored Them',
						value: ACKNOWLEDGE_AFTER_STORED,
						description:
							'Answer when a Respond to Webhook node runs (put it right after the steps that store the events), else when the run ends: 200 if it succeeded, 500 if it failed, and Meta redelivers. Keep that part of the workflow short: Meta expects a fast answer.',
					},
					{
						name: 'At Once',
						value: 'onReceived',
						description:
							'Answer Meta 200 as soon as the signature is checked; the workflow runs afterwards. An event the run then fails to store is lost (Meta does not send it again).',
					},
				],
				default: 'onReceived',
				description: 'When Meta gets its 200 for a signed delivery',
			},
			{
				displayName: 'Extra Fields',
				name: 'extraFields',
				type: 'multiOptions',
				options: webhookExtraFieldOptions,
				default: [],
				description: 'Fields to keep in "extra" besides the canonical event. Nothing else is kept.',
			},
			{
				displayName: 'Ignore Echoes',
				name: 'ignoreEchoes',
				type: 'boolean',
				default: true,
				description: 'Whether to ignore the account\'s own outgoing messages (is_echo)',
			},
			{
				displayName: 'Include Message Text',
				name: 'includeMessageText',
				type: 'boolean',
				default: false,
				description:
					'Whether to keep the text of messages, replies and comments in "text". The detected keyword (STOP, START, HELP…) is always kept.',
			},
			{
				displayName: 'Look Up Mention Story IDs',
				name: 'lookUpMentionStoryIds',
				type: 'boolean',
				default: false,
				description:
					'Whether to ask Meta for the story ID of each story mention (one Graph call per mention, fields=story on the message). When Meta refuses, the mention is kept without a story ID and "extra" names the reason.',
			},
		],
	},
];
