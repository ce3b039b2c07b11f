import {
	classifyGraphError,
	isThrottleCode,
	missingPermissions,
	parseGraphErrorBody,
	scrubSecrets,
} from '../../../nodes/core/graph/errors';

const body = (code: number, subcode?: number, message = 'msg', extra: Record<string, unknown> = {}) => ({
	error: { message, type: 'OAuthException', code, ...(subcode ? { error_subcode: subcode } : {}), fbtrace_id: 'Atrace', ...extra },
});

describe('parseGraphErrorBody', () => {
	it('reads code, subcode, message, trace and is_transient', () => {
		expect(parseGraphErrorBody(body(10, 2534022, 'outside', { is_transient: false }))).toEqual({
			code: 10,
			subcode: 2534022,
			message: 'outside',
			type: 'OAuthException',
			fbtraceId: 'Atrace',
			isTransient: false,
		});
	});
	it('reads Meta\'s localized error_user_msg for display', () => {
		expect(parseGraphErrorBody(body(100, 2534029, 'x', { error_user_msg: 'Dein Unternehmen kann gerade keine Nachrichten senden.' }))?.userMessage).toBe(
			'Dein Unternehmen kann gerade keine Nachrichten senden.',
		);
		const info = classifyGraphError({ status: 400, body: body(100, 2534029, 'x', { error_user_msg: 'Lokal' }), purpose: 'messaging' });
		expect(info.graphUserMessage).toBe('Lokal');
	});

	it('accepts numeric strings and ignores bodies without an error object', () => {
		expect(parseGraphErrorBody({ error: { code: '190', error_subcode: '463' } })).toMatchObject({ code: 190, subcode: 463 });
		expect(parseGraphErrorBody('<html>')).toBeUndefined();
		expect(parseGraphErrorBody({ data: [] })).toBeUndefined();
		expect(parseGraphErrorBody(null)).toBeUndefined();
	});
});

describe('classifyGraphError', () => {
	it('190 and 102: token expired or revoked, says how to reconnect, not retryable, account-level', () => {
		for (const [code, subcode] of [[190, 463], [190, 460], [190, undefined], [102, undefined]] as const) {
			const info = classifyGraphError({ status: 400, body: body(code, subcode), loginType: 'instagram' });
			expect(info).toMatchObject({ kind: 'token', retryable: false, perRecipient: false, reason: 'token_invalid', code });
			expect(info.message).toMatch(/expired or was revoked/);
			expect(info.description).toMatch(/Reconnect/);
			expect(info.description).toMatch(/refresh_access_token/);
		}
		expect(classifyGraphError({ status: 400, body: body(190, 460) }).message).toMatch(/password was changed/);
		expect(classifyGraphError({ status: 400, body: body(190), loginType: 'facebook' }).description).toMatch(/Page access token/);
	});

	it('10 and 200–299 name the missing permission for the purpose and login type', () => {
		const ig = classifyGraphError({ status: 403, body: body(10, undefined, '(#10) Application does not have permission for this action'), purpose: 'messaging', loginType: 'instagram' });
		expect(ig).toMatchObject({ kind: 'permission', retryable: false, perRecipient: false, reason: 'permission_missing' });
		expect(ig.message).toContain('instagram_business_manage_messages');
		const fb = classifyGraphError({ status: 403, body: body(200, undefined, 'Permissions error'), purpose: 'insights', loginType: 'facebook' });
		expect(fb.message).toContain('instagram_manage_insights');
		for (const code of [200, 230, 250, 299]) {
			expect(classifyGraphError({ status: 400, body: body(code) }).kind).toBe('permission');
		}
		expect(classifyGraphError({ status: 400, body: body(300) }).kind).toBe('unknown');
	});

	it('uses the permission Meta named when it names one', () => {
		const info = classifyGraphError({ status: 403, body: body(200, undefined, '(#200) Requires instagram_business_manage_comments permission') });
		expect(info.message).toContain('instagram_business_manage_comments');
		expect(info.message).not.toContain('instagram_business_basic');
	});

	it('10/2534022 is outside the messaging window: per recipient, not retryable', () => {
		const info = classifyGraphError({ status: 400, body: body(10, 2534022, '(#10) This message is sent outside of allowed window.') });
		expect(info).toMatchObject({ kind: 'outsideWindow', retryable: false, perRecipient: true, reason: 'outside_window', code: 10, subcode: 2534022 });
		expect(info.message).toMatch(/Outside the messaging window/);
	});

	it('551 is "person unavailable"', () => {
		expect(classifyGraphError({ status: 400, body: body(551, 1545041) })).toMatchObject({ kind: 'userUnavailable', perRecipient: true, retryable: false, reason: 'user_unavailable' });
	});

	it('blocked is read from subcode 2018108 only: a message that says "blocked" does not make a code per recipient', () => {
		expect(classifyGraphError({ status: 400, body: body(10, 2018108) })).toMatchObject({ kind: 'blocked', perRecipient: true, reason: 'blocked' });
		// Before the contract, any message with the word "blocked" became a per-recipient block (so 100/2534029,
		// "this business is blocked from sending", let the run go on calling for every contact).
		expect(classifyGraphError({ status: 400, body: body(200, undefined, 'The user has blocked the account') })).toMatchObject({ outcome: 'account', kind: 'permission' });
		expect(classifyGraphError({ status: 400, body: body(368, undefined, 'You have been temporarily blocked') })).toMatchObject({ perRecipient: false, reason: 'account_restricted' });
	});

	it('100, 2534014 and 2534025 are per-item invalid parameters with their reasons', () => {
		expect(classifyGraphError({ status: 400, body: body(100), purpose: 'messaging' })).toMatchObject({ kind: 'invalidParameter', perRecipient: true, reason: 'invalid_recipient', retryable: false });
		expect(classifyGraphError({ status: 400, body: body(100), purpose: 'stories' }).reason).toBe('invalid_parameter');
		expect(classifyGraphError({ status: 400, body: body(100, 2534014) }).reason).toBe('invalid_recipient');
		expect(classifyGraphError({ status: 400, body: body(100, 2534025), purpose: 'privateReply' }).reason).toBe('comment_invalid');
	});

	it('"not enough viewers" (10 on insights) and profile consent (230 on a profile) are per-item, not permission failures', () => {
		expect(classifyGraphError({ status: 400, body: body(10, undefined, '(#10) Not enough viewers for the media to show insights'), purpose: 'insights' })).toMatchObject({ perRecipient: true, reason: 'below_threshold' });
		expect(classifyGraphError({ status: 400, body: body(230, undefined, 'User consent is required to access user profile'), purpose: 'profile' })).toMatchObject({ perRecipient: true, reason: 'profile_consent_required' });
		// The same code elsewhere is what it says: a permission.
		expect(classifyGraphError({ status: 400, body: body(230), purpose: 'messaging' })).toMatchObject({ outcome: 'account', reason: 'permission_missing' });
	});

	it('throttling codes 4, 17, 32, 613, 80000–80014 and HTTP 429 are retryable', () => {
		for (const code of [4, 17, 32, 613, 80000, 80002, 80014]) {
			expect(isThrottleCode(code)).toBe(true);
			expect(classifyGraphError({ status: 400, body: body(code) })).toMatchObject({ kind: 'throttled', retryable: true, perRecipient: false, reason: 'rate_limited' });
		}
		expect(isThrottleCode(80015)).toBe(false);
		expect(isThrottleCode(79999)).toBe(false);
		expect(isThrottleCode(undefined)).toBe(false);
		expect(classifyGraphError({ status: 429, body: 'Too Many Requests' }).kind).toBe('throttled');
		expect(classifyGraphError({ status: 429, body: body(9999) }).kind).toBe('throttled');
	});

	it('codes 1 and 2, is_transient and HTTP 5xx are retried on reads', () => {
		const read = { purpose: 'profile' as const };
		expect(classifyGraphError({ status: 500, body: body(1), ...read })).toMatchObject({ kind: 'transient', retryable: true });
		expect(classifyGraphError({ status: 500, body: body(2), ...read })).toMatchObject({ kind: 'transient', retryable: true });
		expect(classifyGraphError({ status: 400, body: body(9999, undefined, 'x', { is_transient: true }), ...read }).kind).toBe('transient');
		expect(classifyGraphError({ status: 503, body: body(9999), ...read }).kind).toBe('transient');
		expect(classifyGraphError({ status: 502, body: '<html>Bad Gateway</html>', ...read })).toMatchObject({ kind: 'transient', retryable: true });
	});

	it('on a send the same answers are maybe sent: never retried, and the rest of the run stops', () => {
		for (const [status, answer] of [[500, body(1)], [500, body(2)], [400, body(9999, undefined, 'x', { is_transient: true })], [503, body(9999)], [502, '<html>Bad Gateway</html>']] as const) {
			const info = classifyGraphError({ status, body: answer, purpose: 'messaging' });
			expect(info).toMatchObject({ outcome: 'maybeSent', kind: 'maybeSent', retryable: false, perRecipient: false, reason: 'sent_unknown', stopsRun: true });
		}
		expect(classifyGraphError({ status: 500, body: body(2), purpose: 'profile', send: true }).outcome).toBe('maybeSent');
		expect(classifyGraphError({ status: 500, body: body(2), purpose: 'messaging', send: false }).outcome).toBe('retry');
	});

	it('non-JSON answers below 500 are invalid responses that point at the base URL', () => {
		const info = classifyGraphError({ status: 200, body: '<!doctype html>' });
		expect(info).toMatchObject({ kind: 'invalidResponse', retryable: false, perRecipient: false });
		expect(info.message).toMatch(/not JSON/);
		expect(info.description).toMatch(/Base URL/);
		expect(classifyGraphError({ status: 404, body: { detail: 'nope' } }).message).toMatch(/without an error object/);
	});

	it('network failures are clear and retryable only for transient socket errors', () => {
		const refused = classifyGraphError({ networkCode: 'ECONNREFUSED' });
		expect(refused).toMatchObject({ kind: 'network', retryable: true, perRecipient: false, reason: 'network_error' });
		expect(refused.message).toMatch(/Could not reach the Instagram Graph API \(ECONNREFUSED\)/);
		expect(classifyGraphError({ networkCode: 'ENOTFOUND' }).retryable).toBe(false);
	});

	it('a connection dropped during a send is maybe sent; one that was never made is not', () => {
		for (const networkCode of ['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'NETWORK_ERROR']) {
			expect(classifyGraphError({ networkCode, purpose: 'messaging' })).toMatchObject({ outcome: 'maybeSent', reason: 'sent_unknown', stopsRun: true });
		}
		for (const networkCode of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']) {
			expect(classifyGraphError({ networkCode, purpose: 'messaging' })).toMatchObject({ kind: 'network', reason: 'network_error' });
		}
	});

	it('anything else is unknown, not retryable and account-level', () => {
		expect(classifyGraphError({ status: 400, body: body(12345) })).toMatchObject({ kind: 'unknown', retryable: false, perRecipient: false });
	});
});

describe('missingPermissions', () => {
	it('lists the permissions per purpose and login type', () => {
		expect(missingPermissions('privateReply', 'instagram')).toEqual(['instagram_business_manage_messages', 'instagram_business_manage_comments']);
		// Stories with Facebook Login also need instagram_manage_insights and pages_show_list (was: only the first two).
		expect(missingPermissions('stories', 'facebook')).toEqual(['instagram_basic', 'instagram_manage_insights', 'pages_read_engagement', 'pages_show_list']);
	});

	it('a HUMAN_AGENT send names the Human Agent feature, also when Meta names the permission', () => {
		expect(missingPermissions('humanAgent', 'instagram')).toContain('the Human Agent feature (App Review)');
		expect(missingPermissions('humanAgent', 'facebook', '(#200) Requires instagram_manage_messages permission')).toEqual(['instagram_manage_messages', 'the Human Agent feature (App Review)']);
		const info = classifyGraphError({ status: 403, body: body(10, undefined, '(#10) Application does not have permission for this action'), purpose: 'humanAgent' });
		expect(info.message).toMatch(/Human Agent feature/);
		expect(info.description).toMatch(/Human Agent feature/);
	});
});

describe('scrubSecrets', () => {
	it('removes secrets, access_token query values and Bearer values', () => {
		const text = 'token EAAB-secret-123 in https://x/me?access_token=EAAB-secret-123&a=1 and Authorization: Bearer abc.def-ghi';
		const out = scrubSecrets(text, ['EAAB-secret-123', undefined, '']);
		expect(out).not.toContain('EAAB-secret-123');
		expect(out).not.toContain('abc.def-ghi');
		expect(out).toBe('token [redacted] in https://x/me?access_token=[redacted]&a=1 and Authorization: Bearer [redacted]');
	});
	it('ignores very short secrets that would mangle text', () => {
		expect(scrubSecrets('abc', ['ab'])).toBe('abc');
	});
});
