// `npm run demo` with a small sample (--viewers 120): the same script a user runs, in a child process, against a
// real n8n 2.x and the local fakes. The demo's figures (demo.json, the printed funnel) are checked against ground
// truth the test works out for itself: from the seeded sample (who sent STOP, who is a bot, who wrote within the
// 24 h window, who replies live) and from what the fakes recorded on the wire (fakes.json: every Graph API request,
// ActiveCampaign's contacts and tags), never against the demo's own derived numbers.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const { ensureN8n, ROOT } = require('../../scripts/n8n/harness');
const { buildSample, pickDmRepliers, DEMO_NOW } = require('../../scripts/demo/sample');

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

/** Recipients of the DMs the fake Graph API received in one phase of the demo, in order. */
function dmRecipients(wire, phase) {
	return wire.graphApi
		.filter((r) => r.phase === phase && r.method === 'POST' && /\/messages$/.test(r.path))
		.map((r) => r.body && r.body.recipient && r.body.recipient.id);
}

const sorted = (list) => [...list].sort();

describe('npm run demo (small sample)', () => {
	let out;
	let result;
	let funnel;
	let wire;
	const sample = buildSample(DEMO_NOW, { viewers: VIEWERS });
	// Ground truth from the sample: everyone's last message to the account before "now". Story replies, mentions and
	// DMs open Instagram's 24 h window; reactions do not.
	const lastInbound = new Map();
	for (const delivery of sample.deliveries) {
		for (const entry of delivery.entry) {
			for (const m of entry.messaging) {
				if (!m.reaction) lastInbound.set(m.sender.id, Math.max(lastInbound.get(m.sender.id) || 0, m.timestamp));
			}
		}
	}
	const withinWindow = (id) => (lastInbound.get(id) || 0) > DEMO_NOW - DAY;
	// Who the dispatcher may message: in the window, not a bot, never sent STOP.
	const eligible = sample.viewers
		.map((v) => v.igsid)
		.filter((id) => !sample.bots.includes(id) && !sample.stopSenders.includes(id) && withinWindow(id));

	beforeAll(async () => {
		ensureN8n();
		out = fs.mkdtempSync(path.join(os.tmpdir(), 'story-leads-demo-'));
		// --no-build: npm test has just built dist/.
		result = await runDemo(['--no-build', '--viewers', String(VIEWERS), '--out', out]);
		if (result.code === 0) {
			funnel = JSON.parse(fs.readFileSync(path.join(out, 'demo.json'), 'utf8'));
			wire = JSON.parse(fs.readFileSync(path.join(out, 'fakes.json'), 'utf8'));
		}
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
		const firstMessages = [...dmRecipients(wire, 'dispatcher'), ...dmRecipients(wire, 'live')];
		expect(figure('viewers (last 7 days)')).toBe(VIEWERS);
		expect(figure('in a segment (bots excluded)')).toBe(funnel.segmentedViewers);
		expect(figure('allowed (consent + 24 h window)')).toBe(eligible.length);
		expect(figure('DMs sent (first step)')).toBe(firstMessages.length);
		expect(figure('replies to the DMs')).toBe(pickDmRepliers(sorted(dmRecipients(wire, 'dispatcher'))).length);
		expect(figure('CRM contacts')).toBe(wire.activeCampaign.contacts.length);
	});

	it('leaves nobody within an hour of the 24 h edge (so the window check above does not hinge on the gate margin)', () => {
		const edge = DEMO_NOW - DAY;
		expect([...lastInbound.values()].filter((t) => Math.abs(t - edge) < 3600000)).toEqual([]);
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

	it('DMs on the wire: confirmations to STOP senders, first messages only to people in the 24 h window, once each', () => {
		// Before the dispatcher runs, the only DMs are the STOP confirmations: one per STOP sender in the sample.
		expect(sorted(dmRecipients(wire, 'import'))).toEqual(sorted(sample.stopSenders));
		// The dispatcher messages, once each, exactly the people in the window who are neither bots nor STOP senders
		// (the run cap of 150 is above this sample's size).
		const byDispatcher = dmRecipients(wire, 'dispatcher');
		expect(eligible.length).toBeGreaterThan(0);
		expect(sorted(byDispatcher)).toEqual(sorted(eligible));
		expect(funnel.allowed).toBe(eligible.length);
		// Live, exactly the first-time story repliers get the first message at once; DM repliers get nothing more.
		expect(sorted(dmRecipients(wire, 'live'))).toEqual(sorted(sample.liveRepliers.map((r) => r.igsid)));
		expect(dmRecipients(wire, 'reEvaluation')).toEqual([]);
		// The demo's figures agree with the wire.
		const firstMessages = [...byDispatcher, ...dmRecipients(wire, 'live')];
		expect(sorted(funnel.dmRecipients)).toEqual(sorted(firstMessages));
		expect(funnel.dmsSent).toBe(firstMessages.length);
		expect(funnel.dmsByDispatcher).toBe(byDispatcher.length);
		expect(funnel.sentOnReply).toBe(sample.liveRepliers.length);
		expect(funnel.confirmations).toBe(sample.stopSenders.length);
		// Every DM the fake received is in the send log, and only those; one consent record per STOP sender.
		const allDms = ['import', 'dispatcher', 'live', 'reEvaluation'].flatMap((phase) => dmRecipients(wire, phase));
		expect(funnel.tables.sends).toBe(allDms.length);
		expect(funnel.tables.consent).toBe(sample.stopSenders.length);
	});

	it('stores every event and tags the engaged contacts in the CRM', () => {
		const viewRows = sample.csv.split('\n').length - 1;
		// The DM replies the demo sends live: its seeded pick among the dispatcher's recipients as seen on the wire.
		const dmReplies = pickDmRepliers(sorted(dmRecipients(wire, 'dispatcher')));
		expect(dmReplies.length).toBeGreaterThan(0);
		expect(funnel.replies).toBe(dmReplies.length);
		expect(funnel.tables.events).toBe(viewRows + sample.interactions + dmReplies.length + sample.liveRepliers.length);
		// The fake CRM: one contact per tagged person, and the lead tag on exactly the people who got a first DM.
		const tagged = Object.values(funnel.tiers).reduce((a, b) => a + b, 0);
		expect(tagged).toBeGreaterThan(0);
		expect(wire.activeCampaign.contacts.length).toBe(tagged);
		const tagIdOf = (name) => wire.activeCampaign.tags.find((t) => t.tag === name).id;
		const leadTagged = wire.activeCampaign.contactTags.filter((ct) => ct.tag === tagIdOf('instagram-story-lead'));
		const firstMessages = [...dmRecipients(wire, 'dispatcher'), ...dmRecipients(wire, 'live')];
		expect(new Set(leadTagged.map((ct) => ct.contact)).size).toBe(firstMessages.length);
		expect(funnel.crm.tags['instagram-story-lead']).toBe(firstMessages.length);
	});

	it('writes the page of the Report template (Funnel Report node): a self-contained HTML report with the funnel chart', () => {
		const html = fs.readFileSync(path.join(out, 'demo.html'), 'utf8');
		expect(html).toMatch(/^<!doctype html>/);
		expect(html).toContain('<svg');
		expect(html).toContain(`data-figure="stage-viewers">${funnel.viewers}<`);
		expect(html).toContain(`data-figure="stage-messaged">${funnel.dmsSent}<`);
		expect(html).toContain(`data-figure="orders">${funnel.orders}<`);
		expect(html).not.toMatch(/(src|href)=["']?https?:/);
	});

	it('the Funnel Report agrees with the run: same viewers and messaged people, every order once, one CRM deal each', () => {
		const r = funnel.report;
		expect(r.funnel.viewers).toBe(funnel.viewers);
		expect(r.funnel.messaged).toBe(funnel.dmsSent);
		expect(r.responses.replied).toBe(funnel.replies);
		// Every second person who answered buys (scripts/demo/sample.js pickOrders).
		expect(funnel.replies).toBeGreaterThan(0);
		expect(funnel.orders).toBe(Math.ceil(funnel.replies / 2));
		expect(r.conversions.count).toBe(funnel.orders);
		expect(r.funnel.converted).toBe(funnel.orders);
		expect(funnel.crm.deals).toBe(funnel.orders);
		expect(result.output).toContain(`Funnel Report (as of ${r.asOf}`);
	});
});
