// The fake ActiveCampaign API answers like the real v3 API for the calls n8n's ActiveCampaign node makes.
const { startFakeActiveCampaign } = require('../../../scripts/fakes/activeCampaign');

describe('fake ActiveCampaign API', () => {
	let ac;
	beforeEach(async () => {
		ac = await startFakeActiveCampaign({ apiKey: 'k', tags: ['existing'] });
	});
	afterEach(async () => ac.close());

	async function call(method, path, body, key = 'k') {
		const res = await fetch(ac.url + path, {
			method,
			headers: { 'Api-Token': key, 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		return { status: res.status, body: await res.json() };
	}

	test('rejects a wrong API token and records the request', async () => {
		const res = await call('GET', '/api/3/fields', undefined, 'wrong');
		expect(res.status).toBe(403);
		expect(ac.requests).toHaveLength(1);
		expect(ac.requests[0]).toMatchObject({ method: 'GET', path: '/api/3/fields' });
	});

	test('credential test endpoint answers', async () => {
		expect((await call('GET', '/api/3/fields')).body).toEqual(expect.objectContaining({ fields: [] }));
	});

	test('contact sync creates then updates by email; plain create refuses duplicates', async () => {
		const first = await call('POST', '/api/3/contact/sync', { contact: { email: 'A@x.test', firstName: 'A' } });
		expect(first.status).toBe(201);
		const second = await call('POST', '/api/3/contact/sync', { contact: { email: 'a@x.test', firstName: 'B' } });
		expect(second.status).toBe(200);
		expect(second.body.contact.id).toBe(first.body.contact.id);
		expect(ac.contacts.size).toBe(1);
		expect(ac.contactByEmail('a@x.test').firstName).toBe('B');
		const dup = await call('POST', '/api/3/contacts', { contact: { email: 'a@x.test' } });
		expect(dup.status).toBe(422);
		expect(dup.body.errors[0].code).toBe('duplicate');
		const list = await call('GET', '/api/3/contacts?email=a@x.test');
		expect(list.body.contacts).toHaveLength(1);
		expect(list.body.meta.total).toBe('1');
	});

	test('tags: list, create, add to contact (idempotent), list links, remove link', async () => {
		const { body } = await call('POST', '/api/3/contact/sync', { contact: { email: 'c@x.test' } });
		const contactId = body.contact.id;
		const tagsBefore = await call('GET', '/api/3/tags?limit=100&offset=0');
		expect(tagsBefore.body.tags.map((t) => t.tag)).toEqual(['existing']);
		const created = await call('POST', '/api/3/tags', { tag: { tag: 'hot', tagType: 'contact' } });
		const tagId = created.body.tag.id;
		const added = await call('POST', '/api/3/contactTags', { contactTag: { contact: contactId, tag: tagId } });
		expect(added.status).toBe(201);
		const again = await call('POST', '/api/3/contactTags', { contactTag: { contact: Number(contactId), tag: tagId } });
		expect(again.body.contactTag.id).toBe(added.body.contactTag.id);
		expect(ac.tagNamesOf('c@x.test')).toEqual(['hot']);
		const withTags = await call('GET', `/api/3/contacts/${contactId}`);
		expect(withTags.body.contactTags).toEqual([expect.objectContaining({ contact: contactId, tag: tagId })]);
		const links = await call('GET', `/api/3/contacts/${contactId}/contactTags`);
		expect(links.body.contactTags).toEqual([expect.objectContaining({ contact: contactId, tag: tagId })]);
		const removed = await call('DELETE', `/api/3/contactTags/${added.body.contactTag.id}`);
		expect(removed.status).toBe(200);
		expect(ac.tagNamesOf('c@x.test')).toEqual([]);
		expect(ac.writes()).toEqual([
			'POST /api/3/contact/sync',
			'POST /api/3/tags',
			'POST /api/3/contactTags',
			'POST /api/3/contactTags',
			'DELETE /api/3/contactTags/1',
		]);
	});

	test('unknown routes answer 404 with a message naming the route', async () => {
		const res = await call('GET', '/api/3/nothing');
		expect(res.status).toBe(404);
		expect(res.body.message).toContain('GET /api/3/nothing');
	});

	test('deals: created for a contact with the value in cents; missing fields and unknown contacts refused', async () => {
		const contact = (await call('POST', '/api/3/contact/sync', { contact: { email: 'buyer@x.test' } })).body.contact;
		const created = await call('POST', '/api/3/deals', { deal: { title: 'Order 1', contact: contact.id, value: 4990, currency: 'EUR', group: '1', stage: '1' } });
		expect(created.status).toBe(201);
		expect(created.body.deal).toMatchObject({ title: 'Order 1', contact: contact.id, value: '4990', currency: 'eur', group: '1' });
		expect(ac.dealsOf('buyer@x.test').map((d) => d.value)).toEqual(['4990']);
		expect((await call('POST', '/api/3/deals', { deal: { title: 'x', contact: contact.id, currency: 'eur' } })).status).toBe(422);
		expect((await call('POST', '/api/3/deals', { deal: { title: 'x', contact: '999', value: 1, currency: 'eur' } })).status).toBe(422);
		expect((await call('POST', '/api/3/deals', { deal: { title: 'x', contact: contact.id, value: 49.9, currency: 'eur' } })).status).toBe(422);
	});
});
