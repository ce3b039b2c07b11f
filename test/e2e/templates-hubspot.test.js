// The HubSpot variants of the templates, imported unchanged into a real n8n 2.x (only Client settings values are
// set: a fixed "now" and Part 2's webhook URL on this instance), with the Set-up workflow, credentials pointing at
// the fake Graph API and at a fake HubSpot. n8n's HubSpot node hard-codes https://api.hubapi.com: the stack gives
// n8n HTTPS_PROXY=<a loopback proxy> that accepts only `CONNECT api.hubapi.com:443`, terminates TLS with a test
// certificate (NODE_EXTRA_CA_CERTS=scripts/fakes/tls/ca.pem) and hands the requests to the fake (scripts/fakes/hubspot.js),
// which checks the token, the properties and their options as HubSpot does. Same structure as templates.test.js.
const { waitForWebhook } = require('../../scripts/n8n/harness');
const { allOutputsOf, outcome, SUCCESS } = require('../../scripts/n8n/n8nApi');
const { startStack, avoidScheduleBoundaries, deliverInTurn, postEngagementEvents } = require('../../scripts/n8n/stack');
const { envelope, events } = require('../../scripts/n8n/meta');
const { startFakeGraphApi } = require('../../scripts/fakes/graphApi');

jest.setTimeout(10 * 60 * 1000);

const T0 = Date.parse('2026-03-10T10:00:00.000Z'); // a Tuesday, 10:00 UTC: outside quiet hours
const H = 3600000;
const D = 24 * H;
const iso = (ms) => new Date(ms).toISOString();

const A = '1001'; // story reply 1 h before
const B = '1002'; // story mention 1.5 h before
const C = '1003'; // reaction only: does not open the messaging window
const E = '1005'; // story reply 3 h before, then STOP 2 h before
const INSTAGRAM = [A, B, C, E];
const EMAIL_CONTACT = 'fan@example.com';
const placeholderEmail = (igsid) => `ig-${igsid}@instagram-lead.invalid`;

// The contact properties the templates' set-up notes ask for, as a HubSpot account would define them: the
// fake rejects any other property and any value that is not one of the options.
const SEGMENT_OPTIONS = ['instagram-story-lead'].concat(
	['high-engagement', 'profile-visitor', 'repeat-viewer', 'top-score', 'language-place', 'possible-bot'].map((s) => `ig-${s}`),
);
const HUBSPOT_PROPERTIES = {
	story_leads_segments: { type: 'enumeration', fieldType: 'checkbox', options: SEGMENT_OPTIONS },
	story_leads_engagement: {
		type: 'enumeration',
		fieldType: 'checkbox',
		options: ['Engaged', 'Recent Activity', 'Disengaged', 'Inactive'],
	},
	instagram_scoped_id: { type: 'string' },
};

describe('HubSpot workflow templates end to end in a real n8n 2.x (fake HubSpot behind a TLS proxy)', () => {
	let graph;
	let stack;
	let api;
	let hubspot;

	const dmsTo = () => graph.requests.filter((r) => r.method === 'POST' && /\/messages$/.test(r.path));
	const recipients = (requests) => requests.map((r) => r.body.recipient.id);
	const rows = async (suffix) => await api.dataTableRows(`story_leads_${suffix}`);
	/** Successful upserts since the `from`-th, as [email, properties] pairs, sorted by email unless `ordered`. */
	const upsertsSince = (from, { ordered = false } = {}) => {
		const list = hubspot.upserts().slice(from).map((u) => [u.email, u.properties]);
		return ordered ? list : list.sort((a, b) => a[0].localeCompare(b[0]));
	};

	beforeAll(async () => {
		graph = await startFakeGraphApi({ accessToken: 'e2e-token-not-a-secret' });
		stack = await startStack({
			crm: 'hubspot',
			hubspotOptions: { properties: HUBSPOT_PROPERTIES },
			graphApi: graph,
			settings: ({ urls }) => ({
				part1: { fixedNow: iso(T0), engagementWebhookUrl: urls.engagement, replyImmediately: false }, // first messages from the dispatcher, as in templates.test.js
				part2: { fixedNow: iso(T0) },
			}),
		});
		api = stack.api;
		hubspot = stack.hubspot;
	});

	afterAll(async () => {
		if (stack) await stack.stop();
		if (graph) await graph.close();
	});

	test('the HubSpot templates import with their credentials resolved by name; Set-up creates the Data tables', async () => {
		const crmNodes = {
			StoryLeadsPart1HubSpt: ['CRM: upsert HubSpot contact'],
			StoryLeadsPart2HubSpt: ['CRM: HubSpot revenue', 'CRM: upsert HubSpot contact'],
		};
		for (const [id, names] of Object.entries(crmNodes)) {
			const wf = await api.getWorkflow(id);
			const crm = wf.nodes.filter((n) => n.type === 'n8n-nodes-base.hubspot');
			expect(crm.map((n) => [n.name, typeof n.credentials.hubspotAppToken.id])).toEqual(names.map((name) => [name, 'string']));
		}
		expect(outcome(await api.runManually('StoryLeadsSetup', 'Run once'))).toEqual(SUCCESS);
		const names = (await api.dataTables()).map((t) => t.name).sort();
		expect(names).toEqual(['cadence', 'consent', 'conversions', 'engagement', 'events', 'lease', 'sends'].map((s) => `story_leads_${s}`));
	});

	describe('webhook paths (published workflows)', () => {
		let part1Runs;
		let part2Runs;

		beforeAll(async () => {
			await avoidScheduleBoundaries(60000); // published for ~20 s
			await api.publish('StoryLeadsPart1HubSpt');
			await api.publish('StoryLeadsPart2HubSpt');
			await waitForWebhook(stack.urls.instagramPart1, { method: 'POST' });
			await waitForWebhook(stack.urls.engagement, { method: 'POST' });
			const deliveries = [
				envelope([events.storyReply(A, T0 - H, 'Love this!'), events.storyMention(B, T0 - 1.5 * H), events.reaction(C, T0 - 0.5 * H)]),
				envelope([events.storyReply(E, T0 - 3 * H, 'nice')]),
				envelope([events.message(E, T0 - 2 * H, 'STOP')]),
			];
			const done = await deliverInTurn(stack, deliveries, { part1: 'StoryLeadsPart1HubSpt', part2: 'StoryLeadsPart2HubSpt' });
			expect(await postEngagementEvents(stack, [{ email: EMAIL_CONTACT, type: 'email_click', occurredAt: iso(T0 - 2 * H) }])).toBe(200);
			part1Runs = await api.waitForExecutions('StoryLeadsPart1HubSpt', done, { mode: 'webhook' });
			part2Runs = await api.waitForExecutions('StoryLeadsPart2HubSpt', done + 1, { mode: 'webhook' });
			await api.unpublish('StoryLeadsPart1HubSpt');
			await api.unpublish('StoryLeadsPart2HubSpt');
		});

		test('every run succeeded', () => {
			expect(part1Runs.map(outcome)).toEqual(Array(3).fill(SUCCESS));
			expect(part2Runs.map(outcome)).toEqual(Array(4).fill(SUCCESS));
		});

		test('STOP becomes an opt-out record and gets exactly one confirmation DM', async () => {
			expect(await rows('consent')).toEqual([expect.objectContaining({ subjectKey: E, status: 'opt_out' })]);
			expect(recipients(dmsTo())).toEqual([E]);
		});

		test('Part 2 upserts every engaged contact into HubSpot: Engaged + Recent Activity, with its Instagram id', () => {
			const engaged = (igsid) => [
				placeholderEmail(igsid),
				{ story_leads_engagement: 'Engaged;Recent Activity', instagram_scoped_id: igsid },
			];
			expect(upsertsSince(0, { ordered: true })).toEqual([
				engaged(A),
				engaged(B),
				engaged(C),
				engaged(E), // the story reply (the later STOP is not engagement: Record engagement skips it)
				// An email-only contact has no Instagram id: the key entry rewrites its email, so the id property stays unset.
				[EMAIL_CONTACT, { story_leads_engagement: 'Engaged;Recent Activity', email: EMAIL_CONTACT }],
			]);
			expect(hubspot.propertiesOf(EMAIL_CONTACT)).toEqual({ email: EMAIL_CONTACT, story_leads_engagement: 'Engaged;Recent Activity' });
			for (const igsid of INSTAGRAM) {
				expect(hubspot.propertiesOf(placeholderEmail(igsid))).toEqual({
					email: placeholderEmail(igsid),
					story_leads_engagement: 'Engaged;Recent Activity',
					instagram_scoped_id: igsid,
				});
			}
		});

		test('every HubSpot call went through the proxy to api.hubapi.com with the private-app token; nothing else left', () => {
			const toHubSpot = stack.proxy.connects.filter((c) => c.target === 'api.hubapi.com:443');
			expect(toHubSpot.length).toBeGreaterThan(0);
			expect(toHubSpot.filter((c) => !c.allowed || c.tlsError)).toEqual([]);
			// n8n's own background calls (e.g. api.n8n.io) also use the proxy, and are refused.
			expect(stack.proxy.connects.filter((c) => c.target !== 'api.hubapi.com:443' && c.allowed)).toEqual([]);
			const calls = hubspot.requests.map((r) => `${r.method} ${r.path.replace(/\/(email\/[^/]+|vid\/\d+)/, '/…')}`);
			expect([...new Set(calls)].sort()).toEqual([
				'GET /contacts/v1/contact/…/profile',
				'POST /contacts/v1/contact/createOrUpdate/…',
			]);
			expect(hubspot.requests.every((r) => r.authorization === `Bearer ${hubspot.token}` && r.status === 200)).toBe(true);
			expect(hubspot.requests.every((r) => r.host === 'api.hubapi.com')).toBe(true);
		});
	});

	describe('dispatcher (Run now) with the clock fixed in Client settings', () => {
		let run;
		let before;

		beforeAll(async () => {
			graph.requests.length = 0;
			before = hubspot.upserts().length;
			run = await api.runManually('StoryLeadsPart1HubSpt', 'Run now');
		});

		test('DMs go to the people inside the 24 h window only (not the reaction, not the STOP sender)', () => {
			expect(outcome(run)).toEqual(SUCCESS);
			expect(recipients(dmsTo()).sort()).toEqual([A, B]);
			const [, blocked] = allOutputsOf(run, 'Consent Gate');
			const reasons = Object.fromEntries(blocked.map((b) => [b.viewerKey, b.reason]));
			expect(reasons).toEqual({ [C]: 'outside_window', [E]: 'opted_out' });
		});

		test('each messaged lead is upserted into HubSpot with the lead tag and its segment tags', () => {
			const [viewers] = allOutputsOf(run, 'Segment viewers');
			const segmentsOf = Object.fromEntries(viewers.map((v) => [v.viewerKey, v.segments]));
			const expected = (igsid) =>
				['instagram-story-lead']
					.concat(segmentsOf[igsid].map((s) => 'ig-' + s.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())))
					.join(';');
			// A replied and B mentioned inside the 7-day window (no views imported): High Engagement only.
			expect([segmentsOf[A], segmentsOf[B]]).toEqual([['highEngagement'], ['highEngagement']]);
			expect(upsertsSince(before)).toEqual([
				[placeholderEmail(A), { story_leads_segments: 'instagram-story-lead;ig-high-engagement', instagram_scoped_id: A }],
				[placeholderEmail(B), { story_leads_segments: 'instagram-story-lead;ig-high-engagement', instagram_scoped_id: B }],
			]);
			expect(expected(A)).toBe('instagram-story-lead;ig-high-engagement');
			expect(hubspot.valuesOf(placeholderEmail(A), 'story_leads_segments')).toContain('instagram-story-lead');
			// Part 2's property is left as it was.
			expect(hubspot.propertiesOf(placeholderEmail(A)).story_leads_engagement).toBe('Engaged;Recent Activity');
			for (const never of [C, E]) expect(hubspot.propertiesOf(placeholderEmail(never)).story_leads_segments).toBeUndefined();
		});
	});

	describe('daily re-evaluation with the clock fixed in Client settings', () => {
		async function reEvaluate(atMs) {
			await stack.updateClientSettings('part2', { fixedNow: iso(atMs) });
			const before = hubspot.upserts().length;
			const run = await api.runManually('StoryLeadsPart2HubSpt', 'Re-evaluate now');
			expect(outcome(run)).toEqual(SUCCESS);
			return upsertsSince(before);
		}
		const everyone = [...INSTAGRAM.map(placeholderEmail), EMAIL_CONTACT].sort();
		const tagsOnly = (upserts) => upserts.map(([email, p]) => [email, p.story_leads_engagement]);

		test('after 10 days Recent Activity is removed (Engaged stays); a second run sends nothing', async () => {
			const changed = await reEvaluate(T0 + 10 * D);
			expect(tagsOnly(changed)).toEqual(everyone.map((email) => [email, 'Engaged']));
			for (const email of everyone) expect(hubspot.valuesOf(email, 'story_leads_engagement')).toEqual(['Engaged']);
			expect(await reEvaluate(T0 + 10 * D)).toEqual([]);
		});

		test('after 31 days everyone is Inactive, in the Data table and in HubSpot', async () => {
			const changed = await reEvaluate(T0 + 31 * D);
			expect(tagsOnly(changed)).toEqual(everyone.map((email) => [email, 'Inactive']));
			for (const row of await rows('engagement')) expect(row.tags).toBe('Inactive');
			for (const email of everyone) expect(hubspot.valuesOf(email, 'story_leads_engagement')).toEqual(['Inactive']);
			expect(hubspot.propertiesOf(placeholderEmail(A)).instagram_scoped_id).toBe(A);
		});
	});
});
