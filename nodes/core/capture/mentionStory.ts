import type { CanonicalEvent } from '../events/schema';
import { mentionStoryId } from '../graph/account';

/**
 * A story mention arrives with the story's CDN URL only; Meta gives its story ID through
 * `GET /{message-id}?fields=story` when the account can read the message
 * (https://developers.facebook.com/docs/messenger-platform/instagram/features/story-mention).
 */

/** Whether an event is a mention without a story ID that a look-up by its mid could complete. */
export function needsMentionStoryLookup(event: CanonicalEvent, mid: string | undefined): mid is string {
	return event.type === 'story_mention' && event.storyId === undefined && mid !== undefined && mid !== '';
}

export type MentionLookup = { ok: true; body: unknown } | { ok: false; reason: string };

/**
 * The event with its story ID, or, when Meta refused or had no story, the event unchanged except for
 * `extra.storyIdLookup` = the reason (the mention itself is never dropped).
 */
export function withMentionStory(event: CanonicalEvent, lookup: MentionLookup): CanonicalEvent {
	const storyId = lookup.ok ? mentionStoryId(lookup.body) : undefined;
	if (storyId !== undefined) return { ...event, storyId };
	return { ...event, extra: { ...(event.extra ?? {}), storyIdLookup: lookup.ok ? 'no_story' : lookup.reason } };
}
