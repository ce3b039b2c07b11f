// Write-ahead sends and the fenced lease, end to end with the Part 1 template in a real n8n 2.x: a slow Graph API
// makes the dispatcher's batch outlast its send lease (3 s), and a second dispatcher run takes the lease while the
// first is still sending. Before the write-ahead claims, the second run read a send log without the first run's
// sends (they were logged after the whole batch) and sent every DM again. Now each DM's attempt row is in the send
// log before it goes out: nobody gets two DMs, and the log shows each attempt.
// Stack as in templates.test.js (n8n start, Data tables, fake Graph API and ActiveCampaign on 127.0.0.1).
const { waitForWebhook } = require('../../scripts/n8n/harness');
const { allOutputsOf, outcome, SUCCESS } = require('../../scripts/n8n/n8nApi');
const { startStack, avoidScheduleBoundaries, deliverInTurn } = require('../../scripts/n8n/stack');
const { envelope, events } = require('../../scripts/n8n/meta');
const { startFakeGraphApi } = require('../../scripts/fakes/graphApi');

jest.setTimeout(15 * 60 * 1000);

const T0 = Date.parse('2026-03-10T10:00:00.000Z'); // a Tuesday, 10:00 UTC: outside quiet hours
const iso = (ms) => new Date(ms).toISOString();
const PEOPLE = ['4001', '4002', '4003', '4004'];
const LEASE_SECONDS = 3;
const ANSWER_AFTER_MS = 8000; // per DM: the batch of 4 takes ~32 s, ten times the lease

describe('Part 1 dispatcher: a batch that outlasts the send lease never leads to a second DM', () => {
	let graph;
	let stack;
	let api;
	let firstRun;
	let secondRun;

	const dmPosts = () => graph.requests.filter((r) => r.method === 'POST' && /\/messages$/.test(r.path));

	beforeAll(async () => {
		graph = await startFakeGraphApi({ accessToken: 'e2e-token-not-a-secret' });
		stack = await startStack({
			graphApi: graph,
			settings: ({ urls }) => ({
				part1: {
					fixedNow: iso(T0),
					capPerRun: 10,
					sendLeaseSeconds: LEASE_SECONDS,
					// What one DM is expected to take: the 4 DMs fit in the lease on paper; the slow API breaks that.
					sendBudgetSeconds: 0.25,
					engagementWebhookUrl: urls.engagement,
					replyImmediately: false,
				},
				part2: { fixedNow: iso(T0) },
			}),
		});
		api = stack.api;
		expect(outcome(await api.runManually('StoryLeadsSetup', 'Run once'))).toEqual(SUCCESS);
		await avoidScheduleBoundaries(180000);
		await api.publish('StoryLeadsPart1');
		await api.publish('StoryLeadsPart2');
		await waitForWebhook(stack.urls.instagramPart1, { method: 'POST' });
		await waitForWebhook(stack.urls.engagement, { method: 'POST' });
		const replies = PEOPLE.map((igsid, i) => events.storyReply(igsid, T0 - (i + 1) * 10 * 60000, 'hi'));
		await deliverInTurn(stack, [envelope(replies)], { part1: 'StoryLeadsPart1', part2: 'StoryLeadsPart2' });
		await api.unpublish('StoryLeadsPart1');
		await api.unpublish('StoryLeadsPart2');

		graph.reset();
		graph.slowSends(ANSWER_AFTER_MS);
		const first = api.runManually('StoryLeadsPart1', 'Run now');
		// The first run is sending (its first DM reached the Graph API); its lease runs out while it waits.
		const deadline = Date.now() + 5 * 60000;
		while (dmPosts().length === 0) {
			if (Date.now() > deadline) throw new Error('the first dispatcher run sent nothing');
			await new Promise((r) => setTimeout(r, 100));
		}
		await new Promise((r) => setTimeout(r, (LEASE_SECONDS + 1) * 1000));
		secondRun = await api.runManually('StoryLeadsPart1', 'Run now');
		firstRun = await first;
	});

	afterAll(async () => {
		if (stack) await stack.stop();
		if (graph) await graph.close();
	});

	test('both runs succeed; the first sent to everyone, the second took the expired lease and sent nobody', () => {
		expect(outcome(firstRun)).toEqual(SUCCESS);
		expect(outcome(secondRun)).toEqual(SUCCESS);
		const [sent] = allOutputsOf(firstRun, 'Send DM');
		expect(sent.map((s) => s.contactId).sort()).toEqual([...PEOPLE].sort());
		expect(allOutputsOf(secondRun, 'Lease taken?')[0]).toHaveLength(1);
		expect(allOutputsOf(secondRun, 'Send DM').flat()).toEqual([]);
	});

	test('the second run refused every contact as already sent: it read the first run\'s claims', () => {
		const [, heldBack] = allOutputsOf(secondRun, 'Send caps');
		expect(heldBack.map((c) => [c.contactId, c.reason]).sort()).toEqual(PEOPLE.map((p) => [p, 'already_sent']));
	});

	test('each person got exactly one DM', () => {
		const perPerson = {};
		for (const m of graph.messages) perPerson[m.recipientId] = (perPerson[m.recipientId] || 0) + 1;
		expect(perPerson).toEqual(Object.fromEntries(PEOPLE.map((p) => [p, 1])));
	});

	test('the send log shows each attempt: one row per DM, claimed by the first run, completed with its message id', async () => {
		const sends = (await api.dataTableRows('story_leads_sends')).filter((r) => r.kind === 'cadence');
		expect(sends.map((r) => [r.contactId, r.status]).sort()).toEqual(PEOPLE.map((p) => [p, 'sent']));
		const byRecipient = Object.fromEntries(graph.messages.map((m) => [m.recipientId, m.messageId]));
		for (const row of sends) {
			expect(row.messageId).toBe(byRecipient[row.contactId]);
			expect(row.attemptId).toBe(`${row.holder}:${row.idempotencyKey}`);
			expect(row.holder.startsWith(`${firstRun.id}/`)).toBe(true);
			expect(row.claimedAt).toBe(iso(T0));
		}
	});

	test('no stuck lease: the second run released it, and the first run\'s late release did not touch it', async () => {
		const [lease] = await api.dataTableRows('story_leads_lease');
		expect(lease.holder.startsWith(`${secondRun.id}/`)).toBe(true);
		expect(lease.lockedUntil).toBe('1970-01-01T00:00:00.000Z');
	});
});
