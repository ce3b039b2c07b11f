import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INodeProperties,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { checkHandshake } from '../../core/capture/signature';
import { answer } from '../helpers';

/** The handshake has no parameters of its own: it answers with the credential's verify token. */
export const description: INodeProperties[] = [];

/** Meta's GET subscription check: echo hub.challenge when hub.verify_token matches, else 403. */
export async function execute(
	this: IWebhookFunctions,
	credentials: ICredentialDataDecryptedObject,
): Promise<IWebhookResponseData> {
	const handshake = checkHandshake(this.getQueryData() as IDataObject, String(credentials.verifyToken ?? ''));
	return handshake.ok ? answer(this, 200, handshake.challenge) : answer(this, 403, 'Forbidden');
}
