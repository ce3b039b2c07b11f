// Orders from the shop in a real n8n 2.x: Part 2's "Shopify order" trigger, enabled as a user does (the 'Shopify shop'
// credential set), registers its orders/create webhook at a fake Shopify (https://story-leads-test.myshopify.com
// behind the loopback TLS proxy, scripts/fakes/shopify.js) when Part 2 is published; the fake then posts signed orders
// as Shopify does. One order names its Story Leads contact (a cart attribute), one carries only the UTM values of a
// DM link in its landing page, one comes from a shopper nobody messaged, and one delivery is forged (wrong signature).
// The conversions are stored once each, the forged one never, a refund posted later is netted, and the Report page
// credits them by hand computation: campaign ROI on credited revenue beside all-revenue figures.
const { waitForWebhook } = require('../../scripts/n8n/harness');
const { startStack, postEngagementEvents } = require('../../scripts/n8n/stack');
const { startFakeGraphApi } = require('../../scripts/fakes/graphApi');

jest.setTimeout(10 * 60 * 1000);

const SENT_AT = '2026-11-18T10:00:00.000Z'; // the DMs: a Wednesday
const PART2_NOW = '2026-11-19T12:00:00.000Z'; // after every order
const REPORT_AS_OF = '2026-11-20T10:00:00.000Z';
const CONTACTS = { ig_shop_1: 'A', ig_shop_2: 'B' };
const CAMPAIGN = 'storyReplyWindow';
const content = (variant) => `thanks-${variant}`;

/** An orders/create payload: the Order resource fields Record conversion reads, and a few more as Shopify sends. */
function order({ id, number, email, total, processedAt, landingSite = null, noteAttributes = [] }) {
	return {
		id,
		admin_graphql_api_id: `gid://shopify/Order/${id}`,
		name: `#${number}`,
		order_number: number,
		email,
		contact_email: email,
		created_at: processedAt,
		processed_at: processedAt,
		currency: 'EUR',
		presentment_currency: 'EUR',
		financial_status: 'paid',
		total_price: total,
		current_total_price: total,
		subtotal_price: total,
		landing_site: landingSite,
		referring_site: landingSite ? 'https://l.instagram.com/' : null,
		note_attributes: noteAttributes,
		customer: { id: id + 7, email },
		line_items: [{ id: id + 9, title: 'Yoga mat', quantity: 1, price: total }],
	};
}

const BY_CONTACT = order({
	id: 820000000001,
	number: 1001,
	email: 'ana@example.com',
	total: '80.00',
	processedAt: '2026-11-18T15:00:00+01:00',
	noteAttributes: [{ name: 'story_leads_contact', value: 'ig_shop_1' }],
});
const BY_UTM = order({
	id: 820000000002,
	number: 1002,
	email: 'walk-in@example.com',
	total: '120.00',
	processedAt: '2026-11-19T10:00:00+01:00',
	landingSite: `/products/mat?utm_source=instagram&utm_medium=story_dm&utm_campaign=${CAMPAIGN}&utm_content=${content('B')}`,
});
const UNMESSAGED = order({ id: 820000000003, number: 1003, email: 'stranger@example.com', total: '50.00', processedAt: '2026-11-19T11:00:00+01:00' });
const FORGED = order({ id: 820000000004, number: 1004, email: 'forger@example.com', total: '9999.00', processedAt: '2026-11-19T11:30:00+01:00' });
const REFUND = { orderId: `shopify:${BY_CONTACT.id}`, type: 'refund', value: 20, currency: 'EUR', occurredAt: '2026-11-19T11:45:00.000Z' };

describe('Shopify orders through Part 2 into the report (fake Shopify behind the TLS proxy)', () => {
	let graph;
	let stack;
	let api;
	let shopifyAddress;
	let deliveries;
	let runs;

	beforeAll(async () => {
		graph = await startFakeGraphApi({ accessToken: 'shop-token-not-a-secret' });
		stack = await startStack({
			graphApi: graph,
			shopify: { shop: 'story-leads-test' },
			// What a user with a Shopify shop does: set the credential and enable the trigger (off in the template).
			workflowEdits: {
				part2: (workflow) => {
					workflow.nodes.find((node) => node.name === 'Shopify order').disabled = false;
				},
			},
			settings: {
				part2: { fixedNow: PART2_NOW },
				report: { fixedNow: REPORT_AS_OF, periodDays: 7, trendWeeks: 1, timeZone: 'UTC', costPerPeriod: '100', currency: 'EUR' },
			},
		});
		api = stack.api;
		shopifyAddress = stack.urls.shopifyOrder;
		const setup = await api.runManually('StoryLeadsSetup', 'Run once');
		if (setup.status !== 'success') throw new Error(`Set-up failed: ${JSON.stringify(setup.error)}`);

		// What Part 1 stored for the two messaged people: story replies, contact state, one DM each (A and B).
		const contacts = Object.keys(CONTACTS);
		await api.insertDataTableRows(
			'story_leads_events',
			contacts.map((viewerKey) => ({
				eventId: `story_reply:${viewerKey}`,
				viewerKey,
				viewerKeyType: 'igsid',
				type: 'story_reply',
				occurredAt: '2026-11-18T09:59:00.000Z',
				ingestedAt: '2026-11-18T09:59:00.000Z',
				source: 'webhook',
				sourceTool: 'webhook',
			})),
		);
		await api.insertDataTableRows(
			'story_leads_cadence',
			contacts.map((contactId) => ({ contactId, sequence: CAMPAIGN, status: 'active', currentStep: 1, sentCount: 1, enrolledAt: SENT_AT, lastSentAt: SENT_AT })),
		);
		await api.insertDataTableRows(
			'story_leads_sends',
			Object.entries(CONTACTS).map(([contactId, variant]) => ({
				idempotencyKey: `send:${contactId}:1`,
				contactId,
				channel: 'instagram_dm',
				kind: 'cadence',
				step: 1,
				variant,
				status: 'sent',
				messageId: `m_${contactId}`,
				sentAt: SENT_AT,
				sequence: CAMPAIGN,
				stepId: 'thanks',
				utmCampaign: CAMPAIGN,
				utmContent: content(variant),
			})),
		);

		await api.publish('StoryLeadsPart2');
		const deadline = Date.now() + 120000;
		while (stack.shop.subscriptions().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
		if (stack.shop.subscriptions().length === 0) {
			const seen = JSON.stringify({ shop: stack.shop.requests, proxy: stack.proxy.connects });
			throw new Error(`Part 2 registered no webhook at the shop: ${seen}\n${stack.server.log().split('\n').slice(-30).join('\n')}`);
		}
		await waitForWebhook(shopifyAddress, { method: 'POST' });

		// Each delivery waits for its run: the refund must find its order stored.
		deliveries = [];
		let done = 0;
		for (const [payload, options] of [[BY_CONTACT], [BY_UTM], [UNMESSAGED], [FORGED, { secret: 'not-the-app-secret' }]]) {
			deliveries.push(...(await stack.shop.deliver('orders/create', payload, options)));
			if (!options) await api.waitForExecutions('StoryLeadsPart2', ++done, { mode: 'webhook', timeoutMs: 300000 });
		}
		expect(await postEngagementEvents(stack, [REFUND])).toBe(200);
		runs = await api.waitForExecutions('StoryLeadsPart2', ++done, { mode: 'webhook', timeoutMs: 300000 });
	});

	afterAll(async () => {
		if (stack) {
			if (runs && runs.some((r) => r.status !== 'success')) console.error(stack.server.log().split('\n').slice(-40).join('\n'));
			await stack.stop();
		}
		if (graph) await graph.close();
	});

	it('publishing Part 2 registers one orders/create webhook at the shop, with the access token, through the proxy only', () => {
		expect(stack.shop.subscriptions()).toEqual([{ id: expect.any(Number), topic: 'orders/create', address: shopifyAddress, format: 'json' }]);
		const calls = stack.shop.requests.map((r) => [r.method, r.path, r.status]);
		expect(calls).toContainEqual(['POST', '/admin/api/2024-07//webhooks.json', 201]); // n8n's path, double slash and all
		expect(stack.shop.requests.every((r) => r.accessToken === stack.shop.accessToken && r.host === stack.shop.host)).toBe(true);
		expect(stack.proxy.connects.filter((c) => c.allowed).map((c) => c.target)).toEqual(
			Array(stack.proxy.connects.filter((c) => c.allowed).length).fill(`${stack.shop.host}:443`),
		);
		expect(stack.proxy.connects.filter((c) => c.tlsError)).toEqual([]);
	});

	it('stores each signed order once as a conversion (UTM from the landing page, contact from the cart attribute); never the forged one', async () => {
		expect(deliveries.map((d) => d.status)).toEqual([200, 200, 200, 200]); // n8n answers Shopify at once, forged or not
		expect(runs.map((r) => r.status)).toEqual(Array(4).fill('success'));
		const rows = await api.dataTableRows('story_leads_conversions');
		const shape = (r) => [r.orderId, r.contactKey || '', r.email || '', r.value, r.currency, new Date(r.occurredAt).toISOString(), r.utmCampaign || '', r.utmContent || ''];
		expect(rows.map(shape).sort((a, b) => a[0].localeCompare(b[0]) || a[3] - b[3])).toEqual([
			['shopify:820000000001', 'ig_shop_1', '', -20, 'EUR', REFUND.occurredAt, '', ''], // the refund names only the order
			['shopify:820000000001', 'ig_shop_1', 'ana@example.com', 80, 'EUR', '2026-11-18T14:00:00.000Z', '', ''],
			['shopify:820000000002', expect.any(String), 'walk-in@example.com', 120, 'EUR', '2026-11-19T09:00:00.000Z', CAMPAIGN, content('B')],
			['shopify:820000000003', expect.any(String), 'stranger@example.com', 50, 'EUR', '2026-11-19T10:00:00.000Z', '', ''],
		]);
		expect(rows.some((r) => r.email === 'forger@example.com' || r.value === 9999)).toBe(false);
	});

	it('the report credits them: 180 of 230 EUR to the DMs (by contact and by UTM), ROI on both bases', async () => {
		await api.publish('StoryLeadsReport');
		await waitForWebhook(stack.urls.report);
		const auth = Buffer.from(`${stack.reportLogin.user}:${stack.reportLogin.password}`).toString('base64');
		const res = await fetch(stack.urls.report, { headers: { authorization: `Basic ${auth}` } });
		expect(res.status).toBe(200);
		const html = await res.text();
		const figure = (name) => new RegExp(`data-figure="${name}">([^<]*)<`).exec(html)?.[1];
		// Orders 80 (ig_shop_1, by contact) − 20 refunded, 120 (UTM of ig_shop_2's DM, variant B), 50 (nobody's):
		// all revenue 80 − 20 + 120 + 50 = 230 from 3 orders; credited 60 + 120 = 180.
		// Cost 100: campaign ROI (180 − 100) / 100 = +80.0 %; on all revenue (230 − 100) / 100 = +130.0 %.
		expect({
			orders: figure('orders'),
			revenue: figure('revenue'),
			credited: figure('credited-revenue'),
			cost: figure('cost'),
			roi: figure('campaign-roi'),
			roiAll: figure('roi-all-revenue'),
		}).toEqual({
			orders: '3',
			revenue: '230.00 EUR',
			credited: '180.00 EUR',
			cost: '100.00 EUR',
			roi: '+80.0%',
			roiAll: '+130.0%',
		});
		// The person-keyed order makes ig_shop_1 a converted member of the 2 messaged: 1 of 2, 50.0 %.
		expect([figure('stage-messaged'), figure('stage-converted'), figure('stage-converted-share')]).toEqual(['2', '1', '50.0% of Messaged (2)']);
		expect(html).toContain('net of 20.00 EUR refunded');
	});

	it('unpublishing Part 2 removes the webhook from the shop', async () => {
		await api.unpublish('StoryLeadsPart2');
		const deadline = Date.now() + 60000;
		while (stack.shop.subscriptions().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
		const calls = stack.shop.requests.map((r) => [r.method, r.path, r.status]);
		expect([stack.shop.subscriptions(), calls.filter(([method]) => method !== 'GET')]).toEqual([
			[],
			[
				['POST', '/admin/api/2024-07//webhooks.json', 201],
				['DELETE', expect.stringMatching(/^\/admin\/api\/2024-07\/\/webhooks\/\d+\.json$/), 200],
			],
		]);
	});
});
