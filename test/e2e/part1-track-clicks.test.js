// Click tracking turned on the way the docs tell a user to (docs/reports.md#first-party-click-tracking), in a real
// n8n 2.x: Part 2's Click redirect and Record click enabled; in Part 1's Client settings trackClicks true and
// clickRedirectUrl = Part 2's Click redirect; the privacy credential selected in Part 1's Cadence Scheduler, whose
// message (edited in its Message Overrides, as users do) holds a shop link. A story reply gets the first DM at once
// with the link through the redirect; following it answers 302 to the tagged shop URL and stores a link_click; the
// Report page shows the click rate over the messaged.
const { waitForWebhook } = require('../../scripts/n8n/harness');
const { outcome, SUCCESS } = require('../../scripts/n8n/n8nApi');
const { startStack, avoidScheduleBoundaries, waitForClickRedirect } = require('../../scripts/n8n/stack');
const { envelope, events, deliver } = require('../../scripts/n8n/meta');
const { startFakeGraphApi } = require('../../scripts/fakes/graphApi');

jest.setTimeout(10 * 60 * 1000);

const T0 = Date.parse('2026-03-10T10:00:00.000Z'); // a Tuesday, 10:00 UTC: outside quiet hours
const H = 3600000;
const iso = (ms) => new Date(ms).toISOString();
const SHOP = 'https://shop.example.com/yoga';
const CLICKS = '1001'; // replies, gets the DM, clicks
const READS = '1002'; // replies, gets the DM, does not click

describe('Part 1 with click tracking on in Client settings: tracked DM links, redirect, click rate', () => {
	let graph;
	let stack;
	let api;
	let run;
	let dms;

	beforeAll(async () => {
		graph = await startFakeGraphApi({ accessToken: 'track-token-not-a-secret' });
		stack = await startStack({
			graphApi: graph,
			settings: ({ urls }) => ({
				part1: { fixedNow: iso(T0), engagementWebhookUrl: '', replyImmediately: true, trackClicks: true, clickRedirectUrl: urls.clickRedirect },
				part2: { fixedNow: iso(T0 + H) },
				report: { fixedNow: iso(T0 + 24 * H), periodDays: 7, trendWeeks: 1, timeZone: 'UTC' },
			}),
			workflowEdits: {
				part1: (workflow) => {
					const scheduler = workflow.nodes.find((node) => node.name === 'Cadence Scheduler');
					scheduler.credentials = { storyLeadsPrivacyApi: { id: 'slPrivacyPepper', name: 'Story Leads privacy pepper' } };
					const template = `Thanks for the reply! Book a class: ${SHOP}`;
					scheduler.parameters.messageOverrides = { message: ['A', 'B'].map((variant) => ({ step: 1, variant, template })) };
				},
				part2: (workflow) => {
					for (const node of workflow.nodes) if (['Click redirect', 'Record click'].includes(node.name)) node.disabled = false;
				},
			},
		});
		api = stack.api;
		const setup = await api.runManually('StoryLeadsSetup', 'Run once');
		if (setup.status !== 'success') throw new Error(`Set-up failed: ${JSON.stringify(setup.error)}`);
		await avoidScheduleBoundaries(180000);
		await api.publish('StoryLeadsPart2');
		await api.publish('StoryLeadsPart1');
		await waitForWebhook(stack.urls.instagramPart1, { method: 'POST' });
		await waitForClickRedirect(stack);
		const payload = envelope([events.storyReply(CLICKS, T0 - 10 * 60000, 'Love it'), events.storyReply(READS, T0 - 5 * 60000, 'Nice')]);
		expect((await deliver(stack.urls.instagramPart1, payload, stack.appSecret)).status).toBe(200);
		[run] = await api.waitForExecutions('StoryLeadsPart1', 1, { mode: 'webhook', timeoutMs: 300000 });
		dms = graph.requests.filter((r) => r.method === 'POST' && /\/messages$/.test(r.path));
		await api.unpublish('StoryLeadsPart1');
	});

	afterAll(async () => {
		if (stack) {
			if (run && run.status !== 'success') console.error(stack.server.log().split('\n').slice(-40).join('\n'));
			await stack.stop();
		}
		if (graph) await graph.close();
	});

	const linkIn = (text) => {
		const escaped = stack.urls.clickRedirect.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		return new RegExp(`${escaped}/[A-Za-z0-9_.-]+`).exec(text)?.[0];
	};

	it('each replier gets the first DM at once, its link through the Click redirect, never the shop URL itself', () => {
		expect(outcome(run)).toEqual(SUCCESS);
		expect(dms.map((r) => r.body.recipient.id).sort()).toEqual([CLICKS, READS]);
		for (const dm of dms) {
			expect(dm.body.message.text).toMatch(/^Thanks for the reply! Book a class: /);
			expect(linkIn(dm.body.message.text)).toBeDefined();
			expect(dm.body.message.text).not.toContain(SHOP);
		}
	});

	it('the link answers 302 to the tagged shop URL and Part 2 stores the link_click for that person and send', async () => {
		const dm = dms.find((r) => r.body.recipient.id === CLICKS);
		const res = await fetch(linkIn(dm.body.message.text), { redirect: 'manual' });
		expect(res.status).toBe(302);
		const sends = await api.dataTableRows('story_leads_sends');
		const send = sends.find((s) => s.contactId === CLICKS && s.status === 'sent');
		expect(res.headers.get('location')).toBe(
			`${SHOP}?utm_source=instagram&utm_medium=story_dm&utm_campaign=storyReplyWindow&utm_content=${send.utmContent}`,
		);
		const stored = async () => (await api.dataTableRows('story_leads_events')).filter((r) => r.type === 'link_click');
		const deadline = Date.now() + 120000;
		while ((await stored()).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
		expect((await stored()).map((r) => [r.viewerKey, r.context, r.sourceTool])).toEqual([[CLICKS, send.idempotencyKey, 'click_redirect']]);
	});

	it('the Report page shows the click rate: 1 of the 2 messaged, 50.0 %', async () => {
		await api.publish('StoryLeadsReport');
		await waitForWebhook(stack.urls.report);
		const auth = Buffer.from(`${stack.reportLogin.user}:${stack.reportLogin.password}`).toString('base64');
		const html = await (await fetch(stack.urls.report, { headers: { authorization: `Basic ${auth}` } })).text();
		const figure = (name) => new RegExp(`data-figure="${name}">([^<]*)<`).exec(html)?.[1];
		expect([figure('stage-messaged'), figure('clicked'), figure('clicked-rate')]).toEqual(['2', '1', '50.0%']);
	});
});
