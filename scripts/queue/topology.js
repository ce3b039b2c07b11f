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
const { ensureServerPackages, startPostgres, runPostgres, startRedis, stopPid, alive, restartBackoff } = require('./services');

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
	// A restart appends to the log: readiness is read from what the new process writes.
	const logStart = fs.existsSync(logFile) ? fs.statSync(logFile).size : 0;
	const logFd = fs.openSync(logFile, 'a');
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
		const log = fs.readFileSync(logFile, 'utf8').slice(logStart);
		if (READY[role].test(log)) break;
		if (child.exitCode !== null || child.signalCode)
			throw new Error(`n8n ${name} exited before it was ready:\n${log.slice(-4000)}`);
		if (Date.now() > deadline)
			throw new Error(`n8n ${name} not ready after ${timeoutMs} ms:\n${log.slice(-4000)}`);
		await new Promise((r) => setTimeout(r, 250));
	}
	// n8n finishes its running executions on SIGTERM (N8N_GRACEFUL_SHUTDOWN_TIMEOUT, 30 s by default).
	const started = {
		name,
		role,
		pid: child.pid,
		port: Number(env.N8N_PORT),
		logFile,
		startedAt: Date.now(),
		stop: () => {
			started.stopping = true;
			return stopPid(child.pid, { graceMs: 45000 });
		},
		/** The same process again (same role, name and port), e.g. after it died. */
		restart: () =>
			startN8nProcess(instance, stateDir, role, name, { concurrency, port: started.port, timeoutMs }),
	};
	return started;
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
	const restarts = [];
	let supervising;
	// Restart back-off per process (1 s, 2 s, 4 s … 30 s); cleared when PostgreSQL or Redis is back, so the n8n
	// processes that exited during the outage are started at once.
	const backoff = restartBackoff();
	const stopAll = async () => {
		if (supervising) await supervising.stop();
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
		const restartService = {
			postgres: async () => {
				services.postgres = await runPostgres(dir, pgBin, services.postgres.port);
			},
			redis: async () => {
				services.redis = await startRedis(dir, redis, services.redis.port);
			},
		};
		/**
		 * Keeps every process of the topology running, as a process manager would: one that died (a crash, an
		 * outage of Redis or PostgreSQL that made n8n exit, a kill) is started again — the same name and port —
		 * after a back-off that grows while it keeps dying. Services first, then n8n processes.
		 */
		const supervise = ({ intervalMs = 1000 } = {}) => {
			let running = true;
			let busy = Promise.resolve();
			const due = (name, startedAt) => backoff.due(name, startedAt);
			const check = async () => {
				for (const name of ['postgres', 'redis']) {
					const service = services[name];
					if (!running || !service || alive(service.pid) || service.stopping) continue;
					if (!due(name, service.startedAt)) continue;
					log(`${name} is down: restarting it`);
					try {
						await restartService[name]();
						services[name].startedAt = Date.now();
						restarts.push({ name, at: new Date().toISOString() });
						backoff.clear();
						writeState();
					} catch (error) {
						log(`${name} did not restart: ${error.message}`);
					}
				}
				// n8n processes in parallel: after an outage they all exited, and each takes a while to be ready.
				const dead = processes.filter((p) => running && !alive(p.pid) && !p.stopping && due(p.name, p.startedAt));
				await Promise.all(
					dead.map(async (p) => {
						log(`${p.name} exited: restarting it`);
						try {
							const again = await p.restart();
							const i = processes.indexOf(p);
							if (i >= 0) processes[i] = again;
							restarts.push({ name: p.name, at: new Date().toISOString() });
							writeState();
						} catch (error) {
							log(`${p.name} did not restart: ${error.message.split('\n')[0]}`);
						}
					}),
				);
			};
			const timer = setInterval(() => {
				busy = busy.then(check, check);
			}, intervalMs);
			supervising = {
				async stop() {
					running = false;
					clearInterval(timer);
					await busy;
				},
			};
			return supervising;
		};
		return {
			...stack,
			async stop() {
				await stack.stop();
				if (!stateDir) fs.rmSync(dir, { recursive: true, force: true });
			},
			stateDir: dir,
			processes,
			services,
			restarts,
			supervise,
			addWorker,
			async stopWorker(name) {
				const i = processes.findIndex((p) => p.name === name);
				if (i < 0) throw new Error(`no process ${name}`);
				await processes[i].stop();
				processes.splice(i, 1);
				writeState();
			},
			state,
			/** Stops a service (postgres | redis) for `downMs` (an outage), then the supervisor or this starts it again. */
			async outage(name, downMs) {
				const service = services[name];
				service.stopping = true;
				await stopPid(service.pid, name === 'postgres' ? { signal: 'SIGINT' } : {});
				await new Promise((r) => setTimeout(r, downMs));
				await restartService[name]();
				services[name].startedAt = Date.now();
				backoff.clear();
				writeState();
			},
		};
	} catch (error) {
		await stopAll();
		if (!stateDir) fs.rmSync(dir, { recursive: true, force: true });
		throw error;
	}
}

module.exports = { startQueueStack };
