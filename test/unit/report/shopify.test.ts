import { conversionFromShopifyOrder, recordConversions } from '../../../nodes/core/report';

// Shaped like Shopify's orders/create webhook body: the REST Admin API Order resource
// (https://shopify.dev/docs/api/admin-rest/latest/resources/order), trimmed to the fields read plus a few others.
const ORDER = {
	id: 820982911946154500,
	admin_graphql_api_id: 'gid://shopify/Order/820982911946154500',
	name: '#1001',
	email: 'Jon@Example.com',
	created_at: '2026-11-18T08:00:00-05:00',
	processed_at: '2026-11-18T08:00:00-05:00',
	currency: 'USD',
	total_price: '403.00',
	current_total_price: '398.00',
	financial_status: 'paid',
	landing_site: '/products/yoga-mat?utm_source=instagram&utm_medium=story_dm&utm_campaign=spring&utm_content=thanks-A',
	referring_site: 'https://l.instagram.com/',
	note_attributes: [{ name: 'gift_note', value: 'none' }],
	customer: { id: 115310627314723950, email: 'jon@example.com', first_name: 'Jon' },
	line_items: [{ id: 1, title: 'Yoga mat', quantity: 1, price: '398.00' }],
};

describe('Shopify orders as conversions', () => {
	it('maps an orders/create body: order id, current total, currency, time, email, UTM values of the landing page', () => {
		expect(conversionFromShopifyOrder(ORDER)).toEqual({
			type: 'conversion',
			orderId: 'shopify:820982911946154500',
			email: 'Jon@Example.com',
			value: '398.00',
			currency: 'USD',
			occurredAt: '2026-11-18T08:00:00-05:00',
			utmCampaign: 'spring',
			utmContent: 'thanks-A',
		});
	});

	it('prefers the cart attributes a theme saved (UTM values, the Story Leads contact key) over the landing page', () => {
		const order = {
			...ORDER,
			note_attributes: [
				{ name: 'utm_campaign', value: 'autumn' },
				{ name: 'UTM_CONTENT', value: 'followUp-B' },
				{ name: 'story_leads_contact', value: 'ig_contact_9' },
			],
		};
		expect(conversionFromShopifyOrder(order)).toMatchObject({
			contactKey: 'ig_contact_9',
			utmCampaign: 'autumn',
			utmContent: 'followUp-B',
		});
	});

	it('records the mapped order once, in UTC, credited by UTM; a second post of the same order is a duplicate', () => {
		const first = recordConversions([conversionFromShopifyOrder(ORDER), conversionFromShopifyOrder(ORDER)], [], Date.parse('2026-11-18T14:00:00Z'));
		expect(first.fresh.map((f) => f.row)).toEqual([
			expect.objectContaining({
				orderId: 'shopify:820982911946154500',
				contactKey: 'jon@example.com',
				value: 398,
				currency: 'USD',
				occurredAt: '2026-11-18T13:00:00.000Z',
				utmCampaign: 'spring',
				utmContent: 'thanks-A',
			}),
		]);
		expect(first.duplicates.map((d) => d.reason)).toEqual(['duplicate_order']);
	});

	it('guesses nothing: an order without an id, a total or a landing page keeps those fields empty and is refused with the reason', () => {
		const bare = conversionFromShopifyOrder({ email: 'a@example.com', currency: 'EUR', created_at: '2026-11-18T08:00:00Z' });
		expect(bare).toMatchObject({ orderId: '', value: '', utmCampaign: '', utmContent: '' });
		const result = recordConversions([bare, conversionFromShopifyOrder({ ...ORDER, current_total_price: undefined, total_price: 'n/a' })], [], Date.parse('2026-11-18T14:00:00Z'));
		expect(result.invalid.map((i) => i.reason)).toEqual(['missing_field', 'bad_value']);
	});
});
