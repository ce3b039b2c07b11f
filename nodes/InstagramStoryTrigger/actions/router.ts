import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { appSecretOf } from '../helpers';
import * as delivery from './delivery';
import * as handshake from './handshake';

/** The trigger has no operations: the webhook it was called on (GET `setup` or POST `default`) picks the action. */
export async function router(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	if (this.getWebhookName() === 'setup') {
		return await handshake.execute.call(this, await this.getCredentials('instagramApi'));
	}
	return await delivery.execute.call(this, await appSecretOf(this));
}
