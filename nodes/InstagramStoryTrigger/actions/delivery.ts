import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INodeProperties,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { verifyMetaSignature } from '../../core/capture/signature';
import { parseMetaWebhook, type WebhookExtraField } from '../../core/capture/webhook';
import { readPepper } from '../../shared/privacy';
import { answer } from '../helpers';

/** The delivery's parameters (events, pseudonymise, options) are the whole node's: see ../description.ts. */
export const description: INodeProperties[] = [];

/** Meta's signed POST: verify X-Hub-Signature-256, parse, keep the wanted event types, start the workflow. */
export async function execute(
	this: IWebhookFunctions,
	credentials: ICredentialDataDecryptedObject,
): Promise<IWebhookResponseData> {
	const req = this.getRequestObject();
	if (!req.rawBody) await req.readRawBody();
	const raw = req.rawBody ?? Buffer.alloc(0);
	const signature = verifyMetaSignature(raw, req.headers, String(credentials.appSecret ?? ''));
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
