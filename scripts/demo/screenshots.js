#!/usr/bin/env node
// Screenshots of each template in the n8n editor, for the README and docs/templates.md: `npm run screenshots`.
// Needs Debian's Chromium (`apt-get install -y chromium`) and runs it headless through the DevTools protocol
// (Node 24's built-in WebSocket: this script re-runs itself with the Node 24 of the n8n install).
// Writes docs/images/<template>.png.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn, execFileSync } = require('child_process');
const { ensureN8n } = require('../n8n/harness');

const ROOT = path.resolve(__dirname, '../..');
const OUT = path.join(ROOT, 'docs', 'images');
const SHOTS = [
	['StoryLeadsSetup', 'setup-story-leads-data-tables.png'],
	['StoryLeadsPart1', 'story-viewers-to-consented-leads.png'],
	['StoryLeadsPart2', 'engagement-tagging.png'],
	['StoryLeadsPart1HubSpt', 'story-viewers-to-consented-leads-hubspot.png'],
	['StoryLeadsPart2HubSpt', 'engagement-tagging-hubspot.png'],
];

class Cdp {
	constructor(url) {
		this.ws = new WebSocket(url);
		this.id = 0;
		this.pending = new Map();
		this.ws.addEventListener('message', (event) => {
			const msg = JSON.parse(event.data);
			if (msg.id && this.pending.has(msg.id)) {
				const { resolve, reject } = this.pending.get(msg.id);
				this.pending.delete(msg.id);
				if (msg.error) reject(new Error(msg.error.message));
				else resolve(msg.result);
			}
		});
	}
	async open() {
		await new Promise((resolve, reject) => {
			this.ws.addEventListener('open', resolve, { once: true });
			this.ws.addEventListener('error', reject, { once: true });
		});
	}
	send(method, params = {}, sessionId) {
		const id = ++this.id;
		this.ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
		return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
	}
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The first page load fetches the whole editor, so a fixed pause can catch the loading spinner: wait until the
// canvas shows the workflow's nodes and their count has stopped changing, then let the zoom-to-fit settle.
async function waitForCanvas(cdp, sessionId, workflowId, timeoutMs = 90000) {
	const expression = `document.querySelectorAll('[data-test-id="canvas-node"], .vue-flow__node').length`;
	const deadline = Date.now() + timeoutMs;
	let last = 0;
	let stableChecks = 0;
	while (Date.now() < deadline && stableChecks < 3) {
		const { result } = await cdp.send('Runtime.evaluate', { expression, returnByValue: true }, sessionId);
		const count = Number(result.value) || 0;
		stableChecks = count > 0 && count === last ? stableChecks + 1 : 0;
		last = count;
		await sleep(1000);
	}
	if (stableChecks < 3) throw new Error(`the editor did not render workflow ${workflowId} within ${timeoutMs / 1000} s`);
	await sleep(3000);
}

async function launchChromium() {
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'story-leads-chromium-'));
	const chromium = spawn(
		'chromium',
		[
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--no-first-run',
			'--hide-scrollbars',
			`--user-data-dir=${profile}`,
			'--remote-debugging-port=0',
			'about:blank',
		],
		{ stdio: ['ignore', 'ignore', 'pipe'] },
	);
	let stderr = '';
	const wsUrl = await new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`Chromium did not start:\n${stderr}`)), 30000);
		chromium.stderr.on('data', (d) => {
			stderr += d;
			const m = /DevTools listening on (ws:\/\/\S+)/.exec(stderr);
			if (m) {
				clearTimeout(timer);
				resolve(m[1]);
			}
		});
		chromium.on('exit', (code) => reject(new Error(`Chromium exited ${code}:\n${stderr}`)));
	});
	return {
		wsUrl,
		stop() {
			chromium.kill('SIGTERM');
			fs.rmSync(profile, { recursive: true, force: true });
		},
	};
}

async function main() {
	const { startStack } = require('../n8n/stack');
	const { startFakeGraphApi } = require('../fakes/graphApi');
	execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
	const graph = await startFakeGraphApi({ accessToken: 'screenshot-token-not-a-secret' });
	const stack = await startStack({ graphApi: graph });
	const browser = await launchChromium();
	try {
		for (const file of ['story-viewers-to-consented-leads-hubspot.json', 'engagement-tagging-hubspot.json']) {
			await stack.instance.importWorkflow(JSON.parse(fs.readFileSync(path.join(ROOT, 'workflows', file), 'utf8')));
		}
		const cdp = new Cdp(browser.wsUrl);
		await cdp.open();
		const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank' });
		const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
		const width = 2400;
		const height = 1300;
		await cdp.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false }, sessionId);
		const cookie = stack.api.cookie.split('=');
		await cdp.send(
			'Network.setCookie',
			{ name: cookie[0], value: cookie.slice(1).join('='), url: stack.baseUrl, path: '/' },
			sessionId,
		);
		await cdp.send('Page.enable', {}, sessionId);
		fs.mkdirSync(OUT, { recursive: true });
		for (const [id, png] of SHOTS) {
			await cdp.send('Page.navigate', { url: `${stack.baseUrl}/workflow/${id}` }, sessionId);
			await waitForCanvas(cdp, sessionId, id);
			const { data } = await cdp.send('Page.captureScreenshot', { format: 'png' }, sessionId);
			fs.writeFileSync(path.join(OUT, png), Buffer.from(data, 'base64'));
			console.log(`[screenshots] docs/images/${png}`);
		}
	} finally {
		browser.stop();
		await stack.stop();
		await graph.close();
	}
}

if (typeof WebSocket === 'undefined') {
	// Node 20 has no WebSocket client: re-run with the Node 24 that the e2e harness installs.
	const child = spawn(ensureN8n().node, [__filename, ...process.argv.slice(2)], { stdio: 'inherit' });
	child.on('exit', (code) => process.exit(code === null ? 1 : code));
} else {
	main().catch((error) => {
		console.error('[screenshots] failed:', error.stack || error.message);
		process.exit(1);
	});
}
