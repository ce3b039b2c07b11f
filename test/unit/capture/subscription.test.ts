import {
	describeSubscriptionFailure,
	fieldsToSubscribe,
	missingFields,
	permissionsForFields,
	subscribedFieldsOf,
	subscriptionFields,
	subscriptionTarget,
} from '../../../nodes/core/capture/subscription';
import { WEBHOOK_EVENT_TYPES } from '../../../nodes/core/capture/webhook';

describe('webhook subscription of the account', () => {
	it('subscribes the Instagram fields the chosen events arrive in (Instagram Login), comments included', () => {
		expect(subscriptionFields(['story_reply', 'story_mention', 'message'], 'instagram')).toEqual(['messages']);
		expect(subscriptionFields([...WEBHOOK_EVENT_TYPES], 'instagram')).toEqual([
			'comments',
			'message_reactions',
			'messages',
			'messaging_postbacks',
			'messaging_seen',
		]);
		expect(subscriptionFields(['comment'], 'instagram')).toEqual(['comments']);
		expect(subscriptionFields(['message_seen'], 'instagram')).toEqual(['messaging_seen']);
		// Story insights are sent to Facebook Login apps only: nothing to subscribe with Instagram Login.
		expect(subscriptionFields(['story_insights'], 'instagram')).toEqual([]);
	});

	it('subscribes the Page fields for Facebook Login (read receipts are message_reads, comments come through feed)', () => {
		expect(subscriptionFields([...WEBHOOK_EVENT_TYPES], 'facebook')).toEqual([
			'feed',
			'message_reactions',
			'message_reads',
			'messages',
			'messaging_postbacks',
		]);
	});

	it('targets /{ig-user-id}, /me without an id, or the Page; Facebook Login without a Page ID says what to set', () => {
		expect(subscriptionTarget({ loginType: 'instagram', accountId: '17841400000000001', pageId: '' })).toMatchObject({
			ok: true,
			path: '/17841400000000001/subscribed_apps',
		});
		expect(subscriptionTarget({ loginType: 'instagram', accountId: '', pageId: '' })).toMatchObject({ ok: true, path: '/me/subscribed_apps' });
		expect(subscriptionTarget({ loginType: 'facebook', accountId: '1784', pageId: '100200' })).toMatchObject({
			ok: true,
			path: '/100200/subscribed_apps',
		});
		const missing = subscriptionTarget({ loginType: 'facebook', accountId: '1784', pageId: '' });
		expect(missing).toMatchObject({ ok: false, message: expect.stringContaining('Facebook Page ID') });
	});

	it('reads the subscribed fields from GET subscribed_apps and keeps what is there when adding', () => {
		const body = { data: [{ subscribed_fields: ['messages', 'comments'], id: '9' }, { subscribed_fields: [{ name: 'feed' }] }] };
		expect(subscribedFieldsOf(body)).toEqual(['comments', 'feed', 'messages']);
		expect(subscribedFieldsOf({ data: [] })).toEqual([]);
		expect(subscribedFieldsOf('nonsense')).toEqual([]);
		expect(missingFields(['comments', 'messages'], ['messages', 'messaging_seen'])).toEqual(['messaging_seen']);
		expect(fieldsToSubscribe(['comments', 'messages'], ['messages', 'messaging_seen'])).toEqual(['comments', 'messages', 'messaging_seen']);
	});

	it('names the permissions each field needs, per login', () => {
		expect(permissionsForFields(['messages', 'comments'], 'instagram')).toEqual([
			'instagram_business_basic',
			'instagram_business_manage_comments',
			'instagram_business_manage_messages',
		]);
		expect(permissionsForFields(['messages'], 'facebook')).toEqual(['instagram_basic', 'instagram_manage_messages', 'pages_manage_metadata']);
	});

	it('says which step failed, which permission or ID to fix, and that the callback URL is set in the App Dashboard', () => {
		const permission = describeSubscriptionFailure({
			step: 'subscribe',
			loginType: 'instagram',
			target: 'account 1784',
			fields: ['comments', 'messages'],
			kind: 'permission',
			graphMessage: '(#200) Requires instagram_business_manage_messages permission',
		});
		expect(permission.message).toContain('Could not subscribe the account');
		expect(permission.message).toContain('POST /{ig-user-id}/subscribed_apps');
		expect(permission.description).toContain('instagram_business_manage_comments');
		expect(permission.description).toContain('App Dashboard');
		const wrongPage = describeSubscriptionFailure({
			step: 'check',
			loginType: 'facebook',
			target: 'Page 1',
			fields: ['messages'],
			kind: 'invalidParameter',
			graphMessage: 'Object with ID does not exist',
		});
		expect(wrongPage.message).toContain('Could not read');
		expect(wrongPage.description).toContain('Facebook Page ID');
		expect(wrongPage.description).toContain('Page access token');
		// Meta's codes decide the advice whatever kind the error catalogue gives them.
		const byCode = (code: number, subcode?: number) =>
			describeSubscriptionFailure({ step: 'subscribe', loginType: 'instagram', target: 'me', fields: ['messages'], kind: 'unknown', code, subcode, graphMessage: 'x' })
				.description;
		expect(byCode(100, 33)).toContain('user_id of GET /me?fields=user_id,username');
		expect(byCode(190, 463)).toContain('invalid or expired');
		expect(byCode(200)).toContain('Reconnect granting instagram_business_basic, instagram_business_manage_messages');
	});
});
