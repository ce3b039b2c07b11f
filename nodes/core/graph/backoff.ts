/**
 * Retry timing for the Graph API: exponential backoff with deterministic (hash-based) jitter, Meta's
 * X-Business-Use-Case-Usage / Retry-After hints, and a total wait budget shared by all calls of one run.
 * Pure functions over plain data; the transport does the actual sleeping.
 */
import type { GraphErrorInfo } from './errors';

export interface BackoffPolicy {
	/** First delay before jitter (ms). */
	baseDelayMs: number;
	/** Cap for one delay from the exponential curve (ms); a server hint may exceed it if the budget allows. */
	maxDelayMs: number;
	/** Attempts in total (first try included) for throttling. */
	maxAttempts: number;
	/** Attempts in total for transient errors (codes 1/2, HTTP 5xx, network): "a few times only". */
	transientMaxAttempts: number;
	/** Total time all retries of one run may wait (ms). */
	maxTotalWaitMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
	baseDelayMs: 1000,
	maxDelayMs: 30_000,
	maxAttempts: 6,
	transientMaxAttempts: 3,
	maxTotalWaitMs: 60_000,
};

/** Mutable: one per node run, so the whole run never waits longer than `maxTotalMs`. */
export interface WaitBudget {
	maxTotalMs: number;
	spentMs: number;
}

export function createWaitBudget(maxTotalMs: number = DEFAULT_BACKOFF.maxTotalWaitMs): WaitBudget {
	return { maxTotalMs: Math.max(0, Number.isFinite(maxTotalMs) ? maxTotalMs : 0), spentMs: 0 };
}

export function remainingBudget(budget: WaitBudget): number {
	return Math.max(0, budget.maxTotalMs - budget.spentMs);
}

/** FNV-1a of `seed#attempt`, mapped to [0, 1): the same seed and attempt always give the same jitter. */
export function jitterFraction(seed: string, attempt: number): number {
	let hash = 0x811c9dc5;
	const input = `${seed}#${attempt}`;
	for (let i = 0; i < input.length; i++) {
		hash ^= input.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193) >>> 0;
	}
	return hash / 0x100000000;
}

/**
 * Delay after failed attempt `attempt` (1-based): "equal jitter" — half the exponential step fixed, half
 * jittered — so delays grow but never collapse to zero.
 */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, seed = ''): number {
	const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
	return Math.round(step / 2 + (step / 2) * jitterFraction(seed, attempt));
}

export interface UsageHint {
	/** Largest `estimated_time_to_regain_access` across entries, in ms (Meta sends minutes). */
	regainAccessMs?: number;
	/** Largest usage percentage seen (call_count, total_cputime, total_time). */
	maxUsagePercent?: number;
}

function parseJsonHeader(value: unknown): unknown {
	if (Array.isArray(value)) value = value[0];
	if (typeof value !== 'string') return typeof value === 'object' ? value : undefined;
	try {
		return JSON.parse(value) as unknown;
	} catch {
		return undefined;
	}
}

/** Parses `X-Business-Use-Case-Usage: {"<id>":[{"type","call_count","total_cputime","total_time","estimated_time_to_regain_access"}]}`. */
export function parseBusinessUseCaseUsage(header: unknown): UsageHint {
	const parsed = parseJsonHeader(header);
	const hint: UsageHint = {};
	if (typeof parsed !== 'object' || parsed === null) return hint;
	for (const entries of Object.values(parsed as Record<string, unknown>)) {
		const list = Array.isArray(entries) ? entries : [entries];
		for (const entry of list) {
			if (typeof entry !== 'object' || entry === null) continue;
			const e = entry as Record<string, unknown>;
			const regain = Number(e.estimated_time_to_regain_access);
			if (Number.isFinite(regain) && regain >= 0) {
				hint.regainAccessMs = Math.max(hint.regainAccessMs ?? 0, regain * 60_000);
			}
			for (const key of ['call_count', 'total_cputime', 'total_time']) {
				const pct = Number(e[key]);
				if (Number.isFinite(pct)) hint.maxUsagePercent = Math.max(hint.maxUsagePercent ?? 0, pct);
			}
		}
	}
	return hint;
}

/** `Retry-After` in seconds (HTTP-date form is ignored: we never read the clock here). */
export function parseRetryAfter(header: unknown): number | undefined {
	const value = Array.isArray(header) ? header[0] : header;
	const seconds = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
	return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/** The server's own wait hint from response headers (lower-case keys), in ms. */
export function serverWaitHintMs(headers: Record<string, unknown> | undefined): number | undefined {
	if (!headers) return undefined;
	const buc = parseBusinessUseCaseUsage(headers['x-business-use-case-usage']).regainAccessMs;
	const retryAfter = parseRetryAfter(headers['retry-after']);
	if (buc === undefined && retryAfter === undefined) return undefined;
	return Math.max(buc ?? 0, retryAfter ?? 0);
}

export type StopReason = 'not_retryable' | 'attempts_exhausted' | 'budget_exhausted' | 'wait_exceeds_budget';

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; stop: StopReason };

export interface RetryInput {
	info: Pick<GraphErrorInfo, 'kind' | 'retryable'>;
	/** Number of the attempt that just failed (1-based). */
	attempt: number;
	budget: WaitBudget;
	policy?: BackoffPolicy;
	/** From serverWaitHintMs. */
	serverWaitMs?: number;
	/** Network errors are retried only for idempotent requests, or when nothing can have been sent (ECONNREFUSED). */
	idempotent?: boolean;
	networkCode?: string;
	seed?: string;
}

/** Whether to try again and how long to wait first; never plans a wait beyond the remaining budget. */
export function planRetry(input: RetryInput): RetryDecision {
	const policy = input.policy ?? DEFAULT_BACKOFF;
	const { info, attempt } = input;
	if (!info.retryable) return { retry: false, stop: 'not_retryable' };
	if (info.kind === 'network' && !input.idempotent && input.networkCode !== 'ECONNREFUSED') {
		return { retry: false, stop: 'not_retryable' };
	}
	const maxAttempts = info.kind === 'throttled' ? policy.maxAttempts : policy.transientMaxAttempts;
	if (attempt >= maxAttempts) return { retry: false, stop: 'attempts_exhausted' };
	const remaining = remainingBudget(input.budget);
	if (remaining <= 0) return { retry: false, stop: 'budget_exhausted' };
	const serverWait = input.serverWaitMs ?? 0;
	if (serverWait > remaining) return { retry: false, stop: 'wait_exceeds_budget' };
	const delay = Math.max(serverWait, backoffDelayMs(attempt, policy, input.seed ?? ''));
	return { retry: true, delayMs: Math.min(delay, remaining) };
}
