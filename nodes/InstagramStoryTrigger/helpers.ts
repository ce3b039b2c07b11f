import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

/** Plain-text answer and no workflow run. */
export function answer(ctx: IWebhookFunctions, status: number, text: string): IWebhookResponseData {
	ctx.getResponseObject().status(status).type('text/plain').send(text).end();
	return { noWebhookResponse: true };
}

/**
 * Reading a credential in a webhook costs n8n a database read, a decryption and a fresh expression isolate
 * (about as much as the rest of a small run), so signed deliveries reuse the app secret for a short while.
 * A rotated secret takes effect within this time; Meta retries deliveries that were refused meanwhile.
 */
const SECRET_TTL_MS = 60_000;
const secrets = new Map<string, { appSecret: string; readAt: number }>();

/** The app secret of the node's Instagram credential, read at most once a minute per credential. */
export async function appSecretOf(ctx: IWebhookFunctions): Promise<string> {
	const id = ctx.getNode().credentials?.instagramApi?.id ?? '';
	const cached = id ? secrets.get(id) : undefined;
	const now = Date.now();
	if (cached && now - cached.readAt < SECRET_TTL_MS) return cached.appSecret;
	const credentials = await ctx.getCredentials('instagramApi');
	const appSecret = String(credentials.appSecret ?? '');
	if (id) secrets.set(id, { appSecret, readAt: now });
	return appSecret;
}
