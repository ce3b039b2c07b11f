// The fake HubSpot and the TLS-terminating proxy the HubSpot e2e test points n8n at (scripts/fakes/hubspot.js,
// scripts/fakes/tlsProxy.js): a client that trusts only the test CA reaches "api.hubapi.com" through the proxy, gets
// HubSpot's answers and errors, and the proxy refuses every other host, so a test cannot reach the internet.
const fs = require('fs');
const http = require('http');
const tls = require('tls');
const { startFakeHubSpot } = require('../../scripts/fakes/hubspot');
const { startTlsInterceptProxy, CA_FILE } = require('../../scripts/fakes/tlsProxy');

/** CONNECTs through the proxy; resolves { status } for a refusal, or the tunnelled socket. */
function connect(proxyUrl, target) {
	const { hostname, port } = new URL(proxyUrl);
	return new Promise((resolve, reject) => {
		const req = http.request({ host: hostname, port, method: 'CONNECT', path: target });
		req.on('connect', (res, socket) => resolve(res.statusCode === 200 ? { status: 200, socket } : { status: res.statusCode }));
		req.on('error', reject);
		req.end();
	});
}

/** One HTTPS request to api.hubapi.com through the proxy, verifying the certificate against the test CA only. */
async function hubapi(proxyUrl, method, path, { token, body } = {}) {
	const { socket } = await connect(proxyUrl, 'api.hubapi.com:443');
	const secure = tls.connect({ socket, servername: 'api.hubapi.com', ca: fs.readFileSync(CA_FILE) });
	return await new Promise((resolve, reject) => {
		const raw = body === undefined ? '' : JSON.stringify(body);
		const req = http.request(
			{
				createConnection: () => secure,
				host: 'api.hubapi.com',
				method,
				path,
				headers: {
					...(token ? { authorization: `Bearer ${token}` } : {}),
					'content-type': 'application/json',
					'content-length': Buffer.byteLength(raw),
				},
			},
			(res) => {
				let text = '';
				res.on('data', (d) => (text += d));
				res.on('end', () => resolve({ status: res.statusCode, json: JSON.parse(text) }));
			},
		);
		req.on('error', reject);
		req.end(raw);
	});
}

describe('fake HubSpot behind the TLS-terminating test proxy', () => {
	let hs;
	let proxy;

	beforeAll(async () => {
		hs = await startFakeHubSpot({
			token: 'unit-token',
			properties: {
				tags: { type: 'enumeration', fieldType: 'checkbox', options: ['Engaged', 'Recent Activity'] },
				instagram_scoped_id: { type: 'string' },
			},
		});
		proxy = await startTlsInterceptProxy({ host: 'api.hubapi.com', handler: hs.handler });
	});

	afterAll(async () => {
		await proxy.close();
	});

	test('refuses a tunnel to any other host or port, and plain-http proxying', async () => {
		expect((await connect(proxy.url, 'example.com:443')).status).toBe(403);
		expect((await connect(proxy.url, 'api.hubapi.com:80')).status).toBe(403);
		const { hostname, port } = new URL(proxy.url);
		const plain = await new Promise((resolve, reject) => {
			const req = http.get({ host: hostname, port, path: 'http://example.com/' }, (res) => {
				res.resume();
				resolve(res.statusCode);
			});
			req.on('error', reject);
		});
		expect(plain).toBe(403);
		expect(proxy.connects.filter((c) => !c.allowed).map((c) => c.target)).toEqual([
			'example.com:443',
			'api.hubapi.com:80',
			'http://example.com/',
		]);
	});

	test('create-or-update by email, then the profile read-back, as the n8n HubSpot node calls them', async () => {
		const created = await hubapi(proxy.url, 'POST', '/contacts/v1/contact/createOrUpdate/email/ig-1@x.invalid', {
			token: 'unit-token',
			body: { properties: [{ property: 'tags', value: 'Engaged;Recent Activity' }, { property: 'instagram_scoped_id', value: '1' }] },
		});
		expect(created).toEqual({ status: 200, json: { vid: 101, isNew: true } });
		const updated = await hubapi(proxy.url, 'POST', '/contacts/v1/contact/createOrUpdate/email/IG-1@x.invalid', {
			token: 'unit-token',
			body: { properties: [{ property: 'tags', value: 'Engaged' }] },
		});
		expect(updated.json).toEqual({ vid: 101, isNew: false });
		const profile = await hubapi(proxy.url, 'GET', '/contacts/v1/contact/vid/101/profile', { token: 'unit-token' });
		expect(profile.status).toBe(200);
		expect(profile.json.properties.tags.value).toBe('Engaged');
		expect(hs.propertiesOf('ig-1@x.invalid')).toEqual({ email: 'ig-1@x.invalid', tags: 'Engaged', instagram_scoped_id: '1' });
		expect(hs.upserts().map((u) => u.properties)).toEqual([
			{ tags: 'Engaged;Recent Activity', instagram_scoped_id: '1' },
			{ tags: 'Engaged' },
		]);
	});

	test("answers HubSpot's errors: bad token, unknown property, value outside the options, unknown route", async () => {
		const post = (token, properties) =>
			hubapi(proxy.url, 'POST', '/contacts/v1/contact/createOrUpdate/email/a@b.com', { token, body: { properties } });
		const noAuth = await post('wrong', [{ property: 'tags', value: 'Engaged' }]);
		expect([noAuth.status, noAuth.json.category]).toEqual([401, 'INVALID_AUTHENTICATION']);
		const unknown = await post('unit-token', [{ property: 'story_leads_tags', value: 'Engaged' }]);
		expect([unknown.status, unknown.json.validationResults[0].error]).toEqual([400, 'PROPERTY_DOESNT_EXIST']);
		const option = await post('unit-token', [{ property: 'tags', value: 'Engaged;Hot' }]);
		expect([option.status, option.json.validationResults[0].error]).toEqual([400, 'INVALID_OPTION']);
		const route = await hubapi(proxy.url, 'POST', '/crm/v3/objects/contacts', { token: 'unit-token', body: {} });
		expect([route.status, route.json.category]).toEqual([404, 'OBJECT_NOT_FOUND']);
		expect(hs.propertiesOf('a@b.com')).toBeUndefined();
	});
});
