import { parseInstantFast } from '../time/instant';
import type { CompiledTagger, Tier } from './config';

// Local copies of the tag bits (config.ts) and of DAY_MS: module-local constants keep the hot loop free of
// property loads on other modules' exports.
const ENGAGED = 1;
const RECENT_ACTIVITY = 2;
const DISENGAGED = 4;
const INACTIVE = 8;
const ALL_MANAGED = 15;
const DAY_MS = 86_400_000;

/** The tag set a contact should carry and the changes that get it there. */
export interface Evaluation {
	tier: Tier;
	/** Whole days since the last engagement (floor), or null when the contact never engaged. */
	daysSinceEngagement: number | null;
	/** Every tag the contact should have: its other tags untouched, plus the managed ones of its tier. */
	tags: readonly string[];
	tagsToAdd: readonly string[];
	tagsToRemove: readonly string[];
	/** True when tagsToAdd or tagsToRemove is not empty. */
	changed: boolean;
	/** The last engagement lies after "as of": it was treated as "as of". */
	future: boolean;
	/** False when the contact's current tags were not given (the diff is then the full recipe change). */
	tagsKnown: boolean;
}

const EMPTY: readonly string[] = Object.freeze([]);
const TIERS: readonly Tier[] = ['recentActivity', 'engaged', 'disengaged', 'inactive'];
const TIER_TARGETS: readonly number[] = [ENGAGED | RECENT_ACTIVITY, ENGAGED, DISENGAGED, INACTIVE];

/** The managed tags of a tier (a bit mask of ENGAGED, RECENT_ACTIVITY, DISENGAGED, INACTIVE). */
export function tierMask(tier: Tier): number {
	switch (tier) {
		case 'recentActivity':
			return ENGAGED | RECENT_ACTIVITY;
		case 'engaged':
			return ENGAGED;
		case 'disengaged':
			return DISENGAGED;
		case 'inactive':
			return INACTIVE;
		default:
			return 0;
	}
}

/** The tier for an elapsed time (ms, not negative). */
export function tierFor(tagger: CompiledTagger, elapsedMs: number): Tier {
	if (elapsedMs < tagger.recentMs) return 'recentActivity';
	if (elapsedMs < tagger.engagedMs) return 'engaged';
	if (elapsedMs < tagger.inactiveMs) return 'disengaged';
	return 'inactive';
}

/** Bit position (0..3) of a managed tag written with other case or spaces, or -1. */
function looseMatch(tagger: CompiledTagger, tag: string): number {
	const length = tag.length;
	if (length === 0) return -1;
	if (tag.charCodeAt(0) > 32 && tag.charCodeAt(length - 1) > 32) {
		// No surrounding spaces: only a tag as long as a name can match (skips the lower-casing).
		const lengths = tagger.nameLengths;
		if (
			length !== lengths[0] &&
			length !== lengths[1] &&
			length !== lengths[2] &&
			length !== lengths[3]
		)
			return -1;
	}
	const lower = tag.trim().toLowerCase();
	const lowerNames = tagger.lowerNames;
	for (let bit = 0; bit < 4; bit++) if (lowerNames[bit] === lower) return bit;
	return -1;
}

/**
 * Evaluates one contact: `lastMs` is its last engagement (epoch ms) or undefined when it never engaged;
 * `current` its current tags, or undefined when unknown. Tags other than the four managed ones are never
 * added, removed or reported in the diff. No array is allocated in the common cases: an unchanged contact's
 * `tags` is its own `current` array, and diffs use shared frozen arrays — so never mutate the result arrays.
 */
export function evaluateContact(
	tagger: CompiledTagger,
	lastMs: number | undefined,
	asOfMs: number,
	current: readonly string[] | undefined,
): Evaluation {
	if (lastMs === undefined) return evaluateNeverEngaged(tagger, current);
	let elapsed = asOfMs - lastMs;
	const future = elapsed < 0;
	if (future) elapsed = 0;
	// Branch-free tier index (0 recent … 3 inactive): tiers are random across contacts, so branches mispredict.
	const tierIndex =
		(elapsed >= tagger.recentMs ? 1 : 0) +
		(elapsed >= tagger.engagedMs ? 1 : 0) +
		(elapsed >= tagger.inactiveMs ? 1 : 0);
	const target = TIER_TARGETS[tierIndex];
	const days = Math.floor(elapsed / DAY_MS);
	// The common case of a daily run: the contact carries exactly its tier's tags (no scan, no array). Kept
	// small so it inlines into the caller; everything else is in diffTags.
	if (current !== undefined && holdsExactly(current, tagger.names, target)) {
		return {
			tier: TIERS[tierIndex],
			daysSinceEngagement: days,
			tags: current,
			tagsToAdd: EMPTY,
			tagsToRemove: EMPTY,
			changed: false,
			future,
			tagsKnown: true,
		};
	}
	return diffTags(tagger, TIERS[tierIndex], target, days, future, current);
}

/** A contact without any engagement: per the never-engaged policy, no managed tag, Inactive, or as it is. */
function evaluateNeverEngaged(
	tagger: CompiledTagger,
	current: readonly string[] | undefined,
): Evaluation {
	const policy = tagger.settings.neverEngaged;
	if (policy === 'keep') {
		return {
			tier: 'neverEngaged',
			daysSinceEngagement: null,
			tags: current ?? EMPTY,
			tagsToAdd: EMPTY,
			tagsToRemove: EMPTY,
			changed: false,
			future: false,
			tagsKnown: current !== undefined,
		};
	}
	const target = policy === 'inactive' ? INACTIVE : 0;
	if (current !== undefined && holdsExactly(current, tagger.names, target)) {
		return {
			tier: 'neverEngaged',
			daysSinceEngagement: null,
			tags: current,
			tagsToAdd: EMPTY,
			tagsToRemove: EMPTY,
			changed: false,
			future: false,
			tagsKnown: true,
		};
	}
	return diffTags(tagger, 'neverEngaged', target, null, false, current);
}

/**
 * True when `current` holds exactly the managed tags of `target` (exact spelling, any order) and nothing
 * else. Reads the plain `names` array, not the frozen arrays of `namesByMask` (slow to index in V8).
 */
function holdsExactly(current: readonly string[], names: readonly string[], target: number): boolean {
	const length = current.length;
	switch (target) {
		case ENGAGED | RECENT_ACTIVITY: {
			if (length !== 2) return false;
			const a = current[0];
			const b = current[1];
			return (a === names[0] && b === names[1]) || (a === names[1] && b === names[0]);
		}
		case ENGAGED:
			return length === 1 && current[0] === names[0];
		case DISENGAGED:
			return length === 1 && current[0] === names[2];
		case INACTIVE:
			return length === 1 && current[0] === names[3];
		default:
			return length === 0;
	}
}

/** The diff of a contact whose tags are unknown or not exactly its tier's: the changed and unusual cases. */
function diffTags(
	tagger: CompiledTagger,
	tier: Tier,
	target: number,
	days: number | null,
	future: boolean,
	current: readonly string[] | undefined,
): Evaluation {
	const byMask = tagger.namesByMask;
	if (current === undefined) {
		// Unknown current tags: the recipe's unconditional change (add the tier's tags, remove the others).
		const remove = ALL_MANAGED & ~target;
		return {
			tier,
			daysSinceEngagement: days,
			tags: byMask[target],
			tagsToAdd: byMask[target],
			tagsToRemove: byMask[remove],
			changed: target !== 0 || remove !== 0,
			future,
			tagsKnown: false,
		};
	}

	// Which of the four the contact has (exact or loose spelling), and whether it has others.
	let present = 0;
	let others = 0;
	let loose = false;
	const names = tagger.names;
	const n0 = names[0];
	const n1 = names[1];
	const n2 = names[2];
	const n3 = names[3];
	for (let k = 0; k < current.length; k++) {
		const tag = current[k];
		if (tag === n0) present |= ENGAGED;
		else if (tag === n1) present |= RECENT_ACTIVITY;
		else if (tag === n2) present |= DISENGAGED;
		else if (tag === n3) present |= INACTIVE;
		else {
			const bit = looseMatch(tagger, tag);
			if (bit < 0) others++;
			else {
				present |= 1 << bit;
				loose = true;
			}
		}
	}

	const add = target & ~present;
	const remove = present & ~target;
	let tags: readonly string[];
	let tagsToRemove: readonly string[];
	if (add === 0 && remove === 0) {
		// Unchanged: the contact keeps exactly the tags it has (its own array, no copy).
		tags = current;
		tagsToRemove = EMPTY;
	} else if (others === 0 && !loose) {
		tags = byMask[target];
		tagsToRemove = byMask[remove];
	} else {
		tags = keptTags(tagger, current, remove, add);
		tagsToRemove = loose ? spellingsToRemove(tagger, current, remove) : byMask[remove];
	}
	return {
		tier,
		daysSinceEngagement: days,
		tags,
		tagsToAdd: byMask[add],
		tagsToRemove,
		changed: add !== 0 || remove !== 0,
		future,
		tagsKnown: true,
	};
}

/** Bit position of a managed tag (exact or loose spelling), or -1 for any other tag. */
function bitOf(tagger: CompiledTagger, tag: string): number {
	const names = tagger.names;
	for (let bit = 0; bit < 4; bit++) if (tag === names[bit]) return bit;
	return looseMatch(tagger, tag);
}

/** Every spelling of the managed tags in `mask` that the contact carries, each once. */
function spellingsToRemove(
	tagger: CompiledTagger,
	current: readonly string[],
	mask: number,
): readonly string[] {
	if (mask === 0) return EMPTY;
	const out: string[] = [];
	for (const tag of current) {
		const bit = bitOf(tagger, tag);
		if (bit >= 0 && mask & (1 << bit) && !out.includes(tag)) out.push(tag);
	}
	return out;
}

/** The current tags in their order without the removed ones, then the added ones (canonical order). */
function keptTags(
	tagger: CompiledTagger,
	current: readonly string[],
	remove: number,
	add: number,
): string[] {
	const out: string[] = [];
	for (const tag of current) {
		const bit = bitOf(tagger, tag);
		if (bit < 0 || !(remove & (1 << bit))) out.push(tag);
	}
	for (let bit = 0; bit < 4; bit++) if (add & (1 << bit)) out.push(tagger.names[bit]);
	return out;
}

/** Reads a timestamp with the core's one reader (time/instant.ts): epoch ms, or undefined when unreadable or out of range. */
export function parseTimestampMs(value: unknown): number | undefined {
	return parseInstantFast(value);
}
