import {
	DEFAULT_BACKOFF,
	backoffDelayMs,
	createWaitBudget,
	jitterFraction,
	parseBusinessUseCaseUsage,
	parseRetryAfter,
	planRetry,
	remainingBudget,
	serverWaitHintMs,
	type BackoffPolicy,
} from '../../../nodes/core/graph/backoff';

const throttled = { kind: 'throttled' as const, retryable: true };
const transient = { kind: 'transient' as const, retryable: true };

describe('jitter and delays', () => {
	it('jitter is deterministic and in [0, 1)', () => {
		for (let attempt = 1; attempt < 50; attempt++) {
			const j = jitterFraction('1001', attempt);
			expect(j).toBeGreaterThanOrEqual(0);
			expect(j).toBeLessThan(1);
			expect(jitterFraction('1001', attempt)).toBe(j);
		}
		expect(jitterFraction('1001', 1)).not.toBe(jitterFraction('1002', 1));
	});

	it('delays grow exponentially within [step/2, step] and are capped', () => {
		const policy: BackoffPolicy = { ...DEFAULT_BACKOFF, baseDelayMs: 1000, maxDelayMs: 8000 };
		for (let attempt = 1; attempt <= 8; attempt++) {
			const step = Math.min(8000, 1000 * 2 ** (attempt - 1));
			const delay = backoffDelayMs(attempt, policy, 'seed');
			expect(delay).toBeGreaterThanOrEqual(step / 2);
			expect(delay).toBeLessThanOrEqual(step);
		}
		expect(backoffDelayMs(20, policy, 'x')).toBeLessThanOrEqual(8000);
	});
});

describe('usage headers', () => {
	it('reads the largest estimated_time_to_regain_access (minutes → ms) and usage', () => {
		const header = JSON.stringify({
			'17841400000000001': [
				{ type: 'messenger', call_count: 100, total_cputime: 20, total_time: 30, estimated_time_to_regain_access: 2 },
				{ type: 'instagram', call_count: 40, total_cputime: 5, total_time: 5, estimated_time_to_regain_access: 5 },
			],
		});
		expect(parseBusinessUseCaseUsage(header)).toEqual({ regainAccessMs: 300_000, maxUsagePercent: 100 });
	});

	it('accepts an object or an array of header values and ignores garbage', () => {
		expect(parseBusinessUseCaseUsage({ a: [{ estimated_time_to_regain_access: 0 }] })).toEqual({ regainAccessMs: 0 });
		expect(parseBusinessUseCaseUsage([JSON.stringify({ a: { estimated_time_to_regain_access: 1 } })])).toEqual({ regainAccessMs: 60_000 });
		expect(parseBusinessUseCaseUsage('not json')).toEqual({});
		expect(parseBusinessUseCaseUsage(undefined)).toEqual({});
		expect(parseBusinessUseCaseUsage(JSON.stringify({ a: ['x', null] }))).toEqual({});
	});

	it('reads Retry-After seconds and combines both hints', () => {
		expect(parseRetryAfter('3')).toBe(3000);
		expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT')).toBeUndefined();
		expect(serverWaitHintMs({ 'retry-after': '2' })).toBe(2000);
		expect(serverWaitHintMs({ 'x-business-use-case-usage': JSON.stringify({ a: [{ estimated_time_to_regain_access: 1 }] }), 'retry-after': '2' })).toBe(60_000);
		expect(serverWaitHintMs({})).toBeUndefined();
		expect(serverWaitHintMs(undefined)).toBeUndefined();
	});
});

describe('planRetry', () => {
	it('never retries what is not retryable', () => {
		expect(planRetry({ info: { kind: 'token', retryable: false }, attempt: 1, budget: createWaitBudget(60_000) })).toEqual({ retry: false, stop: 'not_retryable' });
	});

	it('retries throttling up to maxAttempts and transient errors only a few times', () => {
		const budget = createWaitBudget(10 ** 9);
		expect(planRetry({ info: throttled, attempt: DEFAULT_BACKOFF.maxAttempts - 1, budget }).retry).toBe(true);
		expect(planRetry({ info: throttled, attempt: DEFAULT_BACKOFF.maxAttempts, budget })).toEqual({ retry: false, stop: 'attempts_exhausted' });
		expect(planRetry({ info: transient, attempt: 2, budget }).retry).toBe(true);
		expect(planRetry({ info: transient, attempt: 3, budget })).toEqual({ retry: false, stop: 'attempts_exhausted' });
	});

	it('waits at least what the server asks, and gives up at once when that exceeds the remaining budget', () => {
		const budget = createWaitBudget(120_000);
		expect(planRetry({ info: throttled, attempt: 1, budget, serverWaitMs: 60_000 })).toEqual({ retry: true, delayMs: 60_000 });
		expect(planRetry({ info: throttled, attempt: 1, budget, serverWaitMs: 300_000 })).toEqual({ retry: false, stop: 'wait_exceeds_budget' });
	});

	it('clamps a backoff delay to the remaining budget and stops when the budget is spent', () => {
		const budget = createWaitBudget(50);
		expect(planRetry({ info: throttled, attempt: 1, budget })).toEqual({ retry: true, delayMs: 50 });
		budget.spentMs = 50;
		expect(remainingBudget(budget)).toBe(0);
		expect(planRetry({ info: throttled, attempt: 2, budget })).toEqual({ retry: false, stop: 'budget_exhausted' });
		expect(planRetry({ info: throttled, attempt: 1, budget: createWaitBudget(0) })).toEqual({ retry: false, stop: 'budget_exhausted' });
	});

	it('retries network errors only when idempotent or when the connection was refused', () => {
		const budget = createWaitBudget(60_000);
		const network = { kind: 'network' as const, retryable: true };
		expect(planRetry({ info: network, attempt: 1, budget, idempotent: false, networkCode: 'ECONNRESET' })).toEqual({ retry: false, stop: 'not_retryable' });
		expect(planRetry({ info: network, attempt: 1, budget, idempotent: false, networkCode: 'ECONNREFUSED' }).retry).toBe(true);
		expect(planRetry({ info: network, attempt: 1, budget, idempotent: true, networkCode: 'ECONNRESET' }).retry).toBe(true);
	});

	it('a run that is always throttled never waits longer than its budget, for any budget, hint and seed', () => {
		const budgets = [0, 1, 49, 500, 1500, 7_000, 60_000];
		const hints = [undefined, 0, 250, 2_000, 60_000];
		for (const total of budgets) {
			for (const hint of hints) {
				for (const seed of ['a', 'b', '1001']) {
					const budget = createWaitBudget(total);
					let attempts = 0;
					// three recipients share the budget, as in one node run
					for (let recipient = 0; recipient < 3; recipient++) {
						for (let attempt = 1; ; attempt++) {
							attempts++;
							const decision = planRetry({ info: throttled, attempt, budget, serverWaitMs: hint, seed: seed + recipient });
							if (!decision.retry) break;
							expect(decision.delayMs).toBeGreaterThanOrEqual(0);
							budget.spentMs += decision.delayMs;
						}
					}
					expect(budget.spentMs).toBeLessThanOrEqual(total);
					expect(attempts).toBeLessThanOrEqual(3 * DEFAULT_BACKOFF.maxAttempts);
				}
			}
		}
	});
});
