// Faults for the queue-mode stack (scripts/queue/topology.js), the way production breaks: a worker killed in the
// middle of a send, PostgreSQL or Redis restarted or down for a while. And the read-outs the fault suite
// (test/faults/) asserts on after each one. docs/queue-mode.md, "Faults".
const fs = require('fs');
const { alive } = require('./services');
const { countExecutions } = require('./scenario');

/** Ids of the workflow's running executions of `mode` ('trigger': the dispatcher's Schedule trigger). */
async function runningExecutions(api, workflowId, mode = 'trigger') {
	const result = await api.request(
		'GET',
		`/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId, mode, status: ['running'] }))}&limit=20`,
	);
	return ((result && result.results) || []).map((e) => String(e.id));
}

/** The worker whose log says it started `executionId` (n8n logs "Worker started execution <id> (job <n>)"). */
function workerRunning(stack, executionId) {
	const pattern = new RegExp(`Worker started execution ${executionId} \\(`);
	return stack.processes.find((p) => p.role === 'worker' && pattern.test(fs.readFileSync(p.logFile, 'utf8')));
}

/**
 * Waits until `predicate()` holds (polling every 200 ms) and resolves with the milliseconds it took; rejects after
 * `timeoutMs` with `what`.
 */
async function waitUntil(predicate, what, timeoutMs = 120000) {
	const started = Date.now();
	for (;;) {
		if (await predicate()) return Date.now() - started;
		if (Date.now() - started > timeoutMs) throw new Error(`${what}: not after ${timeoutMs} ms`);
		await new Promise((r) => setTimeout(r, 200));
	}
}

/**
 * Every process of the stack is up: PostgreSQL, Redis and each n8n process running, the main's API answering and
 * the webhook processor serving Part 1's webhook (an unsigned POST is refused with 401, not 404 or no answer).
 */
async function everythingUp(stack) {
	const pids = [...Object.values(stack.services).map((s) => s.pid), ...stack.processes.map((p) => p.pid)];
	if (!pids.every(alive)) return false;
	try {
		await countExecutions(stack.api, { workflowId: 'StoryLeadsPart1' });
		const hook = await fetch(stack.urls.instagramPart1, { method: 'POST', signal: AbortSignal.timeout(10000) });
		return hook.status === 401;
	} catch {
		return false;
	}
}

/** Kills a process with SIGKILL (no clean-up, as `kill -9`). */
function kill9(pid) {
	process.kill(pid, 'SIGKILL');
}

module.exports = { runningExecutions, workerRunning, waitUntil, everythingUp, kill9 };
