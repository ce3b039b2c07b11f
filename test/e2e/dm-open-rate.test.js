// End to end in a real n8n 2.x: the DM open rate comes from Instagram's read receipts. Part 1 is published (its
// trigger subscribes the account to messaging_seen on the fake Graph API), Meta's signed messaging_seen delivery
// becomes a stored message_seen event, and the Report page shows the open rate of the people messaged.
const { waitForWebhook } = require('../../scripts/n8n/harness');
const { startStack } = require('../../scripts/n8n/stack');
const { outcome, SUCCESS } = require('../../scripts/n8n/n8nApi');
const { ACCOUNT_ID, envelope, deliver } = require('../../scripts/n8n/meta');
const { startFakeGraphApi } = require('../../scripts/fakes/graphApi');

jest.setTimeout(15 * 60 * 1000);

const T = Date.parse('2026-03-10T10:00:00.000Z');
const H = 3600000;
const iso = (ms) => new Date(ms).toISOString();
const SEEN = '1001'; // saw our DM
const NOT_SEEN = '1002'; // was sent one too, no read receipt

async function waitFor(predicate, timeoutMs = 60000) {
	const deadline = Date.now() + timeoutMs;
	while (!predicate()) {
		if (Date.now() > deadline) return false;
		await new Promise((r) => setTimeout(r, 250));
	}
	return true;
}

const sent = (contactId, atMs) => ({
	idempotencyKey: `${contactId}:storyReplyWindow:1`,
	contactId,
	channel: 'instagram_dm',
	kind: 'cadence',
	step: 1,
	variant: 'A',
	status: 'sent',
	messageId: `aWdf_our_dm_${contactId}`,
	sentAt: iso(atMs),
	sequence: 'storyReplyWindow',
	stepId: 'thanks',
	utmCampaign: 'storyReplyWindow',
	utmContent: 'thanks-A',
});

// The report's funnel is nested (messaged ⊆ eligible ⊆ captured): both people answered a story and were enrolled
// an hour before their DM.
const storyReply = (contactId, atMs) => ({
	eventId: `ev_open_rate_reply_${contactId}`,
	viewerKey: contactId,
	viewerKeyType: 'igsid',
	type: 'story_reply',
	occurredAt: iso(atMs),
	ingestedAt: iso(atMs),
	source: 'webhook',
	sourceTool: 'instagram_webhook',
});
const enrolled = (contactId, atMs) => ({ contactId, sequence: 'storyReplyWindow', status: 'active', currentStep: 1, sentCount: 1, enrolledAt: iso(atMs) });

describe('DM open rate from messaging_seen in a real n8n 2.x', () => {
	let graph;
	let stack;

	beforeAll(async () => {
		graph = await startFakeGraphApi({ accessToken: 'open-rate-token-not-a-secret' });
		stack = await startStack({
			graphApi: graph,
			settings: {
				part1: { fixedNow: iso(T), replyImmediately: false },
				report: { fixedNow: iso(T + H) },
			},
		});
		const setup = await stack.api.runManually('StoryLeadsSetup', 'Run once');
		if (setup.status !== 'success') throw new Error(`Set-up failed: ${JSON.stringify(setup.error)}`);
		await stack.api.insertDataTableRows('story_leads_events', [storyReply(SEEN, T - 4 * H), storyReply(NOT_SEEN, T - 4 * H)]);
		await stack.api.insertDataTableRows('story_leads_cadence', [enrolled(SEEN, T - 4 * H), enrolled(NOT_SEEN, T - 4 * H)]);
		await stack.api.insertDataTableRows('story_leads_sends', [sent(SEEN, T - 3 * H), sent(NOT_SEEN, T - 3 * H)]);
		await stack.api.publish('StoryLeadsPart1');
		await waitForWebhook(stack.urls.instagramPart1, { method: 'POST' });
	});

	afterAll(async () => {
		if (stack) await stack.stop();
		if (graph) await graph.close();
	});

	test('publishing Part 1 subscribed the account to messaging_seen', async () => {
		expect(await waitFor(() => (graph.subscriptions.get(ACCOUNT_ID) || []).includes('messaging_seen'))).toBe(true);
		expect(graph.subscriptions.get(ACCOUNT_ID)).toEqual(
			expect.arrayContaining(['messages', 'messaging_postbacks', 'message_reactions', 'messaging_seen']),
		);
	});

	test('a signed read receipt is stored as a message_seen event; the report counts it as an open', async () => {
		const receipt = envelope([
			{ sender: { id: SEEN }, recipient: { id: ACCOUNT_ID }, timestamp: T - 2 * H, read: { mid: `aWdf_our_dm_${SEEN}` } },
		]);
		expect((await deliver(stack.urls.instagramPart1, receipt, stack.appSecret)).status).toBe(200);
		const [run] = await stack.api.waitForExecutions('StoryLeadsPart1', 1, { mode: 'webhook', timeoutMs: 300000 });
		expect(outcome(run)).toEqual(SUCCESS);
		const events = (await stack.api.dataTableRows('story_leads_events')).filter((e) => e.type !== 'story_reply');
		expect(events.map((e) => [e.type, e.viewerKey, e.occurredAt && new Date(e.occurredAt).toISOString()])).toEqual([
			['message_seen', SEEN, iso(T - 2 * H)],
		]);
		// A read receipt does not open the messaging window: no lastInboundAt was written for it.
		const cadence = await stack.api.dataTableRows('story_leads_cadence');
		expect(cadence.filter((row) => row.contactId === SEEN && row.lastInboundAt)).toEqual([]);

		await stack.api.publish('StoryLeadsReport');
		await waitForWebhook(stack.urls.report);
		const { user, password } = stack.reportLogin;
		const page = await fetch(stack.urls.report, {
			headers: { authorization: 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64') },
		});
		expect(page.status).toBe(200);
		const html = await page.text();
		// Two people messaged, one saw the DM: 1 ÷ 2.
		expect(html).toContain('Of the 2 people messaged');
		expect(html).toContain('opened <span data-figure="opened">1</span> (<span data-figure="opened-rate">50.0%</span>)');
	});
});
