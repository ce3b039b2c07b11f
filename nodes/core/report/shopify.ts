/**
 * Shopify orders as conversion events. n8n's Shopify Trigger (topic `orders/create`) outputs the order as Shopify
 * posts it: the REST Admin API Order resource (https://shopify.dev/docs/api/admin-rest/latest/resources/order).
 * The UTM values come from the landing page of the session that ordered (`landing_site`, e.g.
 * `/products/mat?utm_campaign=spring&utm_content=thanks-A`), unless the shop's theme saved them as cart attributes
 * (`note_attributes` `utm_campaign` / `utm_content`, which win); the person is the Story Leads contact key when the
 * theme saved one (`note_attributes` `story_leads_contact`), else the order's email.
 */

/** The WHATWG URL parser of the runtime; the core's tsconfig has no DOM types. */
declare const URL: new (input: string, base: string) => { searchParams: { get(name: string): string | null } };

const text = (value: unknown): string =>
	typeof value === 'string' ? value.trim() : typeof value === 'number' && Number.isFinite(value) ? String(value) : '';

function noteAttribute(order: Record<string, unknown>, name: string): string {
	const list = Array.isArray(order.note_attributes) ? order.note_attributes : [];
	for (const entry of list) {
		if (entry && typeof entry === 'object' && text((entry as Record<string, unknown>).name).toLowerCase() === name)
			return text((entry as Record<string, unknown>).value);
	}
	return '';
}

function landingParameter(landingSite: string, name: string): string {
	if (landingSite === '') return '';
	try {
		return (new URL(landingSite, 'https://shop.invalid').searchParams.get(name) ?? '').trim();
	} catch {
		return '';
	}
}

/**
 * The conversion event of a Shopify order (what Record Conversion reads). Nothing is guessed: a missing id, total or
 * time stays missing, so Record Conversion refuses the order with the reason.
 */
export function conversionFromShopifyOrder(order: Record<string, unknown>): Record<string, unknown> {
	const id = text(order.id);
	const customer = order.customer && typeof order.customer === 'object' ? (order.customer as Record<string, unknown>) : {};
	const landingSite = text(order.landing_site);
	const utm = (name: string) => noteAttribute(order, name) || landingParameter(landingSite, name);
	const contactKey = noteAttribute(order, 'story_leads_contact');
	const email = text(order.email) || text(customer.email);
	// current_total_price: the total after edits and refunds made before the webhook; total_price as sent at checkout.
	const total = text(order.current_total_price) || text(order.total_price);
	return {
		type: 'conversion',
		orderId: id === '' ? '' : `shopify:${id}`,
		...(contactKey !== '' ? { contactKey } : {}),
		...(email !== '' ? { email } : {}),
		value: total,
		currency: text(order.currency),
		occurredAt: text(order.processed_at) || text(order.created_at),
		utmCampaign: utm('utm_campaign'),
		utmContent: utm('utm_content'),
	};
}
