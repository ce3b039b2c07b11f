// The fake Shopify shop (scripts/fakes/shopify.js) behind the TLS-terminating test proxy, next to the fake HubSpot:
// a client that trusts only the test CA reaches each host with its own certificate; the Webhook resource answers as
// Shopify documents it (also on the double-slash path n8n's Shopify Trigger asks for); deliveries are signed with
// the app secret over the raw body, with Shopify's headers; everything else is refused.
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const tls = require('tls');
const { startFakeShopify } = require('../../../scripts/fakes/shopify');
const { startFakeHubSpot } = require('../../../scripts/fakes/hubspot');
const { startTlsInterceptProxy, CA_FILE } = require('../../../scripts/fakes/tlsProxy');

function connect(proxyUrl, target) {
	const { hostname, port } = new URL(proxyUrl);
	return new Promise((resolve, reject) => {
		const req = http.request({ host: hostname, port, method: 'CONNECT', path: target });
		req.on('connect', (res, socket) => resolve(res.statusCode === 200 ? { status: 200, socket } : { status: res.statusCode }));
		req.on('error', reject);
		req.end();
	});
}

/** One HTTPS request to `host` through the proxy, verifying its certificate against the test CA only. */
async function request(proxyUrl, host, method, path, { headers = {}, body } = {}) {
	const { socket } = await connect(proxyUrl, `${host}:443`);
	const secure = tls.connect({ socket, servername: host, ca: fs.readFileSync(CA_FILE) });
	return await new Promise((resolve, reject) => {
		const raw = body === undefined ? '' : JSON.stringify(body);
		const req = http.request(
			{ createConnection: () => secure, host, method, path, headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(raw) } },
			(res) => {
				let text = '';
				res.on('data', (d) => (text += d));
				res.on('end', () => resolve({ status: res.statusCode, json: JSON.parse(text), peer: secure.getPeerCertificate().subject.CN }));
			},
		);
		req.on('error', reject);
		req.end(raw);
	});
}

describe('fake Shopify shop behind the TLS-terminating test proxy', () => {
	let shop;
	let hubspot;
	let proxy;
	let receiver;
	let received;
	let receiverUrl;
	const SHOP = 'story-leads-test.myshopify.com';

	beforeAll(async () => {
		shop = await startFakeShopify({ accessToken: 'shpat_unit', appSecret: 'unit-app-secret' });
		hubspot = await startFakeHubSpot({ token: 'unit-token' });
		proxy = await startTlsInterceptProxy({ hosts: { 'api.hubapi.com': hubspot.handler, [shop.host]: shop.handler } });
		received = [];
		receiver = http.createServer((req, res) => {
			let raw = '';
			req.on('data', (d) => (raw += d));
			req.on('end', () => {
				received.push({ headers: req.headers, raw });
				res.end('ok');
			});
		});
		await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
		receiverUrl = `http://127.0.0.1:${receiver.address().port}/webhook/abc/webhook`;
	});

	afterAll(async () => {
		await proxy.close();
		await new Promise((resolve) => receiver.close(resolve));
	});

	const token = { 'x-shopify-access-token': 'shpat_unit' };

	test('each host is served with its own certificate; other hosts are refused', async () => {
		expect((await request(proxy.url, SHOP, 'GET', '/admin/api/2024-07/webhooks.json', { headers: token })).peer).toBe(SHOP);
		const hs = await request(proxy.url, 'api.hubapi.com', 'GET', '/account-info/v3/details', { headers: { authorization: 'Bearer unit-token' } });
		expect([hs.status, hs.peer]).toEqual([200, 'api.hubapi.com']);
		expect((await connect(proxy.url, 'other-shop.myshopify.com:443')).status).toBe(403);
	});

	test('the Webhook resource: create, list by topic (also at n8n\'s //webhooks path), delete; 401 without the token; 422 on a bad topic', async () => {
		const created = await request(proxy.url, SHOP, 'POST', '/admin/api/2024-07//webhooks.json', {
			headers: token,
			body: { webhook: { topic: 'orders/create', address: receiverUrl, format: 'json' } },
		});
		expect(created.status).toBe(201);
		expect(created.json.webhook).toMatchObject({ topic: 'orders/create', address: receiverUrl, format: 'json', api_version: '2024-07' });
		const listed = await request(proxy.url, SHOP, 'GET', '/admin/api/2024-07//webhooks?topic=orders%2Fcreate', { headers: token });
		expect(listed.json.webhooks.map((w) => w.id)).toEqual([created.json.webhook.id]);
		const other = await request(proxy.url, SHOP, 'GET', '/admin/api/2024-07/webhooks.json?topic=orders%2Fpaid', { headers: token });
		expect(other.json).toEqual({ webhooks: [] });
		const again = await request(proxy.url, SHOP, 'POST', '/admin/api/2024-07/webhooks.json', {
			headers: token,
			body: { webhook: { topic: 'orders/create', address: receiverUrl, format: 'json' } },
		});
		expect([again.status, again.json]).toEqual([422, { errors: { address: ['for this topic has already been taken'] } }]);
		const typo = await request(proxy.url, SHOP, 'POST', '/admin/api/2024-07/webhooks.json', {
			headers: token,
			body: { webhook: { topic: 'order/create', address: receiverUrl } },
		});
		expect([typo.status, typo.json]).toEqual([422, { errors: { topic: ['Invalid topic specified.'] } }]);
		const anonymous = await request(proxy.url, SHOP, 'GET', '/admin/api/2024-07/webhooks.json');
		expect(anonymous.status).toBe(401);
		expect(shop.subscriptions()).toEqual([{ id: created.json.webhook.id, topic: 'orders/create', address: receiverUrl, format: 'json' }]);
	});

	test('delivers to the subscriptions of the topic, signed as Shopify signs (base64 HMAC-SHA256 of the raw body)', async () => {
		const order = { id: 5001, email: 'ana@example.com', total_price: '80.00', currency: 'EUR' };
		expect(await shop.deliver('orders/create', order)).toEqual([{ address: receiverUrl, status: 200 }]);
		expect(await shop.deliver('orders/paid', order)).toEqual([]);
		await shop.deliver('orders/create', order, { secret: 'forged' });
		const [signed, forged] = received;
		const hmac = (raw) => crypto.createHmac('sha256', 'unit-app-secret').update(raw).digest('base64');
		expect(JSON.parse(signed.raw)).toEqual(order);
		expect(signed.headers).toMatchObject({
			'x-shopify-topic': 'orders/create',
			'x-shopify-hmac-sha256': hmac(signed.raw),
			'x-shopify-shop-domain': SHOP,
			'x-shopify-api-version': '2024-07',
		});
		expect(signed.headers['x-shopify-webhook-id']).toMatch(/^[0-9a-f-]{36}$/);
		expect(forged.headers['x-shopify-hmac-sha256']).not.toBe(hmac(forged.raw));
	});

	test('deleting the webhook stops the deliveries', async () => {
		const [{ id }] = shop.subscriptions();
		const res = await request(proxy.url, SHOP, 'DELETE', `/admin/api/2024-07//webhooks/${id}.json`, { headers: token });
		expect([res.status, res.json]).toEqual([200, {}]);
		expect(shop.subscriptions()).toEqual([]);
		expect(await shop.deliver('orders/create', { id: 5002 })).toEqual([]);
		expect((await request(proxy.url, SHOP, 'DELETE', `/admin/api/2024-07/webhooks/${id}.json`, { headers: token })).status).toBe(404);
	});
});
