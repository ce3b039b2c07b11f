// A fake Shopify shop for the e2e test of Part 2's "Shopify order" trigger. n8n's Shopify Trigger
// (n8n-nodes-base.shopifyTrigger v1, Access Token authentication) hard-codes
// https://<shop>.myshopify.com/admin/api/2024-07/, so the fake is served behind tlsProxy.js (a loopback forward proxy
// with a test certificate for the shop host); n8n reaches it through HTTPS_PROXY.
//
// Only documented behaviour, and only what the trigger uses:
//   REST Admin API Webhook resource (https://shopify.dev/docs/api/admin-rest/2024-07/resources/webhook):
//     GET    /admin/api/2024-07/webhooks.json?topic=…   → { webhooks: [{ id, address, topic, format, … }] }
//     POST   /admin/api/2024-07/webhooks.json           { webhook: { topic, address, format } } → 201 { webhook }
//     DELETE /admin/api/2024-07/webhooks/:id.json       → 200 {}
//   n8n's node joins `…/admin/api/2024-07/` and `/webhooks`, so it asks for `…/2024-07//webhooks` (double slash, and
//   without `.json` in checkExists); the node works against real shops, so Shopify routes these like
//   `/webhooks.json`, and so does the fake (repeated slashes collapsed, `.json` optional).
//   Authentication: the `X-Shopify-Access-Token` header of a custom app
//   (https://shopify.dev/docs/api/admin-rest#authentication); without it or with another token: 401
//   { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' }. Unknown routes: 404
//   { errors: 'Not Found' }. A topic Shopify does not have or a missing address: 422 { errors: { … } }.
//   Deliveries (https://shopify.dev/docs/apps/build/webhooks/delivery-structure#headers and
//   https://shopify.dev/docs/apps/build/webhooks/verify-deliveries): an HTTP POST of the JSON payload to each
//   subscription of the topic with X-Shopify-Topic, X-Shopify-Hmac-Sha256 (base64 HMAC-SHA256 of the raw body,
//   keyed with the app's client secret), X-Shopify-Shop-Domain, X-Shopify-API-Version, X-Shopify-Webhook-Id,
//   X-Shopify-Event-Id and X-Shopify-Triggered-At. The payload of orders/create is the Order resource
//   (https://shopify.dev/docs/api/admin-rest/2024-07/resources/order); the test builds it.
//   One deviation: Shopify only accepts an https address; the fake also accepts the test n8n's loopback http URL.
//
//   const shop = await startFakeShopify({ shop: 'story-leads-test', accessToken, appSecret });
//   shop.host -> 'story-leads-test.myshopify.com'; shop.handler -> give it to startTlsInterceptProxy
//   shop.subscriptions() -> [{ id, topic, address, format }]
//   await shop.deliver('orders/create', order) -> [{ address, status }] (one POST per subscription of the topic)
//   shop.requests -> [{ method, path, query, body, accessToken, host, status }]
const crypto = require('crypto');
const { readRequest } = require('./request');

const API_VERSION = '2024-07';
// The order topics of the Webhook resource that the fake accepts (enough to show a typo; the trigger sends one).
const TOPICS = new Set(['orders/create', 'orders/updated', 'orders/paid', 'orders/cancelled', 'orders/fulfilled', 'refunds/create']);

/** @param {{ shop?: string, accessToken?: string, appSecret?: string }} [options] */
async function startFakeShopify(options = {}) {
	const shop = options.shop || 'story-leads-test';
	const host = `${shop}.myshopify.com`;
	const accessToken = options.accessToken || 'shpat_test_not_a_real_token';
	const appSecret = options.appSecret || crypto.randomBytes(16).toString('hex');
	const requests = [];
	const webhooks = new Map(); // id -> webhook
	let nextId = 1100000001;

	function send(res, status, body) {
		res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
		res.end(JSON.stringify(body));
	}

	function route(req, res, url, body) {
		const base = `/admin/api/${API_VERSION}`;
		const path = url.pathname.replace(/\/{2,}/g, '/').replace(/\.json$/, '');
		let m;
		if (req.method === 'GET' && path === `${base}/webhooks`) {
			const topic = url.searchParams.get('topic');
			const address = url.searchParams.get('address');
			const list = [...webhooks.values()].filter((w) => (!topic || w.topic === topic) && (!address || w.address === address));
			return send(res, 200, { webhooks: list });
		}
		if (req.method === 'POST' && path === `${base}/webhooks`) {
			const input = body && typeof body === 'object' ? body.webhook : undefined;
			if (!input || typeof input !== 'object') return send(res, 400, { errors: { webhook: 'Required parameter missing or invalid' } });
			const errors = {};
			if (!TOPICS.has(input.topic)) errors.topic = ['Invalid topic specified.'];
			if (typeof input.address !== 'string' || !/^https?:\/\//.test(input.address)) errors.address = ["can't be blank"];
			else if ([...webhooks.values()].some((w) => w.topic === input.topic && w.address === input.address))
				errors.address = ['for this topic has already been taken'];
			if (Object.keys(errors).length > 0) return send(res, 422, { errors });
			const now = new Date().toISOString();
			const webhook = {
				id: nextId++,
				address: input.address,
				topic: input.topic,
				created_at: now,
				updated_at: now,
				format: input.format || 'json',
				fields: [],
				metafield_namespaces: [],
				api_version: API_VERSION,
				private_metafield_namespaces: [],
			};
			webhooks.set(webhook.id, webhook);
			return send(res, 201, { webhook });
		}
		if (req.method === 'DELETE' && (m = /^\/admin\/api\/2024-07\/webhooks\/(\d+)$/.exec(path))) {
			if (!webhooks.delete(Number(m[1]))) return send(res, 404, { errors: 'Not Found' });
			return send(res, 200, {});
		}
		return send(res, 404, { errors: 'Not Found' });
	}

	function handler(req, res) {
		readRequest(req, `https://${host}`, ({ url, body, record }) => {
			Object.assign(record, { accessToken: req.headers['x-shopify-access-token'], host: req.headers.host });
			requests.push(record);
			const originalWriteHead = res.writeHead.bind(res);
			res.writeHead = (status, ...rest) => {
				record.status = status;
				return originalWriteHead(status, ...rest);
			};
			if (req.headers['x-shopify-access-token'] !== accessToken) {
				return send(res, 401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
			}
			try {
				route(req, res, url, body);
			} catch (e) {
				send(res, 500, { errors: `fake Shopify error: ${e.message}` });
			}
		});
	}

	/** Signs a raw body as Shopify does: base64 HMAC-SHA256 keyed with the app's client secret. */
	const sign = (raw, secret = appSecret) => crypto.createHmac('sha256', secret).update(raw, 'utf8').digest('base64');

	/**
	 * Posts `payload` to every subscription of `topic`, as Shopify delivers a webhook. `secret` signs with another
	 * key (a forged delivery). Returns [{ address, status }].
	 */
	async function deliver(topic, payload, { secret } = {}) {
		const raw = JSON.stringify(payload);
		const results = [];
		for (const webhook of webhooks.values()) {
			if (webhook.topic !== topic) continue;
			const res = await fetch(webhook.address, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'x-shopify-topic': topic,
					'x-shopify-hmac-sha256': sign(raw, secret),
					'x-shopify-shop-domain': host,
					'x-shopify-api-version': API_VERSION,
					'x-shopify-webhook-id': crypto.randomUUID(),
					'x-shopify-event-id': crypto.randomUUID(),
					'x-shopify-triggered-at': new Date().toISOString(),
				},
				body: raw,
			});
			await res.text();
			results.push({ address: webhook.address, status: res.status });
		}
		return results;
	}

	return {
		shop,
		host,
		accessToken,
		appSecret,
		handler,
		requests,
		subscriptions: () => [...webhooks.values()].map(({ id, topic, address, format }) => ({ id, topic, address, format })),
		deliver,
		sign,
	};
}

module.exports = { startFakeShopify, SHOPIFY_API_VERSION: API_VERSION };
