// The environment of n8n in queue mode, in one place: `npm run queue`, the queue e2e test and
// docker-compose.queue.yml use these names (test/unit/queue-compose.test.js checks the compose file against them).
// n8n's documented pattern: one main, workers and webhook processors sharing Postgres, Redis and the encryption key.

const { RECOMMENDED_N8N_ENV } = require('../n8n/settings');

/** Variables every n8n process of the topology needs, with the same values everywhere. */
const SHARED = [
	'EXECUTIONS_MODE',
	'N8N_ENCRYPTION_KEY',
	'DB_TYPE',
	'DB_POSTGRESDB_HOST',
	'DB_POSTGRESDB_PORT',
	'DB_POSTGRESDB_DATABASE',
	'DB_POSTGRESDB_USER',
	'DB_POSTGRESDB_PASSWORD',
	'QUEUE_BULL_REDIS_HOST',
	'QUEUE_BULL_REDIS_PORT',
	'OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS',
	'N8N_DISABLE_PRODUCTION_MAIN_PROCESS',
	'WEBHOOK_URL',
	'GENERIC_TIMEZONE',
	...Object.keys(RECOMMENDED_N8N_ENV),
];

/**
 * The shared queue-mode variables.
 * @param {{ encryptionKey: string, postgres: { host: string, port: number, database: string, user: string, password: string },
 *           redis: { host: string, port: number }, webhookUrl: string, timeZone?: string }} o
 */
function queueEnv(o) {
	const env = {
		EXECUTIONS_MODE: 'queue',
		N8N_ENCRYPTION_KEY: o.encryptionKey,
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: o.postgres.host,
		DB_POSTGRESDB_PORT: String(o.postgres.port),
		DB_POSTGRESDB_DATABASE: o.postgres.database,
		DB_POSTGRESDB_USER: o.postgres.user,
		DB_POSTGRESDB_PASSWORD: o.postgres.password,
		QUEUE_BULL_REDIS_HOST: o.redis.host,
		QUEUE_BULL_REDIS_PORT: String(o.redis.port),
		// Manual runs ("Run now", the Set-up workflow) go to the workers too, like production runs.
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		// Production webhooks are served by the webhook processor only; the main keeps the editor, API and triggers.
		N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
		// The public URL of the webhook processor (behind a load balancer in production).
		WEBHOOK_URL: o.webhookUrl,
		GENERIC_TIMEZONE: o.timeZone || 'UTC',
		// n8n's lazy expression isolates (scripts/n8n/settings.js says why).
		...RECOMMENDED_N8N_ENV,
	};
	for (const name of SHARED)
		if (env[name] === undefined) throw new Error(`queueEnv: ${name} is missing`);
	return env;
}

/** The n8n command of each role: main, worker, webhook processor. */
const ROLES = {
	main: ['start'],
	worker: (concurrency) => ['worker', `--concurrency=${concurrency}`],
	webhook: ['webhook'],
};

module.exports = { SHARED, queueEnv, ROLES };
