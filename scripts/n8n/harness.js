// End-to-end harness: a real n8n 2.x (installed by install.js into a cache folder outside the repo),
// a throw-away user folder with our packed package in .n8n/nodes (types `n8n-nodes-story-leads.*`),
// and helpers to import workflows/credentials, run `n8n execute`, and run `n8n start` for webhooks.
const { execFileSync, spawn } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const { npmSync } = require('../lib/npm');
const { installLayout, withPathFirst } = require('./install');

const ROOT = path.resolve(__dirname, '../..');
const PACKAGE_NAME = require(path.join(ROOT, 'package.json')).name;

let cachedInstall;

/** Installs (or re-uses) n8n + Node 24; returns { dir, node, n8nBin, binDir }. */
function ensureN8n() {
	if (cachedInstall) return cachedInstall;
	// A child process keeps this synchronous; the installer waits on its own lock when another install runs.
	const out = execFileSync(process.execPath, [path.join(__dirname, 'install.js')], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
		maxBuffer: 1 << 26,
	});
	cachedInstall = installLayout(out.trim().split('\n').pop());
	return cachedInstall;
}

/** Packs the built package (dist/ must exist) into a tarball in a temp folder. */
function packPackage() {
	if (!fs.existsSync(path.join(ROOT, 'dist'))) throw new Error('Run `npm run build` before the e2e tests');
	const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'story-leads-pack-'));
	const out = npmSync(['pack', '--json', '--ignore-scripts', '--loglevel=error', '--pack-destination', dest], {
		cwd: ROOT,
		encoding: 'utf8',
		maxBuffer: 1 << 26,
	});
	return path.join(dest, JSON.parse(out)[0].filename);
}

function pick(source, keys) {
	return Object.fromEntries(keys.filter((k) => source[k] !== undefined).map((k) => [k, source[k]]));
}

async function freePort() {
	return await new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/**
 * A fresh n8n instance folder with our package installed as a community package.
 * Returns an object with run/import/execute/start helpers bound to that folder.
 */
async function createInstance() {
	const install = ensureN8n();
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'story-leads-n8n-'));
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	fs.writeFileSync(path.join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true }));
	const tarball = packPackage();
	npmSync(['install', tarball, '--ignore-scripts', '--legacy-peer-deps', '--no-audit', '--no-fund', '--loglevel=error'], {
		cwd: nodesDir,
		stdio: ['ignore', 'ignore', 'inherit'],
	});
	fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
	const port = await freePort();
	const brokerPort = await freePort();
	const env = {
		...withPathFirst({ PATH: process.env.PATH || process.env.Path || '' }, install.binDir),
		// Windows processes need these to start at all (crypto, temp files, shells).
		...pick(process.env, ['SystemRoot', 'ComSpec', 'PATHEXT', 'TEMP', 'TMP']),
		HOME: userFolder,
		N8N_USER_FOLDER: userFolder,
		DB_TYPE: 'sqlite',
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_ENCRYPTION_KEY: 'story-leads-e2e-only-not-a-secret',
		N8N_LOG_LEVEL: 'warn',
		N8N_SECURE_COOKIE: 'false',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
	};

	/** Runs an n8n CLI command to completion; returns { code, stdout, stderr }. */
	function cli(args, { timeoutMs = 240000, logLevel } = {}) {
		return new Promise((resolve) => {
			const childEnv = logLevel ? { ...env, N8N_LOG_LEVEL: logLevel } : env;
			const child = spawn(install.node, [install.n8nBin, ...args], { env: childEnv, cwd: userFolder });
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', (d) => (stdout += d));
			child.stderr.on('data', (d) => (stderr += d));
			const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
			child.on('close', (code, signal) => {
				clearTimeout(timer);
				resolve({ code, signal, stdout, stderr });
			});
		});
	}

	// n8n 2.41 on Node 24 sometimes segfaults while shutting down after a command has finished its work
	// (seen after the run JSON was printed). Import/publish/export commands are idempotent: retry those once.
	async function mustCli(args, options) {
		let result = await cli(args, options);
		if (result.signal === 'SIGSEGV') result = await cli(args, options);
		if (result.code !== 0) {
			throw new Error(`n8n ${args.join(' ')} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
		}
		return result;
	}

	function writeJson(name, value) {
		const file = path.join(userFolder, name);
		fs.writeFileSync(file, JSON.stringify(value, null, 2));
		return file;
	}

	/** Node types n8n loaded, from `n8n export:nodes`. */
	async function loadedNodeTypes() {
		const file = path.join(userFolder, 'nodes-export.json');
		await mustCli(['export:nodes', `--output=${file}`]);
		return JSON.parse(fs.readFileSync(file, 'utf8')).map((n) => n.name);
	}

	/** Imports credentials given as [{ id, name, type, data: {plain fields} }]; n8n encrypts them. */
	async function importCredentials(credentials) {
		await mustCli(['import:credentials', `--input=${writeJson(`creds-${Date.now()}.json`, credentials)}`]);
	}

	/** Imports one workflow object (must carry `id`). */
	async function importWorkflow(workflow) {
		await mustCli(['import:workflow', `--input=${writeJson(`wf-${workflow.id}.json`, workflow)}`]);
	}

	/** Marks a workflow as published (active) — n8n must be stopped. */
	async function publishWorkflow(id) {
		await mustCli(['publish:workflow', `--id=${id}`]);
	}

	/**
	 * Runs a workflow that starts with a Manual Trigger via `n8n execute --rawOutput`.
	 * Returns { code, run (parsed run data or undefined), stdout, stderr }.
	 */
	async function executeWorkflow(id) {
		// The run JSON is printed through n8n's logger at info level, as one pretty-printed block.
		const result = await cli(['execute', `--id=${id}`, '--rawOutput'], { logLevel: 'info' });
		const run = lastJsonBlock(result.stdout);
		// A complete run JSON means the execution finished; a segfault after it is n8n's shutdown, not the run.
		const crashedAfterRun = result.signal === 'SIGSEGV' && run !== undefined;
		return { ...result, run, crashedAfterRun };
	}

	/** Starts `n8n start`; resolves when the editor and published webhooks are up. */
	async function start({ readyTimeoutMs = 180000 } = {}) {
		const child = spawn(install.node, [install.n8nBin, 'start'], {
			env: { ...env, N8N_LOG_LEVEL: 'info' },
			cwd: userFolder,
		});
		let log = '';
		const onData = (d) => (log += d);
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		const baseUrl = `http://127.0.0.1:${port}`;
		await new Promise((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`n8n did not start in time:\n${log}`)), readyTimeoutMs);
			const check = setInterval(() => {
				if (/Editor is now accessible via/.test(log)) {
					clearInterval(check);
					clearTimeout(timer);
					resolve();
				}
			}, 200);
			child.on('exit', (code) => {
				clearInterval(check);
				clearTimeout(timer);
				reject(new Error(`n8n exited (${code}) before it was ready:\n${log}`));
			});
		});
		return {
			baseUrl,
			pid: child.pid,
			log: () => log,
			async stop() {
				if (child.exitCode !== null) return;
				await new Promise((resolve) => {
					const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
					child.on('exit', () => {
						clearTimeout(timer);
						resolve();
					});
					child.kill('SIGTERM');
				});
			},
		};
	}

	function cleanup() {
		fs.rmSync(userFolder, { recursive: true, force: true });
	}

	return {
		userFolder,
		port,
		env,
		cli,
		mustCli,
		loadedNodeTypes,
		importCredentials,
		importWorkflow,
		publishWorkflow,
		executeWorkflow,
		start,
		cleanup,
	};
}

/** The last top-level pretty-printed JSON object in a log (starts with a line "{" and ends with "}"). */
function lastJsonBlock(text) {
	const lines = text.split('\n');
	for (let end = lines.length - 1; end >= 0; end--) {
		if (lines[end] !== '}') continue;
		for (let start = end; start >= 0; start--) {
			if (lines[start] !== '{') continue;
			try {
				return JSON.parse(lines.slice(start, end + 1).join('\n'));
			} catch {
				// not a complete block; keep looking further up
			}
		}
	}
	return undefined;
}

/** Output items of a node in a run printed by `n8n execute --rawOutput`, per output index. */
function nodeOutputs(run, nodeName) {
	const runData = run && run.data && run.data.resultData && run.data.resultData.runData;
	const task = runData && runData[nodeName] && runData[nodeName][0];
	if (!task) return undefined;
	return (task.data && task.data.main ? task.data.main : []).map((items) => items || []);
}

/** Throws with the command's own output when an `n8n execute` run did not succeed. */
function assertRan(result) {
	if ((result.code === 0 || result.crashedAfterRun) && result.run) return result.run;
	const tail = (text) => text.split('\n').filter((line) => !/^\s+["{}\[\]]/.test(line)).slice(-40).join('\n');
	throw new Error(
		`n8n execute exited with code ${result.code}${result.signal ? ` (signal ${result.signal})` : ''}\n` +
			`stdout:\n${tail(result.stdout)}\nstderr:\n${tail(result.stderr)}`,
	);
}

/** Polls a URL until it stops answering 404 (published webhooks register shortly after start). */
async function waitForWebhook(url, { timeoutMs = 60000, method = 'GET' } = {}) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			const res = await fetch(url, { method });
			if (res.status !== 404) return res.status;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) throw new Error(`webhook ${url} never registered`);
		await new Promise((r) => setTimeout(r, 250));
	}
}

module.exports = { ensureN8n, createInstance, freePort, nodeOutputs, assertRan, waitForWebhook, packPackage, PACKAGE_NAME, ROOT };
