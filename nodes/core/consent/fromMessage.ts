import { createHash } from 'crypto';
import type { CanonicalEvent, KeywordFamily } from '../events/schema';
import { ALL_CHANNELS_KEYWORDS, type KeywordMatcher } from './keywords';
import type { ConsentIndex } from './precedence';
import { ANY, buildConsentRecord, type ConsentRecord, type ConsentStatus } from './record';

export interface ReplyTexts {
	opt_out: string;
	opt_in: string;
	help: string;
}

export const DEFAULT_REPLIES: ReplyTexts = {
	opt_out: 'You are unsubscribed and will get no more messages from us. Reply START to subscribe again.',
	opt_in: 'You are subscribed again. Reply STOP at any time to unsubscribe.',
	help: 'This is an automated account. Reply STOP to unsubscribe or START to subscribe again.',
};

export interface FromMessageConfig {
	matcher: KeywordMatcher;
	/** Channel the messages came in on (e.g. instagram_dm). */
	channel: string;
	purpose: string;
	wordingVersion?: string;
	/** Reply texts, or undefined for no confirmation replies. */
	replies?: ReplyTexts;
	/** "Now" of the run: a message dated more than a day after it is invalid. */
	nowMs?: number;
}

export interface ConfirmationReply {
	replyId: string;
	viewerKey: string;
	channel: string;
	keyword: KeywordFamily;
	text: string;
	inReplyToEventId: string;
}

export type MessageOutcome =
	| { kind: 'record'; family: 'opt_in' | 'opt_out'; keyword: string; record: ConsentRecord; reply?: ConfirmationReply }
	| { kind: 'help'; keyword: string; reply?: ConfirmationReply }
	/** A keyword that makes no record: the account's own message (echo), or an opt-in in a public comment. */
	| { kind: 'ignored'; reason: IgnoredReason; keyword: string }
	/** The event cannot make a record (e.g. occurredAt outside the accepted range); `reason` names the field. */
	| { kind: 'invalid'; reason: string }
	| { kind: 'none' };

export type IgnoredReason = 'echo' | 'public_opt_in';

/**
 * Event types that are a private message from the person to the account: the only ones whose opt-in keyword
 * is consent given by the person. A public comment can opt out (an objection counts wherever it is made)
 * but never opt in; other types (views, reactions…) carrying an opt-in keyword are treated like comments.
 */
export const PRIVATE_MESSAGE_TYPES: ReadonlySet<string> = new Set(['message', 'story_reply', 'story_mention', 'postback']);

/** The account's own outgoing message (a webhook echo, kept when Ignore Echoes is off): not the person's words. */
export function isEcho(event: CanonicalEvent): boolean {
	return event.extra?.isEcho === true;
}

const STATUS: Record<'opt_in' | 'opt_out', ConsentStatus> = { opt_in: 'opt_in', opt_out: 'opt_out' };

/**
 * Turns inbound messages into consent records. A message counts when its whole text is a keyword (or the
 * capture node already set `keyword` and no text was kept). Records are derived from the message
 * (recordedAt = occurredAt, evidenceRef = eventId), so a re-run yields the same recordIds. Only the person's
 * own words count: echoes make no record, and an opt-in keyword makes one only in a private message (a STOP in
 * a public comment still opts out). Nothing here throws for a message: an unusable one is `invalid`.
 *
 * Confirmation replies: at most one per change of state. A message gets a reply only when it changes the
 * (subject, channel, purpose) state as it stood before it (stored records + earlier messages of the batch,
 * in occurredAt order), and never when its record is already stored (a re-run). HELP gets one reply per
 * subject and batch.
 */
export function recordsFromMessages(
	events: readonly CanonicalEvent[],
	config: FromMessageConfig,
	stored?: ConsentIndex,
	storedRecordIds: ReadonlySet<string> = new Set(),
): MessageOutcome[] {
	const outcomes: MessageOutcome[] = events.map(() => ({ kind: 'none' }));
	const order = events
		.map((event, i) => i)
		.sort((a, b) =>
			events[a].occurredAt !== events[b].occurredAt
				? events[a].occurredAt < events[b].occurredAt
					? -1
					: 1
				: a - b,
		);
	const state = new Map<string, ConsentStatus | 'none'>();
	const helped = new Set<string>();
	for (const i of order) {
		const event = events[i];
		const matched = event.text !== undefined ? config.matcher.matchKeyword(event.text) : undefined;
		const family = matched?.family ?? event.keyword;
		if (!family) continue;
		const keyword = matched?.keyword ?? family.toUpperCase();
		if (isEcho(event)) {
			outcomes[i] = { kind: 'ignored', reason: 'echo', keyword };
			continue;
		}
		if (family === 'opt_in' && !PRIVATE_MESSAGE_TYPES.has(event.type)) {
			outcomes[i] = { kind: 'ignored', reason: 'public_opt_in', keyword };
			continue;
		}
		if (family === 'help') {
			const first = !helped.has(event.viewerKey);
			helped.add(event.viewerKey);
			outcomes[i] = {
				kind: 'help',
				keyword,
				...(config.replies && first ? { reply: reply(event, config, 'help', config.replies.help) } : {}),
			};
			continue;
		}
		const everywhere = family === 'opt_out' && ALL_CHANNELS_KEYWORDS.has(keyword);
		const channel = everywhere ? ANY : config.channel;
		const purpose = everywhere ? ANY : config.purpose;
		const built = buildConsentRecord({
			subjectKey: event.viewerKey,
			channel,
			purpose,
			status: STATUS[family],
			lawfulBasis: 'consent',
			recordedAt: event.occurredAt,
			source: 'keyword',
			evidence: `Message ${event.eventId} was the ${family === 'opt_out' ? 'opt-out' : 'opt-in'} keyword ${keyword}`,
			evidenceRef: event.eventId,
			wordingVersion: config.wordingVersion,
			nowMs: config.nowMs,
		});
		if (!built.ok) {
			outcomes[i] = { kind: 'invalid', reason: built.reason };
			continue;
		}
		const record = built.record;
		const key = `${record.subjectKey}\u0000${channel}\u0000${purpose}`;
		let before = state.get(key);
		if (before === undefined) {
			const winner = stored?.lookup(record.subjectKey, channel, purpose);
			before = winner && stored?.state(winner) !== 'expired' ? winner.status : 'none';
		}
		state.set(key, record.status);
		const changes = before !== record.status && !storedRecordIds.has(record.recordId);
		outcomes[i] = {
			kind: 'record',
			family,
			keyword,
			record,
			...(config.replies && changes ? { reply: reply(event, config, family, config.replies[family]) } : {}),
		};
	}
	return outcomes;
}

function reply(event: CanonicalEvent, config: FromMessageConfig, keyword: KeywordFamily, text: string): ConfirmationReply {
	return {
		replyId: 'rp_' + createHash('sha256').update(`${event.eventId}|${keyword}`).digest('hex').slice(0, 32),
		viewerKey: event.viewerKey,
		channel: config.channel,
		keyword,
		text,
		inReplyToEventId: event.eventId,
	};
}
