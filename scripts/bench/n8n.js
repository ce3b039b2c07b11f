#!/usr/bin/env node
// `npm run bench:n8n`: one real n8n (scripts/n8n/stack.js: templates, fakes, our packed package), each scenario
// next to its baseline in the same run, interleaved where both sides are timed. Prints absolute figures with the
// machine's core count and the ratios, and exits 1 with a "TARGET MISSED" line per missed target:
//   webhook path >= 90 % of a bare Webhook → Set with the n8n settings we ship (scripts/n8n/settings.js), printed
//   side by side with n8n's defaults (a second, short-lived n8n); 100k-row viewer CSV stored in <= 90 s (peak RSS of
//   n8n printed); p95 from signed delivery to DM request <= 2 s at concurrency 10 with 100,000 stored contacts;
//   1,000 replies from 1,000 people posted within 60 s each answered exactly once, the last within 4 minutes, on
//   one main and again in queue mode with two workers (scripts/queue/topology.js), printed side by side: queue mode
//   no slower than one main. Printed too: executions, node runs, Data table calls (by node) and node ms per delivery.
// Needs `npm run build` (the package is packed from dist/). Sizes: `--tiny` (plumbing only) or env overrides.
const os = require('os');
const { startFakeGraphApi } = require('../fakes/graphApi');
const { startStack } = require('../n8n/stack');
const s = require('./n8nScenarios');
const { RECOMMENDED_N8N_ENV } = require('../n8n/settings');
const { N8N_VERSION, NODE24_VERSION } = require('../n8n/install');
const { startQueueStack } = require('../queue/topology');
const figuresFile = require('../figures');

const TINY = process.argv.includes('--tiny');
const num = (name, full, tiny) => Number(process.env[name] || (TINY ? tiny : full));
const SIZES = {
	webhookRequests: num('BENCH_WEBHOOK_REQUESTS', 400, 20),
	webhookConcurrency: num('BENCH_WEBHOOK_CONCURRENCY', 10, 4),
	webhookRounds: num('BENCH_WEBHOOK_ROUNDS', 5, 2),
	segmentEvents: num('BENCH_SEGMENT_EVENTS', 100_000, 300),
	segmentViewers: num('BENCH_SEGMENT_VIEWERS', 10_000, 40),
	segmentRounds: num('BENCH_SEGMENT_ROUNDS', 1, 1),
	csvRows: num('BENCH_CSV_ROWS', 100_000, 50),
	contacts: num('BENCH_CONTACTS', 100_000, 200),
	deliveries: num('BENCH_DELIVERIES', 100, 6),
	deliveryConcurrency: num('BENCH_DELIVERY_CONCURRENCY', 10, 3),
	singleDeliveries: num('BENCH_SINGLE_DELIVERIES', 20, 2),
	burstSenders: num('BENCH_BURST_SENDERS', 1000, 6),
	burstWithinMs: num('BENCH_BURST_WITHIN_MS', 60_000, 3000),
};
// Issue 24 restated latency to what users feel: a delivery alone is answered within 1 s (p95, 100,000 stored
// contacts), a burst of replies within 4 minutes. The 10-waiting pass is printed without a target: its latency is
// 10 ÷ the throughput, which the burst measures directly.
const TARGETS = { webhookRatio: 0.9, csvSecondsPer100k: 90, aloneP95Ms: 1000, burstLastAnswerSeconds: 240 };
/**
 * Part 1's reply path before issue 24 (a story reply from a new sender, answered at once): 14 Data table calls, as
 * test/unit/templates-reply-cost.test.js counts them on the template (they match the bench's count of that template).
 */
const BEFORE_ISSUE_24 = { dataTableCalls: 14 };
const FIXED_NOW = '2026-03-10T10:00:00.000Z';
const only = (process.env.BENCH_ONLY || '').split(',').filter(Boolean);
const wanted = (name) => only.length === 0 || only.includes(name);

const percent = (ratio) => `${(ratio * 100).toFixed(0)} %`;

/** The trigger/bare webhook pair on a started stack; prints each round under `label`. */
async function webhookPair(stack, sizes, log, label) {
	const pair = await s.setUpWebhookPair(stack);
	const w = await s.webhookScenario(stack, pair, {
		requests: sizes.webhookRequests,
		concurrency: sizes.webhookConcurrency,
		rounds: sizes.webhookRounds,
	});
	w.perRound.forEach((r, i) =>
		log(
			`webhook (${label}) round ${i + 1}: trigger→Set ${r.trigger.toFixed(1)} req/s, Webhook→Set ${r.bare.toFixed(1)} req/s`,
		),
	);
	for (const id of Object.values(pair.ids)) await stack.api.unpublish(id);
	return w;
}

/**
 * The webhook pair under both engine settings, side by side: lazy acquisition (what we ship) and n8n's defaults.
 * Returns the printed lines.
 */
function engineTable(lazy, defaults) {
	const rows = [
		['', 'lazy isolates (shipped)', "n8n's defaults"],
		['Instagram Story Trigger → Set', `${lazy.trigger.toFixed(1)} req/s`, `${defaults.trigger.toFixed(1)} req/s`],
		['Webhook → Set', `${lazy.bare.toFixed(1)} req/s`, `${defaults.bare.toFixed(1)} req/s`],
		[
			'trigger / bare',
			`${percent(lazy.ratio)} (target >= ${percent(TARGETS.webhookRatio)})`,
			`${percent(defaults.ratio)} (printed, no target)`,
		],
	];
	const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length)));
	return [
		'webhook path under both n8n expression-engine settings (same requests, same machine, one run):',
		...rows.map((r) => `  ${r.map((cell, c) => cell.padEnd(widths[c])).join('  |  ')}`.trimEnd()),
		"  n8n's defaults: n8n 2.41 opens a second expression isolate for every request to a trigger other than its own",
		'  Webhook (N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE is off); npm start, npm run queue and docker-compose.queue.yml turn it on.',
	];
}

/** Runs the scenarios on a started stack; `log` prints lines. Returns { figures, missed: string[] }. */
async function runAll(stack, sizes, log = console.log) {
	const figures = {};
	const missed = [];
	const check = (ok, line) => {
		if (!ok) missed.push(line);
	};
	const setup = await stack.api.runManually('StoryLeadsSetup', 'Run once');
	if (setup.status !== 'success') throw new Error('Set-up workflow failed');

	if (wanted('webhook')) {
		figures.webhook = await webhookPair(stack, sizes, log, 'shipped settings');
		check(
			figures.webhook.ratio >= TARGETS.webhookRatio,
			`TARGET MISSED: webhook path ${percent(figures.webhook.ratio)} of bare Webhook → Set with lazy isolates (target >= ${percent(TARGETS.webhookRatio)})`,
		);
	}
	if (wanted('segment')) {
		const id = await s.setUpSegmentWorkflow(stack, {
			events: sizes.segmentEvents,
			viewers: sizes.segmentViewers,
		});
		const g = await s.segmentScenario(stack, id, { rounds: sizes.segmentRounds });
		figures.segment = g;
		log(
			`segment (${sizes.segmentEvents} events): Viewer Segment ${g.segmentMs.toFixed(0)} ms vs Date & Time + Filter + Summarize + Filter ${g.chainMs.toFixed(0)} ms: the chain takes ${(g.chainMs / Math.max(1, g.segmentMs)).toFixed(0)}× as long (repeat viewers ${g.perRound[0].repeat} on both)`,
		);
	}
	if (wanted('csv')) {
		// Published for the whole import (and the re-upload): no schedule boundary may fall inside it.
		await s.publishPart1(stack, Math.max(240_000, sizes.csvRows * 5));
		const c = await s.csvImportScenario(stack, { rows: sizes.csvRows });
		await stack.api.unpublish('StoryLeadsPart1');
		figures.csv = c;
		const rss = c.peakRssMiB === undefined ? 'peak RSS not measured here' : `peak RSS of n8n ${c.peakRssMiB.toFixed(0)} MiB (since ${c.peakRssSince})`;
		const budget = (TARGETS.csvSecondsPer100k * sizes.csvRows) / 100_000;
		log(
			`CSV import: ${c.rows} rows stored in ${c.seconds.toFixed(1)} s (${c.rowsPerSecond.toFixed(0)} rows/s; ${rss}; target <= ${budget.toFixed(0)} s)`,
		);
		const shown = c.progress.length > 4 ? [...c.progress.slice(0, 2), undefined, ...c.progress.slice(-2)] : c.progress;
		log(
			`CSV import progress in the execution (Import progress, ${c.progress.length} runs): ${shown
				.map((p) => (p ? `${p.stored}/${p.of} (${p.percent} %)` : '…'))
				.join(', ')}`,
		);
		check(
			c.seconds <= budget,
			`TARGET MISSED: CSV import of ${c.rows} rows took ${c.seconds.toFixed(1)} s (target <= ${budget.toFixed(0)} s)`,
		);
	}
	if (wanted('dispatcher') || wanted('latency')) {
		const seedStart = Date.now();
		await s.seedContacts(stack, sizes.contacts);
		log(`seeded ${sizes.contacts} contacts (state and consent) in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);
		if (wanted('dispatcher')) {
			const d = await s.dispatcherScenario(stack, {
				timeoutMs: num('BENCH_DISPATCHER_TIMEOUT_MS', 900_000, 300_000),
			});
			figures.dispatcher = d;
			log(
				d.finished
					? `dispatcher run with ${sizes.contacts} stored contacts: ${d.seconds.toFixed(1)} s (${d.viewers} viewers in the window, contact-state rows read: ${d.contactStateItems})`
					: `dispatcher run with ${sizes.contacts} stored contacts: NOT FINISHED after ${d.seconds.toFixed(0)} s, stopped (viewers × contacts Merge)`,
			);
		}
		if (wanted('latency')) {
			await s.publishPart1(stack, 240_000);
			const l = await s.latencyScenario(stack, {
				deliveries: sizes.deliveries,
				concurrency: sizes.deliveryConcurrency,
			});
			// The same path one delivery at a time: what a single sender waits when nothing else runs.
			const aloneSince = Date.now();
			const one = await s.latencyScenario(stack, {
				deliveries: sizes.singleDeliveries,
				concurrency: 1,
				firstSender: 7_500_000,
			});
			const cost = await s.deliveryCost(stack, { sinceMs: aloneSince, deliveries: sizes.singleDeliveries });
			await stack.api.unpublish('StoryLeadsPart1');
			figures.latency = l;
			figures.latencyAlone = one;
			figures.deliveryCost = cost;
			for (const line of costLines(cost)) log(line);
			log(
				`delivery → DM with ${sizes.contacts} stored contacts, ${one.deliveries} deliveries one at a time: p50 ${one.p50Ms} ms, p95 ${one.p95Ms} ms, max ${one.maxMs} ms (target p95 <= ${TARGETS.aloneP95Ms} ms)`,
			);
			log(
				`delivery → DM with ${sizes.contacts} stored contacts, ${l.deliveries} deliveries, ${sizes.deliveryConcurrency} waiting for their DM at a time: p50 ${l.p50Ms} ms, p95 ${l.p95Ms} ms, max ${l.maxMs} ms, ${l.perSecond.toFixed(2)} deliveries/s (printed; the burst below is the throughput target)`,
			);
			check(
				one.p95Ms <= TARGETS.aloneP95Ms,
				`TARGET MISSED: delivery-to-DM p95 one at a time ${one.p95Ms} ms (target <= ${TARGETS.aloneP95Ms} ms)`,
			);
		}
	}
	if (wanted('burst')) {
		const b = await burstOn(stack, sizes);
		figures.burst = b;
		log(`burst: ${burstSummary(b)} (target: each exactly once, the last within ${TARGETS.burstLastAnswerSeconds} s)`);
		// The burst's cost per delivery: a delivery that finds the lease busy ends at once; the holder answers a
		// batch per round, so its Data table calls are shared by everyone it answers.
		figures.burstCost = await s.deliveryCost(stack, { sinceMs: b.startedAtMs, deliveries: b.senders });
		for (const line of costLines(figures.burstCost, 'under the burst')) log(line);
		check(b.exactlyOnce, `TARGET MISSED: burst: ${b.answered} of ${b.senders} answered, ${b.twice} twice (target: each exactly once)`);
		check(
			b.lastAnswerSeconds !== undefined && b.lastAnswerSeconds <= TARGETS.burstLastAnswerSeconds,
			`TARGET MISSED: burst: last answer after ${b.lastAnswerSeconds === undefined ? '—' : b.lastAnswerSeconds.toFixed(0)} s (target <= ${TARGETS.burstLastAnswerSeconds} s)`,
		);
	}
	return { figures, missed };
}

/** The burst scenario on a started stack (one main or queue mode), Part 1 published for it. */
async function burstOn(stack, sizes) {
	const timeoutMs = num('BENCH_BURST_TIMEOUT_MS', 480_000, 300_000); // twice the target: enough to say how far it got
	// Clear of Part 1's 15-minute schedule while the replies arrive and the first answers go out (a window longer
	// than 15 minutes could never be found); a dispatcher run later in the burst must keep exactly-once too.
	await s.publishPart1(stack, Math.min(sizes.burstWithinMs + 60_000, 10 * 60_000));
	let result;
	try {
		result = await s.burstScenario(stack, { senders: sizes.burstSenders, withinMs: sizes.burstWithinMs, timeoutMs });
	} catch (error) {
		// The burst's own error is the one to see (an unpublish refused by an overloaded n8n must not hide it).
		await stack.api.unpublish('StoryLeadsPart1').catch(() => {});
		throw error;
	}
	await stack.api.unpublish('StoryLeadsPart1');
	return result;
}

const lastAnswer = (b) => (b.lastAnswerSeconds === undefined ? '—' : `${b.lastAnswerSeconds.toFixed(1)} s`);

function burstSummary(b) {
	return `${b.senders} replies from ${b.senders} people posted within ${b.withinSeconds.toFixed(0)} s (${b.postedSeconds.toFixed(1)} s to post): ${b.answered} answered, ${b.twice} twice; last answer after ${lastAnswer(b)}, ${b.deliveriesPerSecond.toFixed(2)} deliveries/s; ${metaSide(b)}`;
}

/** What Meta saw: n8n's 200 (p50/p95 from the first POST), deliveries re-sent after a timeout or an error. */
function metaSide(b) {
	if (b.answerP50Ms === undefined) return 'Meta\'s side not measured';
	return `Meta answered in p50 ${(b.answerP50Ms / 1000).toFixed(1)} s, p95 ${(b.answerP95Ms / 1000).toFixed(1)} s, ${b.resent} re-sent, ${b.neverAcknowledged} never acknowledged`;
}

/** Cost per delivery: the totals, then the Data table calls by node (comparable run to run, template to template). */
function costLines(cost, when = 'one at a time') {
	const byNode = Object.entries(cost.dataTableCallsByNode || {})
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([name, calls]) => `${name} ${calls.toFixed(1)}`);
	return [
		`per delivery (${when}): ${cost.executionsPerDelivery.toFixed(1)} executions, ${cost.nodeRunsPerDelivery.toFixed(0)} node runs, ${cost.dataTableCallsPerDelivery.toFixed(1)} Data table calls (${BEFORE_ISSUE_24.dataTableCalls} before issue 24), ${cost.nodeMsPerDelivery.toFixed(0)} ms in nodes`,
		`  Data table calls per delivery by node: ${byNode.join(', ')}`,
	];
}

/**
 * The burst on one main and in queue mode (two workers), side by side; target: queue mode no slower (time to the
 * last answer). Returns the printed lines.
 */
function burstTable(main, queue) {
	const exactly = (b) => (b.exactlyOnce ? 'yes' : `no (${b.answered} of ${b.senders} answered, ${b.twice} twice)`);
	const answered = (b) =>
		b.answerP50Ms === undefined ? '—' : `${(b.answerP50Ms / 1000).toFixed(1)} s / ${(b.answerP95Ms / 1000).toFixed(1)} s`;
	const rows = [
		['', 'one main', 'queue mode, 2 workers'],
		['time to last answer', lastAnswer(main), lastAnswer(queue)],
		['deliveries/s', main.deliveriesPerSecond.toFixed(2), queue.deliveriesPerSecond.toFixed(2)],
		['each answered exactly once', exactly(main), exactly(queue)],
		['Meta answered (p50 / p95)', answered(main), answered(queue)],
		['deliveries re-sent by Meta', String(main.resent ?? '—'), String(queue.resent ?? '—')],
	];
	const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length)));
	return [
		`burst on one main and in queue mode (${main.senders} replies posted within ${main.withinSeconds.toFixed(0)} s, same machine, one after the other):`,
		...rows.map((r) => `  ${r.map((cell, c) => cell.padEnd(widths[c])).join('  |  ')}`.trimEnd()),
		'  target: queue mode no slower than one main (time to the last answer), each answered exactly once on both',
	];
}

/** TARGET MISSED lines of the queue-mode burst next to the one-main burst. */
function queueBurstMisses(main, queue) {
	const missed = [];
	if (!queue.exactlyOnce) {
		missed.push(`TARGET MISSED: burst in queue mode: ${queue.answered} of ${queue.senders} answered, ${queue.twice} twice (target: each exactly once)`);
	}
	if (queue.lastAnswerSeconds === undefined || main.lastAnswerSeconds === undefined || queue.lastAnswerSeconds > main.lastAnswerSeconds) {
		missed.push(
			`TARGET MISSED: burst in queue mode: last answer after ${lastAnswer(queue)} against ${lastAnswer(main)} on one main (target: no slower)`,
		);
	}
	return missed;
}

/**
 * n8n's settings for a bench stack: the settings we ship (`lazy`, scripts/n8n/settings.js) or n8n's defaults.
 * BENCH_N8N_CPU_PROF=<dir>: n8n writes a V8 CPU profile there when it stops.
 */
function n8nEnv({ lazy }) {
	const env = lazy ? { ...RECOMMENDED_N8N_ENV } : {};
	if (process.env.BENCH_N8N_CPU_PROF)
		env.NODE_OPTIONS = `--cpu-prof --cpu-prof-dir=${process.env.BENCH_N8N_CPU_PROF}`;
	return env;
}

/**
 * A bench stack with the settings we ship (default) or, with `{ lazy: false }`, n8n's defaults. `{ queue: true }`:
 * n8n in queue mode (PostgreSQL, Redis, a main, two workers and a webhook processor: scripts/queue/topology.js,
 * the settings we ship).
 */
async function startBenchStack({ lazy = true, queue = false } = {}) {
	const graphApi = await startFakeGraphApi({ accessToken: 'bench-token-not-a-secret' });
	// Part 2 is not involved (no forwarding); immediate replies on, so a delivery's DM goes out at once.
	let stack;
	try {
		stack = await (queue ? (options) => startQueueStack({ ...options, workers: 2 }) : startStack)({
			graphApi,
			settings: {
				// Caps high enough that every delivery of the latency scenario is answered (the shipped hourly cap is 50).
				part1: {
					fixedNow: FIXED_NOW,
					replyImmediately: true,
					engagementWebhookUrl: '',
					capPerRun: 100000,
					capPerHour: 100000,
					capPerDay: 100000,
				},
			},
			env: n8nEnv({ lazy }),
		});
	} catch (error) {
		await graphApi.close();
		throw error;
	}
	stack.fixedNow = FIXED_NOW;
	const stop = stack.stop;
	stack.stop = async () => {
		await stop();
		await graphApi.close();
	};
	return stack;
}

async function main() {
	console.log(
		`bench:n8n on ${os.cpus().length} cores (${os.cpus()[0].model}), Node ${process.version}, load ${os
			.loadavg()
			.map((l) => l.toFixed(1))
			.join(' ')}${TINY ? ' — tiny sizes, plumbing only' : ''}`,
	);
	console.log(`sizes ${JSON.stringify(SIZES)}`);
	console.log(
		`n8n settings: ${Object.entries(RECOMMENDED_N8N_ENV)
			.map(([n, v]) => `${n}=${v}`)
			.join(' ')} (shipped) for every scenario; the webhook pair again on n8n's defaults`,
	);
	const result = await runBench(SIZES);
	recordFigures(result);
	return exitCode(result.missed, { tiny: TINY });
}

/**
 * A full run at the default sizes is the recorded run the README and docs quote (docs/figures/bench-n8n.json,
 * scripts/figures.js); tiny, resized or partial runs are not.
 */
function recordFigures(result) {
	const resized = Object.keys(process.env).some((name) => name.startsWith('BENCH_'));
	if (TINY || resized || !figuresFile.recording()) {
		console.log('figures not recorded (tiny, resized, partial or profiled run, or STORY_LEADS_RECORD_FIGURES=0)');
		return;
	}
	const file = figuresFile.recordRun('bench-n8n', {
		command: 'npm run build && npm run bench:n8n',
		n8n: { version: N8N_VERSION, node: NODE24_VERSION },
		settings: {
			webhook: `lazy isolates (${Object.entries(RECOMMENDED_N8N_ENV).map(([n, v]) => `${n}=${v}`).join(' ')}) and n8n defaults`,
			otherScenarios: 'lazy isolates',
		},
		sizes: SIZES,
		figures: result.figures,
	});
	console.log(`figures recorded in ${file}: update the pages that quote them (npx jest test/unit/docs.test.js lists them)`);
}

/**
 * Every scenario on a stack with the shipped settings, then the webhook pair on a second stack with n8n's defaults
 * (one n8n at a time, so they do not share the cores), and the two side by side. Returns { figures, missed }.
 */
async function runBench(sizes, log = console.log) {
	const stack = await startBenchStack({ lazy: true });
	let result;
	try {
		result = await runAll(stack, sizes, log);
	} finally {
		await stack.stop();
	}
	if (wanted('webhook')) {
		const defaults = await startBenchStack({ lazy: false });
		try {
			result.figures.webhookDefaults = await webhookPair(defaults, sizes, log, "n8n's defaults");
		} finally {
			await defaults.stop();
		}
		for (const line of engineTable(result.figures.webhook, result.figures.webhookDefaults)) log(line);
	}
	if (wanted('burst')) {
		// The same burst in queue mode, on its own (the one-main n8n is stopped: they never share the cores).
		const queue = await startBenchStack({ queue: true });
		try {
			const setup = await queue.api.runManually('StoryLeadsSetup', 'Run once');
			if (setup.status !== 'success') throw new Error('Set-up workflow failed in queue mode');
			result.figures.burstQueue = await burstOn(queue, sizes);
		} finally {
			await queue.stop();
		}
		log(`burst in queue mode (2 workers): ${burstSummary(result.figures.burstQueue)}`);
		for (const line of burstTable(result.figures.burst, result.figures.burstQueue)) log(line);
		result.missed.push(...queueBurstMisses(result.figures.burst, result.figures.burstQueue));
	}
	return result;
}

/** The bench's exit code: 1 when a target was missed; tiny sizes say nothing about the targets (0, said so). */
function exitCode(missed, { tiny, log = console.log }) {
	if (tiny) {
		log('tiny sizes: targets not checked');
		return 0;
	}
	for (const line of missed) log(line);
	if (missed.length === 0) log('all bench:n8n targets met');
	return missed.length ? 1 : 0;
}

if (require.main === module) {
	main().then(
		(code) => process.exit(code),
		(error) => {
			console.error(error);
			process.exit(2);
		},
	);
}

module.exports = { runAll, runBench, startBenchStack, engineTable, burstTable, queueBurstMisses, costLines, exitCode, SIZES, TARGETS };
