import { ERROR_CATALOGUE, RANGE_ROWS, SOURCES, lookupError, type GraphOutcome } from '../../../nodes/core/graph/errorCatalogue';
import { classifyGraphError, type GraphPurpose } from '../../../nodes/core/graph/errors';

/** Meta's documented error body, with a message in German: classification must never depend on the text. */
const meta = (code: number, subcode?: number, message = 'Eine Meldung in der Sprache des Kontos') => ({
	error: {
		message,
		type: 'OAuthException',
		code,
		...(subcode === undefined ? {} : { error_subcode: subcode }),
		error_user_title: 'Nachricht nicht gesendet',
		error_user_msg: 'Lokalisierte Meldung',
		fbtrace_id: 'AtraceX',
	},
});

const send = (code: number, subcode?: number, message?: string, purpose: GraphPurpose = 'messaging') =>
	classifyGraphError({ status: 400, body: meta(code, subcode, message), purpose, objectId: '17841400000000009' });

/**
 * The contract, row by row: [code, subcode, purpose, outcome, reason]. Written out by hand (not derived from the
 * table), so changing a row's outcome fails here; every row of ERROR_CATALOGUE must appear (last test).
 */
const CONTRACT: Array<[number, number | undefined, GraphPurpose, GraphOutcome, string]> = [
	[1, undefined, 'messaging', 'maybeSent', 'sent_unknown'],
	[1, 99, 'messaging', 'account', 'unknown_error_permissions'],
	[1, 1357046, 'messaging', 'maybeSent', 'sent_unknown'],
	[2, undefined, 'messaging', 'maybeSent', 'sent_unknown'],
	[4, undefined, 'messaging', 'retry', 'rate_limited'],
	[17, undefined, 'messaging', 'retry', 'rate_limited'],
	[32, undefined, 'messaging', 'retry', 'rate_limited'],
	[613, undefined, 'messaging', 'retry', 'rate_limited'],
	[613, 2018338, 'messaging', 'account', 'slow_down'],
	[10, undefined, 'messaging', 'account', 'permission_missing'],
	[10, 2534022, 'messaging', 'recipient', 'outside_window'],
	[10, 2018278, 'messaging', 'recipient', 'outside_window'],
	[10, 2018065, 'messaging', 'recipient', 'outside_window'],
	[10, 2018108, 'messaging', 'recipient', 'blocked'],
	[10, 1893063, 'messaging', 'account', 'account_restricted'],
	[10, undefined, 'insights', 'recipient', 'below_threshold'], // with Meta's "Not enough viewers" message
	[100, undefined, 'messaging', 'recipient', 'invalid_recipient'],
	[100, undefined, 'stories', 'recipient', 'invalid_parameter'],
	[100, 33, 'messaging', 'account', 'object_not_found'],
	[100, 33, 'profile', 'recipient', 'object_not_found'],
	[100, 2534013, 'messaging', 'account', 'page_not_linked'],
	[100, 2534014, 'messaging', 'recipient', 'invalid_recipient'],
	[100, 2018001, 'messaging', 'recipient', 'invalid_recipient'],
	[100, 2534025, 'privateReply', 'recipient', 'comment_invalid'],
	[100, 2534029, 'messaging', 'account', 'business_blocked'],
	[102, undefined, 'messaging', 'account', 'token_invalid'],
	[190, undefined, 'messaging', 'account', 'token_invalid'],
	[190, 458, 'messaging', 'account', 'token_invalid'],
	[190, 459, 'messaging', 'account', 'token_invalid'],
	[190, 460, 'messaging', 'account', 'token_invalid'],
	[190, 463, 'messaging', 'account', 'token_invalid'],
	[190, 464, 'messaging', 'account', 'token_invalid'],
	[190, 467, 'messaging', 'account', 'token_invalid'],
	[200, 1545041, 'messaging', 'recipient', 'user_unavailable'],
	[200, 2534041, 'messaging', 'account', 'messages_access_disabled'],
	[230, undefined, 'profile', 'recipient', 'profile_consent_required'],
	[368, undefined, 'messaging', 'account', 'account_restricted'],
	[551, undefined, 'messaging', 'recipient', 'user_unavailable'],
	[551, 1545041, 'messaging', 'recipient', 'user_unavailable'],
	[36103, undefined, 'messaging', 'account', 'messaging_unavailable'],
	// Ranges
	[250, undefined, 'messaging', 'account', 'permission_missing'],
	[80002, undefined, 'messaging', 'retry', 'rate_limited'],
];

describe('error contract: one outcome per documented (code, subcode)', () => {
	it.each(CONTRACT)('%i/%s (%s) → %s, reason %s', (code, subcode, purpose, outcome, reason) => {
		const message = code === 10 && purpose === 'insights' ? '(#10) Not enough viewers for the media to show insights' : undefined;
		const info = classifyGraphError({ status: 400, body: meta(code, subcode, message), purpose, objectId: '1784' });
		expect(info).toMatchObject({ outcome, reason, code, retryable: outcome === 'retry', perRecipient: outcome === 'recipient' });
		expect(info.source).toMatch(/^https:\/\/developers\.facebook\.com\//);
		expect(info.message.length).toBeGreaterThan(10);
		expect(info.description.length).toBeGreaterThan(10);
		if (outcome === 'maybeSent') expect(info.description).toMatch(/Not retried/);
	});

	it('every row of the table is in the contract above, and cites a Meta page', () => {
		const covered = new Set(CONTRACT.map(([code, subcode]) => `${code}/${subcode ?? '*'}`));
		const rows = ERROR_CATALOGUE.map((e) => `${e.code}/${e.subcode ?? '*'}`);
		expect(rows.filter((row) => !covered.has(row))).toEqual([]);
		const sources = new Set<string>(Object.values(SOURCES));
		for (const entry of [...ERROR_CATALOGUE, ...RANGE_ROWS.map((r) => ({ code: r.from, ...r.entry }))]) {
			expect(sources.has(entry.source)).toBe(true);
		}
	});

	it('rows never depend on English text, except the one Meta documents only by its text (insights below 5)', () => {
		expect(ERROR_CATALOGUE.filter((e) => e.messagePattern).map((e) => [e.code, e.reason])).toEqual([[10, 'below_threshold']]);
	});

	it('an undocumented pair falls back to its code, then its range, then a safe stop: never a retried send', () => {
		expect(lookupError(10, 424242, 'messaging')?.reason).toBe('permission_missing');
		expect(lookupError(100, 424242, 'messaging')?.reason).toBe('invalid_recipient');
		expect(lookupError(299, 424242, 'messaging')?.reason).toBe('permission_missing');
		expect(lookupError(4242, undefined, 'messaging')).toBeUndefined();
		for (const code of [1, 2, 4242, 99999]) {
			for (const subcode of [undefined, 424242]) {
				const info = classifyGraphError({ status: 400, body: meta(code, subcode), purpose: 'messaging' });
				expect(info.retryable).toBe(false);
			}
		}
		expect(send(4242)).toMatchObject({ outcome: 'account', kind: 'unknown' });
	});
});

describe('error contract: the cases the code-only classification got wrong (issue 21, item 3)', () => {
	it('1/1357046 is maybe sent, never retried (Meta: "the messages are all sent successfully")', () => {
		const info = send(1, 1357046, 'Received Invalid JSON reply.');
		expect(info).toMatchObject({ outcome: 'maybeSent', retryable: false, reason: 'sent_unknown' });
		expect(info.stopsRun).toBeUndefined();
		expect(info.message).toMatch(/sent all the same/);
	});

	it('200/1545041 ("this person isn\'t available") is one recipient, not a missing permission', () => {
		expect(send(200, 1545041)).toMatchObject({ outcome: 'recipient', kind: 'userUnavailable', reason: 'user_unavailable' });
	});

	it('100/2534029 (business blocked from sending) is account-level, not "this person blocked you"', () => {
		const info = send(100, 2534029, '(#100) This business is blocked from sending messages.');
		expect(info).toMatchObject({ outcome: 'account', reason: 'business_blocked', perRecipient: false });
		expect(info.description).toMatch(/Account quality/);
	});

	it('100/33 and 100/2534013 stop the run as configuration errors naming the ID', () => {
		const missing = send(100, 33);
		expect(missing).toMatchObject({ outcome: 'account', kind: 'configuration', reason: 'object_not_found' });
		expect(missing.message).toContain('17841400000000009');
		expect(missing.description).toMatch(/user_id/);
		const unlinked = send(100, 2534013);
		expect(unlinked).toMatchObject({ outcome: 'account', kind: 'configuration', reason: 'page_not_linked' });
		expect(unlinked.message).toContain('17841400000000009');
		expect(send(100, 33, undefined, 'privateReply').outcome).toBe('account');
	});

	it('10/2018278 and 10/2018065 are outside the window in any language', () => {
		for (const message of ['(#10) Message sent outside of allowed window.', '(#10) Nachricht außerhalb des zulässigen Zeitfensters.', '(#10) メッセージは許可された期間外に送信されました']) {
			expect(send(10, 2018278, message)).toMatchObject({ outcome: 'recipient', reason: 'outside_window' });
			expect(send(10, 2018065, message)).toMatchObject({ outcome: 'recipient', reason: 'outside_window' });
		}
		// Meta's English text without the subcode is not a window refusal: it is what code 10 says.
		expect(send(10, undefined, '(#10) This message is sent outside of allowed window.')).toMatchObject({ outcome: 'account', reason: 'permission_missing' });
	});

	it('613/2018338 (bothersome) says slow down and is not retried', () => {
		const info = send(613, 2018338);
		expect(info).toMatchObject({ outcome: 'account', kind: 'slowDown', reason: 'slow_down', retryable: false });
		expect(info.description).toMatch(/send less/);
		expect(send(613)).toMatchObject({ outcome: 'retry', retryable: true });
	});

	it('10/1893063 and 200/2534041 are account-level with their own fix, not "reconnect granting permissions"', () => {
		const restricted = send(10, 1893063);
		expect(restricted).toMatchObject({ outcome: 'account', reason: 'account_restricted' });
		expect(restricted.description).toMatch(/Wait until the restriction ends/);
		expect(restricted.description).toMatch(/Reconnecting or granting permissions does not lift it/);
		const disabled = send(200, 2534041);
		expect(disabled).toMatchObject({ outcome: 'account', reason: 'messages_access_disabled' });
		expect(disabled.description).toMatch(/Allow access to messages/);
		for (const info of [restricted, disabled]) expect(info.description).not.toMatch(/^Reconnect the account granting/);
	});

	it('100/2534025 means the comment is invalid for a private reply (too old, deleted or answered)', () => {
		const info = send(100, 2534025, undefined, 'privateReply');
		expect(info).toMatchObject({ outcome: 'recipient', reason: 'comment_invalid' });
		expect(info.message).toMatch(/^The comment is invalid for a private reply \(too old, deleted, or already answered\)/);
	});
});
