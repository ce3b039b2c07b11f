// docker-compose.queue.yml is the production recipe of the topology `npm run queue` starts: the same processes and
// the same queue-mode variables as scripts/queue/env.js (a name added there must be added to the compose file).
const fs = require('fs');
const path = require('path');
const { SHARED, queueEnv, ROLES } = require('../../scripts/queue/env');

const compose = fs.readFileSync(path.resolve(__dirname, '../../docker-compose.queue.yml'), 'utf8');

/** Keys of the `environment: &n8n-env` block (the anchor every n8n service uses). */
function sharedEnvironmentKeys(text) {
	const lines = text.split('\n');
	const start = lines.findIndex((l) => /environment: &n8n-env/.test(l));
	if (start < 0) throw new Error('no environment: &n8n-env block');
	const indent = lines[start + 1].match(/^\s*/)[0];
	const keys = [];
	for (const line of lines.slice(start + 1)) {
		if (!line.startsWith(indent) || line.trim() === '') break;
		const m = /^\s*([A-Z0-9_]+):/.exec(line);
		if (m && line.match(/^\s*/)[0] === indent) keys.push(m[1]);
	}
	return keys;
}

describe('docker-compose.queue.yml and scripts/queue/env.js', () => {
	const keys = sharedEnvironmentKeys(compose);

	test('the compose file sets every shared queue-mode variable the local stack sets', () => {
		expect(SHARED.filter((name) => !keys.includes(name))).toEqual([]);
	});

	test('queueEnv sets exactly the shared names, with queue mode on Postgres', () => {
		const env = queueEnv({
			encryptionKey: 'k',
			postgres: { host: 'h', port: 1, database: 'd', user: 'u', password: 'p' },
			redis: { host: 'r', port: 2 },
			webhookUrl: 'http://w/',
		});
		expect(Object.keys(env).sort()).toEqual([...SHARED].sort());
		expect(env).toMatchObject({ EXECUTIONS_MODE: 'queue', DB_TYPE: 'postgresdb' });
	});

	test('the values that must match do match (queue mode, Postgres, manual runs on workers, webhooks off the main)', () => {
		const value = (name) => new RegExp(`^\\s+${name}: "?([^"\\n]*)"?$`, 'm').exec(compose)[1];
		const env = queueEnv({
			encryptionKey: 'k',
			postgres: { host: 'h', port: 1, database: 'd', user: 'u', password: 'p' },
			redis: { host: 'r', port: 2 },
			webhookUrl: 'x',
		});
		for (const name of [
			'EXECUTIONS_MODE',
			'DB_TYPE',
			'OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS',
			'N8N_DISABLE_PRODUCTION_MAIN_PROCESS',
			'GENERIC_TIMEZONE',
		]) {
			expect({ name, value: value(name) }).toEqual({ name, value: env[name] });
		}
	});

	test('the same processes: a main, two workers and a webhook processor, with the n8n commands the stack runs', () => {
		const commands = [...compose.matchAll(/^\s+command: (.+)$/gm)].map((m) => m[1].trim()).sort();
		expect(commands).toEqual(
			[
				ROLES.main.join(' '),
				ROLES.webhook.join(' '),
				ROLES.worker(10).join(' '),
				ROLES.worker(10).join(' '),
			].sort(),
		);
	});

	/** Each service block of the compose file: name → its text (the x-n8n anchor merged where `<<: *n8n`). */
	const serviceBlocks = () => {
		const anchor = /^x-n8n: &n8n\n((?: {2}.*\n|\n)+)/m.exec(compose)[1];
		const services = compose.slice(compose.indexOf('\nservices:\n'), compose.indexOf('\nvolumes:\n'));
		const blocks = {};
		for (const m of services.matchAll(/^ {2}([a-z0-9-]+):\n((?: {4}.*\n|\s*\n)+)/gm)) {
			blocks[m[1]] = m[2].includes('<<: *n8n') ? m[2] + anchor : m[2];
		}
		return blocks;
	};

	test('every service restarts after a crash or an outage (restart policy), n8n processes through the anchor', () => {
		const blocks = serviceBlocks();
		expect(Object.keys(blocks).sort()).toEqual(
			['n8n-main', 'n8n-webhook', 'n8n-worker-1', 'n8n-worker-2', 'postgres', 'redis'].sort(),
		);
		for (const [name, text] of Object.entries(blocks)) {
			expect({ name, restart: /^\s+restart: (\S+)$/m.exec(text)?.[1] }).toEqual({ name, restart: 'unless-stopped' });
		}
	});

	test('PostgreSQL is the version n8n supports (17), and n8n waits for healthy PostgreSQL and Redis', () => {
		const blocks = serviceBlocks();
		expect(/^\s+image: postgres:(\d+)/m.exec(blocks.postgres)[1]).toBe('17');
		for (const name of ['n8n-main', 'n8n-webhook', 'n8n-worker-1', 'n8n-worker-2']) {
			expect(blocks[name]).toMatch(/postgres:\n\s+condition: service_healthy/);
			expect(blocks[name]).toMatch(/redis:\n\s+condition: service_healthy/);
		}
	});
});
