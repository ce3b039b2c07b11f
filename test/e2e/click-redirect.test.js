// First-party click tracking in a real n8n 2.x: a Cadence Scheduler with Track Clicks (run in this n8n, the privacy
// pepper credential) writes each DM link as <Part 2's Click redirect>/<signed token>; following those links answers
// 302 with the tagged shop URL and stores a link_click for the contact; links this pepper did not sign (another host,
// javascript:) get the 404 page, never a redirect. The Report page then shows the DM click rate computed by hand.
const { waitForWebhook } = require('../../scripts/n8n/harness');
const { startStack, waitForClickRedirect } = require('../../scripts/n8n/stack');
const { startFakeGraphApi } = require('../../scripts/fakes/graphApi');
const { signClickToken } = require('../../nodes/core/cadence/clickToken');
const { node, itemsNodes, manualTrigger, link } = require('./workflow-builder');

jest.setTimeout(10 * 60 * 1000);

const SENT_AT = '2026-11-18T10:00:00.000Z'; // a Wednesday, 11:00 in Paris: inside business hours
const CLICKED_AT = '2026-11-18T12:00:00.000Z'; // Part 2's fixed "now": the time of every click
const REPORT_AS_OF = '2026-11-19T10:00:00.000Z';
const SHOP = 'https://shop.example.com/yoga';
const CONTACTS = ['ig_click_1', 'ig_click_2', 'ig_click_3', 'ig_click_4'];

describe('Click redirect (Part 2) and the DM click rate', () => {
	let graph;
	let stack;
	let sends;
	const follow = (url) => fetch(url, { redirect: 'manual' });

	beforeAll(async () => {
		graph = await startFakeGraphApi({ accessToken: 'click-token-not-a-secret' });
		stack = await startStack({
			// What a user who tracks clicks does: enable the click redirect and Record click (off in the template).
			workflowEdits: {
				part2: (workflow) => {
					for (const node of workflow.nodes) if (['Click redirect', 'Record click'].includes(node.name)) node.disabled = false;
				},
			},
			graphApi: graph,
			settings: {
				part2: { fixedNow: CLICKED_AT },
				report: { fixedNow: REPORT_AS_OF, periodDays: 7, trendWeeks: 1, timeZone: 'UTC' },
			},
		});
		const { api } = stack;
		const setup = await api.runManually('StoryLeadsSetup', 'Run once');
		if (setup.status !== 'success') throw new Error(`Set-up failed: ${JSON.stringify(setup.error)}`);

		// The messages: a Cadence Scheduler with Track Clicks through this n8n's Click redirect.
		const contacts = CONTACTS.map((viewerKey) => ({
			viewerKey,
			enrolledAt: SENT_AT,
			lastInboundAt: '2026-11-18T09:59:00.000Z',
			timeZone: 'Europe/Paris',
		}));
		const template = `Thanks! Book here: ${SHOP}`;
		const nodes = [
			manualTrigger(),
			...itemsNodes('c', 'Contacts', [200, 0], 'contacts', contacts),
			node('s', 'Cadence Scheduler', 'n8n-nodes-story-leads.cadenceScheduler', 1, [600, 0], {
				sequence: 'storyReplyWindow',
				now: SENT_AT,
				defaultTimeZone: 'Europe/Paris',
				messageOverrides: { message: ['A', 'B'].map((variant) => ({ step: 1, variant, template })) },
				trackClicks: true,
				clickRedirectUrl: stack.urls.clickRedirect,
				options: {},
			}, { credentials: { storyLeadsPrivacyApi: { id: 'slPrivacyPepper', name: 'Story Leads privacy pepper' } } }),
		];
		const connections = {};
		link(connections, 'Run now', 'Contacts');
		link(connections, 'Contacts', 'Contacts (split)');
		link(connections, 'Contacts (split)', 'Cadence Scheduler');
		const created = await api.request('POST', '/workflows', { name: 'Send with tracked links', nodes, connections, settings: { executionOrder: 'v1' } });
		const run = await api.runManually(created.id, 'Run now');
		if (run.status !== 'success') throw new Error(`Cadence run failed: ${JSON.stringify(run.error)}`);
		sends = run.runData['Cadence Scheduler'][0].data.main[0].map((item) => item.json);

		// What Part 1 stores for these people: their story replies, their contact state and the send log.
		await api.insertDataTableRows(
			'story_leads_events',
			CONTACTS.map((viewerKey) => ({
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
			sends.map((s) => ({ contactId: s.contactId, sequence: s.sequence, status: 'active', currentStep: 1, sentCount: 1, enrolledAt: SENT_AT, lastSentAt: SENT_AT })),
		);
		await api.insertDataTableRows(
			'story_leads_sends',
			sends.map((s) => ({
				idempotencyKey: s.idempotencyKey,
				contactId: s.contactId,
				channel: 'instagram_dm',
				kind: 'cadence',
				step: s.step,
				variant: s.variant,
				status: 'sent',
				messageId: `m_${s.contactId}`,
				sentAt: SENT_AT,
				sequence: s.sequence,
				stepId: s.stepId,
				utmCampaign: s.utmCampaign,
				utmContent: s.utmContent,
			})),
		);
		await api.publish('StoryLeadsPart2');
		await waitForClickRedirect(stack);
	});

	afterAll(async () => {
		if (stack) await stack.stop();
		if (graph) await graph.close();
	});

	const trackedLinkOf = (contactId) => {
		const message = sends.find((s) => s.contactId === contactId).message;
		return new RegExp(`${stack.urls.clickRedirect.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/[A-Za-z0-9_.-]+`).exec(message)?.[0];
	};

	it('sends every contact a link through the Click redirect, never the shop URL itself', () => {
		expect(sends.map((s) => s.contactId).sort()).toEqual(CONTACTS);
		for (const s of sends) {
			expect(trackedLinkOf(s.contactId)).toBeDefined();
			expect(s.message).not.toContain(SHOP);
			expect(s.links).toEqual([`${SHOP}?utm_source=instagram&utm_medium=story_dm&utm_campaign=storyReplyWindow&utm_content=thanks-${s.variant}`]);
		}
	});

	it('answers 302 to the tagged shop URL and stores one link_click per clicking contact, for its send', async () => {
		const clicks = [CONTACTS[0], CONTACTS[0], CONTACTS[1]];
		for (const contactId of clicks) {
			const res = await follow(trackedLinkOf(contactId));
			expect(res.status).toBe(302);
			expect(res.headers.get('location')).toBe(sends.find((s) => s.contactId === contactId).links[0]);
			expect(res.headers.get('cache-control')).toBe('no-store');
		}
		const stored = async () =>
			(await stack.api.dataTableRows('story_leads_events')).filter((r) => r.type === 'link_click');
		const deadline = Date.now() + 60000;
		while ((await stored()).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
		// The same contact clicking twice at Part 2's fixed "now" is one event (upsert on eventId).
		const rows = await stored();
		expect(rows.map((r) => [r.viewerKey, r.context, r.sourceTool, new Date(r.occurredAt).toISOString()]).sort()).toEqual(
			[CONTACTS[0], CONTACTS[1]].map((contactId) => [
				contactId,
				sends.find((s) => s.contactId === contactId).idempotencyKey,
				'click_redirect',
				CLICKED_AT,
			]),
		);
	});

	it('never redirects a link it did not sign: another host, javascript:, a tampered token', async () => {
		const honest = trackedLinkOf(CONTACTS[2]);
		const token = honest.slice(stack.urls.clickRedirect.length + 1);
		const [payload, signature] = token.split('.');
		const evilPayload = Buffer.from(JSON.stringify(['https://evil.example.net/', CONTACTS[2], 'x'])).toString('base64url');
		const refused = [
			`${stack.urls.clickRedirect}/${signClickToken({ url: 'https://evil.example.net/', contactKey: CONTACTS[2], sendKey: 'x' }, 'not-the-pepper-of-this-n8n')}`,
			`${stack.urls.clickRedirect}/${evilPayload}.${signature}`,
			`${stack.urls.clickRedirect}/${Buffer.from(JSON.stringify(['javascript:alert(1)', CONTACTS[2], 'x'])).toString('base64url')}.${signature}`,
			`${stack.urls.clickRedirect}/${payload}`,
		];
		for (const url of refused) {
			const res = await follow(url);
			expect([url, res.status, res.headers.get('location')]).toEqual([url, 404, null]);
			expect(await res.text()).toContain('This link is not valid');
		}
		// A URL in place of the token is no path n8n serves (its own 404): no redirect either.
		const raw = await follow(`${stack.urls.clickRedirect}/https%3A%2F%2Fevil.example.net%2F`);
		expect([raw.status, raw.headers.get('location')]).toEqual([404, null]);
		const rows = await stack.api.dataTableRows('story_leads_events');
		expect(rows.filter((r) => r.type === 'link_click' && r.viewerKey === CONTACTS[2])).toEqual([]);
	});

	it('shows the DM click rate on the report page: 2 of the 4 messaged clicked, 50.0 %', async () => {
		await stack.api.publish('StoryLeadsReport');
		await waitForWebhook(stack.urls.report);
		const auth = Buffer.from(`${stack.reportLogin.user}:${stack.reportLogin.password}`).toString('base64');
		const res = await fetch(stack.urls.report, { headers: { authorization: `Basic ${auth}` } });
		expect(res.status).toBe(200);
		const html = await res.text();
		const figure = (name) => new RegExp(`data-figure="${name}">([^<]*)<`).exec(html)?.[1];
		// The nested funnel: 4 captured (story replies), 4 enrolled, 4 messaged; clicked 2 of the 4 messaged.
		expect([figure('stage-captured'), figure('stage-messaged'), figure('clicked'), figure('clicked-rate')]).toEqual(['4', '4', '2', '50.0%']);
	});
});
