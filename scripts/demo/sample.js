// A realistic, seeded sample week for `npm run demo`: 21 stories, 2,000 viewers (one-off and repeat viewers,
// repliers, mentioners, reactors, STOP senders, bots with no followers). Deterministic: same seed, same sample.
const { envelope, events } = require('../n8n/meta');
const { rng: prng } = require('../lib/prng');

const H = 3600000;
/** The demo's "now": Monday noon UTC, the end of the sample week. */
const DEMO_NOW = Date.parse('2026-03-16T12:00:00.000Z');

/**
 * @param {number} nowMs the demo's "now" (end of the week)
 * @param {{ viewers?: number, seed?: number }} options viewers: how many (2,000 by default; 2 % of them are bots)
 * @returns {{ stories, viewers, csv, deliveries, counts, stopSenders: string[], bots: string[], liveRepliers }}
 */
function buildSample(nowMs, { viewers: viewerCount = 2000, seed = 20260316 } = {}) {
	const rand = prng(seed);
	const pick = (list) => list[Math.floor(rand() * list.length)];
	const weekStart = nowMs - 7 * 24 * H;
	const stories = [];
	for (let day = 0; day < 7; day++) {
		for (const hour of [9, 13, 19]) {
			const postedAt = weekStart + day * 24 * H + (hour - 12) * H + 12 * H;
			if (postedAt < nowMs) stories.push({ id: `1790000000${String(stories.length).padStart(4, '0')}`, postedAt });
		}
	}
	const viewers = [];
	const rows = ['viewer_id,viewed_at,story_id,follower_count'];
	const messaging = [];
	const botCount = Math.max(1, Math.round(viewerCount * 0.02));
	const stopSenders = [];
	const counts = { viewers: viewerCount, bots: 0, repeatViewers: 0, repliers: 0, mentioners: 0, reactors: 0, stopSenders: 0 };
	for (let i = 0; i < viewerCount; i++) {
		const igsid = String(1780000000000000 + i * 7919);
		const r = rand();
		const kind = i < botCount ? 'bot' : r < 0.25 ? 'repeat' : 'casual';
		const followers = kind === 'bot' ? 0 : Math.floor(20 + rand() * 3000);
		const seen = kind === 'bot' ? stories : kind === 'repeat' ? stories.filter(() => rand() < 0.45) : [pick(stories)];
		if (kind === 'bot') counts.bots++;
		if (kind === 'repeat' && new Set(seen.map((s) => s.id)).size >= 3) counts.repeatViewers++;
		for (const story of seen) {
			const viewedAt = Math.min(nowMs - 60000, story.postedAt + (kind === 'bot' ? 30000 : Math.floor(rand() * 20 * H)));
			rows.push(`${igsid},${new Date(viewedAt).toISOString()},${story.id},${followers}`);
		}
		const viewer = { igsid, kind, followers, stories: seen.map((s) => s.id) };
		viewers.push(viewer);
		if (kind === 'bot') continue;
		// Interactions (webhooks): replies, mentions, reactions; some repliers later send STOP.
		const last = seen[seen.length - 1] || pick(stories);
		const at = () => Math.min(nowMs - 5 * 60000, last.postedAt + Math.floor(rand() * 30 * H));
		const roll = rand();
		if (roll < 0.15) {
			counts.repliers++;
			const t = at();
			messaging.push(events.storyReply(igsid, t, pick(['Love this!', 'Where can I get it?', 'price?', 'wow', 'Need this']), last.id));
			if (rand() < 0.1) {
				counts.stopSenders++;
				stopSenders.push(igsid);
				messaging.push(events.message(igsid, Math.min(nowMs - 60000, t + Math.floor(rand() * 2 * H)), 'STOP'));
			}
		} else if (roll < 0.19) {
			counts.mentioners++;
			messaging.push(events.storyMention(igsid, at()));
		} else if (roll < 0.31) {
			counts.reactors++;
			messaging.push(events.reaction(igsid, at()));
		}
	}
	messaging.sort((a, b) => a.timestamp - b.timestamp);
	const deliveries = [];
	for (let i = 0; i < messaging.length; i += 40) deliveries.push(envelope(messaging.slice(i, i + 40)));
	const bots = viewers.filter((v) => v.kind === 'bot').map((v) => v.igsid);
	// The live part of the demo, after "now": 1 % of the viewers who never wrote reply to a story for the first time.
	const wrote = new Set(messaging.map((m) => m.sender.id));
	const liveRepliers = viewers
		.filter((v) => v.kind !== 'bot' && !wrote.has(v.igsid))
		.slice(0, Math.max(2, Math.round(viewerCount * 0.01)))
		.map((v, k) => ({ igsid: v.igsid, at: nowMs + 90 * 60000 + k * 1000, storyId: v.stories[v.stories.length - 1] }));
	return { stories, viewers, csv: rows.join('\n'), deliveries, counts, interactions: messaging.length, stopSenders, bots, liveRepliers };
}

/** Which of the dispatcher's DM recipients answer the DM in the demo's live part (seeded: same list, same pick). */
function pickDmRepliers(recipients) {
	const rand = prng(7);
	return recipients.filter(() => rand() < 0.3);
}

/** Every second person who answered the DMs buys, one order each, a second apart from `atMs` (EUR 30–90). */
function pickOrders(repliers, atMs) {
	const rand = prng(11);
	return repliers
		.filter((_igsid, k) => k % 2 === 0)
		.map((igsid, k) => ({
			viewerKey: igsid,
			type: 'conversion',
			value: 30 + Math.floor(rand() * 7) * 10,
			currency: 'EUR',
			occurredAt: new Date(atMs + k * 1000).toISOString(),
			orderId: `demo-order-${k + 1}`,
		}));
}

module.exports = { buildSample, pickDmRepliers, pickOrders, prng, DEMO_NOW };
