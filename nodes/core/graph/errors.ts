/**
 * Classifies a Graph API answer (status + body) or a network failure into what the caller should do, by the
 * contract in errorCatalogue.ts: refuse this one item (recipient), stop (account), retry (throttle), or record a
 * send as maybe sent (never retried). Plain data in, plain data out: no n8n, no I/O.
 */
import { SOURCES, lookupError, type CatalogueEntry, type GraphOutcome } from './errorCatalogue';

export type { GraphOutcome } from './errorCatalogue';

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
	| 'maybeSent'
	| 'slowDown'
	| 'restricted'
	| 'configuration'
	| 'unknown';

/** What the request was for: picks the permission names in messages. */
export type GraphPurpose =
	| 'account'
	| 'messaging'
	/** A message sent with the HUMAN_AGENT tag (needs the Human Agent feature). */
	| 'humanAgent'
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
	/** The request may take effect (a DM or private reply): an unknown outcome is never retried. Default: by purpose. */
	send?: boolean;
	/** The ID the request addressed (first path segment), named in configuration errors. */
	objectId?: string;
}

export interface GraphErrorInfo {
	/** The contract's outcome: recipient (this item only), account (stop), retry (throttle), maybeSent (never retried). */
	outcome: GraphOutcome;
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
	/** Meta's `error_user_msg`, in the account's language (scrub before showing it). */
	graphUserMessage?: string;
	/** The page documenting this (code, subcode). */
	source?: string;
	/** A maybe-sent failure of unknown cause (outage, network): the rest of the run is not tried. */
	stopsRun?: boolean;
}

export interface GraphErrorBody {
	code?: number;
	subcode?: number;
	message?: string;
	type?: string;
	fbtraceId?: string;
	isTransient?: boolean;
	/** `error_user_msg`: Meta's text for the person using the app, localized (never used to classify). */
	userMessage?: string;
}

export const THROTTLE_CODES: readonly number[] = [4, 17, 32, 613];
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
		userMessage: typeof e.error_user_msg === 'string' && e.error_user_msg.trim() !== '' ? e.error_user_msg : undefined,
	};
}

const PERMISSIONS: Record<GraphPurpose, Record<LoginType, string[]>> = {
	account: { instagram: ['instagram_business_basic'], facebook: ['instagram_basic', 'pages_show_list'] },
	messaging: {
		instagram: ['instagram_business_basic', 'instagram_business_manage_messages'],
		facebook: ['instagram_basic', 'instagram_manage_messages', 'pages_manage_metadata'],
	},
	humanAgent: {
		instagram: ['instagram_business_basic', 'instagram_business_manage_messages', 'the Human Agent feature (App Review)'],
		facebook: ['instagram_basic', 'instagram_manage_messages', 'pages_manage_metadata', 'the Human Agent feature (App Review)'],
	},
	privateReply: {
		instagram: ['instagram_business_manage_messages', 'instagram_business_manage_comments'],
		facebook: ['instagram_manage_messages', 'instagram_manage_comments', 'pages_read_engagement'],
	},
	profile: {
		instagram: ['instagram_business_basic', 'instagram_business_manage_messages'],
		facebook: ['instagram_basic', 'instagram_manage_messages'],
	},
	stories: {
		instagram: ['instagram_business_basic'],
		facebook: ['instagram_basic', 'instagram_manage_insights', 'pages_read_engagement', 'pages_show_list'],
	},
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
	if (!named || named.length === 0) return PERMISSIONS[purpose][loginType];
	// Meta names the permission, never the Human Agent feature a HUMAN_AGENT send also needs.
	const feature = purpose === 'humanAgent' ? PERMISSIONS.humanAgent[loginType].filter((p) => !p.includes('_')) : [];
	return Array.from(new Set([...named, ...feature]));
}

function tokenHelp(loginType: LoginType): string {
	return loginType === 'facebook'
		? 'Get a new Page access token (Graph API Explorer, or GET /me/accounts with a long-lived user token) and paste it into the Instagram API credential. A password change or a removed Page role invalidates Page tokens.'
		: 'Generate a new long-lived Instagram token (Meta App Dashboard → Instagram → API setup with Instagram login → Generate token) and paste it into the Instagram API credential. Long-lived tokens last 60 days; refresh them with GET /refresh_access_token?grant_type=ig_refresh_token before they expire.';
}

function base(
	input: GraphErrorInput,
	parsed: GraphErrorBody | undefined,
): Pick<GraphErrorInfo, 'code' | 'subcode' | 'fbtraceId' | 'httpStatus' | 'graphMessage' | 'graphUserMessage'> {
	return {
		code: parsed?.code,
		subcode: parsed?.subcode,
		fbtraceId: parsed?.fbtraceId,
		httpStatus: input.status,
		graphMessage: parsed?.message,
		...(parsed?.userMessage ? { graphUserMessage: parsed.userMessage } : {}),
	};
}

function codeLabel(parsed: GraphErrorBody | undefined): string {
	if (!parsed?.code) return '';
	return parsed.subcode ? ` (Graph error ${parsed.code}/${parsed.subcode})` : ` (Graph error ${parsed.code})`;
}

/** What every outcome means for the caller's flags (kept for callers that read kind/retryable/perRecipient). */
function flags(outcome: GraphOutcome): Pick<GraphErrorInfo, 'outcome' | 'retryable' | 'perRecipient'> {
	return { outcome, retryable: outcome === 'retry', perRecipient: outcome === 'recipient' };
}

/** A request that may take effect when it fails (a DM, a private reply): its unknown outcomes are never retried. */
export function isSendPurpose(purpose: GraphPurpose): boolean {
	return purpose === 'messaging' || purpose === 'humanAgent' || purpose === 'privateReply';
}

const TEMPORARY_MESSAGE = 'The Instagram Graph API had a temporary problem';
const TEMPORARY_FIX = 'Retried a few times with backoff. Try again later; see https://metastatus.com.';

/** Transport failures after which the request cannot have reached Meta (no connection was made). */
const NOTHING_SENT_NETWORK_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'];

/**
 * Maps one failed answer (or network failure) to its outcome and the words the user sees, following the
 * contract in errorCatalogue.ts: (code, subcode) first, then the code, then its range; an undocumented code
 * never retries a send.
 */
export function classifyGraphError(input: GraphErrorInput): GraphErrorInfo {
	const purpose = input.purpose ?? 'account';
	const loginType = input.loginType ?? 'instagram';
	const send = input.send ?? isSendPurpose(purpose);

	if (input.status === undefined) {
		const code = input.networkCode ?? 'unknown';
		if (send && !NOTHING_SENT_NETWORK_CODES.includes(code)) {
			return { ...flags('maybeSent'), kind: 'maybeSent', reason: 'sent_unknown', stopsRun: true,
				message: `The connection to the Instagram Graph API failed during the send (${code}); the message may or may not have been sent`,
				description: `Not retried: the message may have gone out. Check the network and the credential's Base URL override. Later messages of this run were not tried.` };
		}
		return {
			kind: 'network',
			...flags(RETRYABLE_NETWORK_CODES.includes(code) ? 'retry' : 'account'),
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

	let entry: CatalogueEntry | undefined =
		parsed?.code !== undefined ? lookupError(parsed.code, parsed.subcode, purpose, parsed.message ?? '') : undefined;
	if (!entry && status === 429) {
		entry = { code: 429, outcome: 'retry', kind: 'throttled', reason: 'rate_limited',
			message: 'The Instagram Graph API is rate-limiting requests (HTTP 429)',
			fix: 'Requests were retried with backoff until the wait budget ran out. Send fewer messages per run or raise "Max Total Retry Wait".',
			source: SOURCES.rateLimits };
	}
	if (!entry && (status >= 500 || parsed?.isTransient === true)) {
		entry = { code: 2, outcome: 'maybeSent', kind: 'maybeSent', reason: 'sent_unknown', stopsRun: true,
			message: parsed
				? 'The Instagram Graph API had a temporary problem; the message may or may not have been sent'
				: `The Instagram Graph API is temporarily unavailable (HTTP ${status}); the message may or may not have been sent`,
			fix: 'Not retried: the message may have gone out, and a second attempt could send it twice. Later messages of this run were not tried; they go out in the next run. See https://metastatus.com.',
			source: SOURCES.graphErrors };
	}
	if (!entry && !parsed) {
		const isJson = isRecord(input.body) || Array.isArray(input.body);
		return { ...common, ...flags('account'), kind: 'invalidResponse', reason: 'invalid_response',
			message: isJson
				? `The Instagram Graph API answered HTTP ${status} without an error object`
				: `The Instagram Graph API answered HTTP ${status} with something that is not JSON`,
			description: 'Check the credential\'s host and Base URL override: the address may point to a web page or a proxy instead of the Graph API.' };
	}
	if (!entry) {
		return { ...common, ...flags('account'), kind: 'unknown', reason: 'graph_error',
			message: `The Instagram Graph API refused the request${label}`,
			description: 'Not retried. See the Graph message below and https://developers.facebook.com/docs/graph-api/guides/error-handling.' };
	}

	// A maybe-sent outcome only matters for a send: a read has no effect, so it is retried like any temporary error.
	if (entry.outcome === 'maybeSent' && !send) {
		return { ...common, ...flags('retry'), kind: 'transient', reason: 'temporary_error', source: entry.source,
			message: `${parsed ? TEMPORARY_MESSAGE : `The Instagram Graph API is temporarily unavailable (HTTP ${status})`}${label}`,
			description: TEMPORARY_FIX };
	}
	const id = input.objectId && input.objectId !== '' ? input.objectId : 'in the request path';
	let message = entry.message.split('{id}').join(id);
	let description = entry.fix;
	if (entry.kind === 'token') {
		description = `Reconnect: ${tokenHelp(loginType)}`;
	} else if (entry.reason === 'permission_missing') {
		const perms = missingPermissions(purpose, loginType, parsed?.message);
		message = `The Instagram access token is missing a permission: ${perms.join(', ')}`;
		description = `Reconnect the account granting ${perms.join(', ')} (people without a role on the Meta app also need Advanced Access through App Review), then update the Instagram API credential.`;
	}
	return {
		...common,
		...flags(entry.outcome),
		kind: entry.kind,
		reason: entry.reason,
		message: `${message}${label}`,
		description,
		source: entry.source,
		...(entry.stopsRun ? { stopsRun: true } : {}),
	};
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
