/**
 * Instagram DM rules: what a valid send looks like, the request body Meta expects, and where a refused
 * send goes (the "Not Sent" output with a reason, or an account-level error). Plain data only.
 */
import type { GraphErrorInfo } from '../graph/errors';
import { isSafeGraphId } from '../graph/connection';

/** Meta: "text: UTF-8, at most 1000 bytes" (Send API). 1,000 "é" are 2,000 bytes and Meta refuses them. */
export const MAX_TEXT_BYTES = 1000;
export const MAX_QUICK_REPLIES = 13;
export const MAX_QUICK_REPLY_TITLE_CHARS = 20;
export const MAX_QUICK_REPLY_PAYLOAD_CHARS = 1000;

export const PROFILE_FIELDS = [
	'name',
	'username',
	'profile_pic',
	'follower_count',
	'is_user_follow_business',
	'is_business_follow_user',
	'is_verified_user',
] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

/** Every reason a "Not Sent" item can carry. */
export const NOT_SENT_REASONS = [
	'invalid_input',
	'outside_window',
	'user_unavailable',
	'blocked',
	'invalid_recipient',
	'object_not_found',
	'comment_invalid',
	'profile_consent_required',
	'rate_limited',
	'temporary_error',
] as const;
export type NotSentReason = (typeof NOT_SENT_REASONS)[number];

export interface InvalidInput {
	ok: false;
	reason: 'invalid_input';
	reasonText: string;
	field: string;
}

export type Prepared<T> = ({ ok: true } & T) | InvalidInput;

export interface QuickReplyInput {
	title?: unknown;
	payload?: unknown;
}

export interface SendMessageInput {
	recipientId: unknown;
	text: unknown;
	quickReplies?: QuickReplyInput[];
	humanAgent?: boolean;
}

export interface SendRequest {
	recipientId: string;
	messagingType: 'RESPONSE' | 'MESSAGE_TAG';
	tag?: 'HUMAN_AGENT';
	body: Record<string, unknown>;
}

function chars(text: string): number {
	return Array.from(text).length;
}

/** Length of the text in UTF-8 bytes (a lone surrogate counts as U+FFFD, 3 bytes, as an encoder writes it). */
export function utf8Bytes(text: string): number {
	let bytes = 0;
	for (const char of text) {
		const cp = char.codePointAt(0) ?? 0;
		bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
	}
	return bytes;
}

function asText(value: unknown): string {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return '';
}

function invalid(field: string, reasonText: string): InvalidInput {
	return { ok: false, reason: 'invalid_input', reasonText, field };
}

/** Checks an id used in a URL path or as a recipient: present, and only id characters. */
export function checkId(value: unknown, field: string, label: string): Prepared<{ id: string }> {
	const id = asText(value).trim();
	if (id === '') return invalid(field, `${label} is empty`);
	if (!isSafeGraphId(id)) return invalid(field, `${label} "${id.slice(0, 40)}" is not a valid Instagram id`);
	return { ok: true, id };
}

export function checkText(value: unknown, field = 'text'): Prepared<{ text: string }> {
	const text = asText(value);
	if (text.trim() === '') return invalid(field, 'Message text is empty');
	const bytes = utf8Bytes(text);
	if (bytes > MAX_TEXT_BYTES) {
		return invalid(
			field,
			`Message text is ${bytes} bytes in UTF-8 (${chars(text)} characters); Instagram allows at most ${MAX_TEXT_BYTES} bytes. Accented letters take 2 bytes, most emoji 4.`,
		);
	}
	return { ok: true, text };
}

/** Builds the Send API request for a text message (RESPONSE, or MESSAGE_TAG + HUMAN_AGENT when a person typed it). */
export function prepareSendMessage(input: SendMessageInput): Prepared<SendRequest> {
	const recipient = checkId(input.recipientId, 'recipientId', 'Recipient ID (IGSID)');
	if (!recipient.ok) return recipient;
	const text = checkText(input.text);
	if (!text.ok) return text;
	const replies = input.quickReplies ?? [];
	if (replies.length > MAX_QUICK_REPLIES) {
		return invalid('quickReplies', `${replies.length} quick replies; Instagram allows at most ${MAX_QUICK_REPLIES}`);
	}
	const quickReplies: Array<Record<string, string>> = [];
	for (const [index, reply] of replies.entries()) {
		const title = asText(reply.title).trim();
		if (title === '') return invalid('quickReplies', `Quick reply ${index + 1} has no title`);
		if (chars(title) > MAX_QUICK_REPLY_TITLE_CHARS) {
			return invalid('quickReplies', `Quick reply "${title}" is longer than ${MAX_QUICK_REPLY_TITLE_CHARS} characters`);
		}
		const payload = asText(reply.payload).trim() || title;
		if (chars(payload) > MAX_QUICK_REPLY_PAYLOAD_CHARS) {
			return invalid('quickReplies', `Quick reply "${title}" has a payload longer than ${MAX_QUICK_REPLY_PAYLOAD_CHARS} characters`);
		}
		quickReplies.push({ content_type: 'text', title, payload });
	}
	const message: Record<string, unknown> = { text: text.text };
	if (quickReplies.length > 0) message.quick_replies = quickReplies;
	const human = input.humanAgent === true;
	const body: Record<string, unknown> = {
		recipient: { id: recipient.id },
		messaging_type: human ? 'MESSAGE_TAG' : 'RESPONSE',
		message,
	};
	if (human) body.tag = 'HUMAN_AGENT';
	return {
		ok: true,
		recipientId: recipient.id,
		messagingType: human ? 'MESSAGE_TAG' : 'RESPONSE',
		...(human ? { tag: 'HUMAN_AGENT' as const } : {}),
		body,
	};
}

/** Private reply to a comment: one per comment, within 7 days; does not open the messaging window. */
export function preparePrivateReply(input: { commentId: unknown; text: unknown }): Prepared<{ commentId: string; body: Record<string, unknown> }> {
	const comment = checkId(input.commentId, 'commentId', 'Comment ID');
	if (!comment.ok) return comment;
	const text = checkText(input.text);
	if (!text.ok) return text;
	return { ok: true, commentId: comment.id, body: { recipient: { comment_id: comment.id }, message: { text: text.text } } };
}

export function prepareProfileRequest(input: { recipientId: unknown; fields?: unknown }): Prepared<{ recipientId: string; fields: string }> {
	const recipient = checkId(input.recipientId, 'recipientId', 'Recipient ID (IGSID)');
	if (!recipient.ok) return recipient;
	const requested = Array.isArray(input.fields) ? input.fields.filter((f): f is ProfileField => (PROFILE_FIELDS as readonly unknown[]).includes(f)) : [];
	const fields = requested.length > 0 ? requested : [...PROFILE_FIELDS];
	return { ok: true, recipientId: recipient.id, fields: fields.join(',') };
}

export type FailureRoute =
	| { route: 'notSent'; reason: NotSentReason; reasonText: string; retryable: boolean }
	/** The message may have gone out: never retried; output so the send log holds it as sent_unknown. */
	| { route: 'maybeSent'; reason: 'sent_unknown'; reasonText: string; stopsRun: boolean }
	| { route: 'throw' };

/**
 * Where a failed send goes, by the contract's outcome (nodes/core/graph/errorCatalogue.ts): per-recipient
 * refusals to "Not Sent" with their reason; throttles left after retries to "Not Sent" with retryable: true (a
 * later run tries again); maybe-sent outcomes are never retried; account and configuration errors stop the node.
 */
export function routeFailure(
	info: Pick<GraphErrorInfo, 'outcome' | 'kind' | 'reason' | 'message' | 'description' | 'stopsRun'>,
): FailureRoute {
	if (info.outcome === 'recipient') {
		const reason = (NOT_SENT_REASONS as readonly string[]).includes(info.reason) ? (info.reason as NotSentReason) : 'invalid_recipient';
		return { route: 'notSent', reason, reasonText: info.message, retryable: false };
	}
	if (info.outcome === 'maybeSent') {
		return { route: 'maybeSent', reason: 'sent_unknown', reasonText: `${info.message}. ${info.description}`, stopsRun: info.stopsRun === true };
	}
	if (info.outcome === 'retry' && info.kind === 'throttled') {
		return { route: 'notSent', reason: 'rate_limited', reasonText: info.message, retryable: true };
	}
	if (info.outcome === 'retry' && info.kind === 'transient') {
		return { route: 'notSent', reason: 'temporary_error', reasonText: info.message, retryable: true };
	}
	return { route: 'throw' };
}
