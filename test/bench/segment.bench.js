// Viewer Segment core: 1,000,000 canonical events over 100,000 viewers, all rules on, next to the floor —
// a minimal hand-written single pass (one Map, one Set per viewer) computing only the repeat-viewer rule.
// Requires the built dist/ (npm run build). Prints figures; asserts nothing.
const path = require('path');
const { measure, ratio } = require('./measure');

const { segmentViewers } = require(path.resolve(__dirname, '../../dist/nodes/core/segment/segment.js'));

const EVENTS = Number(process.env.SEGMENT_BENCH_EVENTS || 1_000_000);
const VIEWERS = Number(process.env.SEGMENT_BENCH_VIEWERS || 100_000);
const STORIES = 60;
const DAY = 86_400_000;
const AS_OF = Date.parse('2026-11-22T12:00:00.000Z');
const WINDOW_DAYS = 7;
const TYPES = ['view', 'view', 'view', 'view', 'view', 'view', 'reaction', 'story_reply', 'profile_visit', 'link_click', 'message'];
const LOCALES = ['de_DE', 'en_US', 'fr_FR', 'de_AT', 'es_ES'];

/** Deterministic PRNG (mulberry32), so every run benches the same data. */
function rng(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function generate() {
	const rand = rng(42);
	const events = new Array(EVENTS);
	const viewerKeys = Array.from({ length: VIEWERS }, (_, v) => `viewer_${String(v).padStart(6, '0')}`);
	const storyIds = Array.from({ length: STORIES }, (_, s) => `story_${s}`);
	for (let i = 0; i < EVENTS; i++) {
		const v = Math.floor(rand() * VIEWERS);
		// 9 days back so ~1/5 of the events fall outside the 7-day window.
		const occurred = new Date(AS_OF - Math.floor(rand() * 9 * DAY)).toISOString();
		// Read back from a table in insertion order: batches of 1,000 events share an ingestedAt value
		// (a distinct string per event, as a database driver returns it).
		const ingested = new Date(AS_OF - (EVENTS - i - (i % 1000)) * 500).toISOString();
		const event = {
			eventId: `ev_${i}`,
			viewerKey: viewerKeys[v],
			viewerKeyType: 'handle',
			storyId: storyIds[Math.floor(rand() * STORIES)],
			type: TYPES[Math.floor(rand() * TYPES.length)],
			occurredAt: occurred,
			ingestedAt: ingested,
			source: 'csv',
			sourceTool: 'bench',
			locale: LOCALES[v % LOCALES.length],
		};
		// One event in ten carries profile signals and a mapped field, as an enriched export would.
		if (i % 10 === 0) event.extra = { followerCount: v % 7, bio: v % 3 === 0 ? '' : 'hi', city: v % 2 ? 'Berlin' : 'Paris' };
		events[i] = event;
	}
	return events;
}

/** The floor: validity of nothing, window by string compare on fixed-shape ISO, Map<viewer, Set<story>>. */
function floor(events, sample) {
	const start = new Date(AS_OF - WINDOW_DAYS * DAY).toISOString();
	const end = new Date(AS_OF).toISOString();
	const viewers = new Map();
	for (let i = 0; i < events.length; i++) {
		const e = events[i];
		const t = e.type;
		if ((t !== 'view' && t !== 'story_reply' && t !== 'reaction') || e.occurredAt <= start || e.occurredAt > end) continue;
		let set = viewers.get(e.viewerKey);
		if (set === undefined) {
			set = new Set();
			viewers.set(e.viewerKey, set);
		}
		set.add(e.storyId);
		if ((i & 0x3ffff) === 0) sample();
	}
	let repeat = 0;
	for (const set of viewers.values()) if (set.size >= 3) repeat++;
	sample();
	return repeat;
}

const options = {
	asOfMs: AS_OF,
	windowDays: WINDOW_DAYS,
	weights: { view: 1, story_reply: 5, story_mention: 4, reaction: 3, message: 4, postback: 2, comment: 2, profile_visit: 3, link_click: 4 },
	halfLifeDays: 3,
	rules: {
		repeatViewer: { minStories: 3 },
		profileVisitor: { minVisits: 1, countLinkClicks: true },
		highEngagement: { eventTypes: ['story_reply', 'reaction', 'story_mention', 'message', 'postback'], minInteractions: 1 },
		languagePlace: { field: 'locale', values: ['de', 'fr-CH'], match: 'prefix' },
		topScore: { topPercent: 10 },
		possibleBot: { maxFollowers: 0, minSignals: 2, signals: ['noFollowers', 'emptyBio', 'noProfilePic'] },
		custom: { conditions: [{ segment: 'berlin', field: 'extra.city', operation: 'equals', value: 'Berlin' }], caseSensitive: false },
	},
};

function run() {
	console.log(`viewer-segment: ${EVENTS.toLocaleString('en-US')} events over ${VIEWERS.toLocaleString('en-US')} viewers`);
	const events = generate();
	// Warm both paths on a slice so neither pays for JIT compilation in the measured run.
	floor(events.slice(0, 50_000), () => {});
	segmentViewers(events.slice(0, 50_000), options);

	// This 2-core box is shared: run floor and core alternately three times and compare the best of each.
	let f;
	let core;
	for (let round = 1; round <= 3; round++) {
		const fr = measure(`floor: Map loop, repeat-viewer rule only (#${round})`, EVENTS, (sample) => floor(events, sample));
		const cr = measure(`core: all rules, half-life, results (#${round})`, EVENTS, (sample) => {
			const result = segmentViewers(events, options);
			sample();
			return result;
		});
		if (!f || fr.nsPerUnit < f.nsPerUnit) f = fr;
		if (!core || cr.nsPerUnit < core.nsPerUnit) core = cr;
	}
	const paired = measure('core + pairedItem indexes (cap 100/viewer)', EVENTS, (sample) => {
		const result = segmentViewers(events, { ...options, maxItemsPerViewer: 100 });
		sample();
		return result;
	});
	const s = core.result.summary;
	console.log(
		`  repeat viewers: floor ${f.result}, core ${s.segments.repeatViewer}; viewers ${s.viewers}; in window ${s.inWindow}; ` +
			`outside ${s.beforeWindow + s.afterAsOf}; bots ${s.segments.possibleBot}; top ${s.segments.topScore}; paired viewers ${paired.result.viewers.length}`,
	);
	ratio('core / floor (best of 3 each)', core, f, 2);
}

if (require.main === module) run();
module.exports = { generate, floor, options };
