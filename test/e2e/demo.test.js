// `npm run demo` with a small sample (--viewers 120): the same script a user runs, in a child process, against a
// real n8n 2.x and the local fakes. Checks the exit code, the printed funnel, and the JSON and HTML reports against
// the seeded sample's ground truth (who sent STOP, who is a bot, who wrote within the 24 h window).
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const { ensureN8n, ROOT } = require('../../scripts/n8n/harness');
const { buildSample, DEMO_NOW } = require('../../scripts/demo/sample');

jest.setTimeout(15 * 60 * 1000);

const VIEWERS = 120;
const DAY = 24 * 3600000;

function runDemo(args) {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [path.join(ROOT, 'scripts/demo/demo.js'), ...args], {
			cwd: ROOT,
			// As a user runs it, not under jest's NODE_ENV=test (n8n changes its behaviour under it).
			env: { ...process.env, NODE_ENV: 'production' },
		});
		let output = '';
		child.stdout.on('data', (d) => (output += d));
		child.stderr.on('data', (d) => (output += d));
		child.on('error', reject);
		child.on('exit', (code) => resolve({ code, output }));
	});
}

describe('npm run demo (small sample)', () => {
	let out;
	let result;
	let funnel;
	const sample = buildSample(DEMO_NOW, { viewers: VIEWERS });

	beforeAll(async () => {
		ensureN8n();
		out = fs.mkdtempSync(path.join(os.tmpdir(), 'story-leads-demo-'));
		// --no-build: npm test has just built dist/.
		result = await runDemo(['--no-build', '--viewers', String(VIEWERS), '--out', out]);
		if (result.code === 0) funnel = JSON.parse(fs.readFileSync(path.join(out, 'demo.json'), 'utf8'));
	});

	afterAll(() => {
		if (out) fs.rmSync(out, { recursive: true, force: true });
	});

	it('exits 0 and prints the funnel with the figures of its JSON report', () => {
		if (result.code !== 0) throw new Error(`demo exited ${result.code}:\n${result.output.slice(-6000)}`);
		expect(result.output).toContain('Story Leads demo funnel (as of 2026-03-16T12:00:00.000Z)');
		expect(result.output).toContain('checks passed');
		const figure = (label) => {
			const match = new RegExp(`${label.replace(/[()+]/g, '\\$&')}\\s+(\\d+)`).exec(result.output);
			if (!match) throw new Error(`no line "${label}" in:\n${result.output}`);
			return Number(match[1]);
		};
		expect(figure('viewers (last 7 days)')).toBe(funnel.viewers);
		expect(figure('in a segment (bots excluded)')).toBe(funnel.segmentedViewers);
		expect(figure('allowed (consent + 24 h window)')).toBe(funnel.allowed);
		expect(figure('DMs sent (first step)')).toBe(funnel.dmsSent);
		expect(figure('replies to the DMs')).toBe(funnel.replies);
		expect(figure('CRM contacts')).toBe(funnel.crm.contacts);
	});

	it('counts every viewer once: allowed + blocked = viewers, bots and STOP senders blocked for that reason', () => {
		expect(funnel.sample).toEqual(sample.counts);
		expect(funnel.viewers).toBe(VIEWERS);
		expect(funnel.gateInputs).toBe(VIEWERS);
		const blocked = Object.values(funnel.blocked).reduce((a, b) => a + b, 0);
		expect(funnel.allowed + blocked).toBe(VIEWERS);
		expect(funnel.segments.possibleBot).toBe(sample.bots.length);
		expect(funnel.blocked.possible_bot).toBe(sample.bots.length);
		expect(funnel.blocked.opted_out).toBe(sample.stopSenders.length);
		expect(funnel.segmentedViewers).toBeLessThan(VIEWERS);
	});

	it('messages only allowed people who wrote within 24 h (at once when they write live), never a STOP sender or a bot', () => {
		const recipients = funnel.dmRecipients;
		expect(recipients.length).toBe(funnel.dmsSent);
		expect(funnel.dmsSent).toBeGreaterThan(0);
		expect(funnel.dmsByDispatcher).toBeGreaterThan(0);
		expect(funnel.dmsByDispatcher).toBeLessThanOrEqual(funnel.allowed);
		// Live, every first-time story replier got the first message at once (webhook path), and nobody else did.
		expect(funnel.sentOnReply).toBe(sample.liveRepliers.length);
		expect(funnel.dmsSent).toBe(funnel.dmsByDispatcher + funnel.sentOnReply);
		for (const r of sample.liveRepliers) expect(recipients).toContain(r.igsid);
		expect(new Set(recipients).size).toBe(recipients.length);
		for (const id of recipients) {
			expect(sample.stopSenders).not.toContain(id);
			expect(sample.bots).not.toContain(id);
		}
		const lastInteraction = new Map();
		for (const delivery of sample.deliveries) {
			for (const entry of delivery.entry) {
				for (const m of entry.messaging) lastInteraction.set(m.sender.id, Math.max(lastInteraction.get(m.sender.id) || 0, m.timestamp));
			}
		}
		for (const r of sample.liveRepliers) lastInteraction.set(r.igsid, r.at);
		for (const id of recipients) expect(lastInteraction.get(id)).toBeGreaterThanOrEqual(DEMO_NOW - DAY);
		// One confirmation per STOP sender, on top of the sequence DMs; every send is logged.
		expect(funnel.confirmations).toBe(sample.stopSenders.length);
		expect(funnel.tables.sends).toBe(funnel.dmsSent + funnel.confirmations);
		expect(funnel.tables.consent).toBe(sample.stopSenders.length);
	});

	it('stores every event and tags the engaged contacts in the CRM', () => {
		const viewRows = sample.csv.split('\n').length - 1;
		expect(funnel.tables.events).toBe(viewRows + sample.interactions + funnel.replies + sample.liveRepliers.length);
		expect(funnel.replies).toBeLessThanOrEqual(funnel.dmsSent);
		const tagged = Object.values(funnel.tiers).reduce((a, b) => a + b, 0);
		expect(tagged).toBeGreaterThan(0);
		expect(funnel.crm.contacts).toBe(tagged);
		expect(funnel.crm.tags['instagram-story-lead']).toBe(funnel.dmsSent);
	});

	it('writes the page of the Report template (Funnel Report node): a self-contained HTML report with the funnel chart', () => {
		const html = fs.readFileSync(path.join(out, 'demo.html'), 'utf8');
		expect(html).toMatch(/^<!doctype html>/);
		expect(html).toContain('<svg');
		expect(html).toContain(`data-figure="stage-viewers">${funnel.viewers}<`);
		expect(html).toContain(`data-figure="stage-messaged">${funnel.dmsSent}<`);
		expect(html).toContain(`data-figure="conversions">${funnel.orders}<`);
		expect(html).not.toMatch(/(src|href)=["']?https?:/);
	});

	it('the Funnel Report agrees with the run: same viewers and messaged people, every order once, one CRM deal each', () => {
		const r = funnel.report;
		expect(r.funnel.viewers).toBe(funnel.viewers);
		expect(r.funnel.messaged).toBe(funnel.dmsSent);
		expect(r.funnel.replied).toBe(funnel.replies);
		expect(funnel.orders).toBeGreaterThan(0);
		expect(r.conversions.count).toBe(funnel.orders);
		expect(r.funnel.converted).toBe(funnel.orders);
		expect(funnel.crm.deals).toBe(funnel.orders);
		expect(result.output).toContain(`Funnel Report (as of ${r.asOf}`);
	});
});
