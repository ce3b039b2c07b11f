// The Report template in a real n8n 2.x, read in a real headless Chromium. Four seeded weeks go into the Data
// tables (scripts/report/seed.js); the conversions are posted to Part 2's engagement webhook, which records each
// order once, sets convertedAt and creates a deal in the fake ActiveCampaign. Chromium then opens the report page
// with the basic-auth login, the test checks every figure against the seed's design and saves a screenshot for the
// docs (docs/images/report.png).
const fs = require('fs');
const path = require('path');
const { waitForWebhook, ROOT } = require('../../scripts/n8n/harness');
const { startStack, postEngagementEvents } = require('../../scripts/n8n/stack');
const { startFakeGraphApi } = require('../../scripts/fakes/graphApi');
const { launchChromium, ensureChromium } = require('../../scripts/chromium/browser');
const { buildReportSeed, REPORT_AS_OF } = require('../../scripts/report/seed');

jest.setTimeout(10 * 60 * 1000);

const iso = (ms) => new Date(ms).toISOString();
const COST = 520;

describe('Report template in Chromium', () => {
	const seed = buildReportSeed(REPORT_AS_OF);
	const period = seed.expected.period;
	let graph;
	let stack;
	let browser;
	let page;
	let response;
	let part2Run;

	beforeAll(async () => {
		ensureChromium();
		graph = await startFakeGraphApi({ accessToken: 'report-token-not-a-secret' });
		stack = await startStack({
			graphApi: graph,
			settings: {
				part2: { fixedNow: iso(REPORT_AS_OF) },
				report: { fixedNow: iso(REPORT_AS_OF), trendWeeks: 4, costPerPeriod: COST, currency: 'EUR' },
			},
		});
		const { api } = stack;
		const setup = await api.runManually('StoryLeadsSetup', 'Run once');
		if (setup.status !== 'success') throw new Error(`Set-up failed: ${JSON.stringify(setup.error)}`);
		await api.insertDataTableRows('story_leads_events', seed.events);
		await api.insertDataTableRows('story_leads_sends', seed.sends);
		await api.insertDataTableRows('story_leads_cadence', seed.contacts);

		await api.publish('StoryLeadsPart2');
		await waitForWebhook(stack.urls.engagement, { method: 'POST' });
		const posted = [
			...seed.conversions,
			{ ...seed.conversions[0], value: 999 }, // the same order again: recorded once
			{ viewerKey: '1784100000', type: 'conversion', value: 'a lot', currency: 'EUR', occurredAt: iso(REPORT_AS_OF - 3600000), orderId: 'bad-1' },
		];
		expect(await postEngagementEvents(stack, posted)).toBe(200);
		[part2Run] = await api.waitForExecutions('StoryLeadsPart2', 1, { mode: 'webhook', timeoutMs: 300000 });

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

	it('records each posted order once: conversions table, convertedAt on the contact, one ActiveCampaign deal in cents', async () => {
		expect(part2Run.status).toBe('success');
		const rows = await stack.api.dataTableRows('story_leads_conversions');
		expect(rows.map((r) => r.orderId).sort()).toEqual(seed.conversions.map((c) => c.orderId).sort());
		const first = rows.find((r) => r.orderId === seed.conversions[0].orderId);
		expect(first.value).toBe(seed.conversions[0].value);
		const cadence = await stack.api.dataTableRows('story_leads_cadence');
		const converted = cadence.filter((r) => r.convertedAt).map((r) => r.contactId).sort();
		expect(converted).toEqual([...new Set(seed.conversions.map((c) => c.viewerKey))].sort());
		const deals = [...stack.ac.deals.values()];
		expect(deals).toHaveLength(seed.conversions.length);
		const cents = seed.conversions.reduce((sum, c) => sum + c.value * 100, 0);
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

	it('shows the funnel of the period as designed in the seed', async () => {
		for (const stage of ['viewers', 'captured', 'eligible', 'messaged', 'replied', 'clicked', 'converted']) {
			expect([stage, await figure(`stage-${stage}`)]).toEqual([stage, String(period[stage])]);
		}
	});

	it('shows revenue, cost per lead and revenue per lead from the cost in Client settings', async () => {
		const money = (n) => `${n.toFixed(2)} EUR`;
		expect(await figure('leads')).toBe(String(period.captured));
		expect(await figure('conversions')).toBe(String(period.converted));
		expect(await figure('revenue')).toBe(`${period.revenue.toLocaleString('en-US', { minimumFractionDigits: 2 })} EUR`);
		expect(await figure('cost')).toBe(money(COST));
		expect(await figure('cost-per-lead')).toBe(money(COST / period.captured));
		expect(await figure('revenue-per-lead')).toBe(money(Math.round((period.revenue / period.captured) * 100) / 100));
	});

	it('shows the A/B table: B beats A on conversion with enough recipients, A is the control', async () => {
		const id = (variant) => `storyReplyWindow/thanks/${variant}`;
		for (const variant of ['A', 'B']) {
			expect(await figure(`variant-recipients-${id(variant)}`)).toBe(String(period.arms[variant].recipients));
			expect(await figure(`variant-converted-${id(variant)}`)).toBe(String(period.arms[variant].converted));
		}
		// 5/110 vs 18/110: pooled p = 23/220, z = (18 − 5)/110 / sqrt(p(1 − p) · 2/110) = 2.864, two-sided p = 0.0042
		expect(await figure(`variant-p-${id('B')}`)).toBe('0.0042');
		expect(await figure(`variant-verdict-${id('B')}`)).toMatch(/^Conversion: Better than control \(p = 0\.0042\)/);
		expect(await figure(`variant-verdict-${id('A')}`)).toBe('Control (variant A)');
	});

	it('shows the weekly trend of the four weeks and saves a screenshot for the docs', async () => {
		for (const week of seed.expected.weeks) {
			const day = week.weekStart.slice(0, 10);
			expect([day, await figure(`trend-captured-${day}`)]).toEqual([day, String(week.captured)]);
			expect([day, await figure(`trend-converted-${day}`)]).toEqual([day, String(week.converted)]);
		}
		// The screenshot shows the seed's made-up weeks, not a real account's or the demo's figures: it says so on the image.
		await page.evaluate(() => {
			const note = document.createElement('p');
			note.textContent =
				'Sample data: four made-up weeks from scripts/report/seed.js (not a real account, not the demo)';
			note.setAttribute(
				'style',
				'margin:0;padding:10px 16px;background:#fff3cd;color:#4d3900;font:600 15px system-ui,sans-serif;border-bottom:1px solid #d9b650',
			);
			note.dataset.sampleBanner = 'true';
			document.body.prepend(note);
		});
		expect(await page.locator('[data-sample-banner]').textContent()).toMatch(/^Sample data: four made-up weeks/);
		const file = path.join(ROOT, 'docs/images/report.png');
		fs.mkdirSync(path.dirname(file), { recursive: true });
		await page.screenshot({ path: file, fullPage: true });
		expect(fs.statSync(file).size).toBeGreaterThan(20000);
	});
});
