#!/usr/bin/env node
// `npm run demo`: the templates end to end in a real, headless n8n 2.x with a fake Instagram Graph API and a fake
// ActiveCampaign on 127.0.0.1, seeded with a week of stories and 2,000 viewers; some people who answer the DMs buy
// (conversions posted to Part 2). Prints the funnel and writes reports/demo.html — the page the Report template
// serves, made by the Funnel Report node — reports/demo.json (the figures) and reports/fakes.json (what the fake
// Graph API and ActiveCampaign received). Nothing leaves this machine.
// Options: --viewers N (a smaller sample, e.g. 120, runs in a minute; the e2e test uses it), --out DIR (where the
// reports go), --no-build (use the dist/ already built).
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { startStack, avoidScheduleBoundaries, uploadViewerCsv, postEngagementEvents } = require('../n8n/stack');
const { waitForWebhook } = require('../n8n/harness');
const { allOutputsOf } = require('../n8n/n8nApi');
const { deliver, envelope, events } = require('../n8n/meta');
const { startFakeGraphApi } = require('../fakes/graphApi');
const { buildSample, pickDmRepliers, pickOrders, DEMO_NOW } = require('./sample');
const { reportFigures, reportPage } = require('./report');

const ROOT = path.resolve(__dirname, '../..');
const NOW = DEMO_NOW;
const H = 3600000;
const REPORT_AS_OF = NOW + 3 * H;
/** What the demo week "cost" (ads, tools, time), for cost per lead in the report. */
const COST_PER_WEEK = 250;
const iso = (ms) => new Date(ms).toISOString();
const log = (...args) => console.log('[demo]', ...args);

async function timed(label, fn) {
	const start = Date.now();
	const result = await fn();
	log(`${label} (${((Date.now() - start) / 1000).toFixed(1)} s)`);
	return result;
}

function mustSucceed(run, what) {
	if (run.status !== 'success') {
		const where = run.error && run.error.node ? ` at ${run.error.node.name}` : '';
		throw new Error(`${what} failed${where}: ${run.error ? run.error.message : run.status}`);
	}
	return run;
}

function parseOptions(argv) {
	const options = { viewers: 2000, out: path.join(ROOT, 'reports'), build: true };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--no-build') options.build = false;
		else if (arg === '--viewers') {
			const n = Number(argv[++i]);
			if (!Number.isInteger(n) || n < 10 || n > 100000) throw new Error('--viewers takes a whole number from 10 to 100000');
			options.viewers = n;
		} else if (arg === '--out') {
			if (!argv[i + 1]) throw new Error('--out takes a folder');
			options.out = path.resolve(argv[++i]);
		} else throw new Error(`unknown option ${arg} (use --viewers N, --out DIR, --no-build)`);
	}
	return options;
}

/** What the funnel must never show, whatever the sample size: the demo fails rather than print a wrong funnel. */
function funnelProblems(funnel, sample, recipients) {
	const problems = [];
	const stopped = recipients.filter((id) => sample.stopSenders.includes(id));
	if (stopped.length) problems.push(`DMs went to STOP senders: ${stopped.join(', ')}`);
	const bots = recipients.filter((id) => sample.bots.includes(id));
	if (bots.length) problems.push(`DMs went to possible bots: ${bots.join(', ')}`);
	const blocked = Object.values(funnel.blocked).reduce((a, b) => a + b, 0);
	if (funnel.allowed + blocked !== funnel.gateInputs) {
		problems.push(`Consent Gate counts do not add up: ${funnel.allowed} allowed + ${blocked} blocked ≠ ${funnel.gateInputs} in`);
	}
	if (funnel.dmsByDispatcher > funnel.allowed) {
		problems.push(`the dispatcher sent ${funnel.dmsByDispatcher} DMs but only ${funnel.allowed} were allowed`);
	}
	const r = funnel.report;
	if (r.funnel.viewers !== funnel.viewers) problems.push(`the report counts ${r.funnel.viewers} viewers, the dispatcher ${funnel.viewers}`);
	if (r.funnel.messaged !== funnel.dmsSent) problems.push(`the report counts ${r.funnel.messaged} messaged, the send log ${funnel.dmsSent}`);
	if (r.conversions.count !== funnel.orders) problems.push(`the report counts ${r.conversions.count} conversions, ${funnel.orders} were posted`);
	if (funnel.crm.deals !== funnel.orders) problems.push(`${funnel.crm.deals} CRM deals for ${funnel.orders} orders`);
	if (funnel.dmsByDispatcher + funnel.sentOnReply !== funnel.dmsSent) {
		problems.push(`${funnel.dmsByDispatcher} by the dispatcher + ${funnel.sentOnReply} on reply ≠ ${funnel.dmsSent} first messages`);
	}
	return problems;
}

async function main() {
	const options = parseOptions(process.argv.slice(2));
	if (options.build) {
		log('building the package');
		execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
	}
	const sample = buildSample(NOW, { viewers: options.viewers });
	log(
		`sample: ${sample.stories.length} stories, ${sample.counts.viewers} viewers, ${sample.csv.split('\n').length - 1} view rows, ${sample.interactions} interactions in ${sample.deliveries.length} webhook deliveries`,
	);
	const graph = await startFakeGraphApi({ accessToken: 'demo-token-not-a-secret' });
	const stack = await timed('n8n started with the package and the templates', () =>
		startStack({
			graphApi: graph,
			settings: ({ urls }) => ({
				// The sample week is history replayed at a fixed "now": no immediate replies to week-old messages
				// (turned on for the live part below).
				part1: {
					fixedNow: iso(NOW),
					engagementWebhookUrl: urls.engagement,
					capPerRun: 150,
					capPerHour: 300,
					capPerDay: 600,
					replyImmediately: false,
				},
				part2: { fixedNow: iso(NOW) },
				// The report's week ends after the live part, so it sees the replies and the orders.
				report: { fixedNow: iso(REPORT_AS_OF), trendWeeks: 2, costPerPeriod: COST_PER_WEEK, currency: 'EUR' },
			}),
		}),
	);
	const { api } = stack;
	try {
		mustSucceed(await api.runManually('StoryLeadsSetup', 'Run once'), 'Set-up');
		log('Data tables created');

		// A Schedule trigger firing while the workflows are published would only run the same dispatcher early.
		await avoidScheduleBoundaries(120000);
		await api.publish('StoryLeadsPart1');
		await api.publish('StoryLeadsPart2');
		await waitForWebhook(stack.urls.instagramPart1, { method: 'POST' });
		await waitForWebhook(stack.urls.engagement, { method: 'POST' });

		await timed('viewer list imported through the form', async () => {
			const upload = await uploadViewerCsv(stack.urls.viewerForm, sample.csv, 'story-viewers-week.csv');
			if (upload.status !== 200) throw new Error(`form upload answered ${upload.status}: ${upload.body}`);
			const [run] = (await api.waitForExecutions('StoryLeadsPart1', 1, { mode: 'webhook', timeoutMs: 900000 })).slice(-1);
			mustSucceed(run, 'CSV import');
		});
		await timed(`${sample.deliveries.length} signed webhook deliveries processed (Part 1, forwarded to Part 2)`, async () => {
			let n = 1;
			for (const payload of sample.deliveries) {
				const res = await deliver(stack.urls.instagramPart1, payload, stack.appSecret);
				if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
				n += 1;
				const runs = await api.waitForExecutions('StoryLeadsPart1', n, { mode: 'webhook', timeoutMs: 300000 });
				mustSucceed(runs[runs.length - 1], 'webhook delivery');
				const part2 = await api.waitForExecutions('StoryLeadsPart2', n - 1, { mode: 'webhook', timeoutMs: 300000 });
				mustSucceed(part2[part2.length - 1], 'engagement recording');
			}
		});

		// What the fake Graph API received, by phase, for the report and for tests to check against (the demo's own
		// figures come from n8n's tables and run data; this is the wire).
		const graphLog = [];
		const keepGraphRequests = (phase) => {
			for (const r of graph.requests) graphLog.push({ phase, method: r.method, path: r.path, body: r.body });
			graph.requests.length = 0;
		};
		keepGraphRequests('import');
		const dispatch = await timed('dispatcher run (segment → consent → cadence → DM → CRM)', async () =>
			mustSucceed(await api.runManually('StoryLeadsPart1', 'Run now', { timeoutMs: 900000 }), 'dispatcher'),
		);
		const slowest = Object.entries(dispatch.runData)
			.map(([name, runs]) => [name, runs.reduce((sum, r) => sum + (r.executionTime || 0), 0)])
			.sort((a, b) => b[1] - a[1])
			.slice(0, 6);
		log('slowest dispatcher nodes: ' + slowest.map(([n, ms]) => `${n} ${(ms / 1000).toFixed(1)} s`).join(', '));
		const firstSteps = async () =>
			(await api.dataTableRows('story_leads_sends')).filter((r) => r.kind === 'cadence' && r.status === 'sent' && r.step === 1);
		const dispatcherRecipients = [...new Set((await firstSteps()).map((r) => r.contactId))].sort();

		// Live, two hours later with immediate replies on: some people answer the DM (the cadence stops for them) and
		// a few viewers reply to a story for the first time (they get the first message at once).
		const repliers = pickDmRepliers(dispatcherRecipients);
		await api.unpublish('StoryLeadsPart1');
		await stack.updateClientSettings('part1', { fixedNow: iso(NOW + 2 * H), replyImmediately: true });
		await stack.updateClientSettings('part2', { fixedNow: iso(NOW + 2 * H) });
		await api.publish('StoryLeadsPart1');
		await waitForWebhook(stack.urls.instagramPart1, { method: 'POST' });
		keepGraphRequests('dispatcher');
		const live = [
			...repliers.map((igsid, k) => events.message(igsid, NOW + H + k * 1000, 'Yes please, tell me more')),
			...sample.liveRepliers.map((r) => events.storyReply(r.igsid, r.at, 'First time here, love it', r.storyId)),
		].sort((a, b) => a.timestamp - b.timestamp);
		await timed(`${repliers.length} replies to the DMs and ${sample.liveRepliers.length} new story replies delivered live`, async () => {
			let n = (await api.executions('StoryLeadsPart1')).filter((e) => e.mode === 'webhook').length;
			for (let i = 0; i < live.length; i += 40) {
				await deliver(stack.urls.instagramPart1, envelope(live.slice(i, i + 40)), stack.appSecret);
				n += 1;
				const runs = await api.waitForExecutions('StoryLeadsPart1', n, { mode: 'webhook', timeoutMs: 300000 });
				mustSucceed(runs[runs.length - 1], 'reply delivery');
			}
			const total = (await api.executions('StoryLeadsPart1')).filter((e) => e.mode === 'webhook').length;
			await api.waitForExecutions('StoryLeadsPart2', total - 1, { mode: 'webhook', timeoutMs: 300000 });
		});
		await api.unpublish('StoryLeadsPart1');
		// Every second person who answered buys, within the hour (orders posted to Part 2, as a shop would).
		const orders = pickOrders(repliers, NOW + 2.5 * H);
		if (orders.length > 0) {
			await timed(`${orders.length} orders posted to Part 2 (conversions, CRM deals)`, async () => {
				const before = (await api.executions('StoryLeadsPart2')).filter((e) => e.mode === 'webhook').length;
				const status = await postEngagementEvents(stack, orders);
				if (status !== 200) throw new Error(`Part 2 answered ${status} to the orders`);
				const runs = await api.waitForExecutions('StoryLeadsPart2', before + 1, { mode: 'webhook', timeoutMs: 300000 });
				mustSucceed(runs[runs.length - 1], 'conversion recording');
			});
		}
		await api.unpublish('StoryLeadsPart2');
		const sentOnReply = graph.requests.filter((r) => /\/messages$/.test(r.path)).length;
		keepGraphRequests('live');
		const sendLog = await api.dataTableRows('story_leads_sends');
		const confirmations = sendLog.filter((r) => r.kind === 'confirmation' && r.status === 'sent').length;
		const recipients = [...new Set((await firstSteps()).map((r) => r.contactId))].sort();

		await stack.updateClientSettings('part2', { fixedNow: iso(NOW + 10 * 24 * H) });
		const reEvaluation = await timed('daily re-evaluation, 10 days later', async () =>
			mustSucceed(await api.runManually('StoryLeadsPart2', 'Re-evaluate now', { timeoutMs: 900000 }), 're-evaluation'),
		);

		// ---- the funnel
		const [viewerItems = []] = allOutputsOf(dispatch, 'Segment viewers');
		const segments = {};
		for (const v of viewerItems) for (const s of v.segments || []) segments[s] = (segments[s] || 0) + 1;
		// Counted on the node that feeds the gate, so that "allowed + blocked = in" is a real check.
		const [gateInput = []] = allOutputsOf(dispatch, 'Contacts to check');
		const gateInputs = gateInput.length;
		const [allowed = [], blocked = []] = allOutputsOf(dispatch, 'Consent Gate');
		const blockedBy = {};
		for (const b of blocked) blockedBy[b.reason] = (blockedBy[b.reason] || 0) + 1;
		const engagement = await api.dataTableRows('story_leads_engagement');
		const tiers = {};
		for (const row of engagement) {
			for (const tag of String(row.tags || '').split(',').filter(Boolean)) tiers[tag] = (tiers[tag] || 0) + 1;
		}
		const [changed = []] = allOutputsOf(reEvaluation, 'Re-evaluate tiers');
		const acTagCounts = {};
		for (const link of stack.ac.contactTags.values()) {
			const name = (stack.ac.tags.get(link.tag) || {}).tag;
			acTagCounts[name] = (acTagCounts[name] || 0) + 1;
		}
		const { report, notCounted } = await timed('report built by the Funnel Report node (Report template)', () => reportFigures(api));
		const html = await reportPage(stack);
		const funnel = {
			generatedFor: iso(NOW),
			sample: sample.counts,
			viewers: viewerItems.length,
			segments,
			segmentedViewers: viewerItems.filter((v) => (v.segments || []).some((s) => s !== 'possibleBot')).length,
			gateInputs,
			allowed: allowed.length,
			blocked: blockedBy,
			dmsSent: recipients.length,
			dmsByDispatcher: dispatcherRecipients.length,
			sentOnReply,
			liveStoryReplies: sample.liveRepliers.length,
			confirmations,
			replies: repliers.length,
			tiers,
			tierChangesAfter10Days: changed.length,
			crm: { contacts: stack.ac.contacts.size, tags: acTagCounts, deals: stack.ac.deals.size },
			orders: orders.length,
			report: {
				asOf: report.asOf,
				funnel: Object.fromEntries(report.funnel.map((s) => [s.stage, s.count])),
				responses: report.responses,
				rates: report.rates,
				conversions: report.conversions,
				leads: report.leads,
				cost: report.cost,
				costPerLead: report.costPerLead,
				revenuePerLead: report.revenuePerLead,
				creditedRevenuePerLead: report.creditedRevenuePerLead,
				campaignRoi: report.campaignRoi,
				roiAllRevenue: report.roiAllRevenue,
				variants: report.variants.map((v) => ({ step: v.stepId, variant: v.variant, recipients: v.recipients, converted: v.converted, summary: v.summary })),
				notCounted,
			},
			tables: {
				events: (await api.dataTableRows('story_leads_events')).length,
				consent: (await api.dataTableRows('story_leads_consent')).length,
				sends: (await api.dataTableRows('story_leads_sends')).length,
			},
		};
		printFunnel(funnel);
		fs.mkdirSync(options.out, { recursive: true });
		const htmlFile = path.join(options.out, 'demo.html');
		fs.writeFileSync(htmlFile, html);
		// The machine-readable funnel, with the (synthetic) DM recipients so a test can check who was messaged.
		fs.writeFileSync(path.join(options.out, 'demo.json'), JSON.stringify({ ...funnel, dmRecipients: recipients }, null, 2));
		// What the fakes received (synthetic ids only; no headers, so no tokens).
		keepGraphRequests('reEvaluation');
		const wire = {
			graphApi: graphLog,
			activeCampaign: {
				contacts: [...stack.ac.contacts.values()],
				tags: [...stack.ac.tags.values()],
				contactTags: [...stack.ac.contactTags.values()],
			},
		};
		fs.writeFileSync(path.join(options.out, 'fakes.json'), JSON.stringify(wire, null, 2));
		log(`report written to ${htmlFile.startsWith(ROOT + path.sep) ? path.relative(ROOT, htmlFile) : htmlFile}`);
		const problems = funnelProblems(funnel, sample, recipients);
		if (problems.length) throw new Error('the funnel is wrong:\n  ' + problems.join('\n  '));
		log('checks passed: no DM to STOP senders or bots, Consent Gate counts add up, dispatcher DMs ≤ allowed, DMs add up, the report agrees');
	} catch (error) {
		console.error('[demo] n8n log (last lines):\n' + stack.server.log().split('\n').slice(-40).join('\n'));
		throw error;
	} finally {
		await stack.stop();
		await graph.close();
	}
}

function printFunnel(f) {
	const line = (label, value, extra = '') => console.log(`  ${label.padEnd(34)} ${String(value).padStart(6)}  ${extra}`);
	console.log('\nStory Leads demo funnel (as of ' + f.generatedFor + ')');
	line('viewers (last 7 days)', f.viewers);
	line('in a segment (bots excluded)', f.segmentedViewers);
	for (const [name, n] of Object.entries(f.segments).sort((a, b) => b[1] - a[1])) line(`  segment ${name}`, n);
	line('allowed (consent + 24 h window)', f.allowed, Object.entries(f.blocked).map(([r, n]) => `${r} ${n}`).join(', '));
	line(
		'DMs sent (first step)',
		f.dmsSent,
		`${f.sentOnReply} at once on reply, ${f.dmsSent - f.sentOnReply} by the dispatcher; + ${f.confirmations} STOP/START confirmations`,
	);
	line('replies to the DMs', f.replies);
	for (const [tag, n] of Object.entries(f.tiers).sort((a, b) => b[1] - a[1])) line(`tag ${tag} (after 10 days)`, n);
	line('CRM contacts', f.crm.contacts);
	const r = f.report;
	const eur = (n) => (n === null ? '—' : `${n.toFixed(2)} EUR`);
	const pct = (n) => (n === null ? '—' : `${(n * 100).toFixed(1)}%`);
	console.log(`\nFunnel Report (as of ${r.asOf}, the Report template's figures)`);
	for (const [stage, n] of Object.entries(r.funnel)) line(`report ${stage}`, n === null ? '—' : n);
	line('report conversion rate (messaged)', pct(r.rates.conversion));
	line('report revenue (all orders)', eur(r.conversions.revenue), `${r.conversions.count} orders`);
	line('report revenue credited to messages', eur(r.conversions.attributedRevenue), `${r.conversions.attributedCount} orders`);
	line('report cost per lead', eur(r.costPerLead), `revenue per lead ${eur(r.creditedRevenuePerLead)} credited, ${eur(r.revenuePerLead)} all orders`);
	line('report campaign ROI (credited revenue)', pct(r.campaignRoi), `ROI on all revenue ${pct(r.roiAllRevenue)}`);
	for (const v of r.variants) line(`A/B ${v.step} ${v.variant}`, v.recipients, v.summary);
	console.log('');
}

main().catch((error) => {
	console.error('[demo] failed:', error.stack || error.message);
	process.exit(1);
});
