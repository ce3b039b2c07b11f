/**
 * Which column (CSV) or field (items) holds what. Names are compared after normalising: trimmed, camelCase
 * split, lower-cased, spaces/dashes/dots turned into `_` ("First Seen", "firstSeen", "first-seen" → first_seen).
 */

export type ColumnRole = 'viewerId' | 'handle' | 'time' | 'storyId' | 'context' | 'type' | 'text' | 'locale';

/** Aliases in order of preference for each role. */
export const COLUMN_ALIASES: Readonly<Record<ColumnRole, readonly string[]>> = {
	// Only names that say "scoped id": a vendor's numeric `user_id` is not an IGSID and would never join.
	viewerId: ['viewer_id', 'igsid', 'ig_scoped_id', 'instagram_scoped_id', 'sender_id'],
	handle: [
		'handle',
		'username',
		'user_name',
		'ig_handle',
		'instagram_handle',
		'instagram_username',
		'viewer_handle',
		'viewer',
		'user',
		'account',
	],
	time: [
		'first_seen',
		'viewed_at',
		'seen_at',
		'occurred_at',
		'timestamp',
		'time',
		'date',
		'datetime',
		'created_at',
		'event_time',
		'first_seen_at',
		'seen',
		'viewed',
	],
	storyId: ['story_id', 'story', 'media_id', 'story_media_id', 'storyid'],
	context: ['context', 'campaign', 'topic', 'story_topic', 'tag'],
	type: ['type', 'event_type', 'event', 'interaction', 'action'],
	text: ['text', 'message', 'message_text', 'reply', 'reply_text', 'comment', 'comment_text'],
	locale: ['locale', 'language', 'lang'],
};

export const COLUMN_ROLES = Object.keys(COLUMN_ALIASES) as ColumnRole[];

export function normaliseColumnName(name: string): string {
	return name
		.replace(/^\uFEFF/, '')
		.trim()
		.replace(/([a-z0-9])([A-Z])/g, '$1_$2')
		.toLowerCase()
		.replace(/[\s\-.]+/g, '_')
		.replace(/^_+|_+$/g, '');
}

/** For each role, the position in `names` of the best matching column, or -1. Each column serves one role. */
export function detectColumns(names: readonly string[]): Record<ColumnRole, number> {
	const normalised = names.map(normaliseColumnName);
	const taken = new Set<number>();
	const result = {} as Record<ColumnRole, number>;
	for (const role of COLUMN_ROLES) {
		result[role] = -1;
		for (const alias of COLUMN_ALIASES[role]) {
			const index = normalised.findIndex((name, i) => name === alias && !taken.has(i));
			if (index !== -1) {
				result[role] = index;
				taken.add(index);
				break;
			}
		}
	}
	return result;
}

/** Positions of the allow-listed extra columns, matched by normalised name, keyed by the name asked for. */
export function findExtraColumns(names: readonly string[], wanted: readonly string[]): Array<[string, number]> {
	const normalised = names.map(normaliseColumnName);
	const found: Array<[string, number]> = [];
	for (const name of wanted) {
		const index = normalised.indexOf(normaliseColumnName(name));
		if (index !== -1) found.push([name, index]);
	}
	return found;
}
