import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { accountLookup, checkAccount } from '../core/graph/account';
import { resolveConnection } from '../core/graph/connection';
import { scrubSecrets } from '../core/graph/errors';

export const INSTAGRAM_CREDENTIAL_TEST = 'instagramApiTest';

function isObj(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parse(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	try {
		return JSON.parse(value) as unknown;
	} catch {
		return value;
	}
}

/** Meta's error text from a refused request (request-promise keeps the body in `error` or `response.body`). */
function refusalText(error: unknown): string {
	const e = isObj(error) ? error : {};
	const response = isObj(e.response) ? e.response : {};
	for (const candidate of [e.error, response.body]) {
		const body = parse(candidate);
		if (isObj(body) && isObj(body.error) && typeof body.error.message === 'string') {
			const code = body.error.code !== undefined ? ` (code ${String(body.error.code)})` : '';
			return `${body.error.message}${code}`;
		}
	}
	return error instanceof Error ? error.message : 'no answer';
}

/**
 * Credential test of the Instagram API credential (used through `testedBy` by every node that takes it): resolves
 * the professional account ID the token belongs to (Instagram Login: `user_id` of /me; Facebook Login: the Page's
 * `instagram_business_account`), shows it, and refuses a credential whose Instagram Account ID differs.
 */
export async function instagramApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const resolved = resolveConnection(data);
	if (!resolved.ok) return { status: 'Error', message: resolved.message };
	const { connection } = resolved;
	const token = typeof data.accessToken === 'string' ? data.accessToken.trim() : '';
	if (token === '') return { status: 'Error', message: 'The Access Token is empty' };
	const lookup = accountLookup(connection.loginType, connection.pageId);
	const secrets = [token, data.appSecret, data.verifyToken].filter((s): s is string => typeof s === 'string' && s !== '');
	// A credential test context offers only the legacy `request` helper (n8n 2.41: no httpRequest, no
	// credential-aware request), so the token is set here, exactly as the credential's `authenticate` sends it.
	const { helpers } = this;
	let body: unknown;
	try {
		body = parse(
			await helpers.request({
				method: 'GET',
				uri: `${connection.root}${lookup.path}`,
				qs: { fields: lookup.fields },
				headers: { Authorization: `Bearer ${token}` },
				json: true,
			}),
		);
	} catch (error) {
		const call = `GET ${lookup.path}?fields=${lookup.fields}`;
		return { status: 'Error', message: scrubSecrets(`${call} was refused: ${refusalText(error)}`, secrets) };
	}
	const check = checkAccount({
		loginType: connection.loginType,
		body,
		typedAccountId: connection.accountId,
		typedPageId: connection.pageId,
	});
	return { status: check.ok ? 'OK' : 'Error', message: scrubSecrets(check.message, secrets) };
}
