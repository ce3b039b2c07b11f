// The n8n settings we ship (scripts/n8n/settings.js) reach every way of running n8n this repo offers: `npm start`'s
// environment, queue mode's shared environment, the production compose file, and the install docs; and the
// bench's side-by-side table and exit code.
const fs = require('fs');
const path = require('path');
const { RECOMMENDED_N8N_ENV, WHY_LAZY_ACQUIRE, WHY_CONCURRENCY_LIMIT } = require('../../scripts/n8n/settings');
const { startEnv } = require('../../scripts/n8n/localStart');
const { queueEnv } = require('../../scripts/queue/env');
const { engineTable, exitCode, TARGETS } = require('../../scripts/bench/n8n');

const ROOT = path.resolve(__dirname, '../..');
const read = (file) => fs.readFileSync(path.join(ROOT, file), 'utf8');

describe('n8n settings we ship: lazy expression isolates', () => {
	test('the settings are lazy isolates and n8n\'s production concurrency limit, each with its reason in one sentence', () => {
		expect(RECOMMENDED_N8N_ENV).toEqual({ N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true', N8N_CONCURRENCY_PRODUCTION_LIMIT: '20' });
		expect(WHY_LAZY_ACQUIRE.split(/\.\s/)).toHaveLength(1);
		expect(WHY_LAZY_ACQUIRE).toMatch(/second expression isolate/);
		expect(WHY_CONCURRENCY_LIMIT.split(/\.\s/)).toHaveLength(1);
		expect(WHY_CONCURRENCY_LIMIT).toMatch(/^N8N_CONCURRENCY_PRODUCTION_LIMIT=20: .*isolate/);
	});

	test('npm start gives it to n8n, unless the caller set the variable', () => {
		const env = startEnv({ baseEnv: { PATH: '/usr/bin' }, binDir: '/n24/bin', userFolder: '/u', port: 5678 });
		expect(env.N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE).toBe('true');
		const mine = startEnv({
			baseEnv: { PATH: '/usr/bin', N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'false' },
			binDir: '/n24/bin',
			userFolder: '/u',
			port: 5678,
		});
		expect(mine.N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE).toBe('false');
	});

	test('every queue-mode process gets it (npm run queue and the queue test build their env with queueEnv)', () => {
		const env = queueEnv({
			encryptionKey: 'k',
			postgres: { host: 'h', port: 1, database: 'd', user: 'u', password: 'p' },
			redis: { host: 'r', port: 2 },
			webhookUrl: 'http://w/',
		});
		expect(env).toMatchObject(RECOMMENDED_N8N_ENV);
	});

	test('docker-compose.queue.yml sets it for every n8n service, with the reason in a comment', () => {
		const compose = read('docker-compose.queue.yml');
		for (const [name, value] of Object.entries(RECOMMENDED_N8N_ENV)) {
			expect(compose).toMatch(new RegExp(`^\\s+${name}: "${value}"$`, 'm'));
		}
		expect(compose).toMatch(/second expression isolate/);
		expect(compose).toMatch(/# n8n's concurrency control[^\n]*\n(\s+#.*\n)*\s+N8N_CONCURRENCY_PRODUCTION_LIMIT: "20"/);
	});

	test.each(['README.md', 'docs/queue-mode.md', 'docs/development.md'])(
		'%s (install docs) names the settings and says why',
		(file) => {
			const text = read(file);
			for (const setting of ['N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true', 'N8N_CONCURRENCY_PRODUCTION_LIMIT=20']) {
				const at = text.indexOf(setting);
				expect({ setting, at: at >= 0 }).toEqual({ setting, at: true });
				expect(text.slice(Math.max(0, at - 400), at + 400)).toMatch(/isolate|concurrency/);
			}
		},
	);
});

describe('bench:n8n: both engine settings side by side', () => {
	const lazy = { trigger: 24.94, bare: 25.1, ratio: 24.94 / 25.1 };
	const defaults = { trigger: 17.4, bare: 27.7, ratio: 17.4 / 27.7 };

	test('one table row per figure, lazy isolates (with the target) next to n8n defaults (explained)', () => {
		const lines = engineTable(lazy, defaults);
		const rows = lines.slice(1, 5).map((l) => l.split('|').map((c) => c.trim()));
		expect(rows).toEqual([
			['', 'lazy isolates (shipped)', "n8n's defaults"],
			['Instagram Story Trigger → Set', '24.9 req/s', '17.4 req/s'],
			['Webhook → Set', '25.1 req/s', '27.7 req/s'],
			['trigger / bare', `${Math.round(lazy.ratio * 100)} % (target >= 90 %)`, `${Math.round(defaults.ratio * 100)} % (printed, no target)`],
		]);
		expect(lines.slice(5).join(' ')).toMatch(/second expression isolate .*LAZY_ACQUIRE is off/);
		expect(TARGETS.webhookRatio).toBe(0.9);
	});

	test('exits 1 on a missed target, printing it; 0 when all are met; tiny sizes check none', () => {
		const printed = [];
		const log = (line) => printed.push(line);
		expect(exitCode(['TARGET MISSED: webhook path 80 %'], { tiny: false, log })).toBe(1);
		expect(printed).toEqual(['TARGET MISSED: webhook path 80 %']);
		expect(exitCode([], { tiny: false, log })).toBe(0);
		expect(printed[1]).toBe('all bench:n8n targets met');
		expect(exitCode(['TARGET MISSED: x'], { tiny: true, log })).toBe(0);
		expect(printed[2]).toBe('tiny sizes: targets not checked');
	});
});
