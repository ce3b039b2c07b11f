import { iso, readConversion, text, type ConversionRow, type NotCountedReason } from './rows';

/** A conversion to store: the row for the conversions table plus what the CRM step needs. */
export interface NewConversion {
	index: number;
	row: {
		orderId: string;
		contactKey: string;
		email: string | null;
		value: number;
		currency: string;
		occurredAt: string;
		receivedAt: string;
		utmCampaign: string | null;
		utmContent: string | null;
	};
	/** A refund of an earlier order (its value is negative): not a new conversion. */
	refund: boolean;
	/** Whether the contact had no stored conversion before this one. */
	firstConversion: boolean;
	/** The contact's total in this currency net of refunds, stored conversions included (for a CRM revenue field). */
	contactRevenue: number;
	/** The contact's number of orders not fully refunded, stored ones included. */
	contactOrders: number;
}

export interface RefusedConversion {
	index: number;
	reason: NotCountedReason;
	reasonText: string;
}

export interface RecordResult {
	fresh: NewConversion[];
	duplicates: RefusedConversion[];
	invalid: RefusedConversion[];
}

interface KnownOrder {
	contactKey: string;
	currency: string;
	/** What is left of the order after its refunds. */
	net: number;
}

/**
 * Conversion events → the ones to store, once per orderId: an order already stored (second input) or seen
 * earlier in the same batch is a duplicate; an unreadable one is invalid, with the reason. A refund (`type:
 * refund`, a negative value, or a re-post of a recorded order with value 0) is stored as its own row with the
 * order's orderId and a negative value (never more than what is left of the order), so the report nets it; a
 * refund of an order that was never recorded is invalid.
 */
export function recordConversions(
	posted: ReadonlyArray<Readonly<Record<string, unknown>>>,
	stored: ReadonlyArray<Readonly<Record<string, unknown>>>,
	nowMs: number,
): RecordResult {
	const orders = new Map<string, KnownOrder>();
	const refundKeys = new Set<string>();
	const refundKey = (row: ConversionRow) => `${row.orderId}\u0000${row.value}\u0000${row.at}`;
	const totals = new Map<string, { revenue: number; orders: number }>();
	/** Contacts (per currency) with any order recorded: the next one is not their first conversion. */
	const buyers = new Set<string>();
	const add = (contactKey: string, currency: string, revenue: number, orderCount: number) => {
		const key = `${contactKey}\u0000${currency}`;
		if (orderCount > 0) buyers.add(key);
		const t = totals.get(key) ?? { revenue: 0, orders: 0 };
		totals.set(key, { revenue: t.revenue + revenue, orders: t.orders + orderCount });
	};
	/** Nets a refund of `amount` into `order`; the order stops counting once nothing is left. */
	const refund = (order: KnownOrder, amount: number) => {
		order.net -= amount;
		add(order.contactKey, order.currency, -amount, order.net <= 0 && amount > 0 ? -1 : 0);
	};
	const storedRows = stored
		.map((json) => readConversion(json as Record<string, unknown>))
		.flatMap((read) => (read.ok ? [read.row] : []))
		.sort((a, b) => a.at - b.at || Number(a.refund) - Number(b.refund));
	const knownIds = new Set(stored.map((json) => text(json.orderId)).filter((id) => id !== ''));
	for (const row of storedRows) {
		const order = orders.get(row.orderId);
		if (!row.refund) {
			if (order) continue;
			orders.set(row.orderId, { contactKey: row.contactKey, currency: row.currency, net: row.value });
			add(row.contactKey, row.currency, row.value, 1);
		} else if (order && !refundKeys.has(refundKey(row))) {
			refundKeys.add(refundKey(row));
			refund(order, Math.min(order.net, -row.value));
		}
	}
	const result: RecordResult = { fresh: [], duplicates: [], invalid: [] };
	const refuse = (
		list: RefusedConversion[],
		index: number,
		reason: NotCountedReason,
		reasonText: string,
	): void => {
		list.push({ index, reason, reasonText });
	};
	posted.forEach((json, index): void => {
		const read = readConversion(json as Record<string, unknown>);
		if (!read.ok) return refuse(result.invalid, index, read.reason, read.reasonText);
		const row = read.row;
		const order = orders.get(row.orderId);
		const cancels = !row.refund && row.value === 0 && order !== undefined && order.net > 0;
		let stored: ConversionRow;
		let contactKey = row.contactKey;
		let firstConversion = false;
		if (!row.refund && !cancels) {
			if (order || knownIds.has(row.orderId))
				return refuse(result.duplicates, index, 'duplicate_order', `Order ${row.orderId} is already recorded.`);
			orders.set(row.orderId, { contactKey, currency: row.currency, net: row.value });
			firstConversion = !buyers.has(`${contactKey}\u0000${row.currency}`);
			add(contactKey, row.currency, row.value, 1);
			stored = row;
		} else {
			if (!order)
				return refuse(
					result.invalid,
					index,
					'refund_without_order',
					`Refund of order ${row.orderId}, which was never recorded.`,
				);
			if (row.currency !== order.currency)
				return refuse(
					result.invalid,
					index,
					'currency_mismatch',
					`The refund is in ${row.currency}; order ${row.orderId} is in ${order.currency}.`,
				);
			const amount = cancels ? order.net : Math.min(order.net, -row.value);
			if ((row.refund && refundKeys.has(refundKey(row))) || amount <= 0)
				return refuse(
					result.duplicates,
					index,
					'duplicate_order',
					`This refund of order ${row.orderId} is already recorded (${order.net <= 0 ? 'nothing is left to refund' : 'same amount and time'}).`,
				);
			refundKeys.add(refundKey(row));
			contactKey = order.contactKey;
			refund(order, amount);
			stored = { ...row, contactKey, value: -amount, refund: true };
		}
		const totalsNow = totals.get(`${contactKey}\u0000${stored.currency}`)!;
		const email = text(json.email).toLowerCase();
		result.fresh.push({
			index,
			row: {
				orderId: stored.orderId,
				contactKey,
				email: email === '' ? null : email,
				value: stored.value,
				currency: stored.currency,
				occurredAt: iso(stored.at),
				receivedAt: iso(nowMs),
				utmCampaign: stored.utmCampaign === '' ? null : stored.utmCampaign,
				utmContent: stored.utmContent === '' ? null : stored.utmContent,
			},
			refund: stored.refund,
			firstConversion,
			contactRevenue: Math.round(totalsNow.revenue * 100) / 100,
			contactOrders: totalsNow.orders,
		});
	});
	return result;
}
