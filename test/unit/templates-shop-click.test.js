// Part 2's Shopify order branch and click redirect, as wired in the shipped files (both variants): the paths an
// order and a click take, and the settings that keep them safe (the shop trigger off until it has a credential, the
// redirect answering before it stores, refusals never redirected).
const fs = require('fs');
const path = require('path');

const WORKFLOWS = path.resolve(__dirname, '../../workflows');
const load = (file) => JSON.parse(fs.readFileSync(path.join(WORKFLOWS, file), 'utf8'));
const targets = (wf, name, output = 0) => ((wf.connections[name] && wf.connections[name].main[output]) || []).map((c) => c.node);
const nodeOf = (wf, name) => wf.nodes.find((n) => n.name === name);
/** The output of the Which path? switch whose rule tests that `trigger` ran. */
const ruleOf = (wf, trigger) =>
	nodeOf(wf, 'Which path?').parameters.rules.values.findIndex((rule) =>
		rule.conditions.conditions.some((c) => c.leftValue === `={{ $('${trigger}').isExecuted }}`),
	);

describe.each(['engagement-tagging.json', 'engagement-tagging-hubspot.json'])('%s', (file) => {
	const wf = load(file);

	test('a Shopify order (orders/create, disabled until set up) reaches Record conversion as { shopifyOrder }', () => {
		const trigger = nodeOf(wf, 'Shopify order');
		expect(trigger).toMatchObject({
			type: 'n8n-nodes-base.shopifyTrigger',
			disabled: true,
			parameters: { authentication: 'accessToken', topic: 'orders/create' },
			credentials: { shopifyAccessTokenApi: { id: null, name: 'Shopify shop' } },
		});
		expect(targets(wf, 'Shopify order')).toEqual(['Client settings']);
		const output = ruleOf(wf, 'Shopify order');
		expect(output).toBeGreaterThanOrEqual(0);
		expect(targets(wf, 'Which path?', output)).toEqual(['Order from Shopify']);
		const fields = nodeOf(wf, 'Order from Shopify').parameters.assignments.assignments.map((a) => [a.name, a.value, a.type]);
		expect(fields).toEqual([
			['type', 'conversion', 'string'],
			['shopifyOrder', '={{ $json }}', 'object'],
		]);
		expect(targets(wf, 'Order from Shopify')).toEqual(['Conversion?']);
		expect(targets(wf, 'Conversion?', 0).sort()).toEqual(['Read conversions', 'Record conversion']);
	});

	test('a click: Record click → 302 to the verified url → store the link_click after answering; refusals → 404', () => {
		expect(nodeOf(wf, 'Click redirect').parameters).toMatchObject({ httpMethod: 'GET', path: 'r/:token', responseMode: 'responseNode' });
		// Off until the user enables it with the privacy credential (an enabled node without it blocks publishing).
		expect([nodeOf(wf, 'Click redirect').disabled, nodeOf(wf, 'Record click').disabled]).toEqual([true, true]);
		expect(targets(wf, 'Click redirect')).toEqual(['Click settings']);
		expect(targets(wf, 'Click settings')).toEqual(['Record click']);
		expect(nodeOf(wf, 'Record click').parameters).toMatchObject({ operation: 'recordClick', asOf: '={{ $json.asOf }}', linkCode: '={{ $json.params.token }}' });
		expect(targets(wf, 'Record click', 0)).toEqual(['Redirect to the link']);
		expect(nodeOf(wf, 'Redirect to the link').parameters).toMatchObject({ respondWith: 'redirect', redirectURL: '={{ $json.url }}', options: { responseCode: 302 } });
		expect(targets(wf, 'Redirect to the link')).toEqual(['Store click']);
		expect(targets(wf, 'Record click', 1)).toEqual(['Link not found']);
		expect(nodeOf(wf, 'Link not found').parameters).toMatchObject({ respondWith: 'text', options: { responseCode: 404 } });
		// Nothing reads a table between the webhook and the answer.
		const before = ['Click redirect', 'Click settings', 'Record click'];
		expect(before.map((name) => nodeOf(wf, name).type).filter((type) => type === 'n8n-nodes-base.dataTable')).toEqual([]);
	});

	test('no Respond to Webhook node downstream of the Engagement webhook (n8n then refuses every posted event)', () => {
		// n8n's Webhook node fails with "Unused Respond to Webhook node found in the workflow" when a Respond node is
		// among its descendants and it does not respond through it: the click path must not share its branch.
		const seen = new Set();
		const walk = (name) => {
			for (const list of (wf.connections[name] && wf.connections[name].main) || []) {
				for (const { node } of list || []) if (!seen.has(node)) (seen.add(node), walk(node));
			}
		};
		walk('Engagement webhook');
		expect([...seen].filter((name) => nodeOf(wf, name).type === 'n8n-nodes-base.respondToWebhook')).toEqual([]);
	});
});
