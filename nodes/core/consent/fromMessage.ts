import { createHash } from 'crypto';
import type { CanonicalEvent, KeywordFamily } from '../events/schema';
import { ALL_CHANNELS_KEYWORDS, type KeywordMatcher } from './keywords';
import type { ConsentIndex } from './precedence';
import { EARLIEST_MS, FUTURE_TOLERANCE_MS, parseInstantFast, toIso } from '../time/instant';
import { ANY, buildConsentRecord, type BuildResult, type ConsentRecord, type ConsentStatus } from './record';

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
	| {
			kind: 'record';
			family: 'opt_in' | 'opt_out';
			keyword: string;
			record: ConsentRecord;
			reply?: ConfirmationReply;
			/** An opt-out whose own time could not be used (clock skew): recorded at receipt time; this says why. */
			timeProblem?: string;
	  }
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

/**
 * The account's own outgoing message (a webhook echo, kept when Ignore Echoes is off): not the person's words. The
 * flag counts however a store gave it back: true, "true" (any case), 1 or "1".
 */
export function isEcho(event: CanonicalEvent): boolean {
	const flag = event.extra?.isEcho;
	if (flag === true || flag === 1) return true;
	return typeof flag === 'string' && ['true', '1'].includes(flag.trim().toLowerCase());
}

/**
 * The keyword family of a message. Kept text decides: an upstream `keyword` field counts only when no text was kept
 * (it cannot turn "hello" into an opt-in). A postback's text is the label of the button the person tapped, not their
 * words; its keyword comes from the button's payload, so there the capture node's `keyword` counts as well.
 */
export function keywordOf(
	event: CanonicalEvent,
	matcher: KeywordMatcher,
): { family: KeywordFamily; keyword: string } | undefined {
	if (event.text === undefined) return event.keyword ? { family: event.keyword, keyword: event.keyword.toUpperCase() } : undefined;
	const matched = matcher.matchKeyword(event.text);
	if (matched) return matched;
	if (event.type === 'postback' && event.keyword) return { family: event.keyword, keyword: event.keyword.toUpperCase() };
	return undefined;
}

const STATUS: Record<'opt_in' | 'opt_out', ConsentStatus> = { opt_in: 'opt_in', opt_out: 'opt_out' };

/**
 * Turns inbound messages into consent records. A message counts when its whole text is a keyword (or the
 * capture node already set `keyword` and no text was kept: keywordOf). Records are derived from the message
 * (recordedAt = occurredAt, evidenceRef = eventId), so a re-run yields the same recordIds. Only the person's
 * own words count: echoes make no record, and an opt-in keyword makes one only in a private message (a STOP in
 * a public comment still opts out). Nothing here throws for a message: an unusable one is `invalid`, except an
 * opt-out, which is never lost: when its time cannot be used (more than a day ahead of now: clock skew) it is
 * recorded at receipt time (the event's ingestedAt, else now), the evidence says so, and `timeProblem` names the
 * bad timestamp.
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
	// Time order; messages of the same instant by event id (derived from the message), so which one gets the
	// confirmation does not depend on the order they came in.
	const order = events
		.map((event, i) => i)
		.sort((a, b) =>
			events[a].occurredAt !== events[b].occurredAt
				? events[a].occurredAt < events[b].occurredAt
					? -1
					: 1
				: events[a].eventId !== events[b].eventId
					? events[a].eventId < events[b].eventId
						? -1
						: 1
					: a - b,
		);
	const state = new Map<string, ConsentStatus | 'none'>();
	const helped = new Set<string>();
	for (const i of order) {
		const event = events[i];
		const matched = keywordOf(event, config.matcher);
		if (!matched) continue;
		const { family, keyword } = matched;
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
		const evidence = `Message ${event.eventId} was the ${family === 'opt_out' ? 'opt-out' : 'opt-in'} keyword ${keyword}`;
		const build = (recordedAt: unknown, note = ''): BuildResult =>
			buildConsentRecord({
				subjectKey: event.viewerKey,
				channel,
				purpose,
				status: STATUS[family],
				lawfulBasis: 'consent',
				recordedAt,
				source: 'keyword',
				evidence: evidence + note,
				evidenceRef: event.eventId,
				wordingVersion: config.wordingVersion,
				nowMs: config.nowMs,
			});
		let built = build(event.occurredAt);
		let timeProblem: string | undefined;
		const receivedAt = built.ok || family !== 'opt_out' ? undefined : receiptTime(event, config.nowMs);
		if (!built.ok && receivedAt !== undefined && built.reason.startsWith('recordedAt')) {
			// An objection is never lost to a bad clock: record it when we received it, and report only the time.
			timeProblem = `occurredAt ${event.occurredAt} cannot be used (${built.reason.replace(/^recordedAt: /, '')}); the opt-out was recorded at receipt time ${receivedAt}`;
			built = build(receivedAt, `; its own time ${event.occurredAt} was unusable (clock skew), so it is recorded at receipt time`);
		}
		if (!built.ok) {
			outcomes[i] = { kind: 'invalid', reason: built.reason };
			continue;
		}
		const record = built.record;
		const key = `${record.subjectKey}\u0000${record.channel}\u0000${record.purpose}`;
		let before = state.get(key);
		if (before === undefined) {
			const winner = stored?.lookup(record.subjectKey, record.channel, record.purpose);
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
			...(timeProblem ? { timeProblem } : {}),
		};
	}
	return outcomes;
}

/** When we received the message: its ingestedAt when that is a usable time (2000 … now + 1 day), else now. */
function receiptTime(event: CanonicalEvent, nowMs: number | undefined): string | undefined {
	const ingested = parseInstantFast(event.ingestedAt);
	const latest = nowMs === undefined ? Infinity : nowMs + FUTURE_TOLERANCE_MS;
	if (ingested !== undefined && ingested >= EARLIEST_MS && ingested <= latest) return toIso(ingested);
	return nowMs === undefined ? undefined : toIso(nowMs);
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
