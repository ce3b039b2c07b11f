// A fake HubSpot API for the e2e test of the HubSpot template variants. n8n's HubSpot node (n8n-nodes-base.hubspot
// v2.x, nodes/Hubspot/V2) hard-codes https://api.hubapi.com, so the fake is served behind tlsProxy.js (a loopback
// forward proxy with a test certificate for api.hubapi.com); n8n reaches it through HTTPS_PROXY.
//
// It implements exactly what the templates' node (contact → upsert, app-token authentication) and its credential
// test call:
//   POST /contacts/v1/contact/createOrUpdate/email/:email   { properties: [{ property, value }] } → { vid, isNew }
//   GET  /contacts/v1/contact/vid/:vid/profile                (the node reads the contact back after an upsert)
//   GET  /account-info/v3/details                             (credential test)
// with HubSpot's error shapes: 401 INVALID_AUTHENTICATION without `Authorization: Bearer <token>`, 400
// VALIDATION_ERROR for an unknown property (PROPERTY_DOESNT_EXIST), a value that is not one of an enumeration's
// options (INVALID_OPTION) or a malformed email (INVALID_EMAIL), 404 for any other route (so a mismatch shows).
//
//   const hs = await startFakeHubSpot({ token, properties: { story_leads_tags: { type: 'enumeration',
//     fieldType: 'checkbox', options: ['Engaged', ...] }, instagram_scoped_id: { type: 'string' } } });
//   hs.handler(req, res)  -> the request listener (give it to startTlsInterceptProxy)
//   hs.requests -> [{ method, path, query, body, authorization, host, status }]
//   hs.upserts() -> [{ email, properties: { name: value } }] in order
//   hs.propertiesOf(email) -> current property values of that contact (strings), or undefined
//   hs.valuesOf(email, property) -> a multi-checkbox value as a sorted array of options
const crypto = require('crypto');
const { readRequest } = require('./request');

const DEFAULT_TOKEN = 'pat-test-not-a-real-token';
const PORTAL_ID = 24000001;

// Built-in contact properties the node may write (string-typed here; the templates only use firstname).
const BUILT_IN = ['email', 'firstname', 'lastname', 'phone', 'company', 'website', 'lifecyclestage', 'hs_lead_status'];

/**
 * @param {{ token?: string, properties?: Record<string, { type: 'string' | 'enumeration', fieldType?: string,
 *   options?: string[] }>, clock?: () => number }} [options]
 */
async function startFakeHubSpot(options = {}) {
	const token = options.token || DEFAULT_TOKEN;
	const clock = options.clock || (() => Date.now());
	const definitions = new Map(BUILT_IN.map((name) => [name, { type: 'string' }]));
	for (const [name, def] of Object.entries(options.properties || {})) definitions.set(name, def);
	const requests = [];
	const contacts = new Map(); // vid -> { vid, email, properties: { name: { value, timestamp } } }
	let nextVid = 101;

	const correlationId = () => crypto.randomUUID();

	function send(res, status, body) {
		res.writeHead(status, { 'content-type': 'application/json;charset=utf-8' });
		res.end(JSON.stringify(body));
	}

	function error(res, status, category, message, extra = {}) {
		send(res, status, { status: 'error', message, correlationId: correlationId(), category, ...extra });
	}

	function contactByEmail(email) {
		const wanted = String(email).toLowerCase();
		for (const contact of contacts.values()) if (contact.email === wanted) return contact;
		return undefined;
	}

	/** HubSpot's checks of one { property, value }: undefined when valid, else a validation result. */
	function validate(property, value) {
		const def = definitions.get(property);
		if (!def) {
			return { isValid: false, message: `Property "${property}" does not exist`, error: 'PROPERTY_DOESNT_EXIST', name: property };
		}
		const text = value === null || value === undefined ? '' : String(value);
		if (def.type === 'enumeration' && text !== '') {
			const values = def.fieldType === 'checkbox' ? text.split(';') : [text];
			for (const v of values) {
				if (!def.options.includes(v)) {
					return {
						isValid: false,
						message: `${v} was not one of the allowed options: [${def.options.map((o) => `label: "${o}"\nvalue: "${o}"`).join(', ')}]`,
						error: 'INVALID_OPTION',
						name: property,
					};
				}
			}
		}
		return undefined;
	}

	function profile(contact) {
		const properties = {};
		for (const [name, p] of Object.entries(contact.properties)) {
			properties[name] = { value: p.value, versions: [{ value: p.value, 'source-type': 'API', timestamp: p.timestamp }] };
		}
		return {
			vid: contact.vid,
			'canonical-vid': contact.vid,
			'merged-vids': [],
			'portal-id': PORTAL_ID,
			'is-contact': true,
			properties,
			'form-submissions': [],
			'list-memberships': [],
			'identity-profiles': [
				{
					vid: contact.vid,
					'saved-at-timestamp': contact.createdAt,
					'deleted-changed-timestamp': 0,
					identities: [{ type: 'EMAIL', value: contact.email, timestamp: contact.createdAt, 'is-primary': true }],
				},
			],
			'merge-audits': [],
		};
	}

	function route(req, res, url, body) {
		const path = url.pathname;
		let m;
		if (req.method === 'POST' && (m = /^\/contacts\/v1\/contact\/createOrUpdate\/email\/([^/]+)\/?$/.exec(path))) {
			const email = decodeURIComponent(m[1]).trim().toLowerCase();
			if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
				const result = { isValid: false, message: `Email address ${email} is invalid`, error: 'INVALID_EMAIL', name: 'email' };
				return error(res, 400, 'VALIDATION_ERROR', `Property values were not valid: ${JSON.stringify([result])}`, {
					validationResults: [result],
				});
			}
			const list = body && Array.isArray(body.properties) ? body.properties : undefined;
			if (!list) return error(res, 400, 'VALIDATION_ERROR', 'Invalid input JSON: expected { "properties": [...] }');
			const invalid = list.map((p) => validate(p.property, p.value)).filter(Boolean);
			if (invalid.length > 0) {
				return error(res, 400, 'VALIDATION_ERROR', `Property values were not valid: ${JSON.stringify(invalid)}`, {
					validationResults: invalid,
				});
			}
			let contact = contactByEmail(email);
			const isNew = !contact;
			const now = clock();
			if (!contact) {
				contact = { vid: nextVid++, email, createdAt: now, properties: { email: { value: email, timestamp: now } } };
				contacts.set(contact.vid, contact);
			}
			for (const p of list) contact.properties[p.property] = { value: p.value === null ? '' : String(p.value), timestamp: now };
			return send(res, 200, { vid: contact.vid, isNew });
		}
		if (req.method === 'GET' && (m = /^\/contacts\/v1\/contact\/vid\/(\d+)\/profile\/?$/.exec(path))) {
			const contact = contacts.get(Number(m[1]));
			if (!contact) return error(res, 404, 'OBJECT_NOT_FOUND', 'contact does not exist');
			return send(res, 200, profile(contact));
		}
		if (req.method === 'GET' && path === '/account-info/v3/details') {
			return send(res, 200, { portalId: PORTAL_ID, accountType: 'STANDARD', timeZone: 'UTC', companyCurrency: 'EUR', utcOffset: '+00:00' });
		}
		return error(res, 404, 'OBJECT_NOT_FOUND', `fake HubSpot: no route for ${req.method} ${path}`);
	}

	function handler(req, res) {
		readRequest(req, 'https://api.hubapi.com', ({ url, body, record }) => {
			Object.assign(record, { authorization: req.headers.authorization, host: req.headers.host, at: clock() });
			requests.push(record);
			const originalWriteHead = res.writeHead.bind(res);
			res.writeHead = (status, ...rest) => {
				record.status = status;
				return originalWriteHead(status, ...rest);
			};
			if (req.headers.authorization !== `Bearer ${token}`) {
				return error(
					res,
					401,
					'INVALID_AUTHENTICATION',
					'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
				);
			}
			try {
				route(req, res, url, body);
			} catch (e) {
				error(res, 500, 'INTERNAL_ERROR', `fake HubSpot error: ${e.message}`);
			}
		});
	}

	return {
		token,
		handler,
		requests,
		contacts,
		/** Successful createOrUpdate calls, in order: { email, properties: { name: value } }. */
		upserts() {
			return requests
				.filter((r) => r.method === 'POST' && r.path.startsWith('/contacts/v1/contact/createOrUpdate/email/') && r.status === 200)
				.map((r) => ({
					email: decodeURIComponent(r.path.split('/').pop()).toLowerCase(),
					properties: Object.fromEntries(r.body.properties.map((p) => [p.property, p.value])),
				}));
		},
		/** Current property values of the contact with that email (strings), or undefined. */
		propertiesOf(email) {
			const contact = contactByEmail(email);
			if (!contact) return undefined;
			return Object.fromEntries(Object.entries(contact.properties).map(([k, p]) => [k, p.value]));
		},
		/** A multi-checkbox property of a contact as a sorted array ([] when empty or unknown). */
		valuesOf(email, property) {
			const contact = contactByEmail(email);
			const value = contact && contact.properties[property] ? contact.properties[property].value : '';
			return value === '' ? [] : value.split(';').sort();
		},
	};
}

module.exports = { startFakeHubSpot, DEFAULT_TOKEN };
