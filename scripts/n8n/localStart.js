// What `npm start` (scripts/start.js) gives n8n, as plain functions so unit tests can check them without starting
// n8n: its arguments, its user folder (one per checkout), a free port, and its environment.
const crypto = require('crypto');
const net = require('net');
const path = require('path');
const { withPathFirst } = require('./install');
const { RECOMMENDED_N8N_ENV } = require('./settings');

const DEFAULT_PORT = 5678;
const LOOPBACK = '127.0.0.1';
/** How far past 5678 `npm start` looks for a free port when 5678 is taken and no --port was given. */
const PORT_SEARCH = 20;

const USAGE = [
	'npm start                        start on http://localhost:5678, reachable from this computer only',
	'npm start -- --port 5679         another port (the default picks the next free one when 5678 is taken)',
	'npm start -- --host 0.0.0.0      listen on every network interface (others on your network can reach the editor)',
	'npm start -- --reset             start from an empty n8n user folder',
].join('\n');

/** `npm start` arguments: { port (undefined = 5678 or the next free one), host, reset }. */
function parseStartArgs(argv) {
	const options = { port: undefined, host: LOOPBACK, reset: false };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const value = () => {
			const next = argv[++i];
			if (next === undefined || next.startsWith('--')) throw new Error(`${arg} needs a value\n${USAGE}`);
			return next;
		};
		if (arg === '--port') {
			const port = Number(value());
			if (!Number.isInteger(port) || port <= 0 || port > 65535 - 1000)
				throw new Error(`--port needs a port number up to ${65535 - 1000} (n8n's task broker uses port + 1000)`);
			options.port = port;
		} else if (arg === '--host') options.host = value();
		else if (arg === '--reset') options.reset = true;
		else throw new Error(`unknown argument ${arg}\n${USAGE}`);
	}
	return options;
}

/** True for addresses only this computer can reach. */
function isLoopback(host) {
	return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/**
 * The n8n user folder of a checkout: each clone gets its own (owner account, credentials, Data tables), named after
 * the checkout folder with a short hash of its full path, so two clones named alike stay apart.
 */
function userFolderFor(cacheRoot, checkoutRoot) {
	const resolved = path.resolve(checkoutRoot);
	const name = path.basename(resolved).replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 40) || 'checkout';
	const hash = crypto.createHash('sha256').update(resolved).digest('hex').slice(0, 8);
	return path.join(cacheRoot, `local-n8n-${name}-${hash}`);
}

/** Whether a TCP port can be bound on `host` right now. */
function portIsFree(port, host = LOOPBACK) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.unref();
		server.once('error', () => resolve(false));
		server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
	});
}

/**
 * The port to serve on, with n8n's task broker on port + 1000 free too. An explicit --port that is taken is an
 * error that says so; otherwise 5678, or the next free port (with a note to print). Returns { port, note? }.
 */
async function choosePort({ requested, host = LOOPBACK, isFree = portIsFree }) {
	const usable = async (port) => (await isFree(port, host)) && (await isFree(port + 1000, LOOPBACK));
	if (requested !== undefined) {
		if (await usable(requested)) return { port: requested };
		throw new Error(
			`port ${requested} (or ${requested + 1000}, n8n's task broker) is already in use on ${host}: another n8n, ` +
				'perhaps `npm start` of another clone, is running there. Stop it, or pick another port with --port.',
		);
	}
	for (let port = DEFAULT_PORT; port <= DEFAULT_PORT + PORT_SEARCH; port++) {
		if (await usable(port)) {
			if (port === DEFAULT_PORT) return { port };
			return {
				port,
				note: `port ${DEFAULT_PORT} is in use (another n8n, perhaps another clone's npm start); using ${port} instead (--port picks one)`,
			};
		}
	}
	throw new Error(
		`ports ${DEFAULT_PORT}–${DEFAULT_PORT + PORT_SEARCH} are all in use on ${host}; pick a free one with --port`,
	);
}

const pickSet = (env, names) =>
	Object.fromEntries(names.filter((n) => env[n] !== undefined).map((n) => [n, env[n]]));

/**
 * The environment of the local n8n: it listens on `host` only (127.0.0.1 unless --host says otherwise).
 * @param {{ baseEnv: NodeJS.ProcessEnv, binDir: string, userFolder: string, port: number, host?: string }} o
 */
function startEnv({ baseEnv, binDir, userFolder, port, host = LOOPBACK }) {
	return {
		...withPathFirst(baseEnv, binDir),
		N8N_USER_FOLDER: userFolder,
		DB_TYPE: 'sqlite',
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: host,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_RUNNERS_BROKER_PORT: String(port + 1000),
		// Ours unless the caller set the variable (e.g. `N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=false npm start`).
		...RECOMMENDED_N8N_ENV,
		...pickSet(baseEnv, Object.keys(RECOMMENDED_N8N_ENV)),
	};
}

module.exports = {
	DEFAULT_PORT,
	LOOPBACK,
	USAGE,
	parseStartArgs,
	isLoopback,
	userFolderFor,
	portIsFree,
	choosePort,
	startEnv,
};
