import {
	NodeConnectionTypes,
	type IDataObject,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { checkHandshake, verifyMetaSignature } from '../core/capture/signature';
import { parseMetaWebhook, type WebhookExtraField } from '../core/capture/webhook';
import { PRIVACY_CREDENTIAL_TEST, readPepper, storyLeadsPrivacyTest } from '../shared/privacy';
import { triggerProperties } from './description';

/**
 * Reading a credential in a webhook costs n8n a database read, a decryption and a fresh expression isolate
 * (about as much as the rest of a small run), so signed deliveries reuse the app secret for a short while.
 * A rotated secret takes effect within this time; Meta retries deliveries that were refused meanwhile.
 */
const SECRET_TTL_MS = 60_000;
const secrets = new Map<string, { appSecret: string; readAt: number }>();

async function appSecretOf(ctx: IWebhookFunctions): Promise<string> {
	const id = ctx.getNode().credentials?.instagramApi?.id ?? '';
	const cached = id ? secrets.get(id) : undefined;
	const now = Date.now();
	if (cached && now - cached.readAt < SECRET_TTL_MS) return cached.appSecret;
	const credentials = await ctx.getCredentials('instagramApi');
	const appSecret = String(credentials.appSecret ?? '');
	if (id) secrets.set(id, { appSecret, readAt: now });
	return appSecret;
}

/** Plain-text answer and no workflow run. */
function answer(ctx: IWebhookFunctions, status: number, text: string): IWebhookResponseData {
	ctx.getResponseObject().status(status).type('text/plain').send(text).end();
	return { noWebhookResponse: true };
}

export class InstagramStoryTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Instagram Story Trigger',
		name: 'instagramStoryTrigger',
		icon: { light: 'file:instagramStoryTrigger.svg', dark: 'file:instagramStoryTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["events"] || []).length + " event types" }}',
		description:
			'Starts the workflow on signed Instagram webhooks: story replies, story mentions, reactions, DMs, postbacks, comments and story insights',
		defaults: { name: 'Instagram Story Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'instagramApi', required: true },
			{
				name: 'storyLeadsPrivacyApi',
				required: true,
				testedBy: 'storyLeadsPrivacyTest',
				displayOptions: { show: { pseudonymise: [true] } },
			},
		],
		webhooks: [
			{ name: 'setup', httpMethod: 'GET', responseMode: 'onReceived', path: 'webhook' },
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
		],
		properties: triggerProperties,
	};

	methods = { credentialTest: { [PRIVACY_CREDENTIAL_TEST]: storyLeadsPrivacyTest } };

	/**
	 * Meta sets an app's callback URL and verify token in the App Dashboard (or with an app token this
	 * credential does not hold), so activation registers nothing remotely: the URL stays valid while the
	 * workflow is published, and Meta's GET handshake is answered by webhook() below.
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		if (this.getWebhookName() === 'setup') {
			const credentials = await this.getCredentials('instagramApi');
			const handshake = checkHandshake(this.getQueryData() as IDataObject, String(credentials.verifyToken ?? ''));
			return handshake.ok ? answer(this, 200, handshake.challenge) : answer(this, 403, 'Forbidden');
		}

		const req = this.getRequestObject();
		if (!req.rawBody) await req.readRawBody();
		const raw = req.rawBody ?? Buffer.alloc(0);
		const signature = verifyMetaSignature(raw, req.headers, await appSecretOf(this));
		if (!signature.ok) {
			if (signature.reason === 'missing_secret') return answer(this, 500, 'No app secret is set in the credential');
			const missing = signature.reason === 'missing_signature' || signature.reason === 'sha1_only';
			return missing ? answer(this, 401, 'Missing X-Hub-Signature-256') : answer(this, 403, 'Invalid signature');
		}

		let body: unknown;
		try {
			body = JSON.parse(raw.toString('utf8')) as unknown;
		} catch {
			return answer(this, 400, 'The body is not JSON');
		}

		const wanted = new Set(this.getNodeParameter('events', []) as string[]);
		const options = this.getNodeParameter('options', {}) as {
			extraFields?: WebhookExtraField[];
			ignoreEchoes?: boolean;
			includeMessageText?: boolean;
		};
		const pepper = await readPepper(this, this.getNodeParameter('pseudonymise', false) as boolean);
		const parsed = parseMetaWebhook(body, {
			ingestedAt: Date.now(),
			includeText: options.includeMessageText === true,
			ignoreEchoes: options.ignoreEchoes !== false,
			extraFields: options.extraFields ?? [],
			pepper,
		});
		const events = parsed.events.filter((event) => wanted.has(event.type));
		// Signed but nothing the user asked for (echoes, read receipts, other types): acknowledge, do not run.
		if (events.length === 0) return answer(this, 200, 'EVENT_RECEIVED');
		return { workflowData: [events.map((event) => ({ json: event as unknown as IDataObject }))] };
	}
}
