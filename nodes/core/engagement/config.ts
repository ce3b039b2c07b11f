import { DAY_MS } from '../time/instant';

/**
 * Settings of the engagement tagging recipe (ActiveCampaign's "Engagement Tagging" Part 1 and Part 2,
 * reference engagement-consent-cadence.md §1) and their compiled, ready-to-run form.
 */

/** Days since the last engagement at which each tag changes. */
export interface Thresholds {
	/** `Recent Activity` holds while the elapsed time is below this. */
	recentActivityDays: number;
	/** `Engaged` holds below this; `Disengaged` from here. */
	engagedDays: number;
	/** `Inactive` from here on. */
	inactiveDays: number;
}

export type PresetName = 'elapsed' | 'consecutiveWaits';

/**
 * `elapsed`: the recipe's "after 7 / 21 / 30 days" read as time since the last engagement.
 * `consecutiveWaits`: the same waits read as consecutive Wait steps (7, then 21 more, then 30 more).
 */
export const PRESETS: Readonly<Record<PresetName, Readonly<Thresholds>>> = Object.freeze({
	elapsed: Object.freeze({ recentActivityDays: 7, engagedDays: 21, inactiveDays: 30 }),
	consecutiveWaits: Object.freeze({ recentActivityDays: 7, engagedDays: 28, inactiveDays: 58 }),
});

export interface TagNames {
	engaged: string;
	recentActivity: string;
	disengaged: string;
	inactive: string;
}

export const DEFAULT_TAG_NAMES: Readonly<TagNames> = Object.freeze({
	engaged: 'Engaged',
	recentActivity: 'Recent Activity',
	disengaged: 'Disengaged',
	inactive: 'Inactive',
});

/** What a contact with no engagement at all should carry. */
export type NeverEngagedPolicy = 'noTag' | 'inactive' | 'keep';
export const NEVER_ENGAGED_POLICIES: readonly NeverEngagedPolicy[] = ['noTag', 'inactive', 'keep'];

export interface TaggerSettings {
	thresholds: Thresholds;
	tagNames: TagNames;
	neverEngaged: NeverEngagedPolicy;
}

/** Bits of the four managed tags, in their canonical output order. */
export const ENGAGED = 1;
export const RECENT_ACTIVITY = 2;
export const DISENGAGED = 4;
export const INACTIVE = 8;
export const ALL_MANAGED = 15;

export type Tier = 'recentActivity' | 'engaged' | 'disengaged' | 'inactive' | 'neverEngaged';

export interface CompiledTagger {
	readonly settings: Readonly<TaggerSettings>;
	/** Canonical names by bit position (0 = Engaged, 1 = Recent Activity, 2 = Disengaged, 3 = Inactive). */
	readonly names: readonly string[];
	/** The same names trimmed and lower-cased, for case-insensitive matching. */
	readonly lowerNames: readonly string[];
	readonly recentMs: number;
	readonly engagedMs: number;
	readonly inactiveMs: number;
	/** Lengths of the names: a tag of another length (and no surrounding spaces) cannot match loosely. */
	readonly nameLengths: readonly number[];
	/** Canonical names for every mask 0..15, each a frozen array shared by every result that needs it. */
	readonly namesByMask: ReadonlyArray<readonly string[]>;
}

/** A settings problem: the whole run is misconfigured (the node throws it as a configuration error). */
export class TaggerConfigError extends Error {
	constructor(
		message: string,
		readonly field: string,
	) {
		super(message);
		this.name = 'TaggerConfigError';
	}
}

export function thresholdsFor(
	preset: PresetName | 'custom',
	custom?: Partial<Thresholds>,
): Thresholds {
	if (preset === 'custom') {
		return {
			recentActivityDays: custom?.recentActivityDays ?? PRESETS.elapsed.recentActivityDays,
			engagedDays: custom?.engagedDays ?? PRESETS.elapsed.engagedDays,
			inactiveDays: custom?.inactiveDays ?? PRESETS.elapsed.inactiveDays,
		};
	}
	const chosen = PRESETS[preset];
	if (!chosen) throw new TaggerConfigError(`Unknown preset "${String(preset)}"`, 'preset');
	return { ...chosen };
}

/** Validates the settings and precomputes everything the per-contact evaluation needs. */
export function compileTagger(input: Partial<TaggerSettings> = {}): CompiledTagger {
	const thresholds = input.thresholds ?? { ...PRESETS.elapsed };
	const tagNames = { ...DEFAULT_TAG_NAMES, ...(input.tagNames ?? {}) };
	const neverEngaged = input.neverEngaged ?? 'noTag';

	const { recentActivityDays: r, engagedDays: e, inactiveDays: i } = thresholds;
	for (const [field, value] of Object.entries(thresholds)) {
		if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
			throw new TaggerConfigError(
				`"${field}" must be a positive number of days, got ${String(value)}`,
				field,
			);
		}
	}
	if (!(r <= e && e <= i)) {
		throw new TaggerConfigError(
			`Thresholds must satisfy Recent Activity (${r}) <= Engaged (${e}) <= Inactive (${i}) days`,
			'thresholds',
		);
	}
	if (!NEVER_ENGAGED_POLICIES.includes(neverEngaged)) {
		throw new TaggerConfigError(
			`Unknown never-engaged policy "${String(neverEngaged)}"`,
			'neverEngaged',
		);
	}

	const names = [
		tagNames.engaged,
		tagNames.recentActivity,
		tagNames.disengaged,
		tagNames.inactive,
	].map((n) => (typeof n === 'string' ? n.trim() : ''));
	const lowerNames = names.map((n) => n.toLowerCase());
	names.forEach((name, index) => {
		if (name === '') throw new TaggerConfigError('Tag names must not be empty', 'tagNames');
		if (lowerNames.indexOf(lowerNames[index]) !== index) {
			throw new TaggerConfigError(
				`Tag name "${name}" is used twice (names are compared case-insensitively)`,
				'tagNames',
			);
		}
	});

	const namesByMask: Array<readonly string[]> = [];
	for (let mask = 0; mask <= ALL_MANAGED; mask++) {
		const list: string[] = [];
		for (let bit = 0; bit < 4; bit++) if (mask & (1 << bit)) list.push(names[bit]);
		namesByMask.push(Object.freeze(list));
	}

	return Object.freeze({
		settings: Object.freeze({
			thresholds: Object.freeze({ ...thresholds }),
			tagNames: Object.freeze({
				engaged: names[0],
				recentActivity: names[1],
				disengaged: names[2],
				inactive: names[3],
			}),
			neverEngaged,
		}),
		// The lookup arrays below are read per contact and deliberately NOT frozen: V8 (Node 20) reads elements of
		// a frozen array through a generic IC (~10 ns a read, several per contact). `readonly` guards them in TS.
		names,
		lowerNames,
		nameLengths: names.map((n) => n.length),
		recentMs: r * DAY_MS,
		engagedMs: e * DAY_MS,
		inactiveMs: i * DAY_MS,
		namesByMask,
	});
}
