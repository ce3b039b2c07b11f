#!/usr/bin/env node
// `npm run queue`: n8n in queue mode on 127.0.0.1 — PostgreSQL and Redis (Debian's postgresql and redis-server,
// installed with apt-get when missing), one main, two workers and one webhook processor, with the packed package,
// the templates, and the fake Instagram Graph API and fake ActiveCampaign as backends. docs/queue-mode.md.
//   npm run queue                      start in the background; prints the URLs and the state folder
//   npm run queue -- --workers 3       another number of workers
//   npm run queue -- --stop            stop exactly what the last start started (pids in <state>/state.json)
//   npm run queue -- --deliver [text]  sign and post a test story reply to Part 1 (as Meta would)
// The state folder is $STORY_LEADS_QUEUE_STATE or <tmp>/story-leads-queue-<user> (one stack per user).
// The background process supervises the stack: a process that dies (or exits in a Redis or PostgreSQL outage) is
// started again with a growing back-off.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');

/** <tmp>/story-leads-queue-<user>: users of one machine do not share (or stop) each other's stack. */
function defaultStateDir() {
	let user;
	try {
		user = os.userInfo().username;
	} catch {
		user = String(process.getuid ? process.getuid() : 'user');
	}
	return path.join(os.tmpdir(), `story-leads-queue-${user.replace(/[^A-Za-z0-9_.-]/g, '_')}`);
}

const STATE_DIR = process.env.STORY_LEADS_QUEUE_STATE || defaultStateDir();
const STATE = path.join(STATE_DIR, 'state.json');
const SUPERVISOR = path.join(STATE_DIR, 'supervisor.json');
const args = process.argv.slice(2);
const log = (...a) => console.log('[queue]', ...a);
const readJson = (file) =>
	fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined;

async function stop() {
	const { stopPid, alive } = require('./queue/services');
	const supervisor = readJson(SUPERVISOR);
	const state = readJson(STATE);
	if (!supervisor && !state) return log(`nothing to stop (no ${STATE})`);
	// The supervisor stops its n8n processes, then Redis and PostgreSQL; whatever survives is stopped by pid.
	if (supervisor) await stopPid(supervisor.pid, { graceMs: 90000 });
	if (state) {
		for (const p of [...state.processes].reverse()) await stopPid(p.pid);
		if (state.services.redis) await stopPid(state.services.redis.pid);
		if (state.services.postgres) await stopPid(state.services.postgres.pid, { signal: 'SIGINT' });
		const left = [
			...state.processes.map((p) => p.pid),
			...Object.values(state.services).map((s) => s.pid),
		].filter(alive);
		if (left.length) throw new Error(`still running: ${left.join(', ')}`);
	}
	fs.rmSync(STATE_DIR, { recursive: true, force: true });
	log('stopped');
}

/** The background process: owns the fakes and the topology until SIGTERM. */
async function serve() {
	const { startQueueStack } = require('./queue/topology');
	const { startFakeGraphApi } = require('./fakes/graphApi');
	const { OWNER } = require('./n8n/n8nApi');
	const { waitForWebhook } = require('./n8n/harness');
	const workersArg = args.indexOf('--workers');
	const workers = workersArg >= 0 ? Number(args[workersArg + 1]) : 2;
	const graph = await startFakeGraphApi({ accessToken: 'queue-local-token' });
	let stack;
	const shutdown = async () => {
		if (stack) await stack.stop();
		await graph.close();
		process.exit(0);
	};
	process.on('SIGTERM', shutdown);
	process.on('SIGINT', shutdown);
	stack = await startQueueStack({
		stateDir: STATE_DIR,
		workers,
		graphApi: graph,
		log,
		settings: ({ urls }) => ({ part1: { engagementWebhookUrl: urls.engagement } }),
	});
	await stack.api.runManually('StoryLeadsSetup', 'Run once');
	// Published, so the printed webhook URLs answer (production webhooks run on the webhook processor).
	for (const id of ['StoryLeadsPart1', 'StoryLeadsPart2']) await stack.api.publish(id);
	await waitForWebhook(stack.urls.instagramPart1, { method: 'POST' });
	await waitForWebhook(stack.urls.engagement, { method: 'POST' });
	stack.supervise();
	fs.writeFileSync(
		path.join(STATE_DIR, 'ready.json'),
		JSON.stringify(
			{
				editor: stack.baseUrl,
				login: `${OWNER.email} / ${OWNER.password}`,
				webhooks: stack.urls,
				graphApi: graph.url,
				crm: stack.ac.url,
				appSecret: stack.appSecret,
				signTestDelivery: signingHelp(stack.urls.instagramPart1, stack.appSecret),
			},
			null,
			2,
		),
	);
}

/** How to post a signed test delivery: Meta signs the raw body with the app secret (X-Hub-Signature-256). */
function signingHelp(url, appSecret) {
	return [
		'npm run queue -- --deliver "Love this story!"   (signs and posts a story reply from a new sender)',
		'or by hand: BODY=\'{"object":"instagram","entry":[...]}\'',
		`  SIG=$(printf %s "$BODY" | openssl dgst -sha256 -hmac '${appSecret}' | sed 's/^.* //')`,
		`  curl -X POST -H 'content-type: application/json' -H "x-hub-signature-256: sha256=$SIG" --data "$BODY" ${url}`,
	];
}

/** `--deliver [text]`: one signed story reply to the running stack's Part 1, as Meta would send it. */
async function deliverTestEvent() {
	const ready = readJson(path.join(STATE_DIR, 'ready.json'));
	if (!ready) throw new Error(`no running queue stack (no ${path.join(STATE_DIR, 'ready.json')}); start one first`);
	const { envelope, events, deliver } = require('./n8n/meta');
	const text = args[args.indexOf('--deliver') + 1] || 'Love this story!';
	const sender = String(6000000 + Math.floor(Math.random() * 1000000));
	const payload = envelope([events.storyReply(sender, Date.now(), text)]);
	const res = await deliver(ready.webhooks.instagramPart1, payload, ready.appSecret);
	log(`story reply from ${sender}: Part 1 answered ${res.status} ${res.body}`);
	if (res.status !== 200) process.exitCode = 1;
}

async function start() {
	if (readJson(SUPERVISOR))
		throw new Error(
			`a queue stack is already running (state in ${STATE_DIR}); stop it with --stop`,
		);
	const { execFileSync } = require('child_process');
	const { ROOT } = require('./n8n/harness');
	log('building the package');
	execFileSync('npm', ['run', 'build', '--silent'], {
		cwd: ROOT,
		stdio: ['ignore', 'ignore', 'inherit'],
	});
	fs.rmSync(STATE_DIR, { recursive: true, force: true });
	fs.mkdirSync(STATE_DIR, { recursive: true });
	const out = fs.openSync(path.join(STATE_DIR, 'supervisor.log'), 'a');
	const child = spawn(process.execPath, [__filename, '--serve', ...args], {
		detached: true,
		stdio: ['ignore', out, out],
	});
	child.unref();
	fs.writeFileSync(SUPERVISOR, JSON.stringify({ pid: child.pid }));
	log(`starting (log: ${path.join(STATE_DIR, 'supervisor.log')})`);
	const deadline = Date.now() + 15 * 60000;
	for (;;) {
		const ready = readJson(path.join(STATE_DIR, 'ready.json'));
		if (ready) {
			log('ready');
			console.log(
				JSON.stringify(
					{ ...ready, stateDir: STATE_DIR, processes: readJson(STATE).processes },
					null,
					2,
				),
			);
			return;
		}
		if (child.exitCode !== null || Date.now() > deadline) {
			const tail = fs
				.readFileSync(path.join(STATE_DIR, 'supervisor.log'), 'utf8')
				.split('\n')
				.slice(-40)
				.join('\n');
			await stop();
			throw new Error(`the queue stack did not start:\n${tail}`);
		}
		await new Promise((r) => setTimeout(r, 1000));
	}
}

const main = args.includes('--stop')
	? stop
	: args.includes('--serve')
		? serve
		: args.includes('--deliver')
			? deliverTestEvent
			: start;
main().catch((error) => {
	console.error(error);
	process.exit(1);
});
