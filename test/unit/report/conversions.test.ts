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
