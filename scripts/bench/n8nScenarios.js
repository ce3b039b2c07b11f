// Scenarios of `npm run bench:n8n` (scripts/bench/n8n.js), each next to the baseline a user would compare it
// with, on one real n8n started by scripts/n8n/stack.js with the shipped templates and the fakes. Every
// function takes its sizes as arguments, checks its own results (counts, rows, DMs) and returns figures; the
// e2e test runs them at tiny sizes so the plumbing cannot rot. Nothing here asserts on time.
const fs = require('fs');
const { waitForWebhook } = require('../n8n/harness');
const { uploadViewerCsv, avoidScheduleBoundaries } = require('../n8n/stack');
const { envelope, events, deliver, signature, ACCOUNT_ID } = require('../n8n/meta');
const { deliverLikeMeta } = require('../queue/scenario');

const PACKAGE = 'n8n-nodes-story-leads';
const DAY = 86_400_000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs `task(i)` for i in [0, n) with at most `concurrency` in flight; returns per-call results in order. */
async function pool(n, concurrency, task) {
	const results = new Array(n);
	let next = 0;
	const worker = async () => {
		while (next < n) {
			const i = next++;
			results[i] = await task(i);
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
	return results;
}

const percentile = (values, p) => {
	const sorted = values.slice().sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

/** Creates a workflow through the editor's REST API and returns its id. */
async function createWorkflow(api, { name, nodes, connections }) {
	const created = await api.request('POST', '/workflows', {
		name,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
	});
	return created.id;
}

const node = (name, type, typeVersion, position, parameters, extra = {}) => ({
	id: `${name.replace(/\W+/g, '-').toLowerCase()}-0000-4000-8000-000000000000`.slice(0, 36),
	name,
	type,
	typeVersion,
	position,
	parameters,
	...extra,
});
const chain = (...names) =>
	Object.fromEntries(
		names
			.slice(0, -1)
			.map((n, i) => [n, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }]),
	);
const setNode = (position) =>
	node('Set', 'n8n-nodes-base.set', 3.4, position, {
		mode: 'manual',
		assignments: {
			assignments: [{ id: 'a1', name: 'received', value: '={{ $now.toISO() }}', type: 'string' }],
		},
		includeOtherFields: true,
		include: 'all',
		options: {},
	});

/** Waits until `workflowId` has at least `count` finished executions (uses the list's total count). */
async function waitForFinished(api, workflowId, count, timeoutMs = 600_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const filter = encodeURIComponent(
			JSON.stringify({ workflowId, status: ['success', 'error', 'crashed'] }),
		);
		const list = await api.request('GET', `/executions?filter=${filter}&limit=1`);
		const done = Number(list && list.count) || 0;
		if (done >= count) return done;
		if (Date.now() > deadline)
			throw new Error(`workflow ${workflowId}: ${done}/${count} executions finished`);
		await sleep(250);
	}
}

// ---------------------------------------------------------------------------------------------------------
// 1. Webhook path: Instagram Story Trigger → Set next to Webhook → Set, same instance, interleaved rounds.

async function setUpWebhookPair(stack) {
	const { api } = stack;
	const trigger = await createWorkflow(api, {
		name: 'Bench: Instagram Story Trigger → Set',
		nodes: [
			node(
				'Instagram Story Trigger',
				`${PACKAGE}.instagramStoryTrigger`,
				1.1,
				[0, 0],
				{
					events: ['story_reply', 'story_mention', 'reaction', 'message', 'postback'],
					pseudonymise: false,
					options: {},
				},
				{
					webhookId: '7b3c0f64-2a1e-4c55-9d1a-0b6c2e9f4a11',
					credentials: { instagramApi: { id: 'slInstagram0001', name: 'Instagram account' } },
				},
			),
			setNode([220, 0]),
		],
		connections: chain('Instagram Story Trigger', 'Set'),
	});
	const bare = await createWorkflow(api, {
		name: 'Bench: Webhook → Set',
		nodes: [
			node(
				'Webhook',
				'n8n-nodes-base.webhook',
				2,
				[0, 0],
				{ httpMethod: 'POST', path: 'bench-bare-webhook', options: {} },
				{
					webhookId: '1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a10',
				},
			),
			setNode([220, 0]),
		],
		connections: chain('Webhook', 'Set'),
	});
	await api.publish(trigger);
	await api.publish(bare);
	const urls = {
		trigger: `${stack.baseUrl}/webhook/7b3c0f64-2a1e-4c55-9d1a-0b6c2e9f4a11/webhook`,
		bare: `${stack.baseUrl}/webhook/bench-bare-webhook`,
	};
	await waitForWebhook(urls.trigger, { method: 'POST' });
	await waitForWebhook(urls.bare, { method: 'POST' });
	return { ids: { trigger, bare }, urls, done: { trigger: 0, bare: 0 } };
}

/**
 * `requests` signed story-reply POSTs at `concurrency` to each side, `rounds` rounds alternating which side goes
 * first; each batch is timed until its last execution finished. Returns req/s per side and round.
 */
async function webhookScenario(stack, pair, { requests, concurrency, rounds }) {
	const at = Date.parse('2026-03-10T10:00:00.000Z');
	const bodies = Array.from({ length: requests }, (_, i) =>
		JSON.stringify(
			envelope([events.storyReply(String(5_000_000 + i), at - i * 1000, `bench ${i}`)]),
		),
	);
	const signed = bodies.map((raw) => signature(raw, stack.appSecret));
	const batch = async (side) => {
		const start = Date.now();
		const statuses = await pool(requests, concurrency, async (i) => {
			const headers = { 'content-type': 'application/json' };
			if (side === 'trigger') headers['x-hub-signature-256'] = signed[i];
			const res = await fetch(pair.urls[side], { method: 'POST', headers, body: bodies[i] });
			await res.arrayBuffer();
			return res.status;
		});
		const bad = statuses.filter((s) => s !== 200).length;
		if (bad) throw new Error(`webhook ${side}: ${bad} of ${requests} requests did not answer 200`);
		pair.done[side] += requests;
		await waitForFinished(stack.api, pair.ids[side], pair.done[side]);
		return requests / ((Date.now() - start) / 1000);
	};
	const perRound = [];
	for (let round = 0; round < rounds; round++) {
		const order = round % 2 === 0 ? ['trigger', 'bare'] : ['bare', 'trigger'];
		const r = {};
		for (const side of order) r[side] = await batch(side);
		perRound.push(r);
	}
	const sum = (side) => perRound.reduce((s, r) => s + r[side], 0);
	return {
		perRound,
		trigger: sum('trigger') / rounds,
		bare: sum('bare') / rounds,
		ratio: sum('trigger') / sum('bare'),
	};
}

// ---------------------------------------------------------------------------------------------------------
// 2. Viewer Segment vs the Summarize + Filter + Date & Time chain for the repeat-viewer rule, in one workflow:
//    both branches read the same generated events; each node's own executionTime is taken from the run data.

const GENERATE_EVENTS = (n, viewers, asOf) => `
const asOf = ${asOf}; const out = new Array(${n}); let s = 42;
const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
const types = ['view','view','view','view','view','view','reaction','story_reply','profile_visit','link_click','message'];
for (let i = 0; i < ${n}; i++) {
  out[i] = { json: { eventId: 'ev_' + i, viewerKey: 'viewer_' + Math.floor(rand() * ${viewers}), viewerKeyType: 'handle',
    storyId: 'story_' + Math.floor(rand() * 60), type: types[Math.floor(rand() * types.length)],
    occurredAt: new Date(asOf - Math.floor(rand() * 9 * 86400000)).toISOString(), ingestedAt: new Date(asOf).toISOString(),
    source: 'csv', sourceTool: 'bench' } };
}
return out;`;

const SEGMENT_CHAIN = [
	'Days since event',
	'Seen in the window',
	'Stories per viewer',
	'Three or more stories',
];

async function setUpSegmentWorkflow(stack, { events: n, viewers }) {
	const asOf = Date.parse('2026-11-22T12:00:00.000Z');
	const asOfIso = new Date(asOf).toISOString();
	const cond = (id, leftValue, operator, rightValue = '') => ({
		id,
		leftValue,
		rightValue,
		operator,
	});
	const filter = (name, position, list) =>
		node(name, 'n8n-nodes-base.filter', 2.2, position, {
			conditions: {
				options: { caseSensitive: true, leftValue: '', typeValidation: 'loose', version: 2 },
				conditions: list,
				combinator: 'and',
			},
			options: {},
		});
	const nodes = [
		node('Run now', 'n8n-nodes-base.manualTrigger', 1, [0, 0], {}),
		node('Generate events', 'n8n-nodes-base.code', 2, [220, 0], {
			jsCode: GENERATE_EVENTS(n, viewers, asOf),
		}),
		node('Viewer Segment', `${PACKAGE}.viewerSegment`, 1, [440, -160], {
			asOf: asOfIso,
			windowDays: 7,
			segments: ['repeatViewer'],
			repeatViewerOptions: { minStories: 3 },
			outputMode: 'tag',
		}),
		node('Days since event', 'n8n-nodes-base.dateTime', 2, [440, 160], {
			operation: 'getTimeBetweenDates',
			startDate: '={{ $json.occurredAt }}',
			endDate: asOfIso,
			units: ['day'],
			outputFieldName: 'age',
			options: { includeInputFields: true },
		}),
		filter(
			'Seen in the window',
			[660, 160],
			[
				cond('c1', "={{ ['view', 'story_reply', 'reaction'].includes($json.type) }}", {
					type: 'boolean',
					operation: 'true',
					singleValue: true,
				}),
				cond('c2', '={{ $json.age.days }}', { type: 'number', operation: 'gte' }, 0),
				cond('c3', '={{ $json.age.days }}', { type: 'number', operation: 'lt' }, 7),
			],
		),
		node('Stories per viewer', 'n8n-nodes-base.summarize', 1.1, [880, 160], {
			fieldsToSummarize: { values: [{ aggregation: 'countUnique', field: 'storyId' }] },
			fieldsToSplitBy: 'viewerKey',
			options: {},
		}),
		filter(
			'Three or more stories',
			[1100, 160],
			[cond('c4', '={{ $json.unique_count_storyId }}', { type: 'number', operation: 'gte' }, 3)],
		),
	];
	const connections = {
		...chain('Run now', 'Generate events'),
		'Generate events': {
			main: [
				[
					{ node: 'Viewer Segment', type: 'main', index: 0 },
					{ node: 'Days since event', type: 'main', index: 0 },
				],
			],
		},
		...chain(...SEGMENT_CHAIN),
	};
	return await createWorkflow(stack.api, {
		name: 'Bench: Viewer Segment vs Summarize chain',
		nodes,
		connections,
	});
}

async function segmentScenario(stack, workflowId, { rounds }) {
	const perRound = [];
	for (let round = 0; round < rounds; round++) {
		// The user-built chain evaluates expressions per item: 100,000 events take minutes on a loaded 2-core box.
		const run = await stack.api.runManually(workflowId, 'Run now', { timeoutMs: 3_600_000 });
		if (run.status !== 'success')
			throw new Error(`segment workflow: ${run.status} ${run.error && run.error.message}`);
		const time = (name) => run.runData[name][0].executionTime;
		const out = (name) => (run.runData[name][0].data.main[0] || []).length;
		const segmentMs = time('Viewer Segment');
		const chainMs = SEGMENT_CHAIN.reduce((s, name) => s + time(name), 0);
		const segmented = run.runData['Viewer Segment'][0].data.main[0].map((i) => i.json);
		const repeat = segmented.filter((v) => (v.segments || []).includes('repeatViewer')).length;
		if (repeat !== out('Three or more stories')) {
			throw new Error(
				`segment: Viewer Segment found ${repeat} repeat viewers, the chain ${out('Three or more stories')}`,
			);
		}
		perRound.push({ segmentMs, chainMs, repeat });
	}
	const sum = (k) => perRound.reduce((s, r) => s + r[k], 0);
	return {
		perRound,
		segmentMs: sum('segmentMs') / rounds,
		chainMs: sum('chainMs') / rounds,
		ratio: sum('segmentMs') / sum('chainMs'),
	};
}

// ---------------------------------------------------------------------------------------------------------
// 3. CSV import through Part 1's form: POST to the end of the execution, and the rows in the events table.

function viewerCsv(rows, asOf) {
	const lines = ['viewer_id,viewed_at,story_id,follower_count'];
	for (let i = 0; i < rows; i++) {
		// 70 % distinct viewers; every row a distinct (viewer, time) pair, so each is a distinct event.
		lines.push(
			`${3_000_000 + (i % Math.max(1, Math.floor(rows * 0.7)))},${new Date(asOf - i * 30_000).toISOString()},story-${i % 9},${i % 500}`,
		);
	}
	return lines.join('\n');
}

/**
 * Peak resident memory of a process in MiB since `resetPeakRss` (Linux: VmHWM in /proc/<pid>/status), or
 * undefined where /proc is not there.
 */
function peakRssMiB(pid) {
	try {
		const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		const kb = /^VmHWM:\s+(\d+) kB/m.exec(status);
		return kb ? Number(kb[1]) / 1024 : undefined;
	} catch {
		return undefined;
	}
}

/** Resets a process's peak RSS to its current RSS (Linux clear_refs 5), so the next peak is this scenario's. */
function resetPeakRss(pid) {
	try {
		fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
		return true;
	} catch {
		return false;
	}
}

async function csvImportScenario(stack, { rows }) {
	const { api } = stack;
	const asOf = Date.parse('2026-03-10T10:00:00.000Z');
	const before = (await api.dataTableRows('story_leads_events')).length;
	const finishedBefore = await waitForFinished(api, 'StoryLeadsPart1', 0);
	const pid = stack.server && stack.server.pid;
	const peakReset = pid !== undefined && resetPeakRss(pid);
	const start = Date.now();
	const csv = viewerCsv(rows, asOf);
	const upload = await uploadViewerCsv(stack.urls.viewerForm, csv);
	if (upload.status !== 200)
		throw new Error(`CSV form answered ${upload.status}: ${upload.body.slice(0, 200)}`);
	await waitForFinished(api, 'StoryLeadsPart1', finishedBefore + 1);
	const seconds = (Date.now() - start) / 1000;
	// n8n's main process runs the import (no Code node on that path): its peak RSS during the import.
	const peakRss = pid !== undefined ? peakRssMiB(pid) : undefined;
	const importId = await latestFinishedId(api, 'StoryLeadsPart1');
	const stored = (await api.dataTableRows('story_leads_events')).length - before;
	if (stored !== rows) throw new Error(`CSV import stored ${stored} of ${rows} rows`);
	// The same list again (a re-upload): every row is known, nothing is stored twice.
	const again = await uploadViewerCsv(stack.urls.viewerForm, csv);
	if (again.status !== 200) throw new Error(`CSV form answered ${again.status} to the re-upload`);
	await waitForFinished(api, 'StoryLeadsPart1', finishedBefore + 2);
	const after = (await api.dataTableRows('story_leads_events')).length - before;
	if (after !== rows)
		throw new Error(`re-uploading the same CSV changed the stored rows from ${rows} to ${after}`);
	// The progress figure the user sees in the import's execution (read after the timing: the execution is large).
	const progress = importProgress(await api.waitForExecution(importId), rows);
	return { rows, seconds, rowsPerSecond: rows / seconds, peakRssMiB: peakRss, peakRssSince: peakReset ? 'import' : 'n8n start', progress, answer: upload.body, reuploadAnswer: again.body };
}

/** Id of the newest finished execution of a workflow. */
async function latestFinishedId(api, workflowId) {
	const filter = encodeURIComponent(JSON.stringify({ workflowId, status: ['success', 'error', 'crashed'] }));
	const list = await api.request('GET', `/executions?filter=${filter}&limit=20`);
	const ids = ((list && list.results) || []).map((e) => Number(e.id));
	if (ids.length === 0) throw new Error(`workflow ${workflowId} has no finished execution`);
	// The newest by id: n8n's list is not ordered by id alone when its concurrency control is on.
	return String(Math.max(...ids));
}

/**
 * The runs of Part 1's "Import progress" in an import's execution ({ stored, of, percent } each, one per chunk);
 * throws unless they count up to every row of the file.
 */
function importProgress(execution, rows) {
	const runs = (execution.runData['Import progress'] || []).map((task) => task.data.main[0][0].json);
	const last = runs[runs.length - 1];
	if (!last || last.stored !== rows || last.of !== rows || last.percent !== 100)
		throw new Error(
			`the import's progress does not end at ${rows} of ${rows} (100 %): ${JSON.stringify(runs)} (execution ${execution.id}, nodes run: ${Object.keys(execution.runData).join(', ')})`,
		);
	return runs;
}

// ---------------------------------------------------------------------------------------------------------
// 4./5. Stored contacts: seed the cadence table, time a dispatcher run, then delivery-to-DM latency.

async function tableOf(api, name) {
	const table = (await api.dataTables()).find((t) => t.name === name);
	if (!table) throw new Error(`no Data table ${name}`);
	return table;
}

/**
 * Inserts `count` stored contacts in chunks: a cadence row each (they wrote weeks ago and finished their sequence)
 * and a consent record each (an opt-in by form), so reads of either table would grow with `count`.
 */
async function seedContacts(stack, count) {
	const table = await tableOf(stack.api, 'story_leads_cadence');
	const consent = await tableOf(stack.api, 'story_leads_consent');
	const old = new Date(Date.parse('2026-01-10T10:00:00.000Z')).toISOString();
	for (let from = 0; from < count; from += 2000) {
		const records = [];
		for (let i = from; i < Math.min(count, from + 2000); i++) {
			records.push({
				recordId: `seed-${i}`,
				subjectKey: String(9_000_000 + i),
				channel: 'instagram_dm',
				purpose: 'marketing',
				status: 'opt_in',
				lawfulBasis: 'consent',
				recordedAt: old,
				source: 'form',
				evidence: 'bench seed',
			});
		}
		await stack.api.request('POST', `/projects/${consent.projectId}/data-tables/${consent.id}/insert`, {
			data: records,
			returnType: 'count',
		});
		const data = [];
		for (let i = from; i < Math.min(count, from + 2000); i++) {
			data.push({
				contactId: String(9_000_000 + i),
				sequence: 'storyReplyWindow',
				status: 'done',
				currentStep: 3,
				sentCount: 3,
				lastInboundAt: old,
				doneReason: 'exhausted',
				doneAt: old,
			});
		}
		await stack.api.request('POST', `/projects/${table.projectId}/data-tables/${table.id}/insert`, {
			data,
			returnType: 'count',
		});
	}
}

/**
 * One *Run now* of Part 1. A run still going after `timeoutMs` is stopped (so it does not load the next scenario)
 * and reported as unfinished: its Merge of viewers with contact state compares every pair.
 */
async function dispatcherScenario(stack, { timeoutMs = 900_000 } = {}) {
	const { api } = stack;
	const start = Date.now();
	const started = await api.request('POST', '/workflows/StoryLeadsPart1/run', {
		triggerToStartFrom: { name: 'Run now' },
	});
	let run;
	try {
		run = await api.waitForExecution(started.executionId, { timeoutMs });
	} catch (error) {
		if (!/did not finish/.test(String(error && error.message))) throw error;
		await api.request('POST', `/executions/${started.executionId}/stop`, {});
		await api.waitForExecution(started.executionId, { timeoutMs: 120_000 });
		return { finished: false, seconds: (Date.now() - start) / 1000, contactStateItems: undefined };
	}
	if (run.status !== 'success')
		throw new Error(`dispatcher: ${run.status} ${run.error && run.error.message}`);
	const output = (name) => ((run.runData[name] || [])[0] || { data: { main: [[]] } }).data.main[0] || [];
	const items = (name) => output(name).length;
	return {
		finished: true,
		seconds: (Date.now() - start) / 1000,
		// Rows read (an empty read still outputs one empty item).
		contactStateItems: output('Read contact state').filter((i) => i.json && i.json.contactId).length,
		viewers: items('Segment viewers'),
	};
}

/**
 * `deliveries` signed story replies from new senders, `concurrency` of them waiting for their DM at any time: each
 * of `concurrency` clients sends a delivery and sends its next one when the fake Graph API has received the DM
 * for the previous sender (the webhook itself answers at once, so POSTs in flight would say nothing about the
 * work). Latency = from sending the POST to the DM request. Part 1 must be published with replyImmediately on.
 */
async function latencyScenario(stack, { deliveries, concurrency, firstSender = 7_000_000, timeoutMs = 120_000 }) {
	const graph = stack.graphApi;
	const now = Date.parse(stack.fixedNow);
	const waiting = new Map(); // sender → resolve(arrival time)
	const push = graph.requests.push;
	graph.requests.push = function record(request) {
		if (request.method === 'POST' && /\/messages$/.test(request.path) && request.body && request.body.recipient) {
			const resolve = waiting.get(request.body.recipient.id);
			if (resolve) resolve(Date.now());
		}
		return push.call(this, request);
	};
	try {
		const started = Date.now();
		const latencies = await pool(deliveries, concurrency, async (i) => {
			const sender = String(firstSender + i);
			const arrived = new Promise((resolve, reject) => {
				waiting.set(sender, resolve);
				setTimeout(() => reject(new Error(`sender ${sender} got no DM in ${timeoutMs} ms`)), timeoutMs).unref();
			});
			const sentAt = Date.now();
			const res = await deliver(
				stack.urls.instagramPart1,
				envelope([events.storyReply(sender, now - 60_000, 'hi!')]),
				stack.appSecret,
			);
			if (res.status !== 200) throw new Error(`delivery ${i} answered ${res.status}`);
			return (await arrived) - sentAt;
		});
		const seconds = (Date.now() - started) / 1000;
		// The delivery path must read only the waiting senders' state and consent, never a whole table.
		const last = (await stack.api.executions('StoryLeadsPart1')).find((e) => e.mode === 'webhook');
		const run = await stack.api.waitForExecution(last.id);
		if (run.runData['Read contact state'] || run.runData['Read consent']) {
			throw new Error('a delivery read the whole contact-state or consent table instead of its senders only');
		}
		const dms = graph.requests.filter((r) => /\/messages$/.test(r.path) && r.body && r.body.recipient);
		const perSender = new Map();
		for (const r of dms) perSender.set(r.body.recipient.id, (perSender.get(r.body.recipient.id) || 0) + 1);
		const twice = [...perSender].filter(([id, n]) => Number(id) >= firstSender && Number(id) < firstSender + deliveries && n > 1);
		if (twice.length) throw new Error(`${twice.length} senders got more than one DM`);
		return {
			deliveries,
			seconds,
			perSecond: deliveries / seconds,
			p50Ms: percentile(latencies, 50),
			p95Ms: percentile(latencies, 95),
			maxMs: Math.max(...latencies),
		};
	} finally {
		graph.requests.push = push;
	}
}

/**
 * What n8n did per delivery in Part 1's webhook executions started since `sinceMs`: executions, node runs, Data
 * table node runs and the nodes' execution time, each divided by `deliveries`.
 */
async function deliveryCost(stack, { sinceMs, deliveries }) {
	const { api } = stack;
	const types = new Map(stack.workflows.part1.nodes.map((n) => [n.name, n.type]));
	// n8n lists at most 100 executions a page, newest start first: page back by start time (startedBefore the oldest
	// of the page; n8n 2.41 refuses lastId) until before `sinceMs`. Ids already seen are skipped.
	const seen = new Set();
	const ids = [];
	for (let before; ; ) {
		const page = await api.request(
			'GET',
			`/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: 'StoryLeadsPart1', ...(before ? { startedBefore: before } : {}) }))}&limit=100`,
		);
		const results = ((page && page.results) || []).filter((e) => !seen.has(e.id));
		for (const e of results) {
			seen.add(e.id);
			if (e.mode === 'webhook' && Date.parse(e.startedAt) >= sinceMs) ids.push(e.id);
		}
		const oldest = results.map((e) => e.startedAt).filter(Boolean).sort()[0];
		if (results.length === 0 || !oldest || Date.parse(oldest) < sinceMs) break;
		before = oldest;
	}
	let nodeRuns = 0;
	let dataTableRuns = 0;
	let nodeMs = 0;
	const byNode = {};
	for (const id of ids) {
		const run = await api.waitForExecution(id);
		for (const [name, tasks] of Object.entries(run.runData || {})) {
			nodeRuns += tasks.length;
			if (types.get(name) === 'n8n-nodes-base.dataTable') {
				dataTableRuns += tasks.length;
				byNode[name] = (byNode[name] || 0) + tasks.length;
			}
			for (const task of tasks) nodeMs += task.executionTime || 0;
		}
	}
	return {
		deliveries,
		executions: ids.length,
		executionsPerDelivery: ids.length / deliveries,
		nodeRunsPerDelivery: nodeRuns / deliveries,
		dataTableCallsPerDelivery: dataTableRuns / deliveries,
		dataTableCallsByNode: Object.fromEntries(Object.entries(byNode).map(([name, n]) => [name, n / deliveries])),
		nodeMsPerDelivery: nodeMs / deliveries,
	};
}

/**
 * A story that asks people to reply: `senders` signed replies from distinct new senders, posted evenly over
 * `withinMs` (each POST starts on its own schedule, whatever the answers take). Waits until every sender got a DM
 * (or `timeoutMs`), and checks that nobody got two. Returns the time to the last answer and the deliveries/s.
 */
async function burstScenario(stack, { senders, withinMs, firstSender = 8_000_000, timeoutMs = 600_000 }) {
	const graph = stack.graphApi;
	const now = Date.parse(stack.fixedNow);
	const isOurs = (id) => Number(id) >= firstSender && Number(id) < firstSender + senders;
	const answeredAt = new Map();
	const push = graph.requests.push;
	const started = Date.now();
	graph.requests.push = function record(request) {
		const to = request.method === 'POST' && /\/messages$/.test(request.path) && request.body && request.body.recipient;
		if (to && isOurs(to.id) && !answeredAt.has(to.id)) answeredAt.set(to.id, Date.now());
		return push.call(this, request);
	};
	try {
		// Each delivery is posted the way Meta posts it: re-sent when n8n does not answer 200 within 20 s (Messenger
		// Platform FAQ: "A webhook call will timeout after 20 seconds"), at once and then less often (Meta retries
		// failed deliveries "with decreasing frequency over the next 36 hours"): 1 s, 2 s, 4 s … doubling.
		const posts = Array.from({ length: senders }, async (_, i) => {
			await sleep((i * withinMs) / senders);
			const payload = envelope([events.storyReply(String(firstSender + i), now - 60_000, 'YES please')]);
			const [answer] = await deliverLikeMeta(stack.urls.instagramPart1, [{ payload }], stack.appSecret, {
				concurrency: 1,
				maxBackoffMs: 36 * 3600 * 1000,
				retryForMs: timeoutMs,
			});
			return answer;
		});
		const answers = await Promise.all(posts);
		const postedSeconds = (Date.now() - started) / 1000;
		const deadline = started + timeoutMs;
		while (answeredAt.size < senders && Date.now() < deadline) await sleep(250);
		const lastAnswerSeconds = answeredAt.size ? (Math.max(...answeredAt.values()) - started) / 1000 : undefined;
		// Let late duplicates show up before counting: every run that could still send has had its lease turn.
		await waitForNoRunningExecutions(stack.api, 'StoryLeadsPart1', 120_000);
		const perSender = new Map();
		for (const r of graph.requests) {
			const to = /\/messages$/.test(r.path) && r.body && r.body.recipient;
			if (to && isOurs(to.id)) perSender.set(to.id, (perSender.get(to.id) || 0) + 1);
		}
		const twice = [...perSender.values()].filter((n) => n > 1).length;
		return {
			senders,
			withinSeconds: withinMs / 1000,
			postedSeconds,
			answered: answeredAt.size,
			twice,
			exactlyOnce: answeredAt.size === senders && twice === 0,
			// Meta's side: how long n8n took to answer 200, and how many deliveries had to be sent more than once.
			answerP50Ms: percentile(answers.map((a) => a.answerMs), 50),
			answerP95Ms: percentile(answers.map((a) => a.answerMs), 95),
			resent: answers.filter((a) => a.attempts > 1).length,
			neverAcknowledged: answers.filter((a) => a.status !== 200).length,
			startedAtMs: started,
			lastAnswerSeconds,
			deliveriesPerSecond: lastAnswerSeconds ? answeredAt.size / lastAnswerSeconds : 0,
		};
	} finally {
		graph.requests.push = push;
	}
}

/** Waits until no execution of the workflow is running (or gives up after timeoutMs). */
async function waitForNoRunningExecutions(api, workflowId, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	const filter = encodeURIComponent(JSON.stringify({ workflowId, status: ['running', 'new', 'waiting'] }));
	for (;;) {
		const list = await api.request('GET', `/executions?filter=${filter}&limit=1`);
		if (!(Number(list && list.count) > 0) || Date.now() > deadline) return;
		await sleep(500);
	}
}

/** Publishes Part 1 (its schedule must not fire meanwhile) and waits for its webhooks. */
async function publishPart1(stack, windowMs) {
	await avoidScheduleBoundaries(windowMs);
	await stack.api.publish('StoryLeadsPart1');
	await waitForWebhook(stack.urls.instagramPart1, { method: 'POST' });
}

module.exports = {
	pool,
	percentile,
	setUpWebhookPair,
	webhookScenario,
	setUpSegmentWorkflow,
	segmentScenario,
	csvImportScenario,
	seedContacts,
	dispatcherScenario,
	latencyScenario,
	deliveryCost,
	burstScenario,
	peakRssMiB,
	publishPart1,
	viewerCsv,
	ACCOUNT_ID,
	DAY,
};
