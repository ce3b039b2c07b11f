// The queue-mode load: signed Instagram deliveries (story replies in batches, STOPs, Meta's redeliveries) sent at a
// fixed concurrency to the webhook processor, and the read-outs the queue e2e test asserts on and prints.
const { envelope, events, deliver, signature } = require('../n8n/meta');
const { rng } = require('../lib/prng');

/** A contact's IGSID (distinct from the e2e tests' ids). */
const igsidBase = 5000000;
const igsidOf = (n) => String(igsidBase + n);

/**
 * Deliveries for contacts [from, to): each contact sends one story reply (`perEnvelope` contacts per envelope, as
 * Meta batches them); every `stopEvery`-th contact later sends STOP (`perEnvelope / 2` STOPs per envelope); every
 * `redeliverEvery`-th reply envelope arrives twice. A STOP envelope is queued `stopLag` deliveries after the reply of
 * its last sender and a redelivery `redeliverLag` after its original, so both race with the processing of what they
 * follow. Returns [{ kind, payload, igsids }] in sending order.
 */
function buildDeliveries({
	from,
	to,
	t0,
	perEnvelope = 4,
	stopEvery = 20,
	redeliverEvery = 10,
	stopLag = 10,
	redeliverLag = 3,
	seed = 1,
}) {
	const random = rng(seed);
	const list = [];
	const later = []; // [position, delivery]
	const stopsPerEnvelope = Math.max(1, Math.floor(perEnvelope / 2));
	let pendingStops = [];
	const flushStops = () => {
		if (pendingStops.length === 0) return;
		const stop = {
			kind: 'stop',
			payload: envelope(pendingStops),
			igsids: pendingStops.map((e) => e.sender.id),
		};
		later.push([list.length + stopLag, stop]);
		pendingStops = [];
	};
	let envelopeCount = 0;
	for (let n = from; n < to; n += perEnvelope) {
		const batch = [];
		for (let k = n; k < Math.min(to, n + perEnvelope); k++) {
			batch.push(
				events.storyReply(igsidOf(k), t0 - Math.floor(random() * 50 + 5) * 60000, 'Love this!'),
			);
		}
		const delivery = {
			kind: 'reply',
			payload: envelope(batch),
			igsids: batch.map((e) => e.sender.id),
		};
		list.push(delivery);
		envelopeCount += 1;
		if (envelopeCount % redeliverEvery === 0)
			later.push([list.length + redeliverLag, { ...delivery, kind: 'redelivery' }]);
		for (const e of batch) {
			if ((Number(e.sender.id) - igsidBase) % stopEvery !== 0) continue;
			pendingStops.push(events.message(e.sender.id, t0 - 2 * 60000, 'STOP'));
			if (pendingStops.length === stopsPerEnvelope) flushStops();
		}
	}
	flushStops();
	later.sort((a, b) => a[0] - b[0]);
	const out = [];
	let j = 0;
	list.forEach((d, i) => {
		out.push(d);
		while (j < later.length && later[j][0] <= i + 1) out.push(later[j++][1]);
	});
	while (j < later.length) out.push(later[j++][1]);
	return out;
}

/** Sends deliveries with `concurrency` in flight; resolves with the HTTP statuses in order. */
async function deliverConcurrently(url, deliveries, appSecret, concurrency = 20) {
	const statuses = new Array(deliveries.length);
	let next = 0;
	const workers = Array.from({ length: concurrency }, async () => {
		while (next < deliveries.length) {
			const i = next++;
			statuses[i] = (await deliver(url, deliveries[i].payload, appSecret)).status;
		}
	});
	await Promise.all(workers);
	return statuses;
}

/**
 * Sends deliveries as Meta does (https://developers.facebook.com/docs/messenger-platform/webhook, *Required 200 OK
 * Response*): a delivery not answered 200 in time — another status, a timeout or a refused connection — is sent
 * again, at once and then less often (here 1 s, 2 s, 4 s … 10 s apart, for up to `retryForMs`). Meta gives up on an
 * answer after 20 s (https://developers.facebook.com/docs/messenger-platform/faq, Webhooks: "A webhook call will
 * timeout after 20 seconds"), so that is the default `answerTimeoutMs`. Resolves with one
 * { status, attempts, failures: [status | 'timeout' | 'network'], answerMs } per delivery, in order; status is the
 * last answer, answerMs the time from the first POST to it.
 */
async function deliverLikeMeta(
	url,
	deliveries,
	appSecret,
	{ concurrency = 20, answerTimeoutMs = 20000, retryForMs = 10 * 60000, maxBackoffMs = 10000 } = {},
) {
	const results = new Array(deliveries.length);
	let next = 0;
	const one = async (delivery) => {
		const raw = JSON.stringify(delivery.payload);
		const headers = { 'content-type': 'application/json', 'x-hub-signature-256': signature(raw, appSecret) };
		const failures = [];
		const firstPostAt = Date.now();
		const giveUpAt = firstPostAt + retryForMs;
		for (let attempt = 1; ; attempt++) {
			let status;
			try {
				const res = await fetch(url, { method: 'POST', headers, body: raw, signal: AbortSignal.timeout(answerTimeoutMs) });
				await res.text();
				status = res.status;
			} catch (error) {
				status = error && error.name === 'TimeoutError' ? 'timeout' : 'network';
			}
			if (status === 200) return { status, attempts: attempt, failures, answerMs: Date.now() - firstPostAt };
			failures.push(status);
			if (Date.now() > giveUpAt) return { status, attempts: attempt, failures, answerMs: Date.now() - firstPostAt };
			await new Promise((r) => setTimeout(r, Math.min(maxBackoffMs, 1000 * 2 ** (attempt - 1))));
		}
	};
	const workers = Array.from({ length: concurrency }, async () => {
		while (next < deliveries.length) {
			const i = next++;
			results[i] = await one(deliveries[i]);
		}
	});
	await Promise.all(workers);
	return results;
}

/** Number of executions matching an n8n executions filter, e.g. { workflowId, status: ['error'] }. */
async function countExecutions(api, filter) {
	const result = await api.request(
		'GET',
		`/executions?filter=${encodeURIComponent(JSON.stringify(filter))}&limit=1`,
	);
	return result.count;
}

/** Waits until the workflow has `count` finished webhook executions and none running; returns the finished count. */
async function waitForWebhookRuns(api, workflowId, count, { timeoutMs = 40 * 60000 } = {}) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const done = await countExecutions(api, {
			workflowId,
			mode: 'webhook',
			status: ['success', 'error', 'crashed', 'canceled'],
		});
		if (done >= count) return done;
		if (Date.now() > deadline)
			throw new Error(`${workflowId}: ${done}/${count} webhook executions after ${timeoutMs} ms`);
		await new Promise((r) => setTimeout(r, 500));
	}
}

/** Waits until `count` runs of the workflow's Schedule trigger started after `since` (a Date) have finished. */
async function waitForScheduledRuns(
	api,
	workflowId,
	since,
	count = 1,
	{ timeoutMs = 300000 } = {},
) {
	const deadline = Date.now() + timeoutMs;
	const filter = {
		workflowId,
		mode: 'trigger',
		status: ['success', 'error', 'crashed'],
		startedAfter: since.toISOString(),
	};
	for (;;) {
		if ((await countExecutions(api, filter)) >= count) return;
		if (Date.now() > deadline)
			throw new Error(
				`${workflowId}: fewer than ${count} scheduled runs after ${since.toISOString()}`,
			);
		await new Promise((r) => setTimeout(r, 1000));
	}
}

/** Waits until no execution of the workflow is new, running or waiting. */
async function waitForNoRunning(api, workflowId, { timeoutMs = 300000 } = {}) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const running = await countExecutions(api, {
			workflowId,
			status: ['new', 'running', 'waiting'],
		});
		if (running === 0) return;
		if (Date.now() > deadline)
			throw new Error(`${workflowId}: ${running} executions still running after ${timeoutMs} ms`);
		await new Promise((r) => setTimeout(r, 500));
	}
}

/** Makes a workflow's "Every 15 minutes" Schedule trigger fire every `seconds` seconds (load tests only). */
function everyFewSeconds(workflow, seconds) {
	const node = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.scheduleTrigger');
	node.parameters.rule = { interval: [{ field: 'seconds', secondsInterval: seconds }] };
	return workflow;
}

module.exports = {
	igsidOf,
	buildDeliveries,
	deliverConcurrently,
	deliverLikeMeta,
	countExecutions,
	waitForWebhookRuns,
	waitForScheduledRuns,
	waitForNoRunning,
	everyFewSeconds,
};
