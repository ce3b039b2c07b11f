/**
 * Classifies a Graph API answer (status + body) or a network failure into what the caller should do:
 * retry (throttled/transient), refuse this one item (per-recipient), or stop (account-level).
 * Plain data in, plain data out: no n8n, no I/O. Sources: meta-instagram-platform.md §7.
 */

export type GraphErrorKind =
	| 'throttled'
	| 'transient'
	| 'token'
	| 'permission'
	| 'outsideWindow'
	| 'userUnavailable'
	| 'blocked'
	| 'invalidParameter'
	| 'network'
	| 'invalidResponse'
	| 'unknown';

/** What the request was for: picks the permission names in messages. */
export type GraphPurpose =
	| 'account'
	| 'messaging'
	| 'privateReply'
	| 'profile'
	| 'stories'
	| 'insights'
	| 'webhooks';

export type LoginType = 'instagram' | 'facebook';

export interface GraphErrorInput {
	/** HTTP status; undefined when no answer arrived (network error). */
	status?: number;
	/** Parsed JSON body, or the raw text when it was not JSON. */
	body?: unknown;
	/** Node/axios error code for network failures, e.g. ECONNREFUSED. */
	networkCode?: string;
	networkMessage?: string;
	purpose?: GraphPurpose;
	loginType?: LoginType;
}

export interface GraphErrorInfo {
	kind: GraphErrorKind;
	retryable: boolean;
	/** True when only this recipient/object is refused: the item goes to a "not sent" output, nothing is thrown. */
	perRecipient: boolean;
	/** Machine-readable reason for output items (snake_case). */
	reason: string;
	/** What happened (one sentence, no secrets). */
	message: string;
	/** How to fix it. */
	description: string;
	code?: number;
	subcode?: number;
	fbtraceId?: string;
	httpStatus?: number;
	/** Meta's own message text (scrub before showing it). */
	graphMessage?: string;
}

export interface GraphErrorBody {
	code?: number;
	subcode?: number;
	message?: string;
	type?: string;
	fbtraceId?: string;
	isTransient?: boolean;
}

export const THROTTLE_CODES: readonly number[] = [4, 17, 32, 613];
export const TOKEN_CODES: readonly number[] = [190, 102];
export const TRANSIENT_CODES: readonly number[] = [1, 2];
export const SUBCODE_OUTSIDE_WINDOW = 2534022;
export const SUBCODE_USER_NOT_FOUND = 2534014;
export const SUBCODE_ALREADY_REPLIED = 2534025;
/** Messenger's "This person isn't receiving messages from you right now" (heuristic for Instagram; verify). */
export const BLOCKED_SUBCODES: readonly number[] = [2018108];
const RETRYABLE_NETWORK_CODES = ['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EAI_AGAIN', 'EPIPE', 'ECONNREFUSED'];

export function isThrottleCode(code: number | undefined): boolean {
	if (code === undefined) return false;
	return THROTTLE_CODES.includes(code) || (code >= 80000 && code <= 80014);
}

function toNumber(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
	return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads Meta's `{ error: { message, type, code, error_subcode, fbtrace_id, is_transient } }`. */
export function parseGraphErrorBody(body: unknown): GraphErrorBody | undefined {
	if (!isRecord(body) || !isRecord(body.error)) return undefined;
	const e = body.error;
	return {
		code: toNumber(e.code),
		subcode: toNumber(e.error_subcode),
		message: typeof e.message === 'string' ? e.message : undefined,
		type: typeof e.type === 'string' ? e.type : undefined,
		fbtraceId: typeof e.fbtrace_id === 'string' ? e.fbtrace_id : undefined,
		isTransient: typeof e.is_transient === 'boolean' ? e.is_transient : undefined,
	};
}

const PERMISSIONS: Record<GraphPurpose, Record<LoginType, string[]>> = {
	account: { instagram: ['instagram_business_basic'], facebook: ['instagram_basic', 'pages_show_list'] },
	messaging: {
		instagram: ['instagram_business_basic', 'instagram_business_manage_messages'],
		facebook: ['instagram_basic', 'instagram_manage_messages', 'pages_manage_metadata'],
	},
	privateReply: {
		instagram: ['instagram_business_manage_messages', 'instagram_business_manage_comments'],
		facebook: ['instagram_manage_messages', 'instagram_manage_comments', 'pages_read_engagement'],
	},
	profile: {
		instagram: ['instagram_business_basic', 'instagram_business_manage_messages'],
		facebook: ['instagram_basic', 'instagram_manage_messages'],
	},
	stories: { instagram: ['instagram_business_basic'], facebook: ['instagram_basic', 'pages_read_engagement'] },
	insights: {
		instagram: ['instagram_business_basic', 'instagram_business_manage_insights'],
		facebook: ['instagram_basic', 'instagram_manage_insights', 'pages_read_engagement'],
	},
	webhooks: {
		instagram: ['instagram_business_manage_messages'],
		facebook: ['pages_manage_metadata', 'instagram_manage_messages'],
	},
};

/** Permission names for a purpose, or the one Meta named in its message when it did. */
export function missingPermissions(
	purpose: GraphPurpose,
	loginType: LoginType,
	graphMessage?: string,
): string[] {
	const named = graphMessage?.match(/\b(?:instagram|pages|business)_[a-z_]+\b/g);
	if (named && named.length > 0) return Array.from(new Set(named));
	return PERMISSIONS[purpose][loginType];
}

function tokenHelp(loginType: LoginType): string {
	return loginType === 'facebook'
		? 'Get a new Page access token (Graph API Explorer, or GET /me/accounts with a long-lived user token) and paste it into the Instagram API credential. A password change or a removed Page role invalidates Page tokens.'
		: 'Generate a new long-lived Instagram token (Meta App Dashboard → Instagram → API setup with Instagram login → Generate token) and paste it into the Instagram API credential. Long-lived tokens last 60 days; refresh them with GET /refresh_access_token?grant_type=ig_refresh_token before they expire.';
}

const TOKEN_SUBCODES: Record<number, string> = {
	458: 'the app is no longer installed for this user',
	459: 'the user must log in to Instagram or Facebook to unlock the account',
	460: 'the password was changed',
	463: 'the token expired',
	464: 'the user is not confirmed',
	467: 'the token is invalid',
};

function base(
	input: GraphErrorInput,
	parsed: GraphErrorBody | undefined,
): Pick<GraphErrorInfo, 'code' | 'subcode' | 'fbtraceId' | 'httpStatus' | 'graphMessage'> {
	return {
		code: parsed?.code,
		subcode: parsed?.subcode,
		fbtraceId: parsed?.fbtraceId,
		httpStatus: input.status,
		graphMessage: parsed?.message,
	};
}

function codeLabel(parsed: GraphErrorBody | undefined): string {
	if (!parsed?.code) return '';
	return parsed.subcode ? ` (Graph error ${parsed.code}/${parsed.subcode})` : ` (Graph error ${parsed.code})`;
}

/** Maps one failed answer (or network failure) to the action and the words the user sees. */
export function classifyGraphError(input: GraphErrorInput): GraphErrorInfo {
	const purpose = input.purpose ?? 'account';
	const loginType = input.loginType ?? 'instagram';

	if (input.status === undefined) {
		const code = input.networkCode ?? 'unknown';
		return {
			kind: 'network',
			retryable: RETRYABLE_NETWORK_CODES.includes(code),
			perRecipient: false,
			reason: 'network_error',
			message: `Could not reach the Instagram Graph API (${code})`,
			description:
				'Check the network, the credential\'s host, and its Base URL override (leave it empty to use https://<host>).',
		};
	}

	const parsed = parseGraphErrorBody(input.body);
	const status = input.status;
	const common = base(input, parsed);
	const label = codeLabel(parsed);

	if (!parsed) {
		if (status === 429) {
			return { ...common, kind: 'throttled', retryable: true, perRecipient: false, reason: 'rate_limited',
				message: 'The Instagram Graph API is rate-limiting requests (HTTP 429)',
				description: 'Requests were retried with backoff until the wait budget ran out. Send fewer messages per run or raise "Max Total Retry Wait".' };
		}
		if (status >= 500) {
			return { ...common, kind: 'transient', retryable: true, perRecipient: false, reason: 'temporary_error',
				message: `The Instagram Graph API is temporarily unavailable (HTTP ${status})`,
				description: 'Meta (or a proxy in between) failed to answer. Try again later; see https://metastatus.com.' };
		}
		const isJson = isRecord(input.body) || Array.isArray(input.body);
		return { ...common, kind: 'invalidResponse', retryable: false, perRecipient: false, reason: 'invalid_response',
			message: isJson
				? `The Instagram Graph API answered HTTP ${status} without an error object`
				: `The Instagram Graph API answered HTTP ${status} with something that is not JSON`,
			description: 'Check the credential\'s host and Base URL override: the address may point to a web page or a proxy instead of the Graph API.' };
	}

	const code = parsed.code;
	const subcode = parsed.subcode;
	const text = parsed.message ?? '';

	if (code !== undefined && TOKEN_CODES.includes(code)) {
		const why = subcode !== undefined && TOKEN_SUBCODES[subcode] ? `: ${TOKEN_SUBCODES[subcode]}` : '';
		return { ...common, kind: 'token', retryable: false, perRecipient: false, reason: 'token_invalid',
			message: `The Instagram access token has expired or was revoked${why}${label}`,
			description: `Reconnect: ${tokenHelp(loginType)}` };
	}
	if (isThrottleCode(code) || status === 429) {
		return { ...common, kind: 'throttled', retryable: true, perRecipient: false, reason: 'rate_limited',
			message: `Instagram rate limit reached${label}`,
			description: 'Meta asked us to slow down. Requests were retried with backoff (honouring X-Business-Use-Case-Usage) until the wait budget ran out. Send fewer messages per run, spread runs out, or raise "Max Total Retry Wait".' };
	}
	if (subcode === SUBCODE_OUTSIDE_WINDOW || /outside (of )?(the )?allowed window/i.test(text)) {
		return { ...common, kind: 'outsideWindow', retryable: false, perRecipient: true, reason: 'outside_window',
			message: `Outside the messaging window: the person has not messaged the account in the last 24 hours${label}`,
			description: 'Wait until the person messages you again. Only a message a person typed may use the HUMAN_AGENT tag (7 days).' };
	}
	if (code === 551) {
		return { ...common, kind: 'userUnavailable', retryable: false, perRecipient: true, reason: 'user_unavailable',
			message: `This person isn't available right now (blocked the account, turned messages off or deactivated)${label}`,
			description: 'Do not retry. Stop automated messages to this person.' };
	}
	if (subcode === SUBCODE_ALREADY_REPLIED) {
		return { ...common, kind: 'invalidParameter', retryable: false, perRecipient: true, reason: 'already_replied',
			message: `This comment already received its private reply${label}`,
			description: 'Instagram allows one private reply per comment, within 7 days.' };
	}
	if (subcode === SUBCODE_USER_NOT_FOUND) {
		return { ...common, kind: 'invalidParameter', retryable: false, perRecipient: true, reason: 'invalid_recipient',
			message: `No Instagram user matches this recipient id${label}`,
			description: 'Use the IGSID from a webhook event (sender.id) for this account.' };
	}
	if ((subcode !== undefined && BLOCKED_SUBCODES.includes(subcode)) || (code !== 368 && /\bblocked\b/i.test(text))) {
		return { ...common, kind: 'blocked', retryable: false, perRecipient: true, reason: 'blocked',
			message: `This person is not receiving messages from the account${label}`,
			description: 'Do not retry. Stop automated messages to this person.' };
	}
	if (code === 10 && /not enough viewers/i.test(text)) {
		return { ...common, kind: 'invalidParameter', retryable: false, perRecipient: true, reason: 'below_threshold',
			message: `Not enough viewers for the media to show insights${label}`,
			description: 'Instagram hides metrics below 5. Store the story as "below threshold" and do not retry.' };
	}
	if (/consent is required/i.test(text)) {
		return { ...common, kind: 'permission', retryable: false, perRecipient: true, reason: 'profile_consent_required',
			message: `This person has not messaged the account, so their profile is not available${label}`,
			description: 'Profiles are readable only after the person messaged the account or tapped an icebreaker.' };
	}
	if (code === 368) {
		return { ...common, kind: 'permission', retryable: false, perRecipient: false, reason: 'account_restricted',
			message: `Meta temporarily restricted this account or app from this action${label}`,
			description: 'Pause automated sends; check the account\'s status in Meta Business Suite before resuming.' };
	}
	if (code === 10 || (code !== undefined && code >= 200 && code <= 299)) {
		const perms = missingPermissions(purpose, loginType, text);
		return { ...common, kind: 'permission', retryable: false, perRecipient: false, reason: 'permission_missing',
			message: `The Instagram access token is missing a permission: ${perms.join(', ')}${label}`,
			description: `Reconnect the account granting ${perms.join(', ')} (people without a role on the Meta app also need Advanced Access through App Review), then update the Instagram API credential.` };
	}
	if (code === 100) {
		const reason = purpose === 'messaging' || purpose === 'privateReply' || purpose === 'profile' ? 'invalid_recipient' : 'invalid_parameter';
		return { ...common, kind: 'invalidParameter', retryable: false, perRecipient: true, reason,
			message: reason === 'invalid_recipient' ? `Instagram refused this recipient or message${label}` : `Instagram refused a parameter of this request${label}`,
			description: 'Do not retry unchanged. Check the id (an IGSID from a webhook, a comment id or a media id) and the message.' };
	}
	if ((code !== undefined && TRANSIENT_CODES.includes(code)) || parsed.isTransient === true || status >= 500) {
		return { ...common, kind: 'transient', retryable: true, perRecipient: false, reason: 'temporary_error',
			message: `The Instagram Graph API had a temporary problem${label}`,
			description: 'Retried a few times with backoff. Try again later; Meta also returns code 2 when a person blocked the business.' };
	}
	return { ...common, kind: 'unknown', retryable: false, perRecipient: false, reason: 'graph_error',
		message: `The Instagram Graph API refused the request${label}`,
		description: 'See the Graph message below and https://developers.facebook.com/docs/graph-api/guides/error-handling.' };
}

/** Replaces every secret (and anything that looks like a token in a URL or header) with [redacted]. */
export function scrubSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
	let out = text;
	for (const secret of secrets) {
		if (typeof secret === 'string' && secret.length >= 4) out = out.split(secret).join('[redacted]');
	}
	return out
		.replace(/(access_token=)[^&\s"']+/gi, '$1[redacted]')
		.replace(/(Bearer\s+)[A-Za-z0-9._\-|%]+/g, '$1[redacted]');
}
