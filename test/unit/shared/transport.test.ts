import { NodeApiError, NodeOperationError, type IExecuteFunctions, type IHttpRequestOptions, type INode } from 'n8n-workflow';

import { createWaitBudget } from '../../../nodes/core/graph/backoff';
import {
	graphApiCall,
	graphApiRequest,
	graphApiRequestAllItems,
	type GraphCallFailure,
} from '../../../nodes/shared/transport';

const FAKE_BEARER = ['EAAG', 'unit', 'fixture', '123'].join('-');
const node: INode = { id: '1', name: 'IG', type: 'x.instagramDm', typeVersion: 1, position: [0, 0], parameters: {} };

type Answer = { statusCode: number; body: unknown; headers?: Record<string, string> } | { networkError: string };

/** A hand-made context: records requests, answers from a script, never touches the network. */
function context(answers: Answer[], credentials: Record<string, unknown> = {}) {
	const requests: IHttpRequestOptions[] = [];
	let index = 0;
	const ctx = {
		getNode: () => node,
		getCredentials: async () => ({ host: 'graph.instagram.com', apiVersion: 'v25.0', accessToken: FAKE_BEARER, accountId: '178', ...credentials }),
		helpers: {
			httpRequestWithAuthentication: async (type: string, options: IHttpRequestOptions) => {
				expect(type).toBe('instagramApi');
				requests.push(options);
				const answer = answers[Math.min(index++, answers.length - 1)];
				if ('networkError' in answer) {
					const error = new Error(`connect ${answer.networkError} 127.0.0.1:1`) as Error & { cause?: unknown };
					error.cause = { code: answer.networkError };
					throw error;
				}
				return { statusCode: answer.statusCode, body: answer.body, headers: answer.headers ?? {} };
			},
		},
	} as unknown as IExecuteFunctions;
	return { ctx, requests };
}

function recorder() {
	const waits: number[] = [];
	return { waits, sleep: async (ms: number) => { waits.push(ms); } };
}

const throttle = (code = 613, regainMinutes?: number): Answer => ({
	statusCode: 400,
	body: { error: { code, message: `(#${code}) limit`, fbtrace_id: 'T' } },
	headers: regainMinutes === undefined ? {} : { 'x-business-use-case-usage': JSON.stringify({ '178': [{ call_count: 100, estimated_time_to_regain_access: regainMinutes }] }) },
});
const ok: Answer = { statusCode: 200, body: { id: '178', username: 'demo' } };

describe('graphApiCall', () => {
	it('builds the URL from host and version, asks for the full response and ignores status errors', async () => {
		const { ctx, requests } = context([ok]);
		const result = await graphApiCall.call(ctx, 'GET', '/me', { qs: { fields: 'id,username' } });
		expect(result).toMatchObject({ ok: true, body: { id: '178' }, attempts: 1, waitedMs: 0, statusCode: 200 });
		expect(requests[0]).toMatchObject({
			method: 'GET',
			url: 'https://graph.instagram.com/v25.0/me',
			qs: { fields: 'id,username' },
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		});
	});

	it('honours the base URL override', async () => {
		const { ctx, requests } = context([ok], { baseUrl: 'http://127.0.0.1:4010/' });
		await graphApiCall.call(ctx, 'GET', 'me');
		expect(requests[0].url).toBe('http://127.0.0.1:4010/v25.0/me');
	});

	it('throws a NodeOperationError for a malformed base URL, before any request', async () => {
		const { ctx, requests } = context([ok], { baseUrl: 'localhost:4010' });
		await expect(graphApiCall.call(ctx, 'GET', '/me', { itemIndex: 3 })).rejects.toThrow(NodeOperationError);
		await expect(graphApiCall.call(ctx, 'GET', '/me', { itemIndex: 3 })).rejects.toMatchObject({ context: { itemIndex: 3 } });
		expect(requests).toHaveLength(0);
	});

	it('retries a throttled call and succeeds, waiting what the policy allows', async () => {
		const { ctx, requests } = context([throttle(4, 0), throttle(4, 0), ok]);
		const { waits, sleep } = recorder();
		const result = await graphApiCall.call(ctx, 'POST', '/178/messages', { body: { a: 1 }, retry: { sleep, policy: { baseDelayMs: 100 } } });
		expect(result).toMatchObject({ ok: true, attempts: 3 });
		expect(requests).toHaveLength(3);
		expect(waits).toHaveLength(2);
		expect(waits[0]).toBeGreaterThanOrEqual(50);
		expect(waits[0]).toBeLessThanOrEqual(100);
		expect(waits[1]).toBeGreaterThanOrEqual(100);
		expect(waits[1]).toBeLessThanOrEqual(200);
		expect(result.ok && result.waitedMs).toBe(waits[0] + waits[1]);
	});

	it('stops at maxAttempts when always throttled, and the total wait stays within the budget', async () => {
		const { ctx, requests } = context([throttle()]);
		const { waits, sleep } = recorder();
		const result = (await graphApiCall.call(ctx, 'POST', '/178/messages', {
			retry: { sleep, policy: { baseDelayMs: 1000, maxAttempts: 4, maxTotalWaitMs: 60_000 } },
		})) as GraphCallFailure;
		expect(result).toMatchObject({ ok: false, attempts: 4, stoppedBecause: 'attempts_exhausted', error: { kind: 'throttled', reason: 'rate_limited' } });
		expect(requests).toHaveLength(4);
		expect(waits).toHaveLength(3);
		expect(waits.reduce((a, b) => a + b, 0)).toBe(result.waitedMs);
		expect(result.waitedMs).toBeLessThanOrEqual(60_000);
	});

	it('a small budget bounds the total wait, shared across calls', async () => {
		const budget = createWaitBudget(1500);
		const { waits, sleep } = recorder();
		for (let i = 0; i < 5; i++) {
			const { ctx } = context([throttle()]);
			const result = await graphApiCall.call(ctx, 'POST', `/178/messages`, { retry: { sleep, budget, jitterSeed: String(i) } });
			expect(result.ok).toBe(false);
		}
		const total = waits.reduce((a, b) => a + b, 0);
		expect(total).toBe(budget.spentMs);
		expect(total).toBeLessThanOrEqual(1500);
		expect(total).toBe(1500);
	});

	it('honours estimated_time_to_regain_access: waits that long when the budget allows, else gives up at once', async () => {
		const a = context([throttle(80002, 1), ok]);
		const r1 = recorder();
		const result = await graphApiCall.call(a.ctx, 'GET', '/178/stories', { retry: { sleep: r1.sleep, policy: { maxTotalWaitMs: 120_000 } } });
		expect(result).toMatchObject({ ok: true, attempts: 2 });
		expect(r1.waits).toEqual([60_000]);

		const b = context([throttle(80002, 5)]);
		const r2 = recorder();
		const failed = await graphApiCall.call(b.ctx, 'GET', '/178/stories', { retry: { sleep: r2.sleep } });
		expect(failed).toMatchObject({ ok: false, attempts: 1, waitedMs: 0, stoppedBecause: 'wait_exceeds_budget' });
		expect(r2.waits).toEqual([]);
	});

	it('retries transient errors on a read only a few times', async () => {
		const { ctx, requests } = context([{ statusCode: 500, body: { error: { code: 2, message: 'unexpected' } } }]);
		const { sleep } = recorder();
		const result = await graphApiCall.call(ctx, 'GET', '/178', { retry: { sleep } });
		expect(result).toMatchObject({ ok: false, attempts: 3, error: { kind: 'transient' } });
		expect(requests).toHaveLength(3);
	});

	it('never repeats a send after a temporary error: it may have gone out (maybe sent)', async () => {
		const { ctx, requests } = context([{ statusCode: 500, body: { error: { code: 2, message: 'unexpected' } } }]);
		const { sleep, waits } = recorder();
		const result = await graphApiCall.call(ctx, 'POST', '/178/messages', { retry: { sleep }, purpose: 'messaging' });
		expect(result).toMatchObject({ ok: false, attempts: 1, stoppedBecause: 'not_retryable', error: { outcome: 'maybeSent', reason: 'sent_unknown' } });
		expect(requests).toHaveLength(1);
		expect(waits).toEqual([]);
	});

	it('names the addressed ID in a configuration error (100/33)', async () => {
		const { ctx } = context([{ statusCode: 400, body: { error: { code: 100, error_subcode: 33, message: 'Objekt existiert nicht' } } }]);
		const result = await graphApiCall.call(ctx, 'POST', '/1784%2099/messages', { purpose: 'messaging' });
		expect(result).toMatchObject({ ok: false, error: { outcome: 'account', reason: 'object_not_found' } });
		if (!result.ok) expect(result.error.message).toContain('no object 1784 99 ');
	});

	it('does not retry 4xx that will not change', async () => {
		for (const body of [
			{ error: { code: 190, error_subcode: 463, message: 'expired' } },
			{ error: { code: 10, error_subcode: 2534022, message: 'outside window' } },
			{ error: { code: 551, message: 'unavailable' } },
			{ error: { code: 100, message: 'bad' } },
		]) {
			const { ctx, requests } = context([{ statusCode: 400, body }]);
			const { waits, sleep } = recorder();
			const result = await graphApiCall.call(ctx, 'POST', '/178/messages', { retry: { sleep } });
			expect(result).toMatchObject({ ok: false, attempts: 1, stoppedBecause: 'not_retryable' });
			expect(requests).toHaveLength(1);
			expect(waits).toEqual([]);
		}
	});

	it('network errors: a POST is not repeated after a reset, a GET is; both end as clear errors', async () => {
		const { sleep } = recorder();
		const post = context([{ networkError: 'ECONNRESET' }]);
		expect(await graphApiCall.call(post.ctx, 'POST', '/178/messages', { retry: { sleep } })).toMatchObject({ ok: false, attempts: 1, error: { kind: 'maybeSent', reason: 'sent_unknown' } });
		const refused = context([{ networkError: 'ECONNREFUSED' }]);
		expect(await graphApiCall.call(refused.ctx, 'POST', '/178/messages', { retry: { sleep } })).toMatchObject({ ok: false, attempts: 3, error: { kind: 'network' } });
		const get = context([{ networkError: 'ECONNRESET' }]);
		expect(await graphApiCall.call(get.ctx, 'GET', '/me', { retry: { sleep } })).toMatchObject({ ok: false, attempts: 3, error: { kind: 'network' } });
		await expect(graphApiRequest.call(get.ctx, 'GET', '/me', { retry: { sleep } })).rejects.toThrow(/Could not reach the Instagram Graph API \(ECONNRESET\)/);
	});

	it('treats a non-JSON 200 as an invalid answer', async () => {
		const { ctx } = context([{ statusCode: 200, body: '<html>hello</html>' }]);
		await expect(graphApiRequest.call(ctx, 'GET', '/me')).rejects.toThrow(/not JSON/);
	});
});

describe('graphApiRequest errors', () => {
	it('throws NodeApiError with a clear message, the item index, and never the token', async () => {
		const echo = { statusCode: 400, body: { error: { code: 190, message: `Invalid OAuth access token ${FAKE_BEARER} (Bearer ${FAKE_BEARER})`, fbtrace_id: 'Zt' } } };
		const { ctx } = context([echo]);
		let caught: unknown;
		try {
			await graphApiRequest.call(ctx, 'GET', '/me', { itemIndex: 2 });
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(NodeApiError);
		const error = caught as NodeApiError;
		expect(error.message).toMatch(/access token has expired or was revoked/);
		expect(error.description).toMatch(/Reconnect/);
		expect(error.description).toContain('fbtrace_id Zt');
		expect(error.context.itemIndex).toBe(2);
		expect(error.context.graph).toMatchObject({ kind: 'token', code: 190 });
		const everything = JSON.stringify({ message: error.message, description: error.description, context: error.context, cause: error.cause, messages: error.messages, stack: error.stack });
		expect(everything).not.toContain(FAKE_BEARER);
		expect(everything).toContain('[redacted]');
	});
});

describe('graphApiRequestAllItems', () => {
	it('follows paging.next against our own base URL, without forwarding a token from the link', async () => {
		const page = (ids: string[], next?: string) => ({ statusCode: 200, body: { data: ids.map((id) => ({ id })), paging: next ? { next } : {} } });
		const { ctx, requests } = context([
			page(['1', '2'], 'https://graph.facebook.com/v25.0/178/stories?limit=2&after=B&access_token=OTHER'),
			page(['3', '4'], 'https://graph.facebook.com/v25.0/178/stories?limit=2&after=D'),
			page(['5']),
		], { baseUrl: 'http://127.0.0.1:4010' });
		const items = await graphApiRequestAllItems.call(ctx, 'GET', '/178/stories', { qs: { fields: 'id' } });
		expect(items.map((i) => i.id)).toEqual(['1', '2', '3', '4', '5']);
		expect(requests.map((r) => r.url)).toEqual(Array(3).fill('http://127.0.0.1:4010/v25.0/178/stories'));
		expect(requests[1].qs).toEqual({ fields: 'id', limit: '2', after: 'B' });
		expect(JSON.stringify(requests)).not.toContain('OTHER');
	});

	it('stops at maxPages and at limit', async () => {
		const endless = { statusCode: 200, body: { data: [{ id: 'x' }, { id: 'y' }], paging: { next: 'https://g/v25.0/1/stories?after=Z' } } };
		const a = context([endless]);
		expect(await graphApiRequestAllItems.call(a.ctx, 'GET', '/1/stories', { maxPages: 3 })).toHaveLength(6);
		expect(a.requests).toHaveLength(3);
		const b = context([endless]);
		expect(await graphApiRequestAllItems.call(b.ctx, 'GET', '/1/stories', { limit: 3 })).toHaveLength(3);
		expect(b.requests).toHaveLength(2);
	});
});
