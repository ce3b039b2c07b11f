import { EVENT_TYPES, type EventType } from '../events/schema';
import type { ViewerTable } from './aggregate';
import type { CustomCondition, CustomOperation, SegmentRules } from './types';

type Primitive = string | number | boolean;

/** Rule checks and their human-readable reasons. Pure functions over one viewer's aggregate. */

const VERBS: Record<EventType, string> = {
	view: 'viewed a story',
	story_reply: 'replied to a story',
	story_mention: 'mentioned the account',
	reaction: 'reacted to a story',
	message: 'sent a message',
	postback: 'tapped a button',
	comment: 'commented',
	profile_visit: 'visited the profile',
	link_click: 'clicked a link',
	story_insights: 'appeared in story insights',
	email_open: 'opened an email',
	email_click: 'clicked an email link',
	site_visit: 'visited the site',
	message_seen: 'saw a message',
};

export function times(n: number): string {
	return n === 1 ? '1 time' : `${n} times`;
}

export function plural(n: number, one: string, many: string): string {
	return `${n} ${n === 1 ? one : many}`;
}

/** "7 days", "1 day", "1.5 days". */
export function daysText(days: number): string {
	return days === 1 ? '1 day' : `${days} days`;
}

/** "replied to a story 2 times, reacted to a story 1 time" for the non-zero types, in the given order. */
export function activityText(table: ViewerTable, v: number, types: readonly number[]): string {
	let text = '';
	for (const t of types) {
		const n = table.typeCount(v, t);
		if (n === 0) continue;
		text += `${text === '' ? '' : ', '}${VERBS[EVENT_TYPES[t]]} ${times(n)}`;
	}
	return text;
}

/** Lower case, `_` read as `-`, trimmed: "de_DE" and "DE-de" compare equal. */
export function normaliseLocale(value: string): string {
	return value.trim().toLowerCase().replace(/_/g, '-');
}

/** The list entry a value matches, or undefined. Prefix: "de" matches "de", "de-AT", "de_DE". */
export function matchList(
	value: string,
	entries: ReadonlyArray<{ entry: string; normal: string }>,
	match: 'prefix' | 'exact',
): string | undefined {
	const v = normaliseLocale(value);
	if (v === '') return undefined;
	for (const { entry, normal } of entries) {
		if (v === normal || (match === 'prefix' && v.length > normal.length && v.startsWith(normal) && v.charCodeAt(normal.length) === 45)) {
			return entry;
		}
	}
	return undefined;
}

/** Which enabled bot signals the latest profile values show; undefined when none. */
export function botSignals(
	rule: NonNullable<SegmentRules['possibleBot']>,
	followerCount: Primitive | undefined,
	bio: Primitive | undefined,
	hasProfilePic: Primitive | undefined,
): string[] | undefined {
	let found: string[] | undefined;
	if (followerCount !== undefined && rule.signals.includes('noFollowers')) {
		const n =
			typeof followerCount === 'number'
				? followerCount
				: typeof followerCount === 'string' && followerCount.trim() !== ''
					? Number(followerCount)
					: NaN;
		if (Number.isFinite(n) && n <= rule.maxFollowers) (found ??= []).push(plural(n, 'follower', 'followers'));
	}
	if (typeof bio === 'string' && bio.trim() === '' && rule.signals.includes('emptyBio')) {
		(found ??= []).push('empty bio');
	}
	if (
		(hasProfilePic === false ||
			hasProfilePic === 0 ||
			(typeof hasProfilePic === 'string' && hasProfilePic.trim().toLowerCase() === 'false')) &&
		rule.signals.includes('noProfilePic')
	) {
		(found ??= []).push('no profile picture');
	}
	return found;
}

const OPERATION_TEXT: Record<CustomOperation, string> = {
	equals: 'is',
	notEquals: 'is not',
	contains: 'contains',
	notContains: 'does not contain',
	startsWith: 'starts with',
	oneOf: 'is one of',
	exists: 'is present',
	notExists: 'is not present',
	gt: 'is more than',
	gte: 'is at least',
	lt: 'is less than',
	lte: 'is at most',
};

export type FieldValue = string | number | boolean | null | undefined;

/** Whether one custom condition holds for a value (undefined/null/'' count as absent). */
export function conditionHolds(condition: CustomCondition, value: FieldValue, caseSensitive: boolean): boolean {
	const present = value !== undefined && value !== null && value !== '';
	switch (condition.operation) {
		case 'exists':
			return present;
		case 'notExists':
			return !present;
		case 'gt':
		case 'gte':
		case 'lt':
		case 'lte': {
			if (!present || typeof value === 'boolean') return false;
			const a = typeof value === 'number' ? value : Number(String(value).trim());
			const b = Number(condition.value.trim());
			if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
			if (condition.operation === 'gt') return a > b;
			if (condition.operation === 'gte') return a >= b;
			if (condition.operation === 'lt') return a < b;
			return a <= b;
		}
		default:
			break;
	}
	const fold = (s: string) => (caseSensitive ? s.trim() : s.trim().toLowerCase());
	const actual = present ? fold(String(value)) : '';
	const expected = fold(condition.value);
	switch (condition.operation) {
		case 'equals':
			return present && actual === expected;
		case 'notEquals':
			return actual !== expected;
		case 'contains':
			return present && actual.includes(expected);
		case 'notContains':
			return !actual.includes(expected);
		case 'startsWith':
			return present && actual.startsWith(expected);
		case 'oneOf':
			return present && condition.value.split(',').some((entry) => fold(entry) === actual);
		default:
			return false;
	}
}

/** "extra.city is \"Berlin\"". */
export function conditionText(condition: CustomCondition, value: FieldValue): string {
	const op = OPERATION_TEXT[condition.operation];
	if (condition.operation === 'exists') return `${condition.field} ${op} ("${String(value)}")`;
	if (condition.operation === 'notExists') return `${condition.field} ${op}`;
	return `${condition.field} ${op} "${condition.value.trim()}" ("${value === undefined || value === null ? '' : String(value)}")`;
}
