import { segmentViewers } from '../../../nodes/core/segment/segment';
import { validateSegmentOptions } from '../../../nodes/core/segment/options';
import type { SegmentOptions, ViewerResult } from '../../../nodes/core/segment/types';
import { AS_OF_MS, DAY, ev, options, rng, shuffle, view } from './helpers';

const WINDOW = 7 * DAY;

function byKey(viewers: ViewerResult[]): Record<string, ViewerResult> {
	return Object.fromEntries(viewers.map((v) => [v.viewerKey, v]));
}

function run(events: unknown[], overrides: Partial<SegmentOptions> = {}) {
	return segmentViewers(events, options(overrides));
}

describe('window edges: (asOf − window, asOf]', () => {
	it('leaves out an event exactly at asOf − window and one after As of; keeps asOf − window + 1 ms and As of itself', () => {
		const result = run([
			view('edge', 's1', WINDOW),
			view('justIn', 's1', WINDOW - 1),
			view('atAsOf', 's1', 0),
			view('future', 's1', -1),
		]);
		expect(result.viewers.map((v) => v.viewerKey).sort()).toEqual(['atAsOf', 'justIn']);
		expect(result.summary).toMatchObject({
			events: 4,
			inWindow: 2,
			beforeWindow: 1,
			afterAsOf: 1,
			viewers: 2,
			viewersOutsideWindowOnly: 2,
		});
	});

	it('counts a known viewer’s outside events on its item', () => {
		const result = run([view('anna', 's1', DAY), view('anna', 's0', WINDOW), view('anna', 's2', -DAY)]);
		expect(result.viewers[0].stats).toMatchObject({ eventsInWindow: 1, ignoredOutsideWindow: 2, distinctStories: 1 });
	});

	it('honours a fractional window', () => {
		const result = run([view('a', 's1', 0.5 * DAY - 1), view('b', 's1', 0.5 * DAY)], { windowDays: 0.5 });
		expect(result.viewers.map((v) => v.viewerKey)).toEqual(['a']);
	});
});

describe('repeat viewer', () => {
	const rules = { repeatViewer: { minStories: 3 } };
	it('needs N distinct stories: N − 1 is not enough, N is', () => {
		const result = byKey(
			run(
				[
					view('twice', 's1'),
					view('twice', 's2'),
					view('twice', 's2', 2 * DAY),
					view('three', 's1'),
					view('three', 's2'),
					view('three', 's3'),
				],
				{ rules },
			).viewers,
		);
		expect(result.twice.segments).toEqual([]);
		expect(result.twice.stats.distinctStories).toBe(2);
		expect(result.three.segments).toEqual(['repeatViewer']);
		expect(result.three.reasons).toEqual(['viewed 3 stories in 7 days']);
	});

	it('counts stories from views, replies and reactions, not from events without a storyId or other types', () => {
		const result = run(
			[
				view('a', 's1'),
				ev('a', 'story_reply', DAY, { storyId: 's2' }),
				ev('a', 'reaction', DAY, { storyId: 's3' }),
				ev('a', 'story_mention', DAY, { storyId: 's4' }),
				ev('a', 'view', DAY),
				ev('a', 'view', DAY, { storyId: '' }),
			],
			{ rules: { repeatViewer: { minStories: 4 } } },
		);
		expect(result.viewers[0].stats.distinctStories).toBe(3);
		expect(result.viewers[0].segments).toEqual([]);
	});

	it('counts many distinct stories past the inline limit exactly', () => {
		const events = Array.from({ length: 40 }, (_, i) => view('binge', `s${i % 20}`, (i + 1) * 1000));
		const result = run(events, { rules: { repeatViewer: { minStories: 20 } } });
		expect(result.viewers[0].stats.distinctStories).toBe(20);
		expect(result.viewers[0].reasons).toEqual(['viewed 20 stories in 7 days']);
	});

	it('counts distinct stories exactly in every storage a viewer can move through (list, bitset, pair table)', () => {
		// Story ids follow first appearance: the seeder's 300 views come first, so story stN has id N.
		const seeder = Array.from({ length: 300 }, (_, s) => view('seeder', `st${s}`, 1000));
		const twice = (viewer: string, stories: number[]) =>
			[...stories, ...stories].map((s, k) => view(viewer, `st${s}`, 2000 + k));
		const range = (from: number, count: number) => Array.from({ length: count }, (_, k) => from + k);
		const plan: Record<string, number[]> = {
			few: range(0, 4), // stays in the row's list
			lowMany: range(0, 120), // list, then a bitset
			lowThenHigh: [...range(0, 30), 250, 251, 299], // list, bitset, then the pair table
			highOnly: range(200, 40), // list, then straight to the pair table
		};
		const events = [...seeder, ...Object.entries(plan).flatMap(([viewer, stories]) => twice(viewer, stories))];
		for (const order of [events, shuffle(events.slice(300), 11)]) {
			const result = byKey(run(order === events ? events : [...seeder, ...order]).viewers);
			expect(result.seeder.stats.distinctStories).toBe(300);
			for (const [viewer, stories] of Object.entries(plan)) {
				expect([viewer, result[viewer].stats.distinctStories]).toEqual([viewer, stories.length]);
			}
		}
	});

	it('says "1 day" for a one-day window', () => {
		const result = run([view('a', 's1', 1000)], { windowDays: 1, rules: { repeatViewer: { minStories: 1 } } });
		expect(result.viewers[0].reasons).toEqual(['viewed 1 story in 1 day']);
	});
});

describe('profile visitor', () => {
	it('matches a profile visit or a link click at the minimum, and can ignore link clicks', () => {
		const events = [
			ev('visitor', 'profile_visit', DAY),
			ev('clicker', 'link_click', DAY),
			ev('both', 'profile_visit', DAY),
			ev('both', 'link_click', DAY),
			view('none', 's1'),
		];
		const on = byKey(run(events, { rules: { profileVisitor: { minVisits: 1, countLinkClicks: true } } }).viewers);
		expect(on.visitor.reasons).toEqual(['visited the profile 1 time in 7 days']);
		expect(on.clicker.segments).toEqual(['profileVisitor']);
		expect(on.both.reasons).toEqual(['visited the profile 1 time and clicked a link 1 time in 7 days']);
		expect(on.none.segments).toEqual([]);
		const two = byKey(run(events, { rules: { profileVisitor: { minVisits: 2, countLinkClicks: true } } }).viewers);
		expect(two.visitor.segments).toEqual([]);
		expect(two.both.segments).toEqual(['profileVisitor']);
		const noClicks = byKey(run(events, { rules: { profileVisitor: { minVisits: 1, countLinkClicks: false } } }).viewers);
		expect(noClicks.clicker.segments).toEqual([]);
		expect(noClicks.both.reasons).toEqual(['visited the profile 1 time in 7 days']);
	});
});

describe('high engagement', () => {
	const rules = {
		highEngagement: {
			eventTypes: ['story_reply', 'reaction', 'story_mention', 'message', 'postback'] as const,
			minInteractions: 2,
		},
	};
	it('needs the minimum number of interactions of the chosen types', () => {
		const result = byKey(
			run(
				[
					ev('one', 'reaction', DAY),
					ev('one', 'comment', DAY),
					ev('two', 'story_reply', DAY),
					ev('two', 'reaction', 2 * DAY),
					ev('two', 'reaction', 3 * DAY),
				],
				{ rules: { highEngagement: { ...rules.highEngagement, eventTypes: [...rules.highEngagement.eventTypes] } } },
			).viewers,
		);
		expect(result.one.segments).toEqual([]);
		expect(result.two.segments).toEqual(['highEngagement']);
		expect(result.two.reasons).toEqual(['replied to a story 1 time, reacted to a story 2 times in 7 days']);
	});

	it('tells whether the viewer engaged after a view', () => {
		const rule = { highEngagement: { eventTypes: ['message' as const], minInteractions: 1 } };
		const result = byKey(
			run(
				[
					view('after', 's1', 3 * DAY),
					ev('after', 'message', 2 * DAY),
					ev('before', 'message', 3 * DAY),
					view('before', 's1', 2 * DAY),
					view('same', 's1', DAY),
					ev('same', 'message', DAY),
				],
				{ rules: rule },
			).viewers,
		);
		expect(result.after.stats.engagedAfterView).toBe(true);
		expect(result.after.reasons).toEqual(['sent a message 1 time in 7 days, after viewing a story']);
		expect(result.before.stats.engagedAfterView).toBe(false);
		expect(result.before.reasons).toEqual(['sent a message 1 time in 7 days']);
		expect(result.same.stats.engagedAfterView).toBe(true);
	});
});

describe('language or place', () => {
	it('matches a language prefix on the locale, case and separator insensitive', () => {
		const result = byKey(
			run(
				[
					view('de', 's1', DAY, { locale: 'de_DE' }),
					view('at', 's1', DAY, { locale: 'DE-at' }),
					view('plain', 's1', DAY, { locale: 'de' }),
					view('den', 's1', DAY, { locale: 'den' }),
					view('fr', 's1', DAY, { locale: 'fr_FR' }),
					view('none', 's1'),
				],
				{ rules: { languagePlace: { field: 'locale', values: ['de', 'fr-CH'], match: 'prefix' } } },
			).viewers,
		);
		expect(result.de.reasons).toEqual(['locale "de_DE" matches "de"']);
		expect(result.at.segments).toEqual(['languagePlace']);
		expect(result.plain.segments).toEqual(['languagePlace']);
		expect(result.den.segments).toEqual([]);
		expect(result.fr.segments).toEqual([]);
		expect(result.none.segments).toEqual([]);
		expect(result.none.stats.locale).toBeNull();
	});

	it('exact mode needs the whole value', () => {
		const result = byKey(
			run([view('at', 's1', DAY, { locale: 'de_AT' }), view('de', 's1', DAY, { locale: 'de_DE' })], {
				rules: { languagePlace: { field: 'locale', values: ['de-at'], match: 'exact' } },
			}).viewers,
		);
		expect(result.at.segments).toEqual(['languagePlace']);
		expect(result.de.segments).toEqual([]);
	});

	it('reads a mapped field, taking the latest value (ties: the larger eventId), in any input order', () => {
		const events = [
			view('anna', 's1', 3 * DAY, { extra: { country: 'FR' } }),
			view('anna', 's2', DAY, { eventId: 'ev_b', extra: { country: 'AT' } }),
			view('anna', 's3', DAY, { eventId: 'ev_a', extra: { country: 'FR' } }),
			view('anna', 's4', 0.5 * DAY),
		];
		const rules = { languagePlace: { field: 'extra.country', values: ['at'], match: 'exact' as const } };
		for (const order of [events, events.slice().reverse(), shuffle(events, 5)]) {
			const viewer = run(order, { rules }).viewers[0];
			expect(viewer.reasons).toEqual(['extra.country "AT" matches "at"']);
		}
	});
});

describe('top X % by score', () => {
	const weights = { view: 1 };
	it('takes ceil(X % of the scored viewers), and skips zero scores', () => {
		const events = [];
		for (let v = 0; v < 25; v++) for (let k = 0; k <= v; k++) events.push(view(`v${String(v).padStart(2, '0')}`, `s${k}`, DAY));
		events.push(ev('zero', 'story_insights', DAY));
		const result = run(events, { weights, rules: { topScore: { topPercent: 10 } } });
		const top = result.viewers.filter((v) => v.segments.includes('topScore')).map((v) => v.viewerKey);
		expect(top).toEqual(['v24', 'v23', 'v22']);
		expect(result.viewers[0].reasons).toEqual(['score 25 is in the top 10 % (rank 1 of 25)']);
		const zero = byKey(result.viewers).zero;
		expect(zero.score).toBe(0);
		expect(zero.rank).toBeNull();
		expect(result.viewers[result.viewers.length - 1].viewerKey).toBe('zero');
	});

	it('breaks ties at the cut by lastSeen desc, then viewerKey asc', () => {
		// 20 viewers: one with score 3, then three tied at 2 for the second place; 10 % = 2 viewers.
		const events = [view('leader', 's1'), view('leader', 's2'), view('leader', 's3')];
		events.push(view('tieOld', 's1', 2 * DAY), view('tieOld', 's2', 2 * DAY));
		events.push(view('tieB', 's1', DAY), view('tieB', 's2', DAY));
		events.push(view('tieA', 's1', DAY), view('tieA', 's2', DAY));
		for (let v = 0; v < 16; v++) events.push(view(`low${v}`, 's1', 3 * DAY));
		for (const order of [events, events.slice().reverse(), shuffle(events, 9)]) {
			const result = run(order, { weights, rules: { topScore: { topPercent: 10 } } });
			expect(result.viewers.slice(0, 5).map((v) => [v.viewerKey, v.rank, v.segments])).toEqual([
				['leader', 1, ['topScore']],
				['tieA', 2, ['topScore']],
				['tieB', 3, []],
				['tieOld', 4, []],
				['low0', 5, []],
			]);
		}
	});

	it('sums integer micro-units, so fractional weights give the same score in any order', () => {
		const events = Array.from({ length: 30 }, (_, i) => view('a', `s${i}`, i * 1000));
		const scores = [events, events.slice().reverse(), shuffle(events, 1)].map(
			(order) => run(order, { weights: { view: 0.1 } }).viewers[0].score,
		);
		expect(scores).toEqual([3, 3, 3]);
	});

	it('halves an event one half-life old, and keeps the score order-independent', () => {
		const result = run([view('a', 's1', 0), view('b', 's1', 2 * DAY), view('c', 's1', 4 * DAY)], {
			weights,
			halfLifeDays: 2,
		});
		expect(result.viewers.map((v) => [v.viewerKey, v.score])).toEqual([
			['a', 1],
			['b', 0.5],
			['c', 0.25],
		]);
	});
});

describe('possible bot', () => {
	const rules = {
		possibleBot: { maxFollowers: 0, minSignals: 2, signals: ['noFollowers', 'emptyBio', 'noProfilePic'] as const },
		highEngagement: { eventTypes: ['reaction' as const], minInteractions: 1 },
		topScore: { topPercent: 100 },
	};
	const run2 = (events: unknown[], minSignals = 2) =>
		byKey(
			run(events, {
				rules: { ...rules, possibleBot: { ...rules.possibleBot, signals: [...rules.possibleBot.signals], minSignals } },
			}).viewers,
		);

	it('flags two signals from extra, excludes the viewer from other segments and from the ranking', () => {
		const result = run2([
			ev('bot', 'reaction', DAY, { extra: { followerCount: 0, bio: '  ' } }),
			ev('oneSignal', 'reaction', DAY, { extra: { followerCount: 0, bio: 'I post cats' } }),
			ev('human', 'reaction', DAY),
		]);
		expect(result.bot.segments).toEqual(['possibleBot']);
		expect(result.bot.reasons).toEqual(['possible bot: 0 followers, empty bio (excluded from other segments)']);
		expect(result.bot.rank).toBeNull();
		expect(result.oneSignal.segments).toEqual(['highEngagement', 'topScore']);
		// Same score and lastSeen: viewerKey ascending decides.
		expect([result.human.rank, result.oneSignal.rank]).toEqual([1, 2]);
	});

	it('reads signals from the item top level and the aliases biography / hasProfilePic', () => {
		const result = run2([
			ev('top', 'view', DAY, { followerCount: '0', biography: '' }),
			ev('pic', 'view', DAY, { extra: { hasProfilePic: false, biography: '' } }),
			ev('picString', 'view', DAY, { hasProfilePic: 'false', followerCount: 0 }),
		]);
		expect(result.top.segments).toEqual(['possibleBot']);
		expect(result.pic.reasons).toEqual(['possible bot: empty bio, no profile picture (excluded from other segments)']);
		expect(result.picString.segments).toEqual(['possibleBot']);
	});

	it('uses the latest profile values and the follower threshold', () => {
		const events = [
			ev('grew', 'view', 3 * DAY, { extra: { followerCount: 0, bio: '' } }),
			ev('grew', 'view', DAY, { extra: { followerCount: 120 } }),
		];
		expect(run2(events).grew.segments).toEqual(['topScore']);
		expect(run2(events, 1).grew.reasons).toEqual(['possible bot: empty bio (excluded from other segments)']);
		const few = run(
			[ev('few', 'view', DAY, { extra: { followerCount: 4 } })],
			{ rules: { possibleBot: { maxFollowers: 5, minSignals: 1, signals: ['noFollowers'] } } },
		);
		expect(few.viewers[0].reasons).toEqual(['possible bot: 4 followers (excluded from other segments)']);
	});
});

describe('custom segments', () => {
	it('ANDs conditions of one segment over event paths and aggregates', () => {
		const events = [
			view('berlinFan', 's1', DAY, { extra: { city: 'berlin' } }),
			view('berlinFan', 's2', DAY),
			view('berliner', 's1', DAY, { extra: { city: 'Berlin' } }),
			view('parisian', 's1', DAY, { extra: { city: 'Paris' } }),
			ev('parisian', 'reaction', DAY),
		];
		const result = byKey(
			run(events, {
				weights: { view: 1, reaction: 3 },
				rules: {
					custom: {
						caseSensitive: false,
						conditions: [
							{ segment: 'berlinRepeat', field: 'extra.city', operation: 'equals', value: 'Berlin' },
							{ segment: 'berlinRepeat', field: 'stats.distinctStories', operation: 'gte', value: '2' },
							{ segment: 'reactors', field: 'stats.events.reaction', operation: 'gt', value: '0' },
							{ segment: 'big', field: 'score', operation: 'gte', value: '4' },
							{ segment: 'noCity', field: 'extra.city', operation: 'notExists', value: '' },
							{ segment: 'cities', field: 'extra.city', operation: 'oneOf', value: 'Paris, Rome' },
						],
					},
				},
			}).viewers,
		);
		expect(result.berlinFan.segments).toEqual(['berlinRepeat']);
		expect(result.berlinFan.reasons).toEqual([
			'berlinRepeat: extra.city is "Berlin" ("berlin") and stats.distinctStories is at least "2" ("2")',
		]);
		expect(result.berliner.segments).toEqual([]);
		expect(result.parisian.segments).toEqual(['reactors', 'big', 'cities']);
	});

	it('compares case when asked', () => {
		const result = run([view('a', 's1', DAY, { extra: { city: 'berlin' } })], {
			rules: {
				custom: {
					caseSensitive: true,
					conditions: [{ segment: 'berlin', field: 'extra.city', operation: 'equals', value: 'Berlin' }],
				},
			},
		});
		expect(result.viewers[0].segments).toEqual([]);
	});
});

describe('output', () => {
	it('gives full stats, the As-of order and segments in priority order', () => {
		const result = run(
			[
				view('anna', 's1', 2 * DAY, { locale: 'de_DE' }),
				view('anna', 's2', DAY),
				view('anna', 's3', DAY),
				ev('anna', 'profile_visit', DAY),
				ev('anna', 'story_reply', 0.5 * DAY, { storyId: 's3' }),
			],
			{
				rules: {
					repeatViewer: { minStories: 3 },
					profileVisitor: { minVisits: 1, countLinkClicks: true },
					highEngagement: { eventTypes: ['story_reply'], minInteractions: 1 },
					topScore: { topPercent: 10 },
					languagePlace: { field: 'locale', values: ['de'], match: 'prefix' },
					possibleBot: { maxFollowers: 0, minSignals: 2, signals: ['noFollowers', 'emptyBio'] },
				},
			},
		);
		expect(result.segmentOrder).toEqual([
			'highEngagement',
			'profileVisitor',
			'repeatViewer',
			'topScore',
			'languagePlace',
			'possibleBot',
		]);
		expect(result.viewers).toEqual([
			{
				viewerKey: 'anna',
				viewerKeyType: 'handle',
				segments: ['highEngagement', 'profileVisitor', 'repeatViewer', 'topScore', 'languagePlace'],
				score: 11,
				rank: 1,
				stats: {
					distinctStories: 3,
					events: { view: 3, story_reply: 1, profile_visit: 1 },
					eventsInWindow: 5,
					ignoredOutsideWindow: 0,
					firstSeen: new Date(AS_OF_MS - 2 * DAY).toISOString(),
					lastSeen: new Date(AS_OF_MS - 0.5 * DAY).toISOString(),
					engagedAfterView: true,
					locale: 'de_DE',
				},
				reasons: [
					'replied to a story 1 time in 7 days, after viewing a story',
					'visited the profile 1 time in 7 days',
					'viewed 3 stories in 7 days',
					'score 11 is in the top 10 % (rank 1 of 1)',
					'locale "de_DE" matches "de"',
				],
				items: [],
				itemCount: 0,
			},
		]);
		expect(result.summary.segments).toEqual({
			highEngagement: 1,
			profileVisitor: 1,
			repeatViewer: 1,
			topScore: 1,
			languagePlace: 1,
			possibleBot: 0,
		});
	});

	it('keeps a viewer key per key type apart', () => {
		const result = run([view('x', 's1'), view('x', 's1', DAY, { viewerKeyType: 'igsid' })]);
		// Same score, lastSeen and key: the key type order igsid, handle, pseudonym decides.
		expect(result.viewers.map((v) => v.viewerKeyType)).toEqual(['igsid', 'handle']);
	});

	it('lists contributing input indexes up to the cap, counting all', () => {
		const events = [view('a', 's1'), view('b', 's1'), view('a', 's2'), view('a', 's3', WINDOW + DAY), view('a', 's4')];
		const a = byKey(run(events, { maxItemsPerViewer: 3 }).viewers).a;
		expect(a.items).toEqual([0, 2, 3]);
		expect(a.itemCount).toBe(4);
	});

	it('is byte-identical for shuffled input with the same As of', () => {
		const rand = rng(42);
		const types = ['view', 'view', 'view', 'reaction', 'story_reply', 'profile_visit', 'link_click', 'message'] as const;
		const events = Array.from({ length: 3000 }, (_, i) => {
			const v = Math.floor(rand() * 150);
			return ev(`viewer${v}`, types[Math.floor(rand() * types.length)], Math.floor(rand() * 9 * DAY) - DAY, {
				eventId: `e${i}`,
				storyId: `s${Math.floor(rand() * 12)}`,
				locale: ['de_DE', 'en_US', 'fr_FR'][v % 3],
				...(i % 7 === 0 ? { extra: { followerCount: v % 4, bio: v % 5 === 0 ? '' : 'x', city: v % 2 ? 'Berlin' : 'Rome' } } : {}),
			});
		});
		const all: Partial<SegmentOptions> = {
			halfLifeDays: 1.5,
			rules: {
				repeatViewer: { minStories: 3 },
				profileVisitor: { minVisits: 1, countLinkClicks: true },
				highEngagement: { eventTypes: ['reaction', 'story_reply', 'message'], minInteractions: 2 },
				languagePlace: { field: 'locale', values: ['de'], match: 'prefix' },
				topScore: { topPercent: 10 },
				possibleBot: { maxFollowers: 1, minSignals: 2, signals: ['noFollowers', 'emptyBio', 'noProfilePic'] },
				custom: { caseSensitive: false, conditions: [{ segment: 'berlin', field: 'extra.city', operation: 'equals', value: 'berlin' }] },
			},
		};
		const first = JSON.stringify(run(events, all));
		for (const seed of [1, 2, 3]) expect(JSON.stringify(run(shuffle(events, seed), all))).toBe(first);
		const parsed = JSON.parse(first) as { summary: { segments: Record<string, number> } };
		for (const count of Object.values(parsed.summary.segments)) expect(count).toBeGreaterThan(0);
	});
});

describe('invalid events and options', () => {
	it('collects invalid events with their index and reason, and still processes the rest', () => {
		const result = run([view('a', 's1'), { viewerKey: 'x' }, view('a', 's2'), { ...view('b', 's1'), occurredAt: '2026-02-30T00:00:00Z' }]);
		expect(result.invalid.map((i) => i.index)).toEqual([1, 3]);
		expect(result.invalid[1].reason).toBe('occurredAt: is not a real date and time');
		expect(result.invalid[0].reason).toContain('eventId');
		expect(result.viewers.map((v) => [v.viewerKey, v.stats.distinctStories])).toEqual([['a', 2]]);
		expect(result.summary).toMatchObject({ events: 4, invalid: 2, inWindow: 2 });
	});

	it('stops at the first invalid event when asked', () => {
		const result = run([{}, view('a', 's1'), {}], { stopOnInvalid: true });
		expect(result.invalid).toHaveLength(1);
	});

	it('gives no viewers for no events', () => {
		const result = run([]);
		expect(result.viewers).toEqual([]);
		expect(result.summary.events).toBe(0);
	});

	it('refuses unusable options with readable reasons', () => {
		const errors = validateSegmentOptions(
			options({
				windowDays: 0,
				rules: {
					topScore: { topPercent: 0 },
					languagePlace: { field: 'locale', values: [], match: 'prefix' },
					custom: {
						caseSensitive: false,
						conditions: [
							{ segment: 'topScore', field: 'x', operation: 'equals', value: '' },
							{ segment: 'bad name', field: '', operation: 'gt', value: 'abc' },
						],
					},
				},
			}),
		);
		expect(errors).toEqual([
			'Window (days) must be a number greater than 0',
			'Language or place: list at least one value, e.g. "de, fr-CH"',
			'Top score: the percentage must be more than 0 and at most 100',
			'Custom segment condition 1: "topScore" is a built-in name; choose another',
			'Custom segment condition 2: the segment name "bad name" must be a machine name (letters, digits, _)',
			'Custom segment condition 2: the field is empty',
			'Custom segment condition 2: "abc" is not a number',
		]);
		expect(() => run([], { windowDays: -1 })).toThrow('Window (days) must be a number greater than 0');
	});
});
