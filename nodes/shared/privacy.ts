import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IExecuteFunctions,
	INodeCredentialTestResult,
	INodeProperties,
	IWebhookFunctions,
} from 'n8n-workflow';

import { pepperProblem } from '../core/capture/privacy';

export const PRIVACY_CREDENTIAL = 'storyLeadsPrivacyApi';
export const PRIVACY_CREDENTIAL_TEST = 'storyLeadsPrivacyTest';

/** The "Pseudonymise Viewers" switch of every capture node; `readPepper` reads the credential it needs. */
export const pseudonymiseProperty: INodeProperties = {
	displayName: 'Pseudonymise Viewers',
	name: 'pseudonymise',
	type: 'boolean',
	default: false,
	description:
		'Whether to replace each viewer key with a stable HMAC-SHA256 pseudonym (key type "pseudonym"), using the pepper in the Story Leads Privacy API credential',
};

/**
 * Local credential test for the privacy pepper: there is no remote service to ask, so it checks what can be
 * checked (present, long enough, no stray white space).
 */
export async function storyLeadsPrivacyTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const problem = pepperProblem(credential.data?.pepper);
	if (problem) return { status: 'Error', message: problem };
	return { status: 'OK', message: 'The pepper can be used' };
}

/** The pepper when pseudonymisation is on; throws a readable error when the credential is unusable. */
export async function readPepper(
	ctx: IExecuteFunctions | IWebhookFunctions,
	enabled: boolean,
): Promise<string | undefined> {
	if (!enabled) return undefined;
	const credentials = await ctx.getCredentials(PRIVACY_CREDENTIAL);
	const pepper = credentials.pepper;
	const problem = pepperProblem(pepper);
	if (problem) throw new Error(`${problem}: set a pepper of at least 16 characters in the Story Leads Privacy API credential`);
	return pepper as string;
}
