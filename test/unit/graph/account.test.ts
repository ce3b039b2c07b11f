import { accountLookup, checkAccount, mentionStoryId } from '../../../nodes/core/graph/account';

const IG_LOGIN_ME = { user_id: '17841400000000001', username: 'story_leads_demo', id: '25000000000000009' };

describe('professional account of a token', () => {
	it('asks /me for user_id (Instagram Login) and the Page for instagram_business_account (Facebook Login)', () => {
		expect(accountLookup('instagram', '')).toEqual({ path: '/me', fields: 'user_id,username' });
		expect(accountLookup('facebook', '100200')).toEqual({ path: '/100200', fields: 'id,name,instagram_business_account' });
		expect(accountLookup('facebook', '')).toEqual({ path: '/me', fields: 'id,name,instagram_business_account' });
	});

	it('accepts the user_id, and refuses the app-scoped id of /me with the right ID in the message', () => {
		const ok = checkAccount({ loginType: 'instagram', body: IG_LOGIN_ME, typedAccountId: '17841400000000001', typedPageId: '' });
		expect(ok).toEqual({
			ok: true,
			accountId: '17841400000000001',
			label: '@story_leads_demo',
			message: 'Connected to @story_leads_demo, professional account ID 17841400000000001',
		});
		const appScoped = checkAccount({ loginType: 'instagram', body: IG_LOGIN_ME, typedAccountId: '25000000000000009', typedPageId: '' });
		expect(appScoped.ok).toBe(false);
		expect(appScoped.message).toContain('set it to 17841400000000001');
		expect(appScoped.message).toContain('app-scoped');
		const empty = checkAccount({ loginType: 'instagram', body: IG_LOGIN_ME, typedAccountId: ' ', typedPageId: '' });
		expect(empty).toMatchObject({ ok: false, accountId: '17841400000000001', message: expect.stringContaining('Set Instagram Account ID to 17841400000000001') });
		const noUserId = checkAccount({ loginType: 'instagram', body: { id: '1' }, typedAccountId: '1', typedPageId: '' });
		expect(noUserId).toMatchObject({ ok: false, message: expect.stringContaining('user_id') });
	});

	it('reads the Page\'s Instagram account (Facebook Login), refusing another Page, no linked account, or a mismatch', () => {
		const page = { id: '100200', name: 'Shop', instagram_business_account: { id: '17841400000000001' } };
		expect(checkAccount({ loginType: 'facebook', body: page, typedAccountId: '17841400000000001', typedPageId: '100200' })).toMatchObject({
			ok: true,
			accountId: '17841400000000001',
		});
		expect(checkAccount({ loginType: 'facebook', body: page, typedAccountId: '100200', typedPageId: '100200' })).toMatchObject({
			ok: false,
			message: expect.stringContaining('set it to 17841400000000001'),
		});
		expect(checkAccount({ loginType: 'facebook', body: page, typedAccountId: '', typedPageId: '999' }).message).toContain('belongs to Page 100200');
		expect(
			checkAccount({ loginType: 'facebook', body: { id: '100200', name: 'Shop' }, typedAccountId: '1', typedPageId: '100200' }).message,
		).toContain('no linked Instagram professional account');
		expect(checkAccount({ loginType: 'facebook', body: page, typedAccountId: '', typedPageId: '' }).message).toBe(
			'Set Facebook Page ID to 100200 and Instagram Account ID to 17841400000000001 (the Instagram account linked to Page 100200 (Shop))',
		);
	});

	it('reads a mention\'s story id from GET /{message-id}?fields=story', () => {
		expect(mentionStoryId({ story: { mention: { link: 'https://cdn', id: '18000000000000009' } }, id: 'mid' })).toBe('18000000000000009');
		expect(mentionStoryId({ id: 'mid' })).toBeUndefined();
		expect(mentionStoryId({ story: { mention: { link: 'https://cdn' } } })).toBeUndefined();
	});
});
