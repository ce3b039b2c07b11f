// A fake ActiveCampaign API v3 on 127.0.0.1 (random port) for the e2e test and `npm run demo`.
// It implements the endpoints n8n's built-in ActiveCampaign node (n8n-nodes-base.activeCampaign v1) and its
// credential test call, with the response shapes of the real API, and records every request.
//
//   const ac = await startFakeActiveCampaign({ apiKey: 'test-key' });
//   credential: { apiUrl: ac.url, apiKey: ac.apiKey }
//   ac.requests  -> [{ method, path, query, body, headers }]
//   ac.contacts  -> Map id -> contact;  ac.tags -> Map id -> tag;  ac.contactTags -> Map id -> contactTag
//   ac.deals     -> Map id -> deal (value in cents, as the real API keeps it)
//   ac.tagNamesOf(email) -> sorted tag names currently on that contact
//   await ac.close()
const http = require('http');
const { readRequest } = require('./request');

const DEFAULT_API_KEY = 'fake-activecampaign-key';

function isoNow(clock) {
	return new Date(clock()).toISOString();
}

/**
 * @param {{ apiKey?: string, clock?: () => number, tags?: string[] }} [options]
 *   tags: tag names that exist before the test (ids 1..n).
 */
async function startFakeActiveCampaign(options = {}) {
	const apiKey = options.apiKey || DEFAULT_API_KEY;
	const clock = options.clock || (() => Date.now());
	const requests = [];
	const contacts = new Map();
	const tags = new Map();
	const contactTags = new Map();
	const deals = new Map();
	let nextDealId = 1;
	let nextContactId = 1;
	let nextTagId = 1;
	let nextContactTagId = 1;

	function addTag(name, tagType = 'contact', description = '') {
		const id = String(nextTagId++);
		const tag = { id, tag: name, tagType, description, cdate: isoNow(clock), links: {} };
		tags.set(id, tag);
		return tag;
	}
	for (const name of options.tags || []) addTag(name);

	function contactByEmail(email) {
		const wanted = String(email || '').toLowerCase();
		for (const contact of contacts.values()) if (contact.email.toLowerCase() === wanted) return contact;
		return undefined;
	}

	function applyContactFields(contact, input) {
		for (const key of ['firstName', 'lastName', 'phone']) {
			if (input[key] !== undefined) contact[key] = String(input[key]);
		}
		if (Array.isArray(input.fieldValues)) {
			contact.fieldValues = contact.fieldValues || {};
			for (const fv of input.fieldValues) contact.fieldValues[String(fv.field)] = fv.value;
		}
		contact.udate = isoNow(clock);
	}

	function newContact(input) {
		const id = String(nextContactId++);
		const contact = {
			id,
			email: String(input.email),
			firstName: '',
			lastName: '',
			phone: '',
			cdate: isoNow(clock),
			udate: isoNow(clock),
			links: {},
		};
		applyContactFields(contact, input);
		contacts.set(id, contact);
		return contact;
	}

	function page(list, query) {
		const limit = Math.max(1, Number(query.limit || 20));
		const offset = Math.max(0, Number(query.offset || 0));
		return { slice: list.slice(offset, offset + limit), total: String(list.length) };
	}

	function send(res, status, body) {
		const text = body === undefined ? '' : JSON.stringify(body);
		res.writeHead(status, { 'content-type': 'application/json' });
		res.end(text);
	}

	function validationError(res, title, pointer) {
		send(res, 422, { errors: [{ title, detail: '', code: 'field_missing', source: { pointer } }] });
	}

	function route(req, res, url, body) {
		const path = url.pathname.replace(/\/+$/, '');
		const query = Object.fromEntries(url.searchParams.entries());
		const method = req.method;
		let m;

		if (method === 'GET' && path === '/api/3/fields') {
			return send(res, 200, { fields: [], fieldOptions: [], fieldRels: [], meta: { total: '0' } });
		}
		if (method === 'POST' && path === '/api/3/contact/sync') {
			const input = (body && body.contact) || {};
			if (!input.email) return validationError(res, 'Email address is required', '/data/attributes/email');
			let contact = contactByEmail(input.email);
			const status = contact ? 200 : 201;
			if (contact) applyContactFields(contact, input);
			else contact = newContact(input);
			return send(res, status, { fieldValues: [], contact });
		}
		if (method === 'POST' && path === '/api/3/contacts') {
			const input = (body && body.contact) || {};
			if (!input.email) return validationError(res, 'Email address is required', '/data/attributes/email');
			if (contactByEmail(input.email)) {
				return send(res, 422, {
					errors: [
						{
							title: 'Email address already exists in the system.',
							detail: '',
							code: 'duplicate',
							source: { pointer: '/data/attributes/email' },
						},
					],
				});
			}
			return send(res, 201, { fieldValues: [], contact: newContact(input) });
		}
		if (method === 'GET' && path === '/api/3/contacts') {
			let list = [...contacts.values()];
			if (query.email) list = list.filter((c) => c.email.toLowerCase() === query.email.toLowerCase());
			if (query.search) list = list.filter((c) => c.email.includes(query.search));
			const { slice, total } = page(list, query);
			return send(res, 200, { scoreValues: [], contacts: slice, meta: { total, page_input: query } });
		}
		if ((m = /^\/api\/3\/contacts\/(\d+)\/contactTags$/.exec(path)) && method === 'GET') {
			if (!contacts.has(m[1])) return send(res, 404, { message: `No Result found for Subscriber with id ${m[1]}` });
			const list = [...contactTags.values()].filter((ct) => ct.contact === m[1]);
			return send(res, 200, { contactTags: list });
		}
		if ((m = /^\/api\/3\/contacts\/(\d+)$/.exec(path))) {
			const contact = contacts.get(m[1]);
			if (!contact) return send(res, 404, { message: `No Result found for Subscriber with id ${m[1]}` });
			// Like the real API, the contact comes with its related records, among them its tag links.
			if (method === 'GET') {
				const links = [...contactTags.values()].filter((ct) => ct.contact === m[1]);
				return send(res, 200, { contactTags: links, contactLists: [], fieldValues: [], contact });
			}
			if (method === 'PUT') {
				applyContactFields(contact, (body && body.contact) || {});
				return send(res, 200, { fieldValues: [], contact });
			}
			if (method === 'DELETE') {
				contacts.delete(m[1]);
				for (const [id, ct] of contactTags) if (ct.contact === m[1]) contactTags.delete(id);
				return send(res, 200, {});
			}
		}
		if (method === 'GET' && path === '/api/3/tags') {
			let list = [...tags.values()];
			if (query.search) list = list.filter((t) => t.tag.toLowerCase().includes(query.search.toLowerCase()));
			const { slice, total } = page(list, query);
			return send(res, 200, { tags: slice, meta: { total } });
		}
		if (method === 'POST' && path === '/api/3/tags') {
			const input = (body && body.tag) || {};
			if (!input.tag) return validationError(res, 'Tag name is required', '/data/attributes/tag');
			// The real API accepts duplicate names; the templates look tags up first so they never create one twice.
			return send(res, 201, { tag: addTag(String(input.tag), input.tagType || 'contact', input.description || '') });
		}
		if ((m = /^\/api\/3\/tags\/(\d+)$/.exec(path))) {
			const tag = tags.get(m[1]);
			if (!tag) return send(res, 404, { message: 'No Result found for Tag with id ' + m[1] });
			if (method === 'GET') return send(res, 200, { tag });
			if (method === 'DELETE') {
				tags.delete(m[1]);
				return send(res, 200, {});
			}
		}
		if (method === 'POST' && path === '/api/3/contactTags') {
			const input = (body && body.contactTag) || {};
			const contact = String(input.contact ?? '');
			const tag = String(input.tag ?? '');
			if (!contacts.has(contact)) return validationError(res, 'Contact not found', '/data/attributes/contact');
			if (!tags.has(tag)) return validationError(res, 'Tag not found', '/data/attributes/tag');
			for (const ct of contactTags.values()) {
				// Adding a tag a contact already has returns the existing link (as the real API does).
				if (ct.contact === contact && ct.tag === tag) return send(res, 200, { contactTag: ct });
			}
			const id = String(nextContactTagId++);
			const contactTag = { id, contact, tag, cdate: isoNow(clock), links: {} };
			contactTags.set(id, contactTag);
			return send(res, 201, { contacts: [contacts.get(contact)], contactTag });
		}
		if (method === 'POST' && path === '/api/3/deals') {
			const input = (body && body.deal) || {};
			for (const field of ['title', 'contact', 'value', 'currency']) {
				if (input[field] === undefined || input[field] === '') return validationError(res, `Deal ${field} is required`, `/data/attributes/${field}`);
			}
			if (!contacts.has(String(input.contact))) return validationError(res, 'Contact not found', '/data/attributes/contact');
			const value = Number(input.value);
			if (!Number.isInteger(value) || value < 0) return validationError(res, 'Deal value must be a whole number of cents', '/data/attributes/value');
			const id = String(nextDealId++);
			const deal = {
				id,
				title: String(input.title),
				contact: String(input.contact),
				value: String(value),
				currency: String(input.currency).toLowerCase(),
				group: input.group === undefined ? null : String(input.group),
				stage: input.stage === undefined ? null : String(input.stage),
				status: input.status === undefined ? '0' : String(input.status),
				description: input.description || '',
				cdate: isoNow(clock),
				links: {},
			};
			deals.set(id, deal);
			return send(res, 201, { contacts: [contacts.get(deal.contact)], deal });
		}
		if ((m = /^\/api\/3\/contactTags\/(\d+)$/.exec(path)) && method === 'DELETE') {
			if (!contactTags.has(m[1])) return send(res, 404, { message: 'No Result found for ContactTag with id ' + m[1] });
			contactTags.delete(m[1]);
			return send(res, 200, {});
		}
		return send(res, 404, { message: `fake ActiveCampaign: no route for ${method} ${path}` });
	}

	const server = http.createServer((req, res) => {
		readRequest(req, 'http://127.0.0.1', ({ url, body, record }) => {
			requests.push(Object.assign(record, { headers: { 'api-token': req.headers['api-token'] }, at: clock() }));
			if (req.headers['api-token'] !== apiKey) {
				return send(res, 403, { message: 'You are not authorized to access this resource' });
			}
			try {
				route(req, res, url, body);
			} catch (error) {
				send(res, 500, { message: `fake ActiveCampaign error: ${error.message}` });
			}
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${server.address().port}`;

	return {
		url,
		apiKey,
		requests,
		contacts,
		tags,
		contactTags,
		deals,
		/** Deals of the contact with that email, oldest first. */
		dealsOf(email) {
			const contact = contactByEmail(email);
			return contact ? [...deals.values()].filter((d) => d.contact === contact.id) : [];
		},
		/** Contact with that email (case-insensitive), or undefined. */
		contactByEmail,
		/** Sorted tag names the contact with that email currently has. */
		tagNamesOf(email) {
			const contact = contactByEmail(email);
			if (!contact) return [];
			return [...contactTags.values()]
				.filter((ct) => ct.contact === contact.id)
				.map((ct) => (tags.get(ct.tag) || { tag: `#${ct.tag}` }).tag)
				.sort();
		},
		/** Requests other than reads, in order: `${method} ${path}`. */
		writes() {
			return requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
		},
		async close() {
			await new Promise((resolve) => server.close(() => resolve()));
		},
	};
}

module.exports = { startFakeActiveCampaign, DEFAULT_API_KEY };
