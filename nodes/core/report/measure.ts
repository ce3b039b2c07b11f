import { INTERACTION_TYPES } from '../events/schema';
import { Attribution, sendKey } from './attribution';
import {
	CLICK_TYPES,
	OPEN_TYPES,
	REPLY_TYPES,
	STORY_TYPES,
	isReply,
	type ContactRow,
	type ConversionRow,
	type EventRow,
	type SendRow,
} from './rows';

const INTERACTIONS: ReadonlySet<string> = new Set(INTERACTION_TYPES);

/** The rows of the whole report range, read and credited once. */
export interface ReportData {
	events: EventRow[];
	sends: SendRow[];
	/** The orders, each once, refunds netted (fully refunded orders are left out). */
	conversions: ConversionRow[];
	/** Refunded amounts (positive), at the time of the order they refund. */
	refunds: Array<{ at: number; amount: number }>;
	/** null when no contact state was given: the Eligible stage is then unknown. */
	contacts: ContactRow[] | null;
	attribution: Attribution;
	credited: Array<{ event: EventRow; send: SendRow }>;
	creditedConversions: Array<{ conversion: ConversionRow; send: SendRow; person: boolean }>;
}

export function prepare(
	events: EventRow[],
	sends: SendRow[],
	conversions: ConversionRow[],
	refunds: ReportData['refunds'],
	contacts: ContactRow[] | null,
	attributionMs: number,
): ReportData {
	const attribution = new Attribution(sends, attributionMs);
	const credited: ReportData['credited'] = [];
	for (const event of events) {
		if (!isReply(event) && !CLICK_TYPES.has(event.type) && !OPEN_TYPES.has(event.type)) continue;
		const send = attribution.creditEvent(event);
		if (send) credited.push({ event, send });
	}
	const creditedConversions: ReportData['creditedConversions'] = [];
	for (const conversion of conversions) {
		const credit = attribution.creditConversion(conversion);
		if (credit) creditedConversions.push({ conversion, ...credit });
	}
	return {
		events,
		sends,
		conversions,
		refunds,
		contacts,
		attribution,
		credited,
		creditedConversions,
	};
}

/**
 * What happened in [from, to): viewers, captured leads and enrolments by activity in the range; messaged = the
 * people sent a sequence message in the range (the cohort), and their replies, opens, clicks and conversions
 * credited to those sends whenever they happened up to "as of".
 */
export interface Measures {
	viewers: Set<string>;
	captured: Set<string>;
	/**
	 * Whether any open signal (an OPEN_TYPES event) happened in the range: without one the open rate is unknown, not
	 * 0 (an open credited to the range's messages happens in the range, so none means nothing tracks opens).
	 */
	opensTracked: boolean;
	eligible: Set<string> | null;
	messaged: Set<string>;
	opened: Set<string>;
	replied: Set<string>;
	clicked: Set<string>;
	converted: Set<string>;
	/** Person-credited revenue per converted recipient. */
	revenueByContact: Map<string, number>;
	/** Every order in the range, attributed or not (fully refunded ones left out). */
	conversions: number;
	/** Their value, net of refunds. */
	revenue: number;
	/** What was refunded of the orders in the range. */
	refunded: number;
	/** Conversions (and their value) credited to the cohort's sends, by person or by UTM. */
	attributedConversions: number;
	attributedRevenue: number;
}

export function measure(
	data: ReportData,
	from: number,
	to: number,
	sendFilter?: (send: SendRow) => boolean,
): Measures {
	const inRange = (at: number) => at >= from && at < to;
	const viewers = new Set<string>();
	const captured = new Set<string>();
	let opensTracked = false;
	for (const event of data.events) {
		if (!inRange(event.at)) continue;
		if (OPEN_TYPES.has(event.type)) opensTracked = true;
		if (!STORY_TYPES.has(event.type)) continue;
		viewers.add(event.viewerKey);
		if (INTERACTIONS.has(event.type)) captured.add(event.viewerKey);
	}
	let eligible: Set<string> | null = null;
	if (data.contacts) {
		eligible = new Set();
		for (const contact of data.contacts) {
			if (contact.enrolledAt !== undefined && inRange(contact.enrolledAt))
				eligible.add(contact.contactId);
		}
	}
	const cohort = new Set<string>();
	const messaged = new Set<string>();
	for (const send of data.sends) {
		if (!inRange(send.at) || (sendFilter && !sendFilter(send))) continue;
		cohort.add(sendKey(send));
		messaged.add(send.contactId);
	}
	const opened = new Set<string>();
	const replied = new Set<string>();
	const clicked = new Set<string>();
	for (const { event, send } of data.credited) {
		if (!cohort.has(sendKey(send))) continue;
		if (REPLY_TYPES.has(event.type)) replied.add(event.viewerKey); // credited only when isReply
		else if (CLICK_TYPES.has(event.type)) clicked.add(event.viewerKey);
		else if (OPEN_TYPES.has(event.type)) opened.add(event.viewerKey);
	}
	const converted = new Set<string>();
	const revenueByContact = new Map<string, number>();
	let attributedConversions = 0;
	let attributedRevenue = 0;
	for (const { conversion, send, person } of data.creditedConversions) {
		if (!cohort.has(sendKey(send))) continue;
		attributedConversions += 1;
		attributedRevenue += conversion.value;
		if (!person) continue;
		converted.add(send.contactId);
		revenueByContact.set(
			send.contactId,
			(revenueByContact.get(send.contactId) ?? 0) + conversion.value,
		);
	}
	let conversions = 0;
	let revenue = 0;
	for (const conversion of data.conversions) {
		if (!inRange(conversion.at)) continue;
		conversions += 1;
		revenue += conversion.value;
	}
	let refunded = 0;
	for (const refund of data.refunds) if (inRange(refund.at)) refunded += refund.amount;
	return {
		viewers,
		captured,
		opensTracked,
		eligible,
		messaged,
		opened,
		replied,
		clicked,
		converted,
		revenueByContact,
		conversions,
		revenue,
		refunded,
		attributedConversions,
		attributedRevenue,
	};
}

/** A share rounded to 4 decimals; null when the base is 0 or unknown. */
export function ratio(part: number | null, whole: number | null): number | null {
	if (part === null || whole === null || whole <= 0) return null;
	return Math.round((part / whole) * 10000) / 10000;
}

/** Money rounded to cents (half away from zero, through an integer of cents to avoid binary noise). */
export function money(value: number): number {
	return (Math.sign(value) * Math.round(Math.abs(value) * 100 + 1e-9)) / 100;
}
