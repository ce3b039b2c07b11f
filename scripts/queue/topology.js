// n8n in queue mode on 127.0.0.1: PostgreSQL, Redis, one main, N workers and one webhook processor, all loading
// the packed package from one user folder (harness.js) and the templates (stack.js), with the fakes as backends.
// Used by `npm run queue` (scripts/queue.js) and the queue e2e test.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const { freePort, ensureN8n } = require('../n8n/harness');
const { startStack } = require('../n8n/stack');
const { queueEnv, ROLES } = require('./env');
const { ensureServerPackages, startPostgres, startRedis, stopPid } = require('./services');

const READY = {
	main: /Editor is now accessible via/,
	worker: /n8n worker is now ready/,
	webhook: /Webhook listener waiting for requests/,
};

/** One n8n process of the topology (role main | worker | webhook), its log in the state folder. */
async function startN8nProcess(
	instance,
	stateDir,
	role,
	name,
	{ concurrency = 10, port, timeoutMs = 240000 } = {},
) {
	const { node, n8nBin } = ensureN8n();
	const logFile = path.join(stateDir, `${name}.log`);
	const logFd = fs.openSync(logFile, 'w');
	const env = {
		...instance.env,
		N8N_PORT: String(port || (await freePort())),
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		QUEUE_HEALTH_CHECK_PORT: String(await freePort()),
		// The processes share one user folder (one package install): each needs its own event log, or a starting
		// worker's crash recovery reads another's log and marks that process's running executions as crashed.
		N8N_EVENTBUS_LOGWRITER_LOGBASENAME: `n8nEventLog-${name}`,
		N8N_LOG_LEVEL: 'info',
	};
	const args = role === 'worker' ? ROLES.worker(concurrency) : ROLES[role];
	const child = spawn(node, [n8nBin, ...args], {
		env,
		cwd: instance.userFolder,
		detached: true,
		stdio: ['ignore', logFd, logFd],
	});
	child.unref();
	fs.closeSync(logFd);
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const log = fs.readFileSync(logFile, 'utf8');
		if (READY[role].test(log)) break;
		if (child.exitCode !== null || child.signalCode)
			throw new Error(`n8n ${name} exited before it was ready:\n${log.slice(-4000)}`);
		if (Date.now() > deadline)
			throw new Error(`n8n ${name} not ready after ${timeoutMs} ms:\n${log.slice(-4000)}`);
		await new Promise((r) => setTimeout(r, 250));
	}
	// n8n finishes its running executions on SIGTERM (N8N_GRACEFUL_SHUTDOWN_TIMEOUT, 30 s by default).
	return {
		name,
		role,
		pid: child.pid,
		port: Number(env.N8N_PORT),
		logFile,
		stop: () => stopPid(child.pid, { graceMs: 45000 }),
	};
}

/**
 * Starts the whole topology. Options: everything `startStack` takes (graphApi, settings, workflowEdits…) plus
 *   stateDir  folder for data, logs and state.json (default: a new temp folder)
 *   workers   how many workers to start (default 2); `concurrency` per worker (default 10)
 *   log       progress printer
 * Returns the stack of startStack plus { stateDir, processes, addWorker(), stopWorker(name), state() }.
 */
async function startQueueStack({
	stateDir,
	workers = 2,
	concurrency = 10,
	log = () => {},
	...stackOptions
} = {}) {
	const dir = stateDir || fs.mkdtempSync(path.join(os.tmpdir(), 'story-leads-queue-'));
	fs.mkdirSync(dir, { recursive: true });
	const { pgBin, redis } = ensureServerPackages(log);
	const services = {};
	const processes = [];
	const stopAll = async () => {
		for (const p of processes.splice(0).reverse()) await p.stop();
		if (services.redis) await stopPid(services.redis.pid);
		// SIGINT = PostgreSQL's fast shutdown.
		if (services.postgres) await stopPid(services.postgres.pid, { signal: 'SIGINT' });
	};
	let nextWorker = 1;
	let instanceRef;
	const addWorker = async () => {
		const p = await startN8nProcess(instanceRef, dir, 'worker', `worker-${nextWorker++}`, {
			concurrency,
		});
		processes.push(p);
		writeState();
		return p;
	};
	const state = () => ({
		stateDir: dir,
		services: Object.fromEntries(
			Object.entries(services).map(([k, v]) => [k, { pid: v.pid, port: v.port }]),
		),
		processes: processes.map(({ name, role, pid, port, logFile }) => ({
			name,
			role,
			pid,
			port,
			logFile,
		})),
	});
	const writeState = () =>
		fs.writeFileSync(path.join(dir, 'state.json'), JSON.stringify(state(), null, 2));
	try {
		log('starting PostgreSQL and Redis');
		services.postgres = await startPostgres(dir, pgBin);
		services.redis = await startRedis(dir, redis);
		writeState();
		const stack = await startStack({
			...stackOptions,
			async configure(instance) {
				instanceRef = instance;
				const webhookPort = await freePort();
				const webhookBaseUrl = `http://127.0.0.1:${webhookPort}`;
				Object.assign(
					instance.env,
					queueEnv({
						encryptionKey: instance.env.N8N_ENCRYPTION_KEY,
						postgres: services.postgres,
						redis: services.redis,
						webhookUrl: `${webhookBaseUrl}/`,
					}),
				);
				instance.webhookPort = webhookPort;
				return { webhookBaseUrl };
			},
			async launch(instance) {
				log('starting the n8n main');
				processes.push(
					await startN8nProcess(instance, dir, 'main', 'main', {
						port: Number(instance.env.N8N_PORT),
					}),
				);
				writeState();
				for (let i = 0; i < workers; i++) {
					log(`starting worker ${i + 1}`);
					await addWorker();
				}
				log('starting the webhook processor');
				processes.push(
					await startN8nProcess(instance, dir, 'webhook', 'webhook', {
						port: instance.webhookPort,
					}),
				);
				writeState();
				return {
					stop: stopAll,
					log: () => processes.map((p) => fs.readFileSync(p.logFile, 'utf8')).join('\n'),
				};
			},
		});
		return {
			...stack,
			async stop() {
				await stack.stop();
				if (!stateDir) fs.rmSync(dir, { recursive: true, force: true });
			},
			stateDir: dir,
			processes,
			addWorker,
			async stopWorker(name) {
				const i = processes.findIndex((p) => p.name === name);
				if (i < 0) throw new Error(`no process ${name}`);
				await processes[i].stop();
				processes.splice(i, 1);
				writeState();
			},
			state,
		};
	} catch (error) {
		await stopAll();
		if (!stateDir) fs.rmSync(dir, { recursive: true, force: true });
		throw error;
	}
}

module.exports = { startQueueStack };
