// PostgreSQL and Redis for the local queue-mode stack: Debian's `postgresql` and `redis-server` packages
// (installed with apt-get when missing, as root), each server run on 127.0.0.1 on a free port with its data
// under the stack's state folder. Postgres refuses to run as root, so it runs as the `postgres` user.
const { execFileSync, spawn, spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { freePort } = require('../n8n/harness');

const POSTGRES = { database: 'n8n', user: 'n8n', password: 'story-leads-local-only' };

function postgresBinDir() {
	const base = '/usr/lib/postgresql';
	if (!fs.existsSync(base)) return undefined;
	const versions = fs
		.readdirSync(base)
		.filter((v) => fs.existsSync(path.join(base, v, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(base, versions[0], 'bin') : undefined;
}

const redisBin = () =>
	['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => fs.existsSync(p));

/** Installs Debian's postgresql and redis-server when their binaries are missing; returns their paths. */
function ensureServerPackages(log = () => {}) {
	const missing = [];
	if (!postgresBinDir()) missing.push('postgresql');
	if (!redisBin()) missing.push('redis-server');
	if (missing.length) {
		if (process.getuid && process.getuid() !== 0) {
			throw new Error(
				`missing ${missing.join(', ')}: run \`sudo apt-get install -y ${missing.join(' ')}\` first`,
			);
		}
		log(`installing ${missing.join(' and ')} with apt-get`);
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		const install = () =>
			spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], {
				env,
				stdio: ['ignore', 'ignore', 'inherit'],
			});
		if (install().status !== 0) {
			execFileSync('apt-get', ['update'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
			if (install().status !== 0) throw new Error(`apt-get install ${missing.join(' ')} failed`);
		}
	}
	return { pgBin: postgresBinDir(), redis: redisBin() };
}

/** uid/gid of the postgres user when we are root (postgres will not run as root), else our own. */
function postgresIds() {
	if (!process.getuid || process.getuid() !== 0) return {};
	const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
	const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
	return { uid, gid };
}

async function waitFor(check, what, timeoutMs = 60000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (await check()) return;
		if (Date.now() > deadline) throw new Error(`${what} did not start in ${timeoutMs} ms`);
		await new Promise((r) => setTimeout(r, 200));
	}
}

function openLog(file) {
	return fs.openSync(file, 'a');
}

/** Starts a PostgreSQL server with a fresh cluster in `<stateDir>/postgres`; resolves { pid, port, ...POSTGRES }. */
async function startPostgres(stateDir, pgBin) {
	const ids = postgresIds();
	const dataDir = path.join(stateDir, 'postgres');
	fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
	fs.chmodSync(stateDir, 0o755); // the postgres user must reach its data folder
	const pwFile = path.join(stateDir, 'postgres.pw');
	fs.writeFileSync(pwFile, POSTGRES.password + '\n', { mode: 0o600 });
	if (ids.uid !== undefined) {
		fs.chownSync(dataDir, ids.uid, ids.gid);
		fs.chownSync(pwFile, ids.uid, ids.gid);
	}
	const asPostgres = { ...ids, env: { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' } };
	const init = spawnSync(
		path.join(pgBin, 'initdb'),
		[
			'-D',
			dataDir,
			'-U',
			POSTGRES.user,
			`--pwfile=${pwFile}`,
			'--auth=scram-sha-256',
			'--encoding=UTF8',
			'--no-sync',
		],
		{ ...asPostgres, encoding: 'utf8' },
	);
	fs.rmSync(pwFile, { force: true });
	if (init.status !== 0) throw new Error(`initdb failed:\n${init.stdout}\n${init.stderr}`);
	const port = await freePort();
	const server = await runPostgres(stateDir, pgBin, port);
	const env = { ...process.env, PGPASSWORD: POSTGRES.password };
	const created = spawnSync(
		path.join(pgBin, 'createdb'),
		['-h', '127.0.0.1', '-p', String(port), '-U', POSTGRES.user, POSTGRES.database],
		{
			env,
			encoding: 'utf8',
		},
	);
	if (created.status !== 0) throw new Error(`createdb failed: ${created.stderr}`);
	return server;
}

/**
 * Runs PostgreSQL on the cluster in `<stateDir>/postgres` (created by startPostgres) on `port`; resolves
 * { pid, port, ...POSTGRES } once it accepts connections. Also the restart after an outage: same data, same port.
 */
async function runPostgres(stateDir, pgBin, port) {
	const ids = postgresIds();
	const dataDir = path.join(stateDir, 'postgres');
	const asPostgres = { ...ids, env: { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' } };
	const logFd = openLog(path.join(stateDir, 'postgres.log'));
	const child = spawn(
		path.join(pgBin, 'postgres'),
		[
			'-D',
			dataDir,
			'-p',
			String(port),
			'-c',
			'listen_addresses=127.0.0.1',
			'-c',
			`unix_socket_directories=${dataDir}`,
			'-c',
			'max_connections=200',
			// A throw-away local database: durability traded for speed.
			'-c',
			'fsync=off',
			'-c',
			'synchronous_commit=off',
			'-c',
			'full_page_writes=off',
		],
		{ ...asPostgres, detached: true, stdio: ['ignore', logFd, logFd] },
	);
	child.unref();
	fs.closeSync(logFd);
	await waitFor(
		() =>
			spawnSync(path.join(pgBin, 'pg_isready'), [
				'-h',
				'127.0.0.1',
				'-p',
				String(port),
				'-U',
				POSTGRES.user,
				'-d',
				'postgres',
			]).status === 0,
		'PostgreSQL',
	);
	return { pid: child.pid, host: '127.0.0.1', port, ...POSTGRES };
}

/**
 * Starts redis-server on 127.0.0.1 with no persistence, data folder `<stateDir>/redis`, on `port` (default: a free
 * one; the restart after an outage passes the old one); resolves { pid, port }.
 */
async function startRedis(stateDir, redis, port) {
	const dir = path.join(stateDir, 'redis');
	fs.mkdirSync(dir, { recursive: true });
	port = port || (await freePort());
	const logFile = path.join(stateDir, 'redis.log');
	const logStart = fs.existsSync(logFile) ? fs.statSync(logFile).size : 0;
	const logFd = openLog(logFile);
	const child = spawn(
		redis,
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--dir',
			dir,
			'--save',
			'',
			'--appendonly',
			'no',
			'--daemonize',
			'no',
		],
		{ detached: true, stdio: ['ignore', logFd, logFd] },
	);
	child.unref();
	fs.closeSync(logFd);
	await waitFor(
		() => /Ready to accept connections/.test(fs.readFileSync(logFile, 'utf8').slice(logStart)),
		'Redis',
	);
	return { pid: child.pid, host: '127.0.0.1', port };
}

const alive = (pid) => {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
};

/** Stops one process by pid: `signal`, then SIGKILL after `graceMs`. Resolves when it is gone. */
async function stopPid(pid, { signal = 'SIGTERM', graceMs = 20000 } = {}) {
	if (!pid || !alive(pid)) return;
	try {
		process.kill(pid, signal);
	} catch {
		return;
	}
	const deadline = Date.now() + graceMs;
	while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
	if (alive(pid)) {
		try {
			process.kill(pid, 'SIGKILL');
		} catch {
			// already gone
		}
	}
}

/**
 * Restart back-off of a supervisor: `due(name, startedAt)` says whether a process found dead may be started again
 * now, and counts the attempt. Waits `stepsMs[0]`, then each next step (the last one repeats) while it keeps dying;
 * a process that had stayed up `stableAfterMs` starts from the first step again. `clear()` forgets every count
 * (PostgreSQL or Redis is back: start what exited during the outage at once).
 */
function restartBackoff({ stepsMs = [1000, 2000, 4000, 8000, 16000, 30000], stableAfterMs = 60000, now = Date.now } = {}) {
	const failures = new Map(); // name → { count, next }
	return {
		due(name, startedAt) {
			const f = failures.get(name) || { count: 0, next: 0 };
			if (startedAt !== undefined && now() - startedAt > stableAfterMs) f.count = 0;
			if (now() < f.next) return false;
			f.next = now() + stepsMs[Math.min(f.count, stepsMs.length - 1)];
			f.count += 1;
			failures.set(name, f);
			return true;
		},
		clear() {
			failures.clear();
		},
	};
}

module.exports = { restartBackoff, ensureServerPackages, startPostgres, runPostgres, startRedis, stopPid, alive, POSTGRES };
