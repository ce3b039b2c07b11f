// What `npm start` (scripts/start.js) gives n8n, as plain functions so unit tests can check it without starting n8n.
const { withPathFirst } = require('./install');
const { RECOMMENDED_N8N_ENV } = require('./settings');

const pickSet = (env, names) => Object.fromEntries(names.filter((n) => env[n] !== undefined).map((n) => [n, env[n]]));

/**
 * The environment of the local n8n.
 * @param {{ baseEnv: NodeJS.ProcessEnv, binDir: string, userFolder: string, port: number }} o
 */
function startEnv({ baseEnv, binDir, userFolder, port }) {
	return {
		...withPathFirst(baseEnv, binDir),
		N8N_USER_FOLDER: userFolder,
		DB_TYPE: 'sqlite',
		N8N_PORT: String(port),
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

module.exports = { startEnv };
