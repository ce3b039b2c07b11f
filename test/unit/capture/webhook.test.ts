import { parseMetaWebhook, type WebhookParseOptions } from '../../../nodes/core/capture/webhook';
import { canonicalEventSchema } from '../../../nodes/core/events/schema';
import * as p from './payloads';

const NOW = Date.parse('2026-11-22T10:00:00.000Z');
const base: WebhookParseOptions = { ingestedAt: NOW };

function only(body: unknown, options: Partial<WebhookParseOptions> = {}) {
	const result = parseMetaWebhook(body, { ...base, ...options });
	expect(result.skipped).toEqual([]);
	expect(result.events).toHaveLength(1);
	expect(canonicalEventSchema.safeParse(result.events[0]).success).toBe(true);
	return result.events[0];
}

describe('Meta webhook parser', () => {
	it('reads a story reply: IGSID viewer, story id from reply_to.story, no text by default', () => {
		const event = only(p.storyReply);
		expect(event).toEqual({
			eventId: expect.stringMatching(/^ev_[0-9a-f]{32}$/),
			viewerKey: p.IGSID,
			viewerKeyType: 'igsid',
			storyId: '18040775032372871',
			type: 'story_reply',
			occurredAt: '2022-09-19T09:47:05.282Z',
			ingestedAt: '2026-11-22T10:00:00.000Z',
			source: 'webhook',
			sourceTool: 'instagram_webhook',
		});
	});

	it('keeps text only when opted in, and chosen extra fields only', () => {
		const event = only(p.storyReply, { includeText: true, extraFields: ['storyUrl', 'messageId'] });
		expect(event.text).toBe('Hello story');
		expect(event.extra).toEqual({
			messageId: 'aWdfreply',
			storyUrl: expect.stringContaining('lookaside.fbsbx.com'),
		});
	});

	it('reads a story mention from attachments[type=story_mention]', () => {
		const event = only(p.storyMention);
		expect(event.type).toBe('story_mention');
		expect(event.viewerKey).toBe(p.IGSID);
		expect(event.occurredAt).toBe('2019-09-23T18:14:45.349Z');
		expect(event.storyId).toBeUndefined();
	});

	it('reads react and unreact as reactions with distinct ids and the action kept', () => {
		const react = only(p.reaction('react'), { extraFields: ['reaction'] });
		const unreact = only(p.reaction('unreact'), { extraFields: ['reaction'] });
		expect(react.type).toBe('reaction');
		expect(react.extra).toEqual({ reactionAction: 'react', reaction: '\u2764\ufe0f' });
		expect(unreact.extra).toEqual({ reactionAction: 'unreact' });
		expect(react.eventId).not.toBe(unreact.eventId);
	});

	it('detects keywords in message text, quick replies and postbacks', () => {
		expect(only(p.envelope([p.messageText('  stop! ')])).keyword).toBe('opt_out');
		expect(only(p.envelope([p.messageText('PRICE')])).keyword).toBeUndefined();
		expect(only(p.envelope([p.messageText('stop by our shop')])).keyword).toBeUndefined();
		const quick = only(p.quickReply, { extraFields: ['payload'] });
		expect(quick).toMatchObject({ type: 'postback', keyword: 'opt_in', extra: { payload: 'OPT_IN' } });
		const postback = only(p.postback, { includeText: true, extraFields: ['payload', 'title'] });
		expect(postback).toMatchObject({
			type: 'postback',
			keyword: 'opt_out',
			text: 'Stop',
			extra: { payload: 'UNSUBSCRIBE_BUTTON', title: 'Stop' },
		});
		expect(only(p.envelope([p.messageText('PRICE')])).text).toBeUndefined();
	});

	it('reads comments from changes[] and from flat field/value alike', () => {
		const fromChanges = only(p.commentChanges, { includeText: true, extraFields: ['commentId', 'username'] });
		const fromFlat = only(p.commentFlat, { includeText: true, extraFields: ['commentId', 'username'] });
		expect(fromChanges).toEqual(fromFlat);
		expect(fromChanges).toMatchObject({
			type: 'comment',
			viewerKey: p.IGSID,
			storyId: '18040775032372871',
			text: 'Price please?',
			occurredAt: '2023-11-14T22:13:25.000Z',
			extra: { commentId: '17865799348089039', username: 'Alice.Shop' },
		});
	});

	it('falls back to the normalised handle when a comment has no author id', () => {
		const body = {
			object: 'instagram',
			entry: [{ id: p.IG_ID, time: 1700000005, field: 'comments', value: { id: 'c1', from: { username: '@Bob' }, text: 'hi' } }],
		};
		expect(only(body)).toMatchObject({ viewerKey: 'bob', viewerKeyType: 'handle', type: 'comment' });
	});

	it('reads story_insights as a story-level record with hidden (-1) metrics marked', () => {
		const event = only(p.storyInsights, { pepper: 'a-long-secret-pepper-value' });
		expect(event).toMatchObject({
			type: 'story_insights',
			storyId: '17887498072083520',
			viewerKey: '0',
			viewerKeyType: 'igsid',
			occurredAt: '2018-02-23T15:21:52.000Z',
			extra: {
				metrics: { exits: 3, replies: null, reach: 44, taps_forward: 4, taps_back: 3, impressions: 444 },
				belowThreshold: true,
				hiddenMetrics: ['replies'],
			},
		});
	});

	it('ignores echoes by default and keeps them (keyed on the person) when asked', () => {
		const ignored = parseMetaWebhook(p.echo, base);
		expect(ignored.events).toEqual([]);
		expect(ignored.skipped).toEqual([expect.objectContaining({ reason: 'echo', update: 1 })]);
		const kept = only(p.echo, { ignoreEchoes: false });
		expect(kept).toMatchObject({ viewerKey: p.IGSID, type: 'message', extra: { isEcho: true } });
	});

	it('turns a read receipt (messaging_seen) into message_seen: the person, when, and only the id of our message', () => {
		const event = only(p.seen('aWdfOURmid', 1700000060000));
		expect(event).toEqual({
			eventId: expect.stringMatching(/^ev_[0-9a-f]{32}$/),
			viewerKey: p.IGSID,
			viewerKeyType: 'igsid',
			type: 'message_seen',
			occurredAt: '2023-11-14T22:14:20.000Z',
			ingestedAt: '2026-11-22T10:00:00.000Z',
			source: 'webhook',
			sourceTool: 'instagram_webhook',
			extra: { messageId: 'aWdfOURmid' },
		});
		// Meta's redelivery of the same receipt is the same event; another message seen is another one.
		expect(only(p.seen('aWdfOURmid', 1700000060000)).eventId).toBe(event.eventId);
		expect(only(p.seen('aWdfOTHERmid', 1700000060000)).eventId).not.toBe(event.eventId);
		const pseudonymised = only(p.seen(), { pepper: 'a-pepper-of-sixteen-chars' });
		expect(pseudonymised).toMatchObject({ viewerKeyType: 'pseudonym', extra: { messageId: 'aWdfOURmid' } });
		// A receipt without mid (Messenger's watermark form) is still the person's open, keyed on sender and time.
		const watermark = only(p.envelope([{ sender: { id: p.IGSID }, recipient: { id: p.IG_ID }, timestamp: 1700000060000, read: { watermark: 1700000000000 } }]));
		expect(watermark).toMatchObject({ type: 'message_seen', viewerKey: p.IGSID });
		expect(watermark.extra).toBeUndefined();
		const noSender = parseMetaWebhook(p.envelope([{ recipient: { id: p.IG_ID }, timestamp: 1, read: { mid: 'x' } }]), base);
		expect(noSender.skipped.map((s) => s.reason)).toEqual(['missing_sender']);
	});

	it('accepts a JSON array of envelopes (Meta examples page) as well as one object', () => {
		const wrapped = parseMetaWebhook([p.storyReply, p.storyMention], base);
		expect(wrapped.events.map((e) => e.type)).toEqual(['story_reply', 'story_mention']);
		expect(wrapped.updates).toBe(2);
	});

	it('skips unsupported and broken updates with a reason, never throwing', () => {
		const body = p.envelope([
			{ sender: { id: p.IGSID }, recipient: { id: p.IG_ID }, timestamp: 1, optin: { type: 'notification_messages' } },
			{ sender: { id: p.IGSID }, recipient: { id: p.IG_ID }, timestamp: 1, message: { mid: 'd', is_deleted: true } },
			{ recipient: { id: p.IG_ID }, timestamp: 1, message: { mid: 'n', text: 'hi' } },
			'garbage',
		]);
		const result = parseMetaWebhook(body, base);
		expect(result.events).toEqual([]);
		expect(result.skipped.map((s) => [s.reason, s.update])).toEqual([
			['unsupported_event', 1],
			['deleted_message', 2],
			['missing_sender', 3],
			['malformed_payload', 4],
		]);
		for (const bad of [null, 'text', 42, {}, { entry: 'x' }, []]) {
			const r = parseMetaWebhook(bad, base);
			expect(r.events).toEqual([]);
			expect(r.skipped).toEqual([expect.objectContaining({ reason: 'malformed_payload' })]);
			expect(r.updates).toBe(1);
		}
		const unsupportedChange = parseMetaWebhook(
			{ object: 'instagram', entry: [{ id: '1', time: 1, changes: [{ field: 'mentions', value: {} }] }] },
			base,
		);
		expect(unsupportedChange.skipped[0].reason).toBe('unsupported_event');
	});

	it('handles a batch of 1000 updates across several entries, one event each, in order', () => {
		const entries = Array.from({ length: 10 }, (_, e) => ({
			id: p.IG_ID,
			time: 1700000000000,
			messaging: Array.from({ length: 100 }, (_, i) => p.messageText(`hello ${e}-${i}`, `mid-${e}-${i}`)),
		}));
		const result = parseMetaWebhook({ object: 'instagram', entry: entries }, base);
		expect(result.updates).toBe(1000);
		expect(result.events).toHaveLength(1000);
		expect(new Set(result.events.map((e) => e.eventId)).size).toBe(1000);
		expect(result.eventUpdates[999]).toBe(1000);
	});

	it('gives a redelivery the same event ids, whatever the delivery time', () => {
		const first = parseMetaWebhook(p.storyReply, base).events;
		const again = parseMetaWebhook(JSON.parse(JSON.stringify(p.storyReply)), { ingestedAt: NOW + 3_600_000 }).events;
		expect(again.map((e) => e.eventId)).toEqual(first.map((e) => e.eventId));
		const other = parseMetaWebhook(p.envelope([p.messageText('Hello story', 'another-mid')]), base).events;
		expect(other[0].eventId).not.toBe(first[0].eventId);
	});

	it('pseudonymises viewers stably, keeping the event id', () => {
		const plain = only(p.storyReply);
		const a = only(p.storyReply, { pepper: 'pepper-number-one-123' });
		const b = only(p.storyReply, { pepper: 'pepper-number-one-123' });
		const c = only(p.storyReply, { pepper: 'pepper-number-two-456' });
		expect(a.viewerKeyType).toBe('pseudonym');
		expect(a.viewerKey).toMatch(/^ps_[0-9a-f]{32}$/);
		expect(a.viewerKey).toBe(b.viewerKey);
		expect(a.viewerKey).not.toBe(c.viewerKey);
		expect(a.viewerKey).not.toContain(p.IGSID);
		expect(a.eventId).toBe(plain.eventId);
	});
});
