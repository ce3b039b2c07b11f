import { recordConversions } from '../../../nodes/core/report';

const NOW = Date.parse('2026-03-16T12:00:00.000Z');

describe('recordConversions', () => {
	const stored = [
		{
			orderId: 'o1',
			contactKey: 'ig_1',
			value: 40,
			currency: 'EUR',
			occurredAt: '2026-03-10T10:00:00.000Z',
		},
		{
			orderId: 'o1',
			contactKey: 'ig_1',
			value: 40,
			currency: 'EUR',
			occurredAt: '2026-03-10T10:00:00.000Z',
		},
	];
	const posted = [
		{
			viewerKey: 'ig_1',
			type: 'conversion',
			value: '59.90',
			currency: 'eur',
			occurredAt: '2026-03-16T09:00:00+01:00',
			orderId: 'o2',
			email: 'Ana@Example.com',
		},
		{
			email: 'Bo@Example.com',
			type: 'conversion',
			value: 20,
			currency: 'EUR',
			occurredAt: '2026-03-16T09:00:00Z',
			orderId: 'o3',
			utmContent: 'thanks-B',
		},
		{
			contactKey: 'ig_1',
			type: 'conversion',
			value: 10,
			currency: 'EUR',
			occurredAt: '2026-03-16T09:00:00Z',
			orderId: 'o1',
		},
		{
			contactKey: 'ig_2',
			type: 'conversion',
			value: 10,
			currency: 'EUR',
			occurredAt: '2026-03-16T09:00:00Z',
			orderId: 'o2',
		},
		{
			contactKey: 'ig_2',
			type: 'conversion',
			value: 'ten',
			currency: 'EUR',
			occurredAt: '2026-03-16T09:00:00Z',
			orderId: 'o4',
		},
		{ contactKey: 'ig_2', type: 'email_open', occurredAt: '2026-03-16T09:00:00Z', orderId: 'o5' },
		{
			type: 'conversion',
			value: 1,
			currency: 'EUR',
			occurredAt: '2026-03-16T09:00:00Z',
			orderId: 'o6',
		},
	];
	const result = recordConversions(posted, stored, NOW);

	it('keeps each new order once, normalised, with the contact totals for the CRM', () => {
		expect(result.fresh).toEqual([
			{
				index: 0,
				row: {
					orderId: 'o2',
					contactKey: 'ig_1',
					email: 'ana@example.com',
					value: 59.9,
					currency: 'EUR',
					occurredAt: '2026-03-16T08:00:00.000Z',
					receivedAt: '2026-03-16T12:00:00.000Z',
					utmCampaign: null,
					utmContent: null,
				},
				refund: false,
				firstConversion: false,
				contactRevenue: 99.9,
				contactOrders: 2,
			},
			expect.objectContaining({
				index: 1,
				row: expect.objectContaining({ contactKey: 'bo@example.com', utmContent: 'thanks-B' }),
				firstConversion: true,
				contactRevenue: 20,
			}),
		]);
	});

	it('refuses stored and repeated orders as duplicates, unreadable ones as invalid, with reasons; nothing is lost', () => {
		expect(result.duplicates.map((d) => [d.index, d.reason])).toEqual([
			[2, 'duplicate_order'],
			[3, 'duplicate_order'],
		]);
		expect(result.invalid.map((d) => [d.index, d.reason])).toEqual([
			[4, 'bad_value'],
			[5, 'not_a_conversion'],
			[6, 'missing_field'],
		]);
		expect(result.fresh.length + result.duplicates.length + result.invalid.length).toBe(
			posted.length,
		);
	});
});

describe('recordConversions: refunds (issue 23, item 3)', () => {
	// Stored: order r1 of 40 for ig_1 (the contact's only order: revenue 40, 1 order).
	const stored = [
		{ orderId: 'r1', contactKey: 'ig_1', value: 40, currency: 'EUR', occurredAt: '2026-03-10T10:00:00.000Z' },
	];
	const refund = (extra: Record<string, unknown>) => ({
		orderId: 'r1',
		currency: 'EUR',
		occurredAt: '2026-03-15T10:00:00Z',
		...extra,
	});

	it('stores a refund as a negative row of its order, with the contact’s net totals', () => {
		// type refund of 15 (no contact: it is the order's) → −15; the contact's revenue 40 − 15 = 25, still 1 order.
		const result = recordConversions([refund({ type: 'refund', value: 15 })], stored, NOW);
		expect(result.fresh).toEqual([
			expect.objectContaining({
				row: expect.objectContaining({ orderId: 'r1', contactKey: 'ig_1', value: -15 }),
				refund: true,
				firstConversion: false,
				contactRevenue: 25,
				contactOrders: 1,
			}),
		]);
	});

	it('reads a re-post with value 0 as a full refund of what is left, and a negative value as a refund', () => {
		// Stored r1 40 and a stored refund of −15 → 25 left. A re-post with 0 refunds those 25: revenue 0, 0 orders.
		const withRefund = [...stored, { ...stored[0], value: -15, occurredAt: '2026-03-12T10:00:00.000Z' }];
		const cancel = recordConversions([refund({ contactKey: 'ig_1', value: 0 })], withRefund, NOW);
		expect(cancel.fresh[0]).toMatchObject({
			row: { value: -25 },
			refund: true,
			contactRevenue: 0,
			contactOrders: 0,
		});
		// −50 on an order of 40 refunds 40, never more.
		const negative = recordConversions([refund({ contactKey: 'ig_1', value: -50 })], stored, NOW);
		expect(negative.fresh[0]).toMatchObject({ row: { value: -40 }, contactRevenue: 0 });
	});

	it('refuses a refund of an unknown order, a retried refund, and one in another currency', () => {
		const posted = [
			refund({ orderId: 'r9', type: 'refund', value: 5 }),
			refund({ type: 'refund', value: 5 }),
			refund({ type: 'refund', value: 5 }),
			refund({ type: 'refund', value: 5, currency: 'USD' }),
		];
		const result = recordConversions(posted, stored, NOW);
		expect(result.fresh.map((f) => f.index)).toEqual([1]);
		expect(result.duplicates.map((d) => [d.index, d.reason])).toEqual([[2, 'duplicate_order']]);
		expect(result.invalid.map((d) => [d.index, d.reason])).toEqual([
			[0, 'refund_without_order'],
			[3, 'currency_mismatch'],
		]);
	});
});
