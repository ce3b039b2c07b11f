// `npm start` (scripts/start.js) in a throw-away user folder: it builds, installs the package into n8n 2.x,
// imports every template, and serves the editor on 127.0.0.1 only; then n8n's own CLI lists the imported workflows.
const fs = require('fs');
const os = require('os');
const path = require('path');
const net = require('net');
const { spawn, execFileSync } = require('child_process');
const { ensureN8n, ROOT } = require('../../scripts/n8n/harness');

jest.setTimeout(15 * 60 * 1000);

async function freePort() {
	return await new Promise((resolve) => {
		const server = net.createServer();
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

describe('npm start', () => {
	let child;
	let userFolder;

	afterAll(async () => {
		if (child && child.exitCode === null) {
			await new Promise((resolve) => {
				child.on('exit', resolve);
				child.kill('SIGTERM');
				setTimeout(() => child.kill('SIGKILL'), 20000).unref();
			});
		}
		if (userFolder) fs.rmSync(userFolder, { recursive: true, force: true });
	});

	it('serves the editor on 127.0.0.1 only, with the package loaded and the templates imported', async () => {
		const install = ensureN8n();
		userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'story-leads-start-'));
		const port = await freePort();
		child = spawn(process.execPath, [path.join(ROOT, 'scripts/start.js'), '--port', String(port)], {
			cwd: ROOT,
			// Not jest's NODE_ENV=test: n8n changes its behaviour under it.
			env: { ...process.env, NODE_ENV: 'production', STORY_LEADS_USER_FOLDER: userFolder },
		});
		let log = '';
		child.stdout.on('data', (d) => (log += d));
		child.stderr.on('data', (d) => (log += d));
		const deadline = Date.now() + 10 * 60 * 1000;
		while (!/Editor is now accessible via/.test(log)) {
			if (child.exitCode !== null) throw new Error(`npm start exited early:\n${log}`);
			if (Date.now() > deadline) throw new Error(`n8n did not come up:\n${log}`);
			await new Promise((r) => setTimeout(r, 500));
		}
		const health = await fetch(`http://127.0.0.1:${port}/healthz`);
		expect(health.status).toBe(200);
		// Another address of this machine must not reach it: 127.0.0.2 is loopback too on Linux, but n8n listening on
		// 127.0.0.1 alone (not on every interface, `::`) refuses connections there.
		const elsewhere = await fetch(`http://127.0.0.2:${port}/healthz`).then(
			(res) => `answered ${res.status}`,
			(error) => (error.cause && error.cause.code) || String(error),
		);
		expect(elsewhere).toBe('ECONNREFUSED');
		expect(log).toMatch(/listening on 127\.0\.0\.1/);
		await new Promise((resolve) => {
			child.on('exit', resolve);
			child.kill('SIGTERM');
		});
		const n8nCli = (args) =>
			execFileSync(install.node, [install.n8nBin, ...args], {
				env: { PATH: `${install.binDir}:${process.env.PATH}`, HOME: userFolder, N8N_USER_FOLDER: userFolder, DB_TYPE: 'sqlite' },
				cwd: userFolder,
				encoding: 'utf8',
			});
		const exported = path.join(userFolder, 'nodes.json');
		n8nCli(['export:nodes', `--output=${exported}`]);
		const loaded = JSON.parse(fs.readFileSync(exported, 'utf8')).map((n) => n.name);
		expect(loaded).toEqual(
			expect.arrayContaining(['n8n-nodes-story-leads.consentGate', 'n8n-nodes-story-leads.instagramStoryTrigger']),
		);
		const listed = n8nCli(['list:workflow']);
		const templates = fs
			.readdirSync(path.join(ROOT, 'workflows'))
			.filter((f) => f.endsWith('.json'))
			.map((f) => JSON.parse(fs.readFileSync(path.join(ROOT, 'workflows', f), 'utf8')));
		for (const template of templates) expect(listed).toContain(`${template.id}|${template.name}`);
	});
});
