import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

/** Plain-text answer and no workflow run. */
export function answer(ctx: IWebhookFunctions, status: number, text: string): IWebhookResponseData {
	ctx.getResponseObject().status(status).type('text/plain').send(text).end();
	return { noWebhookResponse: true };
}
