// The Report template in a real n8n 2.x, read in a real headless Chromium. Four seeded weeks go into the Data
// tables (scripts/report/seed.js); the conversions are posted to Part 2's engagement webhook, which records each
// order once, sets convertedAt and creates a deal in the fake ActiveCampaign; a shopper who was never messaged
// orders too, and one order is partly refunded. The reported week's DM clicks are not seeded: the clicking people
// follow their signed links through Part 2's Click redirect (enabled as a user does), which stores each link_click.
// Chromium then opens the report page with the basic-auth login as
// of a Wednesday in Tokyo, the test checks every figure against hand computation from the seed's design and saves a
// screenshot for the docs (docs/images/report.png).
const fs = require('fs');
const path = require('path');
const { waitForWebhook, ROOT } = require('../../scripts/n8n/harness');
const { startStack, postEngagementEvents, waitForClickRedirect } = require('../../scripts/n8n/stack');
const { signClickToken } = require('../../nodes/core/cadence/clickToken');
const { startFakeGraphApi } = require('../../scripts/fakes/graphApi');
const { launchChromium, ensureChromium } = require('../../scripts/chromium/browser');
const { buildReportSeed, REPORT_AS_OF } = require('../../scripts/report/seed');

jest.setTimeout(10 * 60 * 1000);

const iso = (ms) => new Date(ms).toISOString();
const H = 3600000;
const COST = 520; // 300.00 + 220.00 of Meta ad spend (below)
// The page is opened two days after the seed's "as of" (Monday 16 March 12:00 UTC): Wednesday 18 March 12:00 UTC,
// 21:00 in Tokyo. A 9-day period (from Monday 9 March 12:00 UTC) holds exactly the seed's last week.
const PAGE_AS_OF = REPORT_AS_OF + 48 * H;
const PERIOD_DAYS = 9;
// The cost comes from the Meta Marketing API (fake, Ads Insights per campaign): the two story campaigns chosen in
// Client settings cost 300.00 + 220.00 = 520.00; the brand campaign is not counted.
const AD_ACCOUNT = '1234567890';
const AD_SPEND = [
	{ campaign_id: '23850001', campaign_name: 'Story DMs', spend: '300.00' },
	{ campaign_id: '23850002', campaign_name: 'Story retargeting', spend: '220.00' },
	{ campaign_id: '23850003', campaign_name: 'Brand awareness', spend: '999.99' },
];
const WEEK = 7 * 24 * H;
const SHOPPER_ORDER = { email: 'shopper@example.com', type: 'conversion', value: 200, currency: 'EUR', occurredAt: iso(REPORT_AS_OF - 48 * H), orderId: 'web-1' };

describe('Report template in Chromium', () => {
	const seed = buildReportSeed(REPORT_AS_OF);
	const period = seed.expected.period;
	// The first order of the last week (variant A, 40 EUR) is refunded 10 EUR.
	const refunded = seed.conversions.find((c) => c.orderId.startsWith('ord-3-'));
	const REFUND = { orderId: refunded.orderId, type: 'refund', value: 10, currency: 'EUR', occurredAt: iso(REPORT_AS_OF - H) };
	let graph;
	let stack;
	let browser;
	let page;
	let response;
	let part2Run;
	let redirects;
	// The reported week's link_click events come from the click redirect, not from the seed.
	const inPeriod = (row) => Date.parse(row.occurredAt) >= REPORT_AS_OF - WEEK;
	const seededEvents = seed.events.filter((e) => !(e.type === 'link_click' && inPeriod(e)));
	const clickers = seed.events.filter((e) => e.type === 'link_click' && inPeriod(e)).map((e) => e.viewerKey);

	beforeAll(async () => {
		ensureChromium();
		graph = await startFakeGraphApi({ accessToken: 'report-token-not-a-secret', adSpend: AD_SPEND });
		stack = await startStack({
			graphApi: graph,
			settings: {
				part2: { fixedNow: iso(REPORT_AS_OF) },
				report: {
					fixedNow: iso(PAGE_AS_OF),
					periodDays: PERIOD_DAYS,
					trendWeeks: 5,
					costPerPeriod: '',
					metaAdAccountId: `act_${AD_ACCOUNT}`,
					metaAdCampaigns: 'Story DMs, Story retargeting',
					metaGraphUrl: graph.url,
					currency: 'EUR',
					timeZone: 'Asia/Tokyo',
				},
			},
			// What a user with Meta ads does: enable Meta ad spend (off in the template, see docs/reports.md); and one
			// who tracks DM clicks: enable Part 2's Click redirect and Record click (off in the template).
			workflowEdits: {
				report: (workflow) => {
					workflow.nodes.find((node) => node.name === 'Meta ad spend').disabled = false;
				},
				part2: (workflow) => {
					for (const node of workflow.nodes) if (['Click redirect', 'Record click'].includes(node.name)) node.disabled = false;
				},
			},
		});
		const { api } = stack;
		const setup = await api.runManually('StoryLeadsSetup', 'Run once');
		if (setup.status !== 'success') throw new Error(`Set-up failed: ${JSON.stringify(setup.error)}`);
		await api.insertDataTableRows('story_leads_events', seededEvents);
		await api.insertDataTableRows('story_leads_sends', seed.sends);
		await api.insertDataTableRows('story_leads_cadence', seed.contacts);

		await api.publish('StoryLeadsPart2');
		await waitForWebhook(stack.urls.engagement, { method: 'POST' });
		const posted = [
			...seed.conversions,
			{ ...seed.conversions[0], value: 999 }, // the same order again: recorded once
			{ viewerKey: '1784100000', type: 'conversion', value: 'a lot', currency: 'EUR', occurredAt: iso(REPORT_AS_OF - 3600000), orderId: 'bad-1' },
			SHOPPER_ORDER,
			REFUND,
		];
		expect(await postEngagementEvents(stack, posted)).toBe(200);
		[part2Run] = await api.waitForExecutions('StoryLeadsPart2', 1, { mode: 'webhook', timeoutMs: 300000 });

		// Each clicker follows the link of their DM, signed as the Cadence Scheduler (Track Clicks) signs it; the
		// first one clicks twice (still one click). Part 2 answers 302, then stores the link_click at its "now".
		await waitForClickRedirect(stack);
		const linkOf = (contactId) => {
			const send = seed.sends.find((s) => s.contactId === contactId);
			const url = `https://shop.example.com/yoga?utm_source=instagram&utm_medium=story_dm&utm_campaign=${send.utmCampaign}&utm_content=${send.utmContent}`;
			return `${stack.urls.clickRedirect}/${signClickToken({ url, contactKey: contactId, sendKey: send.idempotencyKey }, stack.privacyPepper)}`;
		};
		redirects = [];
		for (const contactId of [clickers[0], ...clickers]) {
			const res = await fetch(linkOf(contactId), { redirect: 'manual' });
			redirects.push(res.status);
		}
		const stored = async () => (await api.dataTableRows('story_leads_events')).filter((r) => r.type === 'link_click' && inPeriod(r));
		const deadline = Date.now() + 300000;
		while ((await stored()).length < clickers.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1000));

		await api.publish('StoryLeadsReport');
		await waitForWebhook(stack.urls.report);
		browser = await launchChromium({
			httpCredentials: { username: stack.reportLogin.user, password: stack.reportLogin.password },
			viewport: { width: 1100, height: 900 },
		});
		page = await browser.context.newPage();
		response = await page.goto(stack.urls.report, { waitUntil: 'load' });
	});

	afterAll(async () => {
		if (browser) await browser.close();
		if (stack) {
			if (part2Run && part2Run.status !== 'success') console.error(stack.server.log().split('\n').slice(-40).join('\n'));
			await stack.stop();
		}
		if (graph) await graph.close();
	});

	const figure = async (name) => (await page.locator(`[data-figure="${name}"]`).first().textContent()).trim();

	it('records each posted order once and the refund as its own row; convertedAt on the contact; one ActiveCampaign deal per order in cents', async () => {
		expect(part2Run.status).toBe('success');
		const rows = await stack.api.dataTableRows('story_leads_conversions');
		const orders = [...seed.conversions, SHOPPER_ORDER];
		expect(rows.filter((r) => r.value >= 0).map((r) => r.orderId).sort()).toEqual(orders.map((c) => c.orderId).sort());
		expect(rows.filter((r) => r.value < 0).map((r) => [r.orderId, r.value, r.contactKey])).toEqual([
			[refunded.orderId, -10, refunded.viewerKey],
		]);
		const first = rows.find((r) => r.orderId === seed.conversions[0].orderId);
		expect(first.value).toBe(seed.conversions[0].value);
		const cadence = await stack.api.dataTableRows('story_leads_cadence');
		const converted = cadence.filter((r) => r.convertedAt).map((r) => r.contactId).sort();
		expect(converted).toEqual([...new Set([...seed.conversions.map((c) => c.viewerKey), SHOPPER_ORDER.email])].sort());
		const deals = [...stack.ac.deals.values()];
		expect(deals).toHaveLength(orders.length);
		const cents = orders.reduce((sum, c) => sum + c.value * 100, 0);
		expect(deals.reduce((sum, d) => sum + Number(d.value), 0)).toBe(cents);
		expect(new Set(deals.map((d) => d.currency))).toEqual(new Set(['eur']));
	});

	it('asks for the login: no page without basic auth', async () => {
		const res = await fetch(stack.urls.report);
		expect([401, 403]).toContain(res.status);
		expect(await res.text()).not.toContain('data-figure');
	});

	it('serves a self-contained HTML page (no external requests, inline SVG)', async () => {
		expect(response.status()).toBe(200);
		expect(response.headers()['content-type']).toMatch(/^text\/html/);
		const html = await page.content();
		expect(html).not.toMatch(/(src|href)=["']?https?:/);
		expect(await page.locator('svg[aria-label="Funnel"]').count()).toBe(1);
		expect(await page.locator('svg[aria-label="Weekly trend"]').count()).toBe(1);
		expect(await page.title()).toBe('Story Leads — Report');
	});

	it('shows a nested funnel, each stage a share of the stage above with its base', async () => {
		// From the seed's last week: 600 viewers ⊇ 260 captured ⊇ 240 enrolled ⊇ 220 messaged ⊇ 23 converted.
		// 260/600 = 43.3 %, 240/260 = 92.3 %, 220/240 = 91.7 %, 23/220 = 10.5 %.
		const stages = [
			['viewers', period.viewers, null],
			['captured', period.captured, `43.3% of Viewers (${period.viewers})`],
			['eligible', period.eligible, `92.3% of Captured leads (${period.captured})`],
			['messaged', period.messaged, `91.7% of Eligible (enrolled) (${period.eligible})`],
			['converted', period.converted, `10.5% of Messaged (${period.messaged})`],
		];
		for (const [stage, count, share] of stages) {
			expect([stage, await figure(`stage-${stage}`)]).toEqual([stage, String(count)]);
			if (share) expect([stage, await figure(`stage-${stage}-share`)]).toEqual([stage, share]);
		}
		// Replies of the 220 messaged: 55 (25.0 %); nothing tracks opens.
		expect([await figure('replied'), await figure('replied-rate')]).toEqual([String(period.replied), '25.0%']);
		expect(await figure('responses')).toMatch(/^Of the 220 people messaged: /);
		expect(await figure('responses')).toContain('Opens are not tracked.');
		expect(await page.content()).not.toMatch(/open rate/i);
	});

	it('shows the DM click rate from the click redirect: 33 of the 220 messaged clicked, 15.0 %', async () => {
		// 11 people of arm A and 22 of arm B followed their link (34 requests: one clicked twice), each answered 302.
		expect(clickers).toHaveLength(period.clicked);
		expect(period.clicked).toBe(33);
		expect(redirects).toEqual(Array(34).fill(302));
		const clicks = (await stack.api.dataTableRows('story_leads_events')).filter((r) => r.type === 'link_click' && inPeriod(r));
		expect(clicks.map((r) => [r.viewerKey, r.sourceTool]).sort()).toEqual(clickers.map((id) => [id, 'click_redirect']).sort());
		// 33 / 220 = 0.15 → 15.0 %, with its base (the people messaged in the period).
		expect([await figure('clicked'), await figure('clicked-rate')]).toEqual(['33', '15.0%']);
		expect(await figure('responses')).toMatch(/^Of the 220 people messaged: replied 55 \(25\.0%\) · clicked 33 \(15\.0%\)\./);
	});

	it('takes the cost from the Meta Marketing API: the spend of the chosen campaigns over the period\'s days', async () => {
		const calls = graph.requests.filter((r) => r.path === `/v25.0/act_${AD_ACCOUNT}/insights`);
		expect(calls).toHaveLength(1);
		expect(calls[0].query).toMatchObject({ fields: 'campaign_id,campaign_name,spend', level: 'campaign', access_token: 'report-token-not-a-secret' });
		// Period: 9 March 12:00 UTC to 18 March 12:00 UTC → Meta's whole days 9 to 18 March.
		expect(JSON.parse(calls[0].query.time_range)).toEqual({ since: '2026-03-09', until: '2026-03-18' });
		expect(await figure('cost')).toBe(`${COST.toFixed(2)} EUR`);
	});

	it('shows campaign ROI on credited revenue beside all-revenue figures, each labelled, and the attribution rule', async () => {
		// Seed orders of the last week: arm A 40+50+60+40+50 = 240, arm B 6 × (60+40+50) = 900 → 1,140, all
		// credited to the messages; minus the 10 refunded → 1,130. The shopper's 200 was never messaged: all
		// revenue 1,330 from 24 orders. Cost 520 for 260 leads: 2.00 per lead.
		expect(period.revenue).toBe(1140);
		expect(await figure('leads')).toBe('260');
		expect(await figure('orders')).toBe('24');
		expect(await figure('revenue')).toBe('1,330.00 EUR');
		expect(await figure('credited-revenue')).toBe('1,130.00 EUR');
		expect(await figure('cost')).toBe('520.00 EUR');
		expect(await figure('cost-per-lead')).toBe('2.00 EUR');
		// (1130 − 520) / 520 = 1.1731 → +117.3 %; (1330 − 520) / 520 = 1.5577 → +155.8 %.
		expect(await figure('campaign-roi')).toBe('+117.3%');
		expect(await figure('roi-all-revenue')).toBe('+155.8%');
		// 1130 / 260 = 4.346 → 4.35; 1330 / 260 = 5.115 → 5.12; 23 converted / 220 messaged = 10.5 %.
		expect(await figure('credited-revenue-per-lead')).toBe('4.35 EUR');
		expect(await figure('revenue-per-lead')).toBe('5.12 EUR');
		expect(await figure('conversion-rate')).toBe('10.5%');
		expect(await figure('attribution-rule')).toMatch(/^Orders, replies and clicks are credited to the last sequence message sent before them within 7 days/);
		expect(await page.content()).toContain('net of 10.00 EUR refunded');
	});

	it('shows the A/B table: B beats A on conversion with enough recipients; no revenue verdict below 10 buyers', async () => {
		const id = (variant) => `storyReplyWindow/thanks/${variant}`;
		for (const variant of ['A', 'B']) {
			expect(await figure(`variant-recipients-${id(variant)}`)).toBe(String(period.arms[variant].recipients));
			expect(await figure(`variant-converted-${id(variant)}`)).toBe(String(period.arms[variant].converted));
		}
		// 5/110 vs 18/110: each arm expects 110 · 23/220 = 11.5 buyers (≥ 5), so the z-test: pooled p = 23/220,
		// z = (18 − 5)/110 / sqrt(p(1 − p) · 2/110) = 2.864, two-sided p = 0.0042. A has 5 buyers (< 10).
		expect(await figure(`variant-p-${id('B')}`)).toBe('0.0042');
		expect(await figure(`variant-verdict-${id('B')}`)).toBe(
			'Conversion: Better than control (z-test, p = 0.0042); revenue per recipient: Not enough data yet (each variant needs 10 buyers)',
		);
		expect(await figure(`variant-verdict-${id('A')}`)).toBe('Control (variant A)');
	});

	it('shows calendar weeks of Tokyo (Monday start) labelled with their Monday, and saves a screenshot for the docs', async () => {
		// As of Wednesday 18 March 21:00 in Tokyo: the weeks of Monday 16 February … 9 March, and 16 March to date.
		// Each seed week runs from Monday 14:00 UTC (23:00 in Tokyo) for about a day: inside that Tokyo week.
		const weeks = [...seed.expected.weeks.map((w) => ({ ...w, weekOf: w.weekStart.slice(0, 10) })), { weekOf: '2026-03-16', captured: 0, converted: 0, revenue: 0 }];
		for (const week of weeks) {
			const day = week.weekOf;
			expect([day, await figure(`trend-captured-${day}`)]).toEqual([day, String(week.captured)]);
			expect([day, await figure(`trend-converted-${day}`)]).toEqual([day, String(week.converted)]);
		}
		expect(await figure('trend-week-2026-03-16')).toBe('2026-03-16 (to date)');
		// The week of 9 March: the seed's 1,140 − 10 refunded + the shopper's 200 (14 March) = 1,330; 1,130 credited.
		expect(await figure('trend-revenue-2026-03-09')).toBe('1,330.00 EUR');
		expect(await figure('trend-credited-revenue-2026-03-09')).toBe('1,130.00 EUR');
		// The screenshot shows the seed's made-up weeks, not a real account's or the demo's figures: it says so on the image.
		await page.evaluate(() => {
			const note = document.createElement('p');
			note.textContent =
				'Sample data: made-up weeks from scripts/report/seed.js (not a real account, not the demo)';
			note.setAttribute(
				'style',
				'margin:0;padding:10px 16px;background:#fff3cd;color:#4d3900;font:600 15px system-ui,sans-serif;border-bottom:1px solid #d9b650',
			);
			note.dataset.sampleBanner = 'true';
			document.body.prepend(note);
		});
		expect(await page.locator('[data-sample-banner]').textContent()).toMatch(/^Sample data: made-up weeks/);
		const file = path.join(ROOT, 'docs/images/report.png');
		fs.mkdirSync(path.dirname(file), { recursive: true });
		await page.screenshot({ path: file, fullPage: true });
		expect(fs.statSync(file).size).toBeGreaterThan(20000);
	});
});
