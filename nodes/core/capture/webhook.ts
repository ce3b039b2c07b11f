import type { CanonicalEvent, EventType } from '../events/schema';
import { deterministicEventId } from '../events/eventId';
import { defaultKeywordMatcher, type KeywordMatcher } from '../consent/keywords';
import { readInstant, toIso } from '../time/instant';
import { normaliseHandle, pseudonymise } from './privacy';

/**
 * One parser for every Meta (Instagram) webhook body, used by the trigger and by Story Viewer Ingest:
 * `entry[].messaging[]` (messages, story replies and mentions, reactions, postbacks, read receipts), `entry[].changes[]`
 * (comments, story_insights) and flat `entry[].field/value` (Instagram Login comments), for a single envelope or
 * an array of them. Each update becomes one canonical event or one skipped record with a reason.
 */

export const WEBHOOK_EVENT_TYPES = [
	'story_reply',
	'story_mention',
	'reaction',
	'message',
	'postback',
	'comment',
	'story_insights',
	'message_seen',
] as const satisfies readonly EventType[];
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Extra fields a user may choose to keep (data minimisation: none by default). */
export const WEBHOOK_EXTRA_FIELDS = [
	'commentId',
	'mediaId',
	'mediaProductType',
	'messageId',
	'parentCommentId',
	'payload',
	'reaction',
	'recipientId',
	'referral',
	'storyUrl',
	'title',
	'username',
] as const;
export type WebhookExtraField = (typeof WEBHOOK_EXTRA_FIELDS)[number];

export const WEBHOOK_SOURCE_TOOL = 'instagram_webhook';

export type WebhookSkipReason =
	| 'malformed_payload'
	| 'invalid_time'
	| 'echo'
	| 'deleted_message'
	| 'unsupported_event'
	| 'missing_sender';

/** Skip reasons that mean a broken update (the rest are updates the user did not ask for). */
export const INVALID_SKIP_REASONS: ReadonlySet<WebhookSkipReason> = new Set(['malformed_payload', 'invalid_time']);

export interface SkippedUpdate {
	reason: WebhookSkipReason;
	message: string;
	/** 1-based position of the update in the body (0 when the whole body is unreadable). */
	update: number;
	original: unknown;
}

export interface WebhookParseOptions {
	/** Epoch ms stamped as `ingestedAt`, and used as `occurredAt` when an update carries no time. */
	ingestedAt: number;
	/** Keep message/comment text in `text` (default false; the detected keyword is always kept). */
	includeText?: boolean;
	/** Skip the account's own outgoing messages (`is_echo`), default true. */
	ignoreEchoes?: boolean;
	extraFields?: readonly WebhookExtraField[];
	/** When set, viewer keys are replaced by HMAC pseudonyms keyed with this pepper. */
	pepper?: string;
	keywordMatcher?: KeywordMatcher;
	sourceTool?: string;
}

export interface WebhookParseResult {
	events: CanonicalEvent[];
	/** 1-based position in the body of the update each event came from (parallel to `events`). */
	eventUpdates: number[];
	/**
	 * Meta's message id (mid) of each event's update, parallel to `events`, for follow-up look-ups such as a
	 * mention's story id. It stays out of the events unless the user keeps it (extra field "messageId").
	 */
	eventMessageIds: Array<string | undefined>;
	skipped: SkippedUpdate[];
	/** Updates found in the body (events + skipped, or 1 for an unreadable body). */
	updates: number;
}

type Obj = Record<string, unknown>;

/** An entry's `time`: epoch ms, absent, or the reason it cannot be used. */
type EntryTime = number | undefined | { bad: string };

function isObj(value: unknown): value is Obj {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
	if (typeof value === 'string') return value.length > 0 ? value : undefined;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

function obj(value: unknown): Obj {
	return isObj(value) ? value : {};
}

function list(value: unknown): unknown[] {
	return Array.isArray(value) ? value : [];
}

class Parser {
	readonly events: CanonicalEvent[] = [];
	readonly eventUpdates: number[] = [];
	readonly eventMessageIds: Array<string | undefined> = [];
	readonly skipped: SkippedUpdate[] = [];
	updates = 0;
	private readonly extras: ReadonlySet<WebhookExtraField>;
	private readonly matcher: KeywordMatcher;
	private readonly ingestedAtIso: string;
	private readonly sourceTool: string;

	constructor(private readonly options: WebhookParseOptions) {
		this.extras = new Set(options.extraFields ?? []);
		this.matcher = options.keywordMatcher ?? defaultKeywordMatcher;
		this.ingestedAtIso = toIso(options.ingestedAt);
		this.sourceTool = options.sourceTool ?? WEBHOOK_SOURCE_TOOL;
	}

	skip(reason: WebhookSkipReason, message: string, original: unknown): void {
		this.skipped.push({ reason, message, update: this.updates, original });
	}

	envelope(body: unknown): void {
		if (!isObj(body) || !Array.isArray(body.entry)) {
			this.updates++;
			this.skip('malformed_payload', 'The body is not a Meta webhook envelope with an "entry" list', body);
			return;
		}
		for (const entry of body.entry) {
			if (!isObj(entry)) {
				this.updates++;
				this.skip('malformed_payload', 'An entry is not an object', entry);
				continue;
			}
			const entryTime = this.entryTime(entry.time);
			const accountId = str(entry.id);
			for (const messaging of [...list(entry.messaging), ...list(entry.standby)]) {
				this.updates++;
				this.guarded(messaging, () => this.messaging(messaging, entryTime));
			}
			for (const change of list(entry.changes)) {
				this.updates++;
				this.guarded(change, () => this.change(change, entryTime, accountId));
			}
			if (typeof entry.field === 'string' && entry.value !== undefined) {
				this.updates++;
				const change = { field: entry.field, value: entry.value };
				this.guarded(change, () => this.change(change, entryTime, accountId));
			}
		}
	}

	/**
	 * One update, whatever it holds: a signed body must never make the parse throw (the trigger would answer
	 * 5xx and Meta would redeliver it for 36 hours), so anything unexpected becomes a malformed update.
	 */
	private guarded(raw: unknown, read: () => void): void {
		const before = this.events.length + this.skipped.length;
		try {
			read();
		} catch (error) {
			this.events.length = Math.min(this.events.length, before);
			this.eventUpdates.length = this.events.length;
			this.eventMessageIds.length = this.events.length;
			this.skip('malformed_payload', `The update could not be read (${(error as Error)?.message ?? 'unknown error'})`, raw);
		}
	}

	private entryTime(value: unknown): EntryTime {
		if (value === undefined || value === null || value === '') return undefined;
		const read = readInstant(value, 'entry.time', { happenedBy: this.options.ingestedAt });
		return read.ok ? read.ms : { bad: read.reason };
	}

	/**
	 * The update's time as ISO text: its own timestamp, else the entry's, else ingestedAt. A time that is
	 * unreadable, before 2000 or more than a day after ingestedAt skips the update as `invalid_time`
	 * (undefined is returned).
	 */
	private time(value: unknown, fallback: EntryTime, raw: unknown, field: string): string | undefined {
		let bad: string | undefined;
		if (value !== undefined && value !== null && value !== '') {
			const read = readInstant(value, field, { happenedBy: this.options.ingestedAt });
			if (read.ok) return toIso(read.ms);
			bad = read.reason;
		} else if (typeof fallback === 'number') {
			return toIso(fallback);
		} else if (fallback !== undefined) {
			bad = fallback.bad;
		} else {
			return this.ingestedAtIso;
		}
		this.skip('invalid_time', `The update's time cannot be used: ${bad}`, raw);
		return undefined;
	}

	private emit(
		fields: {
			idParts: ReadonlyArray<string | undefined>;
			viewerKey: string;
			viewerKeyType: 'igsid' | 'handle';
			type: WebhookEventType;
			occurredAt: string;
			storyId?: string;
			text?: string;
			keywordText?: ReadonlyArray<string | undefined>;
			extra?: Obj;
			/** Story-level records keep the account's own id, never a pseudonym. */
			storyLevel?: boolean;
			/** The update's mid (see WebhookParseResult.eventMessageIds). */
			mid?: string;
		},
		picked: Partial<Record<WebhookExtraField, unknown>>,
	): void {
		const pepper = this.options.pepper;
		const pseudonymised = pepper !== undefined && !fields.storyLevel;
		const event: CanonicalEvent = {
			eventId: deterministicEventId(['webhook', fields.type, ...fields.idParts]),
			viewerKey: pseudonymised ? pseudonymise(fields.viewerKey, fields.viewerKeyType, pepper) : fields.viewerKey,
			viewerKeyType: pseudonymised ? 'pseudonym' : fields.viewerKeyType,
			type: fields.type,
			occurredAt: fields.occurredAt,
			ingestedAt: this.ingestedAtIso,
			source: 'webhook',
			sourceTool: this.sourceTool,
		};
		if (fields.storyId !== undefined) event.storyId = fields.storyId;
		for (const candidate of fields.keywordText ?? [fields.text]) {
			const keyword = this.matcher.match(candidate);
			if (keyword) {
				event.keyword = keyword;
				break;
			}
		}
		if (this.options.includeText && fields.text !== undefined) event.text = fields.text;
		const extra: Obj = { ...(fields.extra ?? {}) };
		for (const [name, value] of Object.entries(picked) as Array<[WebhookExtraField, unknown]>) {
			if (value !== undefined && this.extras.has(name)) extra[name] = value;
		}
		if (Object.keys(extra).length > 0) event.extra = extra;
		this.events.push(event);
		this.eventUpdates.push(this.updates);
		this.eventMessageIds.push(fields.mid);
	}

	private messaging(raw: unknown, entryTime: EntryTime): void {
		if (!isObj(raw)) {
			this.skip('malformed_payload', 'A messaging update is not an object', raw);
			return;
		}
		const senderId = str(obj(raw.sender).id);
		const recipientId = str(obj(raw.recipient).id);
		// Read only once the update is known to become an event: a deleted message keeps its own reason.
		const when = () => this.time(raw.timestamp, entryTime, raw, 'timestamp');
		const message = raw.message;
		if (isObj(message)) {
			const echo = message.is_echo === true;
			if (echo && this.options.ignoreEchoes !== false) {
				this.skip('echo', 'The account\'s own outgoing message (is_echo)', raw);
				return;
			}
			if (message.is_deleted === true) {
				this.skip('deleted_message', 'The person deleted this message', raw);
				return;
			}
			// For an echo the person is the recipient.
			const viewer = echo ? recipientId : senderId;
			if (!viewer) {
				this.skip('missing_sender', 'The update has no sender id', raw);
				return;
			}
			const occurredAt = when();
			if (occurredAt === undefined) return;
			const mid = str(message.mid);
			const text = typeof message.text === 'string' ? message.text : undefined;
			const story = obj(obj(message.reply_to).story);
			const attachments = list(message.attachments).filter(isObj);
			const mention = attachments.find((a) => a.type === 'story_mention');
			const quickReply = obj(message.quick_reply);
			let type: WebhookEventType = 'message';
			let storyId: string | undefined;
			let storyUrl: string | undefined;
			if (story.id !== undefined || story.url !== undefined) {
				type = 'story_reply';
				storyId = str(story.id);
				storyUrl = str(story.url);
			} else if (mention) {
				type = 'story_mention';
				storyUrl = str(obj(mention.payload).url);
			} else if (quickReply.payload !== undefined) {
				type = 'postback';
			}
			const payload = str(quickReply.payload);
			this.emit(
				{
					idParts: mid ? [mid] : [viewer, String(raw.timestamp ?? ''), text],
					viewerKey: viewer,
					viewerKeyType: 'igsid',
					type,
					occurredAt,
					storyId,
					text,
					keywordText: [text, payload],
					extra: echo ? { isEcho: true } : undefined,
					mid,
				},
				{ messageId: mid, storyUrl, payload, recipientId, referral: isObj(message.referral) ? message.referral : undefined },
			);
			return;
		}
		if (isObj(raw.reaction)) {
			const reaction = raw.reaction;
			if (!senderId) {
				this.skip('missing_sender', 'The update has no sender id', raw);
				return;
			}
			const occurredAt = when();
			if (occurredAt === undefined) return;
			const action = reaction.action === 'unreact' ? 'unreact' : 'react';
			const mid = str(reaction.mid);
			this.emit(
				{
					idParts: [mid ?? String(raw.timestamp ?? ''), senderId, action],
					viewerKey: senderId,
					viewerKeyType: 'igsid',
					type: 'reaction',
					occurredAt,
					extra: { reactionAction: action },
				},
				{ messageId: mid, reaction: str(reaction.emoji) ?? str(reaction.reaction), recipientId },
			);
			return;
		}
		if (isObj(raw.postback)) {
			const postback = raw.postback;
			if (!senderId) {
				this.skip('missing_sender', 'The update has no sender id', raw);
				return;
			}
			const occurredAt = when();
			if (occurredAt === undefined) return;
			const mid = str(postback.mid);
			const title = str(postback.title);
			const payload = str(postback.payload);
			this.emit(
				{
					idParts: mid ? [mid] : [senderId, String(raw.timestamp ?? ''), payload],
					viewerKey: senderId,
					viewerKeyType: 'igsid',
					type: 'postback',
					occurredAt,
					text: title,
					keywordText: [title, payload],
				},
				{ messageId: mid, payload, title, recipientId, referral: isObj(postback.referral) ? postback.referral : undefined },
			);
			return;
		}
		if (isObj(raw.read)) {
			this.seen(raw, raw.read, senderId, when);
			return;
		}
		const kind = Object.keys(raw).find((key) => !['sender', 'recipient', 'timestamp'].includes(key));
		this.skip('unsupported_event', `Messaging updates of kind "${kind ?? 'unknown'}" are not captured`, raw);
	}

	/**
	 * A read receipt (`messaging_seen`: `read.mid` is the account's message the person saw). Only ids are kept:
	 * `extra.messageId` says which DM was seen, so a send log can be joined to it.
	 * https://developers.facebook.com/docs/instagram-platform/webhooks/examples (Messaging seen)
	 */
	private seen(raw: Obj, read: Obj, senderId: string | undefined, when: () => string | undefined): void {
		if (!senderId) {
			this.skip('missing_sender', 'The update has no sender id', raw);
			return;
		}
		const occurredAt = when();
		if (occurredAt === undefined) return;
		const mid = str(read.mid);
		this.emit(
			{
				idParts: mid ? [mid, senderId] : [senderId, String(raw.timestamp ?? '')],
				viewerKey: senderId,
				viewerKeyType: 'igsid',
				type: 'message_seen',
				occurredAt,
				extra: mid ? { messageId: mid } : undefined,
			},
			{ recipientId: str(obj(raw.recipient).id) },
		);
	}

	private change(raw: unknown, entryTime: EntryTime, accountId: string | undefined): void {
		if (!isObj(raw) || typeof raw.field !== 'string') {
			this.skip('malformed_payload', 'A change has no "field"', raw);
			return;
		}
		const value = obj(raw.value);
		if (raw.field === 'comments' || raw.field === 'live_comments') {
			const from = obj(value.from);
			const id = str(from.id);
			const username = str(from.username);
			const commentId = str(value.id);
			if (!id && !username) {
				this.skip('missing_sender', 'The comment has no author', raw);
				return;
			}
			const occurredAt = this.time(value.timestamp, entryTime, raw, 'value.timestamp');
			if (occurredAt === undefined) return;
			const media = obj(value.media);
			const mediaProductType = str(media.media_product_type);
			const text = typeof value.text === 'string' ? value.text : undefined;
			this.emit(
				{
					idParts: commentId ? [commentId] : [id ?? username, typeof entryTime === 'number' ? String(entryTime) : '', text],
					viewerKey: id ?? normaliseHandle(username as string),
					viewerKeyType: id ? 'igsid' : 'handle',
					type: 'comment',
					occurredAt,
					storyId: mediaProductType === 'STORY' ? str(media.id) : undefined,
					text,
				},
				{
					commentId,
					parentCommentId: str(value.parent_id),
					mediaId: str(media.id),
					mediaProductType,
					username,
				},
			);
			return;
		}
		if (raw.field === 'story_insights') {
			const mediaId = str(value.media_id);
			if (!mediaId) {
				this.skip('malformed_payload', 'story_insights without media_id', raw);
				return;
			}
			const occurredAt = this.time(undefined, entryTime, raw, 'entry.time');
			if (occurredAt === undefined) return;
			const metrics: Obj = {};
			const hidden: string[] = [];
			for (const [name, metric] of Object.entries(value)) {
				if (name === 'media_id' || typeof metric !== 'number') continue;
				// Meta sends -1 for counts below 5.
				if (metric < 0) {
					metrics[name] = null;
					hidden.push(name);
				} else metrics[name] = metric;
			}
			this.emit(
				{
					idParts: [mediaId],
					viewerKey: accountId ?? 'account',
					viewerKeyType: 'igsid',
					type: 'story_insights',
					occurredAt,
					storyId: mediaId,
					extra: { metrics, belowThreshold: hidden.length > 0, hiddenMetrics: hidden },
					storyLevel: true,
				},
				{},
			);
			return;
		}
		this.skip('unsupported_event', `Changes of field "${raw.field}" are not captured`, raw);
	}
}

/**
 * Parses a webhook body (one envelope or an array of envelopes); never throws: every update becomes an event
 * or a skipped record with a reason (broken ones: INVALID_SKIP_REASONS).
 */
export function parseMetaWebhook(body: unknown, options: WebhookParseOptions): WebhookParseResult {
	const parser = new Parser(options);
	const envelopes = Array.isArray(body) ? body : [body];
	if (envelopes.length === 0) parser.envelope(undefined);
	for (const envelope of envelopes) parser.envelope(envelope);
	return {
		events: parser.events,
		eventUpdates: parser.eventUpdates,
		eventMessageIds: parser.eventMessageIds,
		skipped: parser.skipped,
		updates: parser.updates,
	};
}
