import {
	DISENGAGED,
	ENGAGED,
	INACTIVE,
	PRESETS,
	RECENT_ACTIVITY,
	TaggerConfigError,
	compileTagger,
	evaluateContact,
	parseTimestampMs,
	readTags,
	thresholdsFor,
	tierMask,
	type PresetName,
} from '../../../nodes/core/engagement';
import { DAY_MS, parseInstant } from '../../../nodes/core/time/instant';

const AS_OF = Date.parse('2026-11-22T09:00:00.000Z');
const E = 'Engaged';
const R = 'Recent Activity';
const D = 'Disengaged';
const I = 'Inactive';

interface Row {
	/** Elapsed time since the last engagement, in ms. */
	elapsed: number;
	label: string;
	tier: string;
	days: number;
	/** The tags the daily run finds (those of the tier just before this moment). */
	current: string[];
	tags: string[];
	add: string[];
	remove: string[];
}

/** The boundary table of a preset: just before and exactly at every threshold. */
function table(recent: number, engaged: number, inactive: number): Row[] {
	const ms = (d: number) => d * DAY_MS;
	return [
		{
			elapsed: 0,
			label: 'day 0 (engaged now)',
			tier: 'recentActivity',
			days: 0,
			current: [D, I],
			tags: [E, R],
			add: [E, R],
			remove: [D, I],
		},
		{
			elapsed: ms(1),
			label: 'day 1',
			tier: 'recentActivity',
			days: 1,
			current: [E, R],
			tags: [E, R],
			add: [],
			remove: [],
		},
		{
			elapsed: ms(recent) - 1,
			label: `just before day ${recent}`,
			tier: 'recentActivity',
			days: recent - 1,
			current: [E, R],
			tags: [E, R],
			add: [],
			remove: [],
		},
		{
			elapsed: ms(recent),
			label: `day ${recent}`,
			tier: 'engaged',
			days: recent,
			current: [E, R],
			tags: [E],
			add: [],
			remove: [R],
		},
		{
			elapsed: ms(engaged) - 1,
			label: `just before day ${engaged}`,
			tier: 'engaged',
			days: engaged - 1,
			current: [E],
			tags: [E],
			add: [],
			remove: [],
		},
		{
			elapsed: ms(engaged),
			label: `day ${engaged}`,
			tier: 'disengaged',
			days: engaged,
			current: [E],
			tags: [D],
			add: [D],
			remove: [E],
		},
		{
			elapsed: ms(inactive) - 1,
			label: `just before day ${inactive}`,
			tier: 'disengaged',
			days: inactive - 1,
			current: [D],
			tags: [D],
			add: [],
			remove: [],
		},
		{
			elapsed: ms(inactive),
			label: `day ${inactive}`,
			tier: 'inactive',
			days: inactive,
			current: [D],
			tags: [I],
			add: [I],
			remove: [D],
		},
		{
			elapsed: ms(400),
			label: 'day 400',
			tier: 'inactive',
			days: 400,
			current: [I],
			tags: [I],
			add: [],
			remove: [],
		},
	];
}

const presets: Array<[PresetName, Row[]]> = [
	['elapsed', table(7, 21, 30)],
	['consecutiveWaits', table(7, 28, 58)],
];

describe.each(presets)('preset %s: days since last engagement → tags and diff', (preset, rows) => {
	const tagger = compileTagger({ thresholds: thresholdsFor(preset) });

	it.each(rows)('$label', (row) => {
		const result = evaluateContact(tagger, AS_OF - row.elapsed, AS_OF, row.current);
		expect(result.tier).toBe(row.tier);
		expect(result.daysSinceEngagement).toBe(row.days);
		expect(result.tags).toEqual(row.tags);
		expect(result.tagsToAdd).toEqual(row.add);
		expect(result.tagsToRemove).toEqual(row.remove);
		expect(result.changed).toBe(row.add.length + row.remove.length > 0);
		expect(result.future).toBe(false);
	});

	it.each(rows)('$label with unknown current tags: the full recipe change', (row) => {
		const result = evaluateContact(tagger, AS_OF - row.elapsed, AS_OF, undefined);
		expect(result.tags).toEqual(row.tags);
		expect(result.tagsToAdd).toEqual(row.tags);
		expect(result.tagsToRemove).toEqual([E, R, D, I].filter((t) => !row.tags.includes(t)));
		expect(result.changed).toBe(true);
		expect(result.tagsKnown).toBe(false);
	});
});

describe('presets', () => {
	it('reads the recipe waits as elapsed (7/21/30) or consecutive (7/28/58)', () => {
		expect(PRESETS.elapsed).toEqual({ recentActivityDays: 7, engagedDays: 21, inactiveDays: 30 });
		expect(PRESETS.consecutiveWaits).toEqual({
			recentActivityDays: 7,
			engagedDays: 28,
			inactiveDays: 58,
		});
	});

	it('on day 25 the presets disagree: Disengaged (elapsed) vs still Engaged (consecutive waits)', () => {
		const last = AS_OF - 25 * DAY_MS;
		expect(
			evaluateContact(compileTagger({ thresholds: thresholdsFor('elapsed') }), last, AS_OF, [])
				.tags,
		).toEqual([D]);
		expect(
			evaluateContact(
				compileTagger({ thresholds: thresholdsFor('consecutiveWaits') }),
				last,
				AS_OF,
				[],
			).tags,
		).toEqual([E]);
	});

	it('custom thresholds fill gaps from the elapsed preset', () => {
		expect(thresholdsFor('custom', { engagedDays: 14 })).toEqual({
			recentActivityDays: 7,
			engagedDays: 14,
			inactiveDays: 30,
		});
	});
});

describe('tags outside the four', () => {
	const tagger = compileTagger();

	it('are kept in tags and never appear in tagsToAdd or tagsToRemove', () => {
		const result = evaluateContact(tagger, AS_OF - 22 * DAY_MS, AS_OF, ['VIP', E, R, 'newsletter']);
		expect(result.tags).toEqual(['VIP', 'newsletter', D]);
		expect(result.tagsToAdd).toEqual([D]);
		expect(result.tagsToRemove).toEqual([E, R]);
	});

	it('leave an unchanged contact unchanged', () => {
		const result = evaluateContact(tagger, AS_OF - 2 * DAY_MS, AS_OF, ['VIP', R, E]);
		expect(result.changed).toBe(false);
		expect(result.tagsToAdd).toEqual([]);
		expect(result.tagsToRemove).toEqual([]);
		expect([...result.tags].sort()).toEqual(['VIP', R, E].sort());
	});

	it('match managed tags case-insensitively and remove them with the spelling the contact has', () => {
		const result = evaluateContact(tagger, AS_OF - 8 * DAY_MS, AS_OF, [
			'engaged',
			'Recent activity',
			'Lead',
		]);
		expect(result.tagsToRemove).toEqual(['Recent activity']);
		expect(result.tagsToAdd).toEqual([]);
		expect(result.tags).toEqual(['engaged', 'Lead']);
	});

	it('use the edited tag names and treat the default names as ordinary tags', () => {
		const custom = compileTagger({
			tagNames: {
				engaged: 'Aktiv',
				recentActivity: 'Neu aktiv',
				disengaged: 'Passiv',
				inactive: 'Inaktiv',
			},
		});
		const result = evaluateContact(custom, AS_OF - 1 * DAY_MS, AS_OF, [I, 'Inaktiv']);
		expect(result.tagsToAdd).toEqual(['Aktiv', 'Neu aktiv']);
		expect(result.tagsToRemove).toEqual(['Inaktiv']);
		expect(result.tags).toEqual([I, 'Aktiv', 'Neu aktiv']);
	});

	it('reuses arrays: an unchanged contact keeps its own array, changed ones share frozen diff arrays', () => {
		const current = [E, 'VIP'];
		const unchanged = evaluateContact(tagger, AS_OF - 10 * DAY_MS, AS_OF, current);
		expect(unchanged.tags).toBe(current);
		const a = evaluateContact(tagger, AS_OF - 22 * DAY_MS, AS_OF, [E]);
		const b = evaluateContact(tagger, AS_OF - 23 * DAY_MS, AS_OF, [E]);
		expect(a.tags).toBe(b.tags);
		expect(a.tagsToAdd).toBe(b.tagsToAdd);
		expect(a.tagsToRemove).toBe(b.tagsToRemove);
		expect(Object.isFrozen(a.tagsToRemove)).toBe(true);
	});
});

describe('the unchanged fast path', () => {
	const tagger = compileTagger();

	it('accepts the tier tags in any order', () => {
		const current = [R, E];
		const result = evaluateContact(tagger, AS_OF - DAY_MS, AS_OF, current);
		expect(result.changed).toBe(false);
		expect(result.tags).toBe(current);
	});

	it('does not mistake a duplicated tag for the tier set', () => {
		const result = evaluateContact(tagger, AS_OF - DAY_MS, AS_OF, [E, E]);
		expect(result.tagsToAdd).toEqual([R]);
		expect(result.tagsToRemove).toEqual([]);
		expect(result.tags).toEqual([E, R]);
	});

	it('a never-engaged contact without tags stays unchanged', () => {
		const result = evaluateContact(tagger, undefined, AS_OF, []);
		expect(result.changed).toBe(false);
		expect(result.tags).toEqual([]);
	});
});

describe('never-engaged contacts', () => {
	it('get no managed tag by default (and lose any they had)', () => {
		const result = evaluateContact(compileTagger(), undefined, AS_OF, ['VIP', E]);
		expect(result.tier).toBe('neverEngaged');
		expect(result.daysSinceEngagement).toBeNull();
		expect(result.tags).toEqual(['VIP']);
		expect(result.tagsToRemove).toEqual([E]);
		expect(result.tagsToAdd).toEqual([]);
	});

	it('get Inactive when chosen', () => {
		const result = evaluateContact(
			compileTagger({ neverEngaged: 'inactive' }),
			undefined,
			AS_OF,
			[],
		);
		expect(result.tags).toEqual([I]);
		expect(result.tagsToAdd).toEqual([I]);
	});

	it('keep what they have with "keep"', () => {
		const result = evaluateContact(compileTagger({ neverEngaged: 'keep' }), undefined, AS_OF, [
			D,
			'VIP',
		]);
		expect(result.tags).toEqual([D, 'VIP']);
		expect(result.changed).toBe(false);
	});
});

describe('a last engagement after As of', () => {
	it('is treated as As of and flagged', () => {
		const result = evaluateContact(compileTagger(), AS_OF + 3 * DAY_MS, AS_OF, [I]);
		expect(result.future).toBe(true);
		expect(result.daysSinceEngagement).toBe(0);
		expect(result.tier).toBe('recentActivity');
		expect(result.tagsToAdd).toEqual([E, R]);
		expect(result.tagsToRemove).toEqual([I]);
	});
});

describe('configuration', () => {
	it.each([
		[{ thresholds: { recentActivityDays: 10, engagedDays: 7, inactiveDays: 30 } }, 'thresholds'],
		[{ thresholds: { recentActivityDays: 7, engagedDays: 31, inactiveDays: 30 } }, 'thresholds'],
		[
			{ thresholds: { recentActivityDays: 0, engagedDays: 21, inactiveDays: 30 } },
			'recentActivityDays',
		],
		[
			{
				tagNames: { engaged: 'Engaged', recentActivity: 'engaged', disengaged: 'D', inactive: 'I' },
			},
			'tagNames',
		],
		[
			{ tagNames: { engaged: ' ', recentActivity: 'R', disengaged: 'D', inactive: 'I' } },
			'tagNames',
		],
	])('rejects %j', (settings, field) => {
		expect(() => compileTagger(settings)).toThrow(TaggerConfigError);
		try {
			compileTagger(settings);
		} catch (error) {
			expect((error as TaggerConfigError).field).toBe(field);
		}
	});
});

describe('timestamps', () => {
	it('reads the schema shape fast and refuses impossible dates and anything before 2000', () => {
		expect(parseTimestampMs('2026-11-22T10:00:00.5Z')).toBe(Date.parse('2026-11-22T10:00:00.500Z'));
		// Before 2000 is outside every reader's range (time/instant.ts), in the fast path too.
		expect(parseTimestampMs('0000-01-01T00:00:00Z')).toBeUndefined();
		expect(parseTimestampMs('1999-12-31T23:59:59.999Z')).toBeUndefined();
		// An impossible date is refused by every reader (Date.parse alone would roll it over to March).
		expect(parseTimestampMs('2026-02-30T00:00:00Z')).toBeUndefined();
		expect(parseInstant('2026-02-30T00:00:00+01:00')).toBeUndefined();
	});

	it('falls back to the general parser for offsets and epoch values', () => {
		expect(parseTimestampMs('2026-11-22T10:00:00+01:00')).toBe(Date.parse('2026-11-22T09:00:00Z'));
		expect(parseTimestampMs(1_700_000_000)).toBe(1_700_000_000_000);
		expect(parseTimestampMs('2024-02-29T12:00:00.000Z')).toBe(Date.parse('2024-02-29T12:00:00Z'));
		expect(parseTimestampMs('yesterday')).toBeUndefined();
	});
});

describe('reading tags', () => {
	it.each([
		[undefined, undefined],
		[null, undefined],
		['', []],
		['Engaged, VIP;Recent Activity', ['Engaged', 'VIP', 'Recent Activity']],
		[
			['Engaged', 'VIP'],
			['Engaged', 'VIP'],
		],
		[
			[{ name: 'Engaged' }, { tag: 'VIP' }, 7, {}],
			['Engaged', 'VIP', '7'],
		],
	])('%j → %j', (value, expected) => expect(readTags(value)).toEqual(expected));
});

describe('module constants', () => {
	it('the tag bits used by the evaluation match config', () => {
		// tiers.ts keeps local copies; tierMask exposes them.
		expect([
			tierMask('recentActivity'),
			tierMask('engaged'),
			tierMask('disengaged'),
			tierMask('inactive'),
			tierMask('neverEngaged'),
		]).toEqual([ENGAGED | RECENT_ACTIVITY, ENGAGED, DISENGAGED, INACTIVE, 0]);
	});
});
