import { EVENT_TYPES, INTERACTION_TYPES, type EventType } from '../events/schema';
import { parseInstant } from '../time/instant';
import { formatIsoUtc } from '../time/isoUtc';

/**
 * Readers of the rows the Funnel Report works on, as the templates store them (Data table rows) or as any other
 * store returns them. Each reader returns the typed row or the reason it cannot be used: nothing is dropped.
 */

export type RowInput = 'events' | 'sendLog' | 'conversions' | 'contacts';

export type NotCountedReason =
	| 'missing_field'
	| 'unknown_type'
	| 'bad_time'
	| 'bad_value'
	| 'before_period'
	| 'after_as_of'
	| 'not_a_cadence_send'
	| 'not_sent'
	| 'duplicate_order'
	| 'currency_mismatch'
	| 'not_a_conversion'
	| 'refund_without_order';

export interface Rejection {
	reason: NotCountedReason;
	reasonText: string;
}

export type Read<T> = { ok: true; row: T } | ({ ok: false } & Rejection);

const reject = (reason: NotCountedReason, reasonText: string): { ok: false } & Rejection => ({
	ok: false,
	reason,
	reasonText,
});

export interface EventRow {
	viewerKey: string;
	type: EventType;
	at: number;
	/** sourceTool, else source (webhook, csv…): where the lead came from. */
	source: string;
	segments: string[];
	/** Keyword family of a message (`opt_out` for STOP and the like), '' when none. */
	keyword: string;
}

export interface SendRow {
	contactId: string;
	sequence: string;
	stepId: string;
	step: number;
	variant: string;
	at: number;
	utmCampaign: string;
	utmContent: string;
}

export interface ConversionRow {
	orderId: string;
	/** '' for a refund that names no contact (it is the order's). */
	contactKey: string;
	/** The order's value; for a refund, the amount refunded, negative. */
	value: number;
	/** A refund (`type: refund` or a negative value): netted into the order with the same orderId. */
	refund: boolean;
	currency: string;
	at: number;
	utmCampaign: string;
	utmContent: string;
}

export interface ContactRow {
	contactId: string;
	enrolledAt: number | undefined;
	sequence: string;
	segments: string[];
}

export const STORY_TYPES: ReadonlySet<EventType> = new Set<EventType>([
	'view',
	'story_insights',
	...INTERACTION_TYPES,
]);
export const CLICK_TYPES: ReadonlySet<EventType> = new Set<EventType>([
	'link_click',
	'email_click',
]);
/** The open signals (read receipts, email opens): the open rate is shown only when one of them is tracked. */
export const OPEN_TYPES: ReadonlySet<EventType> = new Set<EventType>(['email_open', 'message_seen']);
/**
 * What counts as a reply to a message: the person writes to the account or answers a story. A reaction is not a
 * reply, nor a public comment (it answers a post, not the message), nor a STOP (see `isReply`).
 */
export const REPLY_TYPES: ReadonlySet<EventType> = new Set<EventType>([
	'story_reply',
	'message',
	'postback',
	'story_mention',
]);

/** A reply to a message: a reply type that is not an opt-out (STOP and the like say the opposite of interest). */
export function isReply(event: EventRow): boolean {
	return REPLY_TYPES.has(event.type) && event.keyword !== 'opt_out';
}

export function text(value: unknown): string {
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return '';
}

/** A segments field as a sorted list: an array, or a comma-separated string (the Data table column). */
export function readSegments(value: unknown): string[] {
	const list = Array.isArray(value) ? value.map(text) : text(value).split(',');
	return [...new Set(list.map((s) => s.trim()).filter((s) => s !== ''))].sort();
}

function time(value: unknown): number | undefined {
	const ms = parseInstant(value);
	return ms === undefined || Number.isNaN(ms) ? undefined : ms;
}

/** The refusal of a row whose `field` is not a readable time ("The send's sentAt …"). */
function badTime(row: string, json: Record<string, unknown>, field: string): { ok: false } & Rejection {
	return reject('bad_time', `The ${row}'s ${field} "${text(json[field])}" is not a readable time.`);
}

/** A money amount: a finite number ≥ 0, or its decimal text. */
export function readAmount(value: unknown): number | undefined {
	const n = readSignedAmount(value);
	return n !== undefined && n >= 0 ? n : undefined;
}

/** A money amount of either sign: a finite number, or its decimal text. */
function readSignedAmount(value: unknown): number | undefined {
	const n =
		typeof value === 'number'
			? value
			: typeof value === 'string' && value.trim() !== ''
				? Number(value.trim())
				: NaN;
	return Number.isFinite(n) ? n : undefined;
}

export function readEvent(json: Record<string, unknown>): Read<EventRow> {
	const viewerKey = text(json.viewerKey) || text(json.contactKey);
	if (viewerKey === '') return reject('missing_field', 'The event has no viewerKey.');
	const type = text(json.type);
	if (!(EVENT_TYPES as readonly string[]).includes(type)) {
		return reject(
			'unknown_type',
			`The event type "${type}" is not one of ${EVENT_TYPES.join(', ')}.`,
		);
	}
	const at = time(json.occurredAt);
	if (at === undefined)
		return badTime('event', json, 'occurredAt');
	return {
		ok: true,
		row: {
			viewerKey,
			type: type as EventType,
			at,
			source: text(json.sourceTool) || text(json.source) || 'unknown',
			segments: readSegments(json.segments),
			keyword: text(json.keyword),
		},
	};
}

export function readSend(json: Record<string, unknown>): Read<SendRow> {
	const kind = text(json.kind);
	if (kind !== '' && kind !== 'cadence') {
		return reject('not_a_cadence_send', `A ${kind} message is not part of a sequence.`);
	}
	const status = text(json.status);
	if (status !== '' && status !== 'sent')
		return reject('not_sent', `The message was not sent (${text(json.reason) || status}).`);
	const contactId = text(json.contactId);
	if (contactId === '') return reject('missing_field', 'The send has no contactId.');
	const step = Number(json.step);
	if (!Number.isInteger(step) || step < 1)
		return reject('bad_value', `The send's step "${text(json.step)}" is not a step number.`);
	const at = time(json.sentAt);
	if (at === undefined)
		return badTime('send', json, 'sentAt');
	return {
		ok: true,
		row: {
			contactId,
			sequence: text(json.sequence) || 'unknown',
			stepId: text(json.stepId) || `step${step}`,
			step,
			variant: text(json.variant) || 'A',
			at,
			utmCampaign: text(json.utmCampaign),
			utmContent: text(json.utmContent),
		},
	};
}

/**
 * A conversion event: `{ contactKey | viewerKey | email, type: "conversion", value, currency, occurredAt, orderId }`,
 * or a refund of an order: `type: "refund"` (the amount refunded, either sign) or a negative value, with the
 * order's orderId (the contact may be left out). Shared by Record Conversion (before storing) and the report.
 */
export function readConversion(json: Record<string, unknown>): Read<ConversionRow> {
	const type = text(json.type);
	if (type !== '' && type !== 'conversion' && type !== 'refund')
		return reject('not_a_conversion', `The event type is "${type}", not "conversion" or "refund".`);
	const orderId = text(json.orderId);
	if (orderId === '') return reject('missing_field', 'The conversion has no orderId.');
	const amount = readSignedAmount(json.value);
	if (amount === undefined)
		return reject('bad_value', `The conversion value "${text(json.value)}" is not an amount.`);
	const refund = type === 'refund' || amount < 0;
	const contactKey =
		text(json.contactKey) || text(json.viewerKey) || text(json.email).toLowerCase();
	if (contactKey === '' && !refund)
		return reject(
			'missing_field',
			'The conversion names no contact (contactKey, viewerKey or email).',
		);
	const currency = text(json.currency).toUpperCase();
	if (!/^[A-Z]{3}$/.test(currency))
		return reject('bad_value', `The currency "${currency}" is not a 3-letter ISO 4217 code.`);
	const at = time(json.occurredAt);
	if (at === undefined)
		return badTime('conversion', json, 'occurredAt');
	return {
		ok: true,
		row: {
			orderId,
			contactKey,
			value: refund ? -Math.abs(amount) : amount,
			refund,
			currency,
			at,
			utmCampaign: text(json.utmCampaign),
			utmContent: text(json.utmContent),
		},
	};
}

export function readContact(json: Record<string, unknown>): Read<ContactRow> {
	const contactId = text(json.contactId) || text(json.contactKey);
	if (contactId === '') return reject('missing_field', 'The contact row has no contactId.');
	const enrolledAt = text(json.enrolledAt) === '' ? undefined : time(json.enrolledAt);
	if (text(json.enrolledAt) !== '' && enrolledAt === undefined) {
		return badTime('contact', json, 'enrolledAt');
	}
	return {
		ok: true,
		row: {
			contactId,
			enrolledAt,
			sequence: text(json.sequence),
			// The templates' contact state keeps them as `leadSegments` (a comma-separated column).
			segments: readSegments(json.leadSegments ?? json.segments),
		},
	};
}

export const iso = formatIsoUtc;
