// `npm start` (scripts/start.js) is safe on a shared network and beside another clone: it listens on 127.0.0.1
// unless --host says otherwise, each checkout gets its own n8n user folder, and a taken port gives another free
// port or a message that says what to do. The functions are scripts/n8n/localStart.js; the e2e smoke test runs it.
const net = require('net');
const os = require('os');
const path = require('path');
const {
	parseStartArgs,
	userFolderFor,
	choosePort,
	startEnv,
	isLoopback,
	portIsFree,
} = require('../../scripts/n8n/localStart');

const base = { baseEnv: { PATH: '/usr/bin' }, binDir: '/n24/bin', userFolder: '/u', port: 5678 };

describe('npm start arguments', () => {
	test('listens on 127.0.0.1 by default; --host, --port and --reset as given', () => {
		expect(parseStartArgs([])).toEqual({ port: undefined, host: '127.0.0.1', reset: false });
		expect(parseStartArgs(['--host', '0.0.0.0', '--port', '5690', '--reset'])).toEqual({
			port: 5690,
			host: '0.0.0.0',
			reset: true,
		});
	});

	test.each([
		[['--port'], /--port needs a value/],
		[['--port', 'x'], /--port needs a port number/],
		[['--port', '65000'], /n8n's task broker uses port \+ 1000/],
		[['--host', '--reset'], /--host needs a value/],
		[['--hots', '0.0.0.0'], /unknown argument --hots[\s\S]*--host 0\.0\.0\.0/],
	])('refuses %j with a message that shows the usage', (argv, message) => {
		expect(() => parseStartArgs(argv)).toThrow(message);
	});

	test('only loopback addresses count as local', () => {
		expect(['127.0.0.1', '127.0.1.1', 'localhost', '::1'].filter(isLoopback)).toHaveLength(4);
		expect(['0.0.0.0', '::', '192.168.1.20'].filter(isLoopback)).toEqual([]);
	});
});

describe('npm start environment', () => {
	test('n8n listens on 127.0.0.1 unless asked, with the task broker on port + 1000', () => {
		expect(startEnv(base)).toMatchObject({ N8N_LISTEN_ADDRESS: '127.0.0.1', N8N_PORT: '5678', N8N_RUNNERS_BROKER_PORT: '6678' });
		expect(startEnv({ ...base, host: '0.0.0.0', port: 5690 })).toMatchObject({
			N8N_LISTEN_ADDRESS: '0.0.0.0',
			N8N_PORT: '5690',
		});
	});

	test('an N8N_LISTEN_ADDRESS in the caller environment does not widen the default', () => {
		const env = startEnv({ ...base, baseEnv: { PATH: '/usr/bin', N8N_LISTEN_ADDRESS: '::' } });
		expect(env.N8N_LISTEN_ADDRESS).toBe('127.0.0.1');
	});
});

describe('one n8n user folder per checkout', () => {
	const cache = path.join(os.tmpdir(), 'cache');

	test('two clones get two folders, a clone always the same one', () => {
		const a = userFolderFor(cache, '/home/ana/work/story-leads');
		const b = userFolderFor(cache, '/home/ana/other/story-leads');
		expect(a).not.toBe(b);
		expect(userFolderFor(cache, '/home/ana/work/story-leads/')).toBe(a);
		expect(path.dirname(a)).toBe(cache);
		expect(path.basename(a)).toMatch(/^local-n8n-story-leads-[0-9a-f]{8}$/);
	});

	test('odd folder names give a plain file name', () => {
		expect(path.basename(userFolderFor(cache, '/tmp/my clone (2)'))).toMatch(/^local-n8n-my-clone-2-?-[0-9a-f]{8}$/);
	});
});

describe('a free port', () => {
	const taken = (ports) => async (port) => !ports.includes(port);

	test('5678 when it is free', async () => {
		expect(await choosePort({ requested: undefined, isFree: taken([]) })).toEqual({ port: 5678 });
	});

	test('the next free one when 5678 (or its broker port) is taken, with a note saying why', async () => {
		const chosen = await choosePort({ requested: undefined, isFree: taken([5678, 6679]) });
		expect(chosen.port).toBe(5680);
		expect(chosen.note).toMatch(/port 5678 is in use .*using 5680 instead/);
	});

	test('an explicit --port that is taken is an error that names it and says what to do', async () => {
		await expect(choosePort({ requested: 5690, isFree: taken([5690]) })).rejects.toThrow(
			/port 5690 .* is already in use on 127\.0\.0\.1: another n8n, perhaps `npm start` of another clone.*--port/,
		);
	});

	test('every port of the range taken: a clear message', async () => {
		await expect(choosePort({ requested: undefined, isFree: async () => false })).rejects.toThrow(
			/ports 5678–5698 are all in use/,
		);
	});

	test('portIsFree sees a real listener on 127.0.0.1', async () => {
		const server = net.createServer();
		await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address();
		try {
			expect(await portIsFree(port, '127.0.0.1')).toBe(false);
		} finally {
			await new Promise((resolve) => server.close(resolve));
		}
		expect(await portIsFree(port, '127.0.0.1')).toBe(true);
	});
});
