import type { IAuthenticateGeneric, Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * One credential for every node of the package: the Graph API host (Facebook Login or Instagram Login),
 * version, token and account ids, plus the webhook secrets. The token is sent as a Bearer header only.
 * It has no `test` request: the nodes test it with `instagramApiTest` (nodes/shared/instagramCredentialTest.ts),
 * which resolves the professional account ID the token belongs to and refuses a different Instagram Account ID;
 * a request test can only check a fixed value.
 */
export class InstagramApi implements ICredentialType {
	name = 'instagramApi';

	displayName = 'Instagram API';

	icon: Icon = { light: 'file:instagramApi.svg', dark: 'file:instagramApi.dark.svg' };

	documentationUrl = 'https://github.com/story-leads/n8n-nodes-story-leads#instagram-dm';

	properties: INodeProperties[] = [
		{
			displayName: 'API Host',
			name: 'host',
			type: 'options',
			options: [
				{
					name: 'Facebook Login (graph.facebook.com)',
					value: 'graph.facebook.com',
					description: 'Instagram account linked to a Facebook Page; use a Page access token',
				},
				{
					name: 'Instagram Login (graph.instagram.com)',
					value: 'graph.instagram.com',
					description: 'Instagram professional account without a Page; use an Instagram user token',
				},
			],
			default: 'graph.instagram.com',
			description: 'Which Meta login the token comes from',
		},
		{
			displayName: 'Graph API Version',
			name: 'apiVersion',
			type: 'string',
			default: 'v25.0',
			placeholder: 'e.g. v25.0',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Long-lived Instagram user token (Instagram Login) or Page access token (Facebook Login)',
		},
		{
			displayName: 'Instagram Account ID',
			name: 'accountId',
			type: 'string',
			default: '',
			placeholder: 'e.g. 17841400000000000',
			description:
				'The professional account ID that webhooks carry and sends use. Instagram Login: user_id of GET /me?fields=user_id,username (not "id", which is app-scoped). Facebook Login: the Page\'s instagram_business_account (GET /{page-id}?fields=instagram_business_account). Testing the credential shows it.',
		},
		{
			displayName: 'Facebook Page ID',
			name: 'pageId',
			type: 'string',
			default: '',
			placeholder: 'e.g. 100000000000000',
			description: 'ID of the Facebook Page linked to the Instagram account; messages are sent through it',
			displayOptions: { show: { host: ['graph.facebook.com'] } },
		},
		{
			displayName: 'App Secret',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Secret of the Meta app (Instagram app secret for Instagram Login); checks webhook signatures (X-Hub-Signature-256)',
		},
		{
			displayName: 'Webhook Verify Token',
			name: 'verifyToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Any string you choose; Meta sends it back in the webhook verification handshake',
		},
		{
			displayName: 'Base URL Override',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. http://127.0.0.1:4010',
			description:
				'Advanced: send requests here instead of https://<host> (a proxy, or a local fake Graph API for tests). Leave empty normally.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.accessToken}}',
			},
		},
	};
}
