// The three workflow templates, imported unchanged into a real n8n 2.x (only their Client settings values are set:
// a fixed "now", a per-run cap of 3, immediate replies off then on, and Part 2's webhook URL on this instance), with credentials that point at
// the fake Graph API and the fake ActiveCampaign. One n8n instance for the whole file.
//
// Data table nodes need `n8n start` (under `n8n execute` their module is not loaded: "Attempted to use Data table
// node but the module is disabled"), so the test runs n8n, sets up an owner, and runs the Manual triggers through
// the editor's REST API; webhooks go to the published workflows' production URLs.
const { waitForWebhook } = require('../../scripts/n8n/harness');
const { allOutputsOf, outcome, SUCCESS } = require('../../scripts/n8n/n8nApi');
const { startStack, avoidScheduleBoundaries, uploadViewerCsv, deliverInTurn, postEngagementEvents } = require('../../scripts/n8n/stack');
const { envelope, events, deliver } = require('../../scripts/n8n/meta');
const { startFakeGraphApi } = require('../../scripts/fakes/graphApi');

jest.setTimeout(15 * 60 * 1000);

const T0 = Date.parse('2026-03-10T10:00:00.000Z'); // a Tuesday, 10:00 UTC: outside quiet hours
const H = 3600000;
const D = 24 * H;
const iso = (ms) => new Date(ms).toISOString();

// The people in the scenario (IGSIDs) and what they do before T0.
const A = '1001'; // story reply 1 h before
const B = '1002'; // story mention 1.5 h before
const C = '1003'; // reaction only: a reaction does not open the messaging window
const Dv = '1004'; // story reply 30 h before: outside the 24 h window
const E = '1005'; // story reply 3 h before, then STOP 2 h before
const F = '1006'; // story reply 20 min before
const G = '1007'; // story reply 10 min before
const IN_WINDOW = [A, B, F, G];
const BOT = '2001'; // only in the imported viewer list, with 0 followers
const EMAIL_CONTACT = 'fan@example.com';

const placeholderEmail = (igsid) => `ig-${igsid}@instagram-lead.invalid`;

describe('workflow templates end to end in a real n8n 2.x', () => {
	let graph;
	let stack;
	let api;

	const dmsTo = () => graph.requests.filter((r) => r.method === 'POST' && /\/messages$/.test(r.path));
	const recipients = (requests) => requests.map((r) => r.body.recipient.id);
	const rows = async (suffix) => await api.dataTableRows(`story_leads_${suffix}`);

	beforeAll(async () => {
		graph = await startFakeGraphApi({ accessToken: 'e2e-token-not-a-secret' });
		stack = await startStack({
			graphApi: graph,
			settings: ({ urls }) => ({
				// The dispatcher scenario first: no immediate reply (the last block turns it on).
				part1: { fixedNow: iso(T0), capPerRun: 3, engagementWebhookUrl: urls.engagement, replyImmediately: false },
				part2: { fixedNow: iso(T0) },
			}),
		});
		api = stack.api;
	});

	afterAll(async () => {
		if (stack) await stack.stop();
		if (graph) await graph.close();
	});

	test('the templates import with their credentials resolved by name and our nodes loaded', async () => {
		for (const id of ['StoryLeadsSetup', 'StoryLeadsPart1', 'StoryLeadsPart2']) {
			const wf = await api.getWorkflow(id);
			// A node shipped disabled (Shopify trigger, click redirect) gets its credential when the user turns it on.
			for (const node of wf.nodes.filter((n) => !n.disabled)) {
				for (const ref of Object.values(node.credentials || {})) {
					expect({ node: node.name, id: typeof ref.id }).toEqual({ node: node.name, id: 'string' });
				}
			}
		}
	});

	test('Set-up creates the seven Data tables with their columns and the free send lease, and a second run reuses them', async () => {
		const first = await api.runManually('StoryLeadsSetup', 'Run once');
		expect(outcome(first)).toEqual(SUCCESS);
		const second = await api.runManually('StoryLeadsSetup', 'Run once');
		expect(outcome(second)).toEqual(SUCCESS);
		const tables = await api.dataTables();
		const byName = Object.fromEntries(tables.map((t) => [t.name, t.columns.map((c) => c.name).sort()]));
		expect(Object.keys(byName).sort()).toEqual(
			['cadence', 'consent', 'conversions', 'engagement', 'events', 'lease', 'sends'].map((s) => `story_leads_${s}`),
		);
		// One lease row, free (locked until 1970), even after the second run.
		expect(await rows('lease')).toEqual([expect.objectContaining({ lease: 'send', lockedUntil: '1970-01-01T00:00:00.000Z' })]);
		expect(byName.story_leads_events).toEqual(
			[
				'context',
				'eventId',
				'followerCount',
				'ingestedAt',
				'keyword',
				'locale',
				'occurredAt',
				'source',
				'sourceTool',
				'storyId',
				'type',
				'viewerKey',
				'viewerKeyType',
			].sort(),
		);
		expect(byName.story_leads_consent).toContain('recordId');
		expect(byName.story_leads_cadence).toEqual(expect.arrayContaining(['contactId', 'lastInboundAt', 'currentStep', 'leadSegments']));
		expect(byName.story_leads_sends).toEqual(expect.arrayContaining(['sequence', 'stepId', 'utmCampaign', 'utmContent']));
		expect(byName.story_leads_conversions).toEqual(expect.arrayContaining(['orderId', 'contactKey', 'value', 'currency']));
	});

	describe('webhook paths (published workflows)', () => {
		let part1Runs;
		let part2Runs;
		let csvRun;

		beforeAll(async () => {
			await avoidScheduleBoundaries(180000);
			await api.publish('StoryLeadsPart1');
			await api.publish('StoryLeadsPart2');
			await waitForWebhook(stack.urls.instagramPart1, { method: 'POST' });
			await waitForWebhook(stack.urls.engagement, { method: 'POST' });

			const unsigned = await deliver(stack.urls.instagramPart1, envelope([events.storyReply(A, T0 - H, 'hi')]), '', {
				sign: false,
			});
			const forged = await deliver(stack.urls.instagramPart1, envelope([events.storyReply(A, T0 - H, 'hi')]), 'wrong-secret');
			expect([unsigned.status, forged.status].every((s) => s === 401 || s === 403)).toBe(true);

			const deliveries = [
				envelope([events.storyReply(A, T0 - H, 'Love this!'), events.storyMention(B, T0 - 1.5 * H), events.reaction(C, T0 - 0.5 * H)]),
				envelope([events.storyReply(Dv, T0 - 30 * H, 'Where can I buy it?')]),
				envelope([events.storyReply(E, T0 - 3 * H, 'nice')]),
				envelope([events.message(E, T0 - 2 * H, 'STOP')]),
				envelope([events.storyReply(F, T0 - H / 3, 'price?'), events.storyReply(G, T0 - H / 6, 'wow')]),
			];
			// Deliveries one after the other, the first one twice (Meta redelivers).
			const done = await deliverInTurn(stack, [...deliveries, deliveries[0]], { part1: 'StoryLeadsPart1', part2: 'StoryLeadsPart2' });
			expect(await postEngagementEvents(stack, [{ email: EMAIL_CONTACT, type: 'email_click', occurredAt: iso(T0 - 2 * H) }])).toBe(200);
			const csv = [
				'viewer_id,viewed_at,story_id,follower_count',
				`${A},${iso(T0 - 5 * H)},story-1,120`,
				`${A},${iso(T0 - 26 * H)},story-2,120`,
				`${A},${iso(T0 - 50 * H)},story-3,120`,
				`${BOT},${iso(T0 - 4 * H)},story-1,0`,
				`,${iso(T0 - 4 * H)},story-1,5`,
			].join('\n');
			const upload = await uploadViewerCsv(stack.urls.viewerForm, csv);
			expect(upload.status).toBe(200);
			csvRun = (await api.waitForExecutions('StoryLeadsPart1', done + 1, { mode: 'webhook' })).pop();
			part1Runs = await api.waitForExecutions('StoryLeadsPart1', done, { mode: 'webhook' });
			part2Runs = await api.waitForExecutions('StoryLeadsPart2', done + 1, { mode: 'webhook' });
			await api.unpublish('StoryLeadsPart1');
			await api.unpublish('StoryLeadsPart2');
		});

		test('only signed deliveries ran, and every run succeeded', () => {
			expect(part1Runs).toHaveLength(7);
			expect(part1Runs.map(outcome)).toEqual(Array(7).fill(SUCCESS));
			expect(part2Runs.map(outcome)).toEqual(Array(7).fill(SUCCESS));
		});

		test('the viewer CSV uploaded through the form is ingested; the invalid row is set aside with its reason', () => {
			expect(outcome(csvRun)).toEqual(SUCCESS);
			const [valid, invalid] = allOutputsOf(csvRun, 'Ingest viewer CSV');
			expect(valid).toHaveLength(4);
			expect(invalid).toHaveLength(1);
			expect(JSON.stringify(invalid[0])).toMatch(/viewer/i);
		});

		test('the import stores table rows with no expression per row, and shows its progress in the execution', () => {
			// Story Viewer Ingest emits the events table's columns (Output Format "Events Table Row"): no Set node per row.
			const [valid] = allOutputsOf(csvRun, 'Ingest viewer CSV');
			expect(Object.keys(valid[0]).sort()).toEqual(
				['eventId', 'viewerKey', 'viewerKeyType', 'storyId', 'type', 'occurredAt', 'ingestedAt', 'source', 'sourceTool', 'context', 'keyword', 'locale', 'followerCount'].sort(),
			);
			expect(valid.map((v) => v.followerCount)).toEqual([120, 120, 120, 0]);
			expect(Object.keys(csvRun.runData)).not.toContain('Table columns');
			expect(allOutputsOf(csvRun, 'Import progress')).toEqual([[{ stored: 4, of: 4, percent: 100 }]]);
			expect(allOutputsOf(csvRun, 'Viewer list stored')[0]).toHaveLength(1);
		});

		test('events are stored once each (a redelivery adds nothing; an email-only click is not an Instagram event)', async () => {
			const stored = await rows('events');
			expect(stored).toHaveLength(12);
			const byViewer = {};
			for (const row of stored) byViewer[row.viewerKey] = (byViewer[row.viewerKey] || []).concat(row.type).sort();
			expect(byViewer).toEqual({
				[A]: ['story_reply', 'view', 'view', 'view'],
				[BOT]: ['view'],
				[B]: ['story_mention'],
				[C]: ['reaction'],
				[Dv]: ['story_reply'],
				[E]: ['message', 'story_reply'],
				[F]: ['story_reply'],
				[G]: ['story_reply'],
			});
			expect(stored.find((r) => r.type === 'message').keyword).toBe('opt_out');
			expect(stored.find((r) => r.viewerKey === BOT).followerCount).toBe(0);
		});

		test('STOP becomes an opt-out record at once and gets exactly one confirmation DM', async () => {
			const consent = await rows('consent');
			expect(consent).toEqual([expect.objectContaining({ subjectKey: E, status: 'opt_out', source: 'keyword' })]);
			expect(recipients(dmsTo())).toEqual([E]);
			const sends = await rows('sends');
			expect(sends).toEqual([expect.objectContaining({ contactId: E, kind: 'confirmation', status: 'sent' })]);
		});

		test('the last message time is kept for people who messaged (reactions do not open the window)', async () => {
			const state = await rows('cadence');
			const byContact = Object.fromEntries(state.map((r) => [r.contactId, r.lastInboundAt]));
			expect(Object.keys(byContact).sort()).toEqual([A, B, Dv, E, F, G]);
			expect(byContact[A]).toBe(iso(T0 - H));
			expect(byContact[E]).toBe(iso(T0 - 2 * H));
		});

		test('Part 2 recorded every engagement: Engaged + Recent Activity in the Data table and in ActiveCampaign', async () => {
			const engagement = await rows('engagement');
			const byKey = Object.fromEntries(engagement.map((r) => [r.contactKey, r]));
			expect(Object.keys(byKey).sort()).toEqual([A, B, C, Dv, E, F, G, EMAIL_CONTACT].sort());
			expect(byKey[A].lastEngagedAt).toBe(iso(T0 - H));
			// E's STOP (2 h before) is not engagement: the story reply an hour earlier is E's last engagement.
			expect(byKey[E].lastEngagedAt).toBe(iso(T0 - 3 * H));
			for (const row of engagement) expect(row.tags.split(',').sort()).toEqual(['Engaged', 'Recent Activity']);
			for (const igsid of [A, B, C, Dv, E, F, G]) {
				expect(stack.ac.tagNamesOf(placeholderEmail(igsid))).toEqual(['Engaged', 'Recent Activity']);
			}
			expect(stack.ac.tagNamesOf(EMAIL_CONTACT)).toEqual(['Engaged', 'Recent Activity']);
			const tagCreations = stack.ac.requests.filter((r) => r.method === 'POST' && r.path === '/api/3/tags');
			expect(tagCreations.map((r) => r.body.tag.tag).sort()).toEqual(['Engaged', 'Recent Activity']);
		});
	});

	describe('dispatcher (Run now) with the clock fixed in Client settings', () => {
		let firstRun;
		let firstDms;

		beforeAll(async () => {
			graph.requests.length = 0;
			firstRun = await api.runManually('StoryLeadsPart1', 'Run now');
			firstDms = dmsTo();
		});

		test('sends the first step to people inside the 24 h window only, and no more than the cap', () => {
			expect(outcome(firstRun)).toEqual(SUCCESS);
			const to = recipients(firstDms);
			expect(to).toHaveLength(3);
			expect(new Set(to).size).toBe(3);
			for (const igsid of to) expect(IN_WINDOW).toContain(igsid);
			for (const never of [C, Dv, E]) expect(to).not.toContain(never);
		});

		test('the Consent Gate says why the others were not messaged', () => {
			const [, blocked] = allOutputsOf(firstRun, 'Consent Gate');
			const reasons = Object.fromEntries(blocked.map((b) => [b.viewerKey, b.reason]));
			expect(reasons[C]).toBe('outside_window');
			expect(reasons[Dv]).toBe('outside_window');
			expect(reasons[E]).toBe('opted_out');
			expect(reasons[BOT]).toBeDefined();
			const [viewers] = allOutputsOf(firstRun, 'Segment viewers');
			const segmentsOf = Object.fromEntries(viewers.map((v) => [v.viewerKey, v.segments]));
			expect(segmentsOf[BOT]).toEqual(['possibleBot']);
			expect(segmentsOf[A]).toEqual(expect.arrayContaining(['repeatViewer', 'highEngagement']));
			for (const k of IN_WINDOW) expect(reasons[k]).toBeUndefined();
		});

		test('the caps count real sends: the fourth due message is held back as rate_limited', () => {
			const [send] = allOutputsOf(firstRun, 'Cadence Scheduler');
			expect(send.map((s) => s.contactId).sort()).toEqual([...IN_WINDOW].sort());
			expect(send.every((s) => s.step === 1)).toBe(true);
			const [allowed, held] = allOutputsOf(firstRun, 'Send caps');
			expect(allowed.map((a) => a.contactId).sort()).toEqual(recipients(firstDms).sort());
			expect(held.map((h) => h.reason)).toEqual(['rate_limited']);
			expect(IN_WINDOW.filter((k) => !recipients(firstDms).includes(k))).toEqual([held[0].contactId]);
		});

		test('new state and the send log are stored', async () => {
			const sends = (await rows('sends')).filter((r) => r.kind === 'cadence');
			expect(sends.map((r) => r.contactId).sort()).toEqual(recipients(firstDms).sort());
			expect(sends.every((r) => r.status === 'sent' && r.step === 1 && r.sentAt === iso(T0))).toBe(true);
			const state = Object.fromEntries((await rows('cadence')).map((r) => [r.contactId, r]));
			for (const igsid of recipients(firstDms)) {
				expect(state[igsid]).toEqual(expect.objectContaining({ currentStep: 1, sentCount: 1, lastSentAt: iso(T0) }));
			}
		});

		test('each lead is upserted into ActiveCampaign with the lead tag and its segment tags', () => {
			for (const igsid of recipients(firstDms)) {
				const tags = stack.ac.tagNamesOf(placeholderEmail(igsid));
				expect(tags).toEqual(expect.arrayContaining(['instagram-story-lead', 'Engaged', 'Recent Activity']));
				expect(tags.filter((t) => t.startsWith('ig-')).length).toBeGreaterThan(0);
			}
		});

		test('a second run at the same time messages only the contact the cap held back', async () => {
			graph.requests.length = 0;
			const second = await api.runManually('StoryLeadsPart1', 'Run now');
			expect(outcome(second)).toEqual(SUCCESS);
			const capped = IN_WINDOW.filter((k) => !recipients(firstDms).includes(k));
			const [allowed = [], blocked = []] = allOutputsOf(second, 'Consent Gate');
			const [send = [], wait = [], done = []] = allOutputsOf(second, 'Cadence Scheduler');
			expect({
				to: recipients(dmsTo()),
				allowed: allowed.map((a) => a.viewerKey).sort(),
				blocked: blocked.filter((b) => IN_WINDOW.includes(b.viewerKey)).map((b) => `${b.viewerKey}:${b.reason}`),
				waiting: wait.map((w) => w.contactId).sort(),
				done: done.map((d) => `${d.contactId}:${d.reason}`),
			}).toEqual({
				to: capped,
				allowed: [...IN_WINDOW].sort(),
				blocked: [],
				waiting: recipients(firstDms).sort(),
				done: [],
			});
			expect(send.map((s) => s.contactId)).toEqual(capped);
		});

		test('25 hours later every window is closed: nobody is messaged', async () => {
			graph.requests.length = 0;
			await stack.updateClientSettings('part1', { fixedNow: iso(T0 + 25 * H) });
			const late = await api.runManually('StoryLeadsPart1', 'Run now');
			expect(outcome(late)).toEqual(SUCCESS);
			expect(dmsTo()).toEqual([]);
			const [allowed = [], blocked = []] = allOutputsOf(late, 'Consent Gate');
			expect(allowed).toEqual([]);
			expect(blocked.filter((b) => b.reason === 'outside_window').length).toBeGreaterThanOrEqual(5);
		});
	});

	describe('daily re-evaluation with the clock fixed in Client settings', () => {
		async function reEvaluate(atMs) {
			await stack.updateClientSettings('part2', { fixedNow: iso(atMs) });
			const run = await api.runManually('StoryLeadsPart2', 'Re-evaluate now');
			expect(outcome(run)).toEqual(SUCCESS);
			return run;
		}

		test('after 10 days Recent Activity is removed (Engaged stays); unchanged contacts are not sent to the CRM', async () => {
			const before = stack.ac.requests.length;
			const run = await reEvaluate(T0 + 10 * D);
			const [changed] = allOutputsOf(run, 'Re-evaluate tiers');
			expect(changed).toHaveLength(8);
			for (const igsid of [A, B, C, Dv, E, F, G]) expect(stack.ac.tagNamesOf(placeholderEmail(igsid))).not.toContain('Recent Activity');
			expect(stack.ac.tagNamesOf(EMAIL_CONTACT)).toEqual(['Engaged']);
			const removals = stack.ac.requests.slice(before).filter((r) => r.method === 'DELETE');
			expect(removals).toHaveLength(8);

			const again = await reEvaluate(T0 + 10 * D);
			const [changedAgain, unchanged] = allOutputsOf(again, 'Re-evaluate tiers');
			expect(changedAgain || []).toEqual([]);
			expect(unchanged).toHaveLength(8);
		});

		test('after 31 days everyone is Inactive, in the Data table and in ActiveCampaign', async () => {
			await reEvaluate(T0 + 31 * D);
			for (const row of await rows('engagement')) expect(row.tags).toBe('Inactive');
			for (const igsid of [A, B, C, Dv, E, F, G]) {
				expect(stack.ac.tagNamesOf(placeholderEmail(igsid)).filter((t) => !t.startsWith('ig-') && t !== 'instagram-story-lead')).toEqual([
					'Inactive',
				]);
			}
			expect(stack.ac.tagNamesOf(EMAIL_CONTACT)).toEqual(['Inactive']);
		});
	});

	describe('immediate reply on the webhook path (replyImmediately on)', () => {
		const T1 = T0 + 40 * D; // every earlier window is long closed
		const NEW = '1101'; // a first story reply
		const STOPS_AT_ONCE = '1102'; // a story reply and STOP in the same delivery
		const REACTS = '1103'; // a reaction only
		let runs;
		let dms;
		let payload;

		beforeAll(async () => {
			await stack.updateClientSettings('part1', { fixedNow: iso(T1), replyImmediately: true });
			await avoidScheduleBoundaries(120000);
			await api.publish('StoryLeadsPart1');
			await waitForWebhook(stack.urls.instagramPart1, { method: 'POST' });
			graph.requests.length = 0;
			const before = (await api.executions('StoryLeadsPart1')).filter((e) => e.mode === 'webhook').length;
			payload = envelope([
				events.storyReply(NEW, T1 - 5 * 60000, 'Love it, more please'),
				events.storyReply(E, T1 - 4 * 60000, 'hello again'),
				events.storyReply(STOPS_AT_ONCE, T1 - 3 * 60000, 'hm'),
				events.message(STOPS_AT_ONCE, T1 - 2 * 60000, 'STOP'),
				events.reaction(REACTS, T1 - 60000),
			]);
			expect((await deliver(stack.urls.instagramPart1, payload, stack.appSecret)).status).toBe(200);
			await api.waitForExecutions('StoryLeadsPart1', before + 1, { mode: 'webhook' });
			dms = dmsTo();
			// Meta redelivers: nothing more may be sent.
			expect((await deliver(stack.urls.instagramPart1, payload, stack.appSecret)).status).toBe(200);
			runs = (await api.waitForExecutions('StoryLeadsPart1', before + 2, { mode: 'webhook' })).slice(-2);
			await api.unpublish('StoryLeadsPart1');
		});

		test('the new replier gets the first message at once; the STOP sender only the confirmation; nobody else', () => {
			expect(runs.map(outcome)).toEqual([SUCCESS, SUCCESS]);
			expect(recipients(dms).sort()).toEqual([NEW, STOPS_AT_ONCE].sort());
			const toNew = dms.find((r) => r.body.recipient.id === NEW);
			const [send] = allOutputsOf(runs[0], 'Cadence Scheduler');
			expect(send.map((s) => [s.contactId, s.step])).toEqual([[NEW, 1]]);
			expect(toNew.body.message.text).toBe(send[0].message);
			const [allowed, blocked] = allOutputsOf(runs[0], 'Consent Gate');
			expect(allowed.map((a) => a.viewerKey)).toEqual([NEW]);
			expect(blocked.map((b) => `${b.viewerKey}:${b.reason}`)).toEqual([`${E}:opted_out`]);
			expect(allOutputsOf(runs[0], 'One per sender')[0].map((i) => i.contactId).sort()).toEqual([NEW, E].sort());
		});

		test('the redelivery sends nothing: the new replier is waiting for step 2', () => {
			expect(recipients(dmsTo())).toEqual(recipients(dms));
			const [send = [], wait = []] = allOutputsOf(runs[1], 'Cadence Scheduler');
			expect(send).toEqual([]);
			expect(wait.map((w) => [w.contactId, w.nextStep])).toEqual([[NEW, 2]]);
		});

		test('the send is logged, the state saved, and the lead upserted into the CRM', async () => {
			const sends = (await rows('sends')).filter((r) => r.contactId === NEW);
			expect(sends).toEqual([expect.objectContaining({ kind: 'cadence', status: 'sent', step: 1, sentAt: iso(T1) })]);
			const state = (await rows('cadence')).find((r) => r.contactId === NEW);
			expect(state).toEqual(expect.objectContaining({ currentStep: 1, sentCount: 1, lastSentAt: iso(T1), lastInboundAt: iso(T1 - 5 * 60000) }));
			expect(stack.ac.tagNamesOf(placeholderEmail(NEW))).toContain('instagram-story-lead');
			expect((await rows('consent')).filter((r) => r.subjectKey === STOPS_AT_ONCE).map((r) => r.status)).toEqual(['opt_out']);
		});
	});
	describe('a burst of deliveries while another run holds the send lease', () => {
		const T2 = T0 + 42 * D;
		const BURST = ['1201', '1202', '1203', '1204', '1205', '1206'];
		const STOPS = '1207'; // a story reply and STOP in the same delivery
		let runs;
		let dms;

		/** Sets the send lease's row (as a run holding it would) through the REST API. */
		const holdLease = async (holder, lockedUntil) => {
			const table = (await api.dataTables()).find((t) => t.name === 'story_leads_lease');
			await api.request('PATCH', `/projects/${table.projectId}/data-tables/${table.id}/rows`, {
				filter: { type: 'and', filters: [{ columnName: 'lease', condition: 'eq', value: 'send' }] },
				data: { holder, lockedUntil },
			});
		};

		beforeAll(async () => {
			await stack.updateClientSettings('part1', { fixedNow: iso(T2), replyImmediately: true, capPerRun: 20 });
			await avoidScheduleBoundaries(120000);
			await api.publish('StoryLeadsPart1');
			await waitForWebhook(stack.urls.instagramPart1, { method: 'POST' });
			graph.requests.length = 0;
			const before = (await api.executions('StoryLeadsPart1')).filter((e) => e.mode === 'webhook').length;
			// Every delivery arrives while the lease is busy, so each run marks its sender as waiting and ends.
			await holdLease('another-run', iso(Date.now() + 3000));
			const payloads = BURST.map((id, i) => envelope([events.storyReply(id, T2 - (10 - i) * 60000, 'wow')]));
			payloads.push(
				envelope([events.storyReply(STOPS, T2 - 3 * 60000, 'hm'), events.message(STOPS, T2 - 2 * 60000, 'STOP')]),
			);
			const answers = await Promise.all(payloads.map((p) => deliver(stack.urls.instagramPart1, p, stack.appSecret)));
			expect(answers.map((a) => a.status)).toEqual(payloads.map(() => 200));
			runs = (await api.waitForExecutions('StoryLeadsPart1', before + payloads.length, { mode: 'webhook' })).slice(
				-payloads.length,
			);
			dms = dmsTo();
			await api.unpublish('StoryLeadsPart1');
		});

		test('every sender of the burst gets exactly one first message; the STOP sender only the confirmation', () => {
			expect(runs.map(outcome)).toEqual(runs.map(() => SUCCESS));
			expect(recipients(dms).sort()).toEqual([...BURST, STOPS].sort());
			for (const r of dms.filter((d) => d.body.recipient.id !== STOPS)) expect(r.body.message.text).toBeTruthy();
		});

		test('the run that got the lease answered the waiting senders of other runs too; each was taken up once', () => {
			const takenUp = runs.map((run) => (allOutputsOf(run, 'Take up the reply')[0] || []).map((row) => row.contactId));
			expect(takenUp.flat().sort()).toEqual([...BURST].sort());
			expect(Math.max(...takenUp.map((ids) => ids.length))).toBeGreaterThan(1);
			// Nobody polled: a run that found the lease busy ended at once; after a release, a holder read who still
			// waited and went round again with them (issue 24).
			const ended = runs.filter((run) => (allOutputsOf(run, 'Left to the lease holder')[0] || []).length > 0);
			expect(ended.length).toBeGreaterThan(0);
			for (const run of ended) expect(run.runData['Take send lease (reply)']).toHaveLength(1);
			expect(runs.some((run) => (allOutputsOf(run, 'Answer them now?')[0] || []).length > 0)).toBe(true);
			expect(runs.filter((run) => run.runData['Wait for the lease (reply)'])).toEqual([]);
		});

		test('nobody is left waiting, and the STOP sender was never marked as waiting', async () => {
			const state = (await rows('cadence')).filter((r) => [...BURST, STOPS].includes(r.contactId));
			expect(state.filter((r) => r.replyPending)).toEqual([]);
			expect(state.filter((r) => BURST.includes(r.contactId)).map((r) => r.sentCount)).toEqual(BURST.map(() => 1));
			const takenUp = runs.flatMap((run) => (allOutputsOf(run, 'Take up the reply')[0] || []).map((r) => r.contactId));
			expect(takenUp).not.toContain(STOPS);
		});
	});
});
