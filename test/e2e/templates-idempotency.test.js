// At most one DM per idempotency key, end to end with the Part 1 template in a real n8n 2.x: the Instagram token
// expires after 2 of 5 dispatcher sends, the user reconnects, the dispatcher runs again — each person got one DM.
// One of them is answered with Meta's 1/1357046 ("sent, but the endpoint returns an error"): logged as sent with
// reason sent_unknown, never sent again.
// Stack as in templates.test.js (n8n start, Data tables, fake Graph API and ActiveCampaign on 127.0.0.1).
const { waitForWebhook } = require('../../scripts/n8n/harness');
const { allOutputsOf, outcome, SUCCESS } = require('../../scripts/n8n/n8nApi');
const { startStack, avoidScheduleBoundaries, deliverInTurn } = require('../../scripts/n8n/stack');
const { envelope, events } = require('../../scripts/n8n/meta');
const { startFakeGraphApi } = require('../../scripts/fakes/graphApi');

jest.setTimeout(15 * 60 * 1000);

const T0 = Date.parse('2026-03-10T10:00:00.000Z'); // a Tuesday, 10:00 UTC: outside quiet hours
const H = 3600000;
const iso = (ms) => new Date(ms).toISOString();
const PEOPLE = ['3001', '3002', '3003', '3004', '3005'];
const MAYBE_SENT = '3004';

describe('Part 1 dispatcher: an expired token mid-batch never leads to a second DM', () => {
	let graph;
	let stack;
	let api;
	let firstRun;
	let secondRun;
	let thirdRun;

	const dmsTo = () => graph.requests.filter((r) => r.method === 'POST' && /\/messages$/.test(r.path));
	const accepted = () => dmsTo().filter((r) => r.accepted).map((r) => r.body.recipient.id);

	beforeAll(async () => {
		graph = await startFakeGraphApi({ accessToken: 'e2e-token-not-a-secret' });
		stack = await startStack({
			graphApi: graph,
			settings: ({ urls }) => ({
				part1: { fixedNow: iso(T0), capPerRun: 10, engagementWebhookUrl: urls.engagement, replyImmediately: false },
				part2: { fixedNow: iso(T0) },
			}),
		});
		api = stack.api;
		expect(outcome(await api.runManually('StoryLeadsSetup', 'Run once'))).toEqual(SUCCESS);
		await avoidScheduleBoundaries(120000);
		await api.publish('StoryLeadsPart1');
		await api.publish('StoryLeadsPart2');
		await waitForWebhook(stack.urls.instagramPart1, { method: 'POST' });
		await waitForWebhook(stack.urls.engagement, { method: 'POST' });
		const replies = PEOPLE.map((igsid, i) => events.storyReply(igsid, T0 - (i + 1) * 10 * 60000, 'hi'));
		await deliverInTurn(stack, [envelope(replies)], { part1: 'StoryLeadsPart1', part2: 'StoryLeadsPart2' });
		await api.unpublish('StoryLeadsPart1');
		await api.unpublish('StoryLeadsPart2');

		graph.reset();
		graph.setRecipientBehaviour(MAYBE_SENT, 'maybe_sent');
		graph.expireTokenAfterSends(2);
		firstRun = await api.runManually('StoryLeadsPart1', 'Run now');
		graph.renewToken();
		secondRun = await api.runManually('StoryLeadsPart1', 'Run now');
		thirdRun = await api.runManually('StoryLeadsPart1', 'Run now');
	});

	afterAll(async () => {
		if (stack) await stack.stop();
		if (graph) await graph.close();
	});

	test('the first run succeeds: 2 sent, the other 3 on Not Sent as retryable token errors', () => {
		expect(outcome(firstRun)).toEqual(SUCCESS);
		const [sent, notSent] = allOutputsOf(firstRun, 'Send DM');
		expect(sent).toHaveLength(2);
		expect(notSent.map((n) => [n.reason, n.retryable])).toEqual(Array(3).fill(['token_invalid', true]));
	});

	test('the second run sends to the other 3 only', () => {
		expect(outcome(secondRun)).toEqual(SUCCESS);
		const [sent] = allOutputsOf(secondRun, 'Send DM');
		const [firstSent, firstNotSent] = allOutputsOf(firstRun, 'Send DM');
		expect(sent.map((s) => s.contactId).sort()).toEqual(firstNotSent.map((n) => n.contactId).sort());
		for (const s of firstSent) expect(sent.map((x) => x.contactId)).not.toContain(s.contactId);
	});

	test('each person got exactly one DM, and the send log holds each key once as sent', async () => {
		expect(accepted().sort()).toEqual([...PEOPLE].sort());
		const sends = (await api.dataTableRows('story_leads_sends')).filter((r) => r.kind === 'cadence');
		const sent = sends.filter((r) => r.status === 'sent');
		expect(sent.map((r) => r.contactId).sort()).toEqual([...PEOPLE].sort());
		expect(new Set(sent.map((r) => r.idempotencyKey)).size).toBe(PEOPLE.length);
	});

	test('the send log is append-only: the refused first attempts stay, next to the second run\'s sent rows', async () => {
		const sends = (await api.dataTableRows('story_leads_sends')).filter((r) => r.kind === 'cadence');
		const [, firstNotSent] = allOutputsOf(firstRun, 'Send DM');
		const refused = sends.filter((r) => r.status !== 'sent');
		expect(refused.map((r) => [r.contactId, r.status, r.reason, r.sentAt]).sort()).toEqual(
			firstNotSent.map((n) => [n.contactId, 'not_sent', 'token_invalid', null]).sort(),
		);
		for (const row of refused) {
			const retry = sends.find((r) => r.status === 'sent' && r.idempotencyKey === row.idempotencyKey);
			expect(retry.attemptId).not.toBe(row.attemptId);
			expect(row.holder.startsWith(`${firstRun.id}/`)).toBe(true);
			expect(retry.holder.startsWith(`${secondRun.id}/`)).toBe(true);
		}
	});

	test('the send Meta answered with 1/1357046 was tried once, is logged as sent_unknown, and is not sent again', async () => {
		expect(dmsTo().filter((r) => r.body.recipient.id === MAYBE_SENT)).toHaveLength(1);
		// The sent rows (the refused first attempts are rows of their own, checked above).
		const sent = (await api.dataTableRows('story_leads_sends')).filter((r) => r.kind === 'cadence' && r.status === 'sent');
		expect(sent.map((r) => [r.contactId, r.reason || null]).sort()).toEqual(PEOPLE.map((p) => [p, p === MAYBE_SENT ? 'sent_unknown' : null]));
		const maybe = [firstRun, secondRun].flatMap((run) => allOutputsOf(run, 'Send DM')[0] || []).filter((s) => s.sentUnknown);
		expect(maybe.map((s) => [s.contactId, s.reason])).toEqual([[MAYBE_SENT, 'sent_unknown']]);
		expect(outcome(thirdRun)).toEqual(SUCCESS);
		expect(allOutputsOf(thirdRun, 'Send DM')[0] || []).toEqual([]);
	});
});
