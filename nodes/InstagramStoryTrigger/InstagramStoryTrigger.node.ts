import {
	NodeConnectionTypes,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { PRIVACY_CREDENTIAL_TEST, storyLeadsPrivacyTest } from '../shared/privacy';
import { router } from './actions/router';
import { acknowledgeResponseMode, refuseWithoutPepper, subscribeAccount, subscriptionExists, unsubscribeAccount } from './helpers';
import { triggerProperties } from './description';
import { INSTAGRAM_CREDENTIAL_TEST, instagramApiTest } from '../shared/instagramCredentialTest';

export class InstagramStoryTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Instagram Story Trigger',
		name: 'instagramStoryTrigger',
		icon: { light: 'file:instagramStoryTrigger.svg', dark: 'file:instagramStoryTrigger.dark.svg' },
		group: ['trigger'],
		// 1.1 behaves exactly as 1. n8n evaluates an `options.binaryData` expression on every request to a
		// version-1 webhook node (in a fresh expression isolate, ~a third of a small run's cost); later versions skip it.
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{ ($parameter["events"] || []).length + " event types" }}',
		description:
			'Starts the workflow on signed Instagram webhooks: story replies, story mentions, reactions, DMs, postbacks, comments and story insights',
		defaults: { name: 'Instagram Story Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'instagramApi', required: true, testedBy: 'instagramApiTest' },
			{
				name: 'storyLeadsPrivacyApi',
				required: true,
				testedBy: 'storyLeadsPrivacyTest',
				displayOptions: { show: { pseudonymise: [true] } },
			},
		],
		webhooks: [
			{ name: 'setup', httpMethod: 'GET', responseMode: 'onReceived', path: 'webhook' },
			{
				name: 'default',
				httpMethod: 'POST',
				// Acknowledge after storing: n8n answers when a Respond to Webhook node runs, else when the run ends
				// (500 when it failed, so Meta redelivers). Signature refusals and empty deliveries answer themselves.
				...acknowledgeResponseMode(),
				path: 'webhook',
			},
		],
		properties: triggerProperties,
	};

	methods = {
		credentialTest: { [PRIVACY_CREDENTIAL_TEST]: storyLeadsPrivacyTest, [INSTAGRAM_CREDENTIAL_TEST]: instagramApiTest },
	};

	/**
	 * Meta sets an app's callback URL and verify token in the App Dashboard (or with an app token this
	 * credential does not hold), so the URL is pasted there by hand and Meta's GET handshake is answered by
	 * actions/handshake.ts. What activation does remotely is Meta's step 3: subscribe the account to the webhook
	 * fields the Events need (helpers.ts), checked again on every start.
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				// Runs on every activation: a workflow that cannot pseudonymise as asked is not published.
				await refuseWithoutPepper(this);
				return await subscriptionExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await subscribeAccount.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await unsubscribeAccount.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await router.call(this);
	}
}
