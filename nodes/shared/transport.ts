/**
 * The one Graph API client every node uses: base URL from the credential (override or https://<host>,
 * then /<version>), Bearer auth through httpRequestWithAuthentication, retries with backoff on throttling
 * and transient errors within a total wait budget, pagination over paging.next, and errors mapped to
 * clear messages with the token scrubbed. The decisions live in nodes/core/graph; this file does the I/O.
 */
import {
	NodeApiError,
	NodeOperationError,
	sleep,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
	type IHookFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type INode,
	type IPollFunctions,
	type IWebhookFunctions,
	type JsonObject,
} from 'n8n-workflow';

import {
	DEFAULT_BACKOFF,
	createWaitBudget,
	planRetry,
	serverWaitHintMs,
	type BackoffPolicy,
	type StopReason,
	type WaitBudget,
} from '../core/graph/backoff';
import { queryFromUrl, resolveConnection, type GraphConnection } from '../core/graph/connection';
import {
	classifyGraphError,
	scrubSecrets,
	type GraphErrorInfo,
	type GraphPurpose,
} from '../core/graph/errors';

export const CREDENTIAL_TYPE = 'instagramApi';

export type GraphContext =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IHookFunctions
	| IWebhookFunctions
	| IPollFunctions;

export interface GraphSession {
	connection: GraphConnection;
	/** Values scrubbed from every message we produce (token, app secret, verify token). */
	secrets: string[];
}

export interface GraphRetryOptions {
	/** Overrides of DEFAULT_BACKOFF (base delay, attempts, total wait). */
	policy?: Partial<BackoffPolicy>;
	/** Share one budget across calls so a whole node run never waits longer than its maximum. */
	budget?: WaitBudget;
	/** Injectable for tests; defaults to `sleep` from n8n-workflow. */
	sleep?: (ms: number) => Promise<void>;
	/** Seed for the deterministic jitter (e.g. the recipient id). */
	jitterSeed?: string;
}

export interface GraphRequestOptions {
	qs?: IDataObject;
	body?: IDataObject;
	itemIndex?: number;
	/** Names the permissions in error messages; default 'account'. */
	purpose?: GraphPurpose;
	/**
	 * Whether repeating the request is harmless (default: GET only). A non-idempotent request (a DM, a private
	 * reply) whose outcome is unknown (code 1 or 2, HTTP 5xx, a dropped connection) is never retried: it fails with
	 * outcome maybeSent. Pass true for POSTs that may be repeated (e.g. subscribed_apps).
	 */
	idempotent?: boolean;
	retry?: GraphRetryOptions;
	/** Reuse a session read once per run (saves reading the credential per item). */
	session?: GraphSession;
}

export interface GraphCallSuccess {
	ok: true;
	body: IDataObject;
	headers: IDataObject;
	statusCode: number;
	attempts: number;
	waitedMs: number;
}

export interface GraphCallFailure {
	ok: false;
	error: GraphErrorInfo;
	attempts: number;
	waitedMs: number;
	/** Why retrying stopped (not_retryable, attempts_exhausted, budget_exhausted, wait_exceeds_budget). */
	stoppedBecause: StopReason;
}

export type GraphCallResult = GraphCallSuccess | GraphCallFailure;

/** Reads the credential and validates host, version and base URL (malformed → NodeOperationError). */
export async function getGraphSession(this: GraphContext, itemIndex?: number): Promise<GraphSession> {
	const credentials = (await this.getCredentials(CREDENTIAL_TYPE, itemIndex)) as ICredentialDataDecryptedObject;
	const resolved = resolveConnection(credentials);
	if (!resolved.ok) {
		throw new NodeOperationError(this.getNode(), resolved.message, {
			itemIndex,
			description: `Fix the "${resolved.field}" field of the Instagram API credential.`,
		});
	}
	const secrets = ['accessToken', 'appSecret', 'verifyToken']
		.map((key) => credentials[key])
		.filter((value): value is string => typeof value === 'string' && value !== '');
	return { connection: resolved.connection, secrets };
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function lowerCaseHeaders(headers: unknown): IDataObject {
	const out: IDataObject = {};
	if (!isRecord(headers)) return out;
	const source =
		typeof (headers as { toJSON?: unknown }).toJSON === 'function'
			? ((headers as { toJSON: () => unknown }).toJSON() as Record<string, unknown>)
			: headers;
	for (const [key, value] of Object.entries(source)) out[key.toLowerCase()] = value as IDataObject[string];
	return out;
}

function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	const trimmed = body.trim();
	if (trimmed === '') return {};
	if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
		try {
			return JSON.parse(trimmed) as unknown;
		} catch {
			return body;
		}
	}
	return body;
}

function networkCodeOf(error: unknown): string {
	const seen = new Set<unknown>();
	let current: unknown = error;
	while (isRecord(current) && !seen.has(current)) {
		seen.add(current);
		const code = current.code;
		if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
		current = current.cause;
	}
	const message = error instanceof Error ? error.message : String(error);
	return /\b(E[A-Z]{3,}[A-Z_]*)\b/.exec(message)?.[1] ?? 'NETWORK_ERROR';
}

type Attempt =
	| { answered: true; statusCode: number; body: unknown; headers: IDataObject }
	| { answered: false; networkCode: string };

async function sendOnce(
	ctx: GraphContext,
	request: IHttpRequestOptions,
): Promise<Attempt> {
	try {
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, {
			...request,
			headers: { ...(request.headers ?? {}) },
			qs: request.qs ? { ...request.qs } : undefined,
		})) as unknown;
		if (!isRecord(response) || typeof response.statusCode !== 'number') {
			return { answered: true, statusCode: 200, body: parseBody(response), headers: {} };
		}
		return {
			answered: true,
			statusCode: response.statusCode,
			body: parseBody(response.body),
			headers: lowerCaseHeaders(response.headers),
		};
	} catch (error) {
		// Only transport failures land here (HTTP status errors are returned, not thrown).
		return { answered: false, networkCode: networkCodeOf(error) };
	}
}

/**
 * One Graph call with retries. Never throws for Graph refusals or network failures: the caller decides
 * (per-recipient refusal → output item; account-level → graphErrorToNodeError). Throws only for a
 * malformed credential (NodeOperationError).
 */
export async function graphApiCall(
	this: GraphContext,
	method: IHttpRequestMethods,
	path: string,
	options: GraphRequestOptions = {},
): Promise<GraphCallResult> {
	const session = options.session ?? (await getGraphSession.call(this, options.itemIndex));
	const policy: BackoffPolicy = { ...DEFAULT_BACKOFF, ...(options.retry?.policy ?? {}) };
	const budget = options.retry?.budget ?? createWaitBudget(policy.maxTotalWaitMs);
	const wait = options.retry?.sleep ?? sleep;
	const idempotent = options.idempotent ?? method === 'GET';
	const request: IHttpRequestOptions = {
		method,
		url: `${session.connection.root}${path.startsWith('/') ? path : `/${path}`}`,
		qs: options.qs,
		body: options.body,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	const objectId = safeDecode(path.split('?')[0].split('/').filter(Boolean)[0] ?? '');
	const classify = { purpose: options.purpose, loginType: session.connection.loginType, send: !idempotent, objectId };
	let waitedMs = 0;
	for (let attempt = 1; ; attempt++) {
		const result = await sendOnce(this, request);
		let info: GraphErrorInfo;
		let serverWaitMs: number | undefined;
		if (result.answered) {
			const ok = result.statusCode >= 200 && result.statusCode < 300;
			if (ok && isRecord(result.body) && !isRecord(result.body.error)) {
				return {
					ok: true,
					body: result.body as IDataObject,
					headers: result.headers,
					statusCode: result.statusCode,
					attempts: attempt,
					waitedMs,
				};
			}
			info = classifyGraphError({
				...classify,
				status: ok && !isRecord(result.body) ? 200 : result.statusCode,
				body: result.body,
			});
			serverWaitMs = serverWaitHintMs(result.headers);
		} else {
			info = classifyGraphError({ ...classify, networkCode: result.networkCode });
		}
		const decision = planRetry({
			info,
			attempt,
			budget,
			policy,
			serverWaitMs,
			idempotent,
			networkCode: result.answered ? undefined : result.networkCode,
			seed: options.retry?.jitterSeed ?? path,
		});
		if (!decision.retry) {
			return { ok: false, error: scrubInfo(info, session.secrets), attempts: attempt, waitedMs, stoppedBecause: decision.stop };
		}
		budget.spentMs += decision.delayMs;
		waitedMs += decision.delayMs;
		await wait(decision.delayMs);
	}
}

function safeDecode(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

function scrubInfo(info: GraphErrorInfo, secrets: string[]): GraphErrorInfo {
	return {
		...info,
		message: scrubSecrets(info.message, secrets),
		description: scrubSecrets(info.description, secrets),
		graphMessage: info.graphMessage === undefined ? undefined : scrubSecrets(info.graphMessage, secrets),
		graphUserMessage: info.graphUserMessage === undefined ? undefined : scrubSecrets(info.graphUserMessage, secrets),
	};
}

/** Turns a failed call into the NodeApiError the user sees (no request config, so no token inside). */
export function graphErrorToNodeError(node: INode, failure: GraphCallFailure, itemIndex?: number): NodeApiError {
	const { error } = failure;
	const retried =
		failure.attempts > 1 ? ` Tried ${failure.attempts} times over ${Math.round(failure.waitedMs / 100) / 10} s.` : '';
	const graphText =
		(error.graphMessage ? ` Instagram said: "${error.graphMessage}".` : '') +
		(error.graphUserMessage && error.graphUserMessage !== error.graphMessage ? ` Its message for you: "${error.graphUserMessage}".` : '');
	const trace = error.fbtraceId ? ` (fbtrace_id ${error.fbtraceId})` : '';
	const source = error.source ? ` Meta documents this error: ${error.source}` : '';
	const description = `${error.description}${graphText}${retried}${trace}${source}`;
	const response: JsonObject = {
		message: error.message,
		description,
		kind: error.kind,
		reason: error.reason,
		outcome: error.outcome,
	};
	if (error.code !== undefined) response.code = error.code;
	if (error.subcode !== undefined) response.error_subcode = error.subcode;
	if (error.fbtraceId !== undefined) response.fbtrace_id = error.fbtraceId;
	const apiError = new NodeApiError(node, response, {
		message: error.message,
		description,
		httpCode: error.httpStatus !== undefined ? String(error.httpStatus) : undefined,
		itemIndex,
	});
	// NodeApiError rewrites messages that contain socket codes (ECONNRESET…); keep ours, it names the API.
	apiError.message = error.message;
	apiError.description = description;
	apiError.context.graph = {
		outcome: error.outcome,
		kind: error.kind,
		reason: error.reason,
		code: error.code ?? null,
		subcode: error.subcode ?? null,
		attempts: failure.attempts,
	};
	return apiError;
}

/** A Graph call that returns the body or throws a clear NodeApiError (for account-level work). */
export async function graphApiRequest(
	this: GraphContext,
	method: IHttpRequestMethods,
	path: string,
	options: GraphRequestOptions = {},
): Promise<IDataObject> {
	const result = await graphApiCall.call(this, method, path, options);
	if (!result.ok) throw graphErrorToNodeError(this.getNode(), result, options.itemIndex);
	return result.body;
}

export interface GraphPagingOptions extends GraphRequestOptions {
	/** Stop after this many pages (default 20). */
	maxPages?: number;
	/** Stop once this many items were collected. */
	limit?: number;
}

/**
 * Collects `data` over `paging.next` (bounded by maxPages/limit). Each next page is requested against our
 * own base URL with the query from Meta's next link, so a proxy/base URL override keeps working and a token
 * in a next link is never forwarded.
 */
export async function graphApiRequestAllItems(
	this: GraphContext,
	method: IHttpRequestMethods,
	path: string,
	options: GraphPagingOptions = {},
): Promise<IDataObject[]> {
	const session = options.session ?? (await getGraphSession.call(this, options.itemIndex));
	const maxPages = Math.max(1, options.maxPages ?? 20);
	const items: IDataObject[] = [];
	let qs: IDataObject | undefined = options.qs;
	for (let page = 0; page < maxPages; page++) {
		const body = await graphApiRequest.call(this, method, path, { ...options, qs, session });
		const data = Array.isArray(body.data) ? (body.data as IDataObject[]) : [];
		items.push(...data);
		if (options.limit !== undefined && items.length >= options.limit) return items.slice(0, options.limit);
		const paging = isRecord(body.paging) ? body.paging : undefined;
		const next = typeof paging?.next === 'string' ? paging.next : undefined;
		if (!next || data.length === 0) break;
		qs = { ...(options.qs ?? {}), ...queryFromUrl(next) };
	}
	return items;
}
