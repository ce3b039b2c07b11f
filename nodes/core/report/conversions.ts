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
	/** Whether the contact had no stored conversion before this one. */
	firstConversion: boolean;
	/** The contact's total in this currency, stored conversions included (for a CRM revenue field). */
	contactRevenue: number;
	/** The contact's number of orders, stored ones included. */
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

/**
 * Conversion events → the ones to store, once per orderId: an order already stored (second input) or seen
 * earlier in the same batch is a duplicate; an unreadable one is invalid, with the reason.
 */
export function recordConversions(
	posted: ReadonlyArray<Readonly<Record<string, unknown>>>,
	stored: ReadonlyArray<Readonly<Record<string, unknown>>>,
	nowMs: number,
): RecordResult {
	const known = new Set<string>();
	const totals = new Map<string, { revenue: number; orders: number }>();
	const add = (row: ConversionRow) => {
		const key = `${row.contactKey}\u0000${row.currency}`;
		const t = totals.get(key) ?? { revenue: 0, orders: 0 };
		totals.set(key, { revenue: t.revenue + row.value, orders: t.orders + 1 });
	};
	for (const json of stored) {
		const read = readConversion(json as Record<string, unknown>);
		const orderId = read.ok ? read.row.orderId : text(json.orderId);
		if (orderId === '' || known.has(orderId)) continue;
		known.add(orderId);
		if (read.ok) add(read.row);
	}
	const result: RecordResult = { fresh: [], duplicates: [], invalid: [] };
	posted.forEach((json, index) => {
		const read = readConversion(json as Record<string, unknown>);
		if (!read.ok) {
			result.invalid.push({ index, reason: read.reason, reasonText: read.reasonText });
			return;
		}
		const row = read.row;
		if (known.has(row.orderId)) {
			result.duplicates.push({
				index,
				reason: 'duplicate_order',
				reasonText: `Order ${row.orderId} is already recorded.`,
			});
			return;
		}
		known.add(row.orderId);
		const key = `${row.contactKey}\u0000${row.currency}`;
		const before = totals.get(key);
		add(row);
		const after = totals.get(key)!;
		const email = text(json.email).toLowerCase();
		result.fresh.push({
			index,
			row: {
				orderId: row.orderId,
				contactKey: row.contactKey,
				email: email === '' ? null : email,
				value: row.value,
				currency: row.currency,
				occurredAt: iso(row.at),
				receivedAt: iso(nowMs),
				utmCampaign: row.utmCampaign === '' ? null : row.utmCampaign,
				utmContent: row.utmContent === '' ? null : row.utmContent,
			},
			firstConversion: before === undefined,
			contactRevenue: Math.round(after.revenue * 100) / 100,
			contactOrders: after.orders,
		});
	});
	return result;
}
