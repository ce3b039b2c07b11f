import { classifyGraphError } from '../../../nodes/core/graph/errors';
import {
	PROFILE_FIELDS,
	prepareProfileRequest,
	preparePrivateReply,
	prepareSendMessage,
	routeFailure,
	utf8Bytes,
} from '../../../nodes/core/messaging/dm';

describe('prepareSendMessage', () => {
	it('builds a RESPONSE text message by default', () => {
		expect(prepareSendMessage({ recipientId: ' 1001 ', text: 'Hi!' })).toEqual({
			ok: true,
			recipientId: '1001',
			messagingType: 'RESPONSE',
			body: { recipient: { id: '1001' }, messaging_type: 'RESPONSE', message: { text: 'Hi!' } },
		});
	});

	it('adds MESSAGE_TAG + HUMAN_AGENT only when a person typed the message', () => {
		const prepared = prepareSendMessage({ recipientId: 1001, text: 'Typed by Ana', humanAgent: true });
		expect(prepared).toMatchObject({ ok: true, messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
		if (prepared.ok) expect(prepared.body).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
	});

	it('adds quick replies (payload defaults to the title)', () => {
		const prepared = prepareSendMessage({ recipientId: '1', text: 'Want it?', quickReplies: [{ title: 'Yes', payload: 'OPT_IN' }, { title: 'No' }] });
		expect(prepared.ok && prepared.body.message).toEqual({
			text: 'Want it?',
			quick_replies: [
				{ content_type: 'text', title: 'Yes', payload: 'OPT_IN' },
				{ content_type: 'text', title: 'No', payload: 'No' },
			],
		});
	});

	it.each([
		[{ recipientId: '', text: 'x' }, 'recipientId', /Recipient ID \(IGSID\) is empty/],
		[{ recipientId: undefined, text: 'x' }, 'recipientId', /is empty/],
		[{ recipientId: '12/messages', text: 'x' }, 'recipientId', /not a valid Instagram id/],
		[{ recipientId: '1', text: '' }, 'text', /Message text is empty/],
		[{ recipientId: '1', text: '   ' }, 'text', /Message text is empty/],
		[{ recipientId: '1', text: undefined }, 'text', /Message text is empty/],
		[{ recipientId: '1', text: 'a'.repeat(1001) }, 'text', /1001 bytes in UTF-8 \(1001 characters\); Instagram allows at most 1000 bytes/],
		[{ recipientId: '1', text: 'x', quickReplies: Array.from({ length: 14 }, (_, i) => ({ title: `t${i}` })) }, 'quickReplies', /at most 13/],
		[{ recipientId: '1', text: 'x', quickReplies: [{ title: 'a'.repeat(21) }] }, 'quickReplies', /longer than 20/],
		[{ recipientId: '1', text: 'x', quickReplies: [{ title: '' }] }, 'quickReplies', /no title/],
	])('refuses bad input %#', (input, field, text) => {
		const prepared = prepareSendMessage(input);
		expect(prepared).toMatchObject({ ok: false, reason: 'invalid_input', field });
		if (!prepared.ok) expect(prepared.reasonText).toMatch(text);
	});

	it('counts UTF-8 bytes as Meta does: 1,000 "é" (2,000 bytes) or 251 emoji are refused before sending; the message says bytes', () => {
		const accented = prepareSendMessage({ recipientId: '1', text: 'é'.repeat(1000) });
		expect(accented).toMatchObject({ ok: false, reason: 'invalid_input', field: 'text' });
		if (!accented.ok) expect(accented.reasonText).toMatch(/^Message text is 2000 bytes in UTF-8 \(1000 characters\); Instagram allows at most 1000 bytes/);
		expect(prepareSendMessage({ recipientId: '1', text: 'é'.repeat(500) }).ok).toBe(true);
		expect(prepareSendMessage({ recipientId: '1', text: 'é'.repeat(501) }).ok).toBe(false);
		expect(prepareSendMessage({ recipientId: '1', text: '😀'.repeat(250) }).ok).toBe(true);
		expect(prepareSendMessage({ recipientId: '1', text: '😀'.repeat(251) }).ok).toBe(false);
		expect(prepareSendMessage({ recipientId: '1', text: 'a'.repeat(1000) }).ok).toBe(true);
		expect(preparePrivateReply({ commentId: '1', text: 'é'.repeat(1000) })).toMatchObject({ ok: false, field: 'text' });
		expect(prepareSendMessage({ recipientId: '1', text: 'x', quickReplies: Array.from({ length: 13 }, () => ({ title: 'a'.repeat(20) })) }).ok).toBe(true);
	});

	it('utf8Bytes agrees with a UTF-8 encoder, lone surrogates included', () => {
		for (const text of ['', 'abc', 'é', 'ß€', '😀', 'a😀é€', '\ud800', 'x\udfffy', '日本語のテキスト']) {
			expect(utf8Bytes(text)).toBe(new TextEncoder().encode(text).length);
		}
	});
});

describe('private replies and profiles', () => {
	it('addresses the comment', () => {
		expect(preparePrivateReply({ commentId: '178', text: 'Sent you the link' })).toEqual({
			ok: true,
			commentId: '178',
			body: { recipient: { comment_id: '178' }, message: { text: 'Sent you the link' } },
		});
		expect(preparePrivateReply({ commentId: '', text: 'x' })).toMatchObject({ ok: false, field: 'commentId' });
	});

	it('asks for the chosen known fields, or all of them', () => {
		expect(prepareProfileRequest({ recipientId: '9', fields: ['username', 'bogus', 'name'] })).toEqual({ ok: true, recipientId: '9', fields: 'username,name' });
		expect(prepareProfileRequest({ recipientId: '9' })).toEqual({ ok: true, recipientId: '9', fields: PROFILE_FIELDS.join(',') });
		expect(prepareProfileRequest({ recipientId: '../me' })).toMatchObject({ ok: false, reason: 'invalid_input' });
	});
});

describe('routeFailure', () => {
	const graph = (code: number, subcode?: number, message = 'm') => ({ error: { code, error_subcode: subcode, message } });
	it.each([
		[graph(10, 2534022), 'outside_window', false],
		[graph(10, 2018278), 'outside_window', false],
		[graph(10, 2018065), 'outside_window', false],
		[graph(551), 'user_unavailable', false],
		[graph(200, 1545041), 'user_unavailable', false],
		[graph(10, 2018108), 'blocked', false],
		[graph(100), 'invalid_recipient', false],
		[graph(100, 2534014), 'invalid_recipient', false],
		[graph(100, 2534025), 'comment_invalid', false],
		[graph(613), 'rate_limited', true],
	])('sends %j to Not Sent as %s', (body, reason, retryable) => {
		const info = classifyGraphError({ status: 400, body, purpose: 'messaging' });
		expect(routeFailure(info)).toEqual({ route: 'notSent', reason, reasonText: info.message, retryable });
	});

	it('a read left with a temporary error goes to Not Sent as temporary_error, retryable', () => {
		const info = classifyGraphError({ status: 500, body: graph(2), purpose: 'profile' });
		expect(routeFailure(info)).toEqual({ route: 'notSent', reason: 'temporary_error', reasonText: info.message, retryable: true });
	});

	it.each([
		[graph(1, 1357046), false],
		[graph(1), true],
		[graph(2), true],
	])('a send answered %j is maybe sent (stops the run: %s), never Not Sent', (body, stopsRun) => {
		const info = classifyGraphError({ status: 500, body, purpose: 'messaging' });
		const route = routeFailure(info);
		expect(route).toMatchObject({ route: 'maybeSent', reason: 'sent_unknown', stopsRun });
		if (route.route === 'maybeSent') expect(route.reasonText).toMatch(/Not retried/);
	});

	it.each([
		[graph(190)], [graph(10)], [graph(200)], [graph(368)], [graph(12345)], ['<html>'],
		[graph(1, 99)], [graph(100, 2534029)], [graph(100, 33)], [graph(100, 2534013)], [graph(613, 2018338)],
		[graph(10, 1893063)], [graph(200, 2534041)],
	])('throws for account-level %j', (body) => {
		expect(routeFailure(classifyGraphError({ status: 400, body, purpose: 'messaging' }))).toEqual({ route: 'throw' });
	});

	it('throws for network errors before anything was sent', () => {
		expect(routeFailure(classifyGraphError({ networkCode: 'ECONNREFUSED' }))).toEqual({ route: 'throw' });
	});
});
