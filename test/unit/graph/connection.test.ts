import {
	isSafeGraphId,
	messagesPath,
	queryFromUrl,
	resolveConnection,
	type GraphConnection,
} from '../../../nodes/core/graph/connection';

function connection(fields: Parameters<typeof resolveConnection>[0]): GraphConnection {
	const result = resolveConnection(fields);
	if (!result.ok) throw new Error(result.message);
	return result.connection;
}

describe('resolveConnection', () => {
	it('defaults to Instagram Login on https://graph.instagram.com/v25.0', () => {
		expect(connection({})).toEqual({
			origin: 'https://graph.instagram.com',
			apiVersion: 'v25.0',
			root: 'https://graph.instagram.com/v25.0',
			host: 'graph.instagram.com',
			loginType: 'instagram',
			accountId: '',
			pageId: '',
		});
	});

	it('uses Facebook Login for graph.facebook.com and honours the version', () => {
		expect(connection({ host: 'graph.facebook.com', apiVersion: 'v24.0', pageId: ' 123 ' })).toMatchObject({
			root: 'https://graph.facebook.com/v24.0',
			loginType: 'facebook',
			pageId: '123',
		});
	});

	it('replaces https://<host> with a base URL override (trailing slashes dropped, path prefix kept)', () => {
		expect(connection({ baseUrl: 'http://127.0.0.1:4010/' }).root).toBe('http://127.0.0.1:4010/v25.0');
		expect(connection({ baseUrl: 'https://proxy.example.com/graph' }).root).toBe('https://proxy.example.com/graph/v25.0');
		expect(connection({ baseUrl: '   ' }).root).toBe('https://graph.instagram.com/v25.0');
	});

	it.each([
		'127.0.0.1:4010',
		'ftp://example.com',
		'http://',
		'http://exa mple.com',
		'http://example.com?x=1',
		'http://example.com:99999',
		'javascript:alert(1)',
	])('refuses the malformed base URL %p', (baseUrl) => {
		const result = resolveConnection({ baseUrl });
		expect(result.ok).toBe(false);
		if (!result.ok) {
			expect(result.field).toBe('baseUrl');
			expect(result.message).toMatch(/not a valid http\(s\) URL/);
		}
	});

	it('refuses an unknown host or version', () => {
		expect(resolveConnection({ host: 'graph.example.com' })).toMatchObject({ ok: false, field: 'host' });
		expect(resolveConnection({ apiVersion: '25' })).toMatchObject({ ok: false, field: 'apiVersion' });
	});
});

describe('messagesPath', () => {
	it('sends through the Page for Facebook Login, the account for Instagram Login, else me', () => {
		expect(messagesPath(connection({ host: 'graph.facebook.com', pageId: '55', accountId: '178' }))).toBe('/55/messages');
		expect(messagesPath(connection({ host: 'graph.instagram.com', pageId: '55', accountId: '178' }))).toBe('/178/messages');
		expect(messagesPath(connection({ host: 'graph.instagram.com' }))).toBe('/me/messages');
		expect(messagesPath(connection({ host: 'graph.facebook.com' }))).toBe('/me/messages');
	});
});

describe('ids and paging links', () => {
	it('accepts Graph ids and refuses path tricks', () => {
		expect(isSafeGraphId('17841400000000001')).toBe(true);
		expect(isSafeGraphId('aWdf_ZAG1-x.y')).toBe(true);
		for (const bad of ['', '..', '.', '1/2', '1?x', 'a b', 'x'.repeat(129)]) expect(isSafeGraphId(bad)).toBe(false);
	});

	it('reads the query of a next link and drops any access token', () => {
		expect(queryFromUrl('https://graph.facebook.com/v25.0/1/stories?limit=2&after=QVFI%3D&access_token=SECRET')).toEqual({ limit: '2', after: 'QVFI=' });
		expect(queryFromUrl('https://x/y')).toEqual({});
		expect(queryFromUrl('https://x/y?a=%E0%A4%A&b=1')).toEqual({ b: '1' });
	});
});
