import { DAY_MS, parseInstant } from '../time/instant';
import {
	ALL_MANAGED,
	DISENGAGED,
	ENGAGED,
	INACTIVE,
	RECENT_ACTIVITY,
	type CompiledTagger,
	type Tier,
} from './config';

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
	const lower = tag.trim().toLowerCase();
	const lowerNames = tagger.lowerNames;
	for (let bit = 0; bit < 4; bit++) if (lowerNames[bit] === lower) return bit;
	return -1;
}

/**
 * Evaluates one contact: `lastMs` is its last engagement (epoch ms) or undefined when it never engaged;
 * `current` its current tags, or undefined when unknown. Tags other than the four managed ones are never
 * added, removed or reported in the diff. Results reuse shared frozen arrays whenever the contact carries
 * only managed tags spelled as configured, so the common case allocates one small object.
 */
export function evaluateContact(
	tagger: CompiledTagger,
	lastMs: number | undefined,
	asOfMs: number,
	current: readonly string[] | undefined,
): Evaluation {
	const byMask = tagger.namesByMask;
	let present = 0;
	let others = 0;
	let loose = false;
	if (current !== undefined) {
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
	}

	let tier: Tier;
	let target: number;
	let days: number | null = null;
	let future = false;
	if (lastMs === undefined) {
		tier = 'neverEngaged';
		const policy = tagger.settings.neverEngaged;
		if (policy === 'keep') {
			return {
				tier,
				daysSinceEngagement: null,
				tags: current ?? EMPTY,
				tagsToAdd: EMPTY,
				tagsToRemove: EMPTY,
				changed: false,
				future: false,
				tagsKnown: current !== undefined,
			};
		}
		target = policy === 'inactive' ? INACTIVE : 0;
	} else {
		let elapsed = asOfMs - lastMs;
		if (elapsed < 0) {
			future = true;
			elapsed = 0;
		}
		days = Math.floor(elapsed / DAY_MS);
		if (elapsed < tagger.recentMs) {
			tier = 'recentActivity';
			target = ENGAGED | RECENT_ACTIVITY;
		} else if (elapsed < tagger.engagedMs) {
			tier = 'engaged';
			target = ENGAGED;
		} else if (elapsed < tagger.inactiveMs) {
			tier = 'disengaged';
			target = DISENGAGED;
		} else {
			tier = 'inactive';
			target = INACTIVE;
		}
	}

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

	const add = target & ~present;
	const remove = present & ~target;
	let tags: readonly string[];
	let tagsToRemove: readonly string[];
	if (others === 0 && !loose) {
		tags = byMask[target];
		tagsToRemove = byMask[remove];
	} else {
		tags = keptTags(tagger, current, remove, byMask[add]);
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
function spellingsToRemove(tagger: CompiledTagger, current: readonly string[], mask: number): readonly string[] {
	if (mask === 0) return EMPTY;
	const out: string[] = [];
	for (const tag of current) {
		const bit = bitOf(tagger, tag);
		if (bit >= 0 && mask & (1 << bit) && !out.includes(tag)) out.push(tag);
	}
	return out;
}

/** The current tags in their order without the removed ones, then the added ones. */
function keptTags(
	tagger: CompiledTagger,
	current: readonly string[],
	remove: number,
	added: readonly string[],
): string[] {
	const out: string[] = [];
	for (const tag of current) {
		const bit = bitOf(tagger, tag);
		if (bit < 0 || !(remove & (1 << bit))) out.push(tag);
	}
	for (const tag of added) out.push(tag);
	return out;
}

/**
 * Reads a timestamp: a fast path for the UTC ISO form every node writes (`2026-11-22T10:00:00.000Z` or
 * without milliseconds), then anything `parseInstant` reads (offsets, epoch seconds/ms, Date). Epoch ms or undefined.
 */
export function parseTimestampMs(value: unknown): number | undefined {
	if (typeof value === 'string') {
		const fast = parseIsoUtcFast(value);
		if (fast !== undefined) return fast;
	}
	return parseInstant(value);
}

function digit(s: string, i: number): number {
	const c = s.charCodeAt(i) - 48;
	return c >= 0 && c <= 9 ? c : NaN;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** `YYYY-MM-DDTHH:MM:SS[.sss]Z` without Date.parse; undefined for any other shape or an invalid date. */
export function parseIsoUtcFast(s: string): number | undefined {
	const len = s.length;
	if (
		(len !== 24 && len !== 20) ||
		s.charCodeAt(len - 1) !== 90 || // Z
		s.charCodeAt(4) !== 45 || // -
		s.charCodeAt(7) !== 45 ||
		s.charCodeAt(10) !== 84 || // T
		s.charCodeAt(13) !== 58 || // :
		s.charCodeAt(16) !== 58
	) {
		return undefined;
	}
	const y = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
	const mo = digit(s, 5) * 10 + digit(s, 6);
	const d = digit(s, 8) * 10 + digit(s, 9);
	const h = digit(s, 11) * 10 + digit(s, 12);
	const mi = digit(s, 14) * 10 + digit(s, 15);
	const se = digit(s, 17) * 10 + digit(s, 18);
	let ms = 0;
	if (len === 24) {
		if (s.charCodeAt(19) !== 46) return undefined; // .
		ms = digit(s, 20) * 100 + digit(s, 21) * 10 + digit(s, 22);
	}
	// NaN (a non-digit) fails every comparison below.
	if (!(mo >= 1 && mo <= 12 && d >= 1 && h <= 23 && mi <= 59 && se <= 59 && ms >= 0 && y >= 0)) return undefined;
	if (d > 28) {
		const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
		const max = mo === 2 ? (leap ? 29 : 28) : DAYS_IN_MONTH[mo - 1];
		if (d > max) return undefined;
	}
	// Days from 1970-01-01 for a proleptic Gregorian date (civil-from-days inverse).
	const yy = mo <= 2 ? y - 1 : y;
	const era = Math.floor(yy / 400);
	const yoe = yy - era * 400;
	const mp = mo > 2 ? mo - 3 : mo + 9;
	const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
	const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
	const days = era * 146097 + doe - 719468;
	return days * DAY_MS + h * 3_600_000 + mi * 60_000 + se * 1000 + ms;
}
