import { runGate } from '../../../nodes/core/consent/gate';
import { ConsentIndex } from '../../../nodes/core/consent/precedence';
import { reasonOfCode } from '../../../nodes/core/consent/reasons';
import { buildConsentRecord, hashSubjectKey, looksLikeConsentRow, readStoredConsent, type StoredConsent } from '../../../nodes/core/consent/record';
import { belongsToSubject } from '../../../nodes/core/consent/subjectRequest';
import { config, D, H, iso, NOW } from './helpers';

/**
 * Stored rows are read the way a person meant them: status, channel, purpose and subject keys spelled a little
 * differently from what our writer writes still mean the same record, a row that looks like a consent record but
 * cannot be read is refused (never skipped), evidence must be visible, and id-less ties never depend on input order.
 */
const dm = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
	viewerKey: 'v1',
	channel: 'instagram_dm',
	lastInboundAt: iso(NOW - H),
	...over,
});

function read(row: Record<string, unknown>): StoredConsent {
	const result = readStoredConsent(row);
	if (result.ok !== true) throw new Error(`unreadable: ${JSON.stringify(result)}`);
	return result.record;
}

function reasonsFor(rows: Array<Record<string, unknown>>, contacts: Array<Record<string, unknown>>): string[] {
	const run = runGate(contacts, new ConsentIndex(rows.map(read), NOW), config());
	return Array.from(run.codes, (code) => reasonOfCode(code) ?? 'allowed');
}

describe('stored consent rows spelled differently', () => {
	it.each([
		'opt_out',
		'OPT_OUT',
		' opt_out ',
		'opt-out',
		'Opt Out',
		'OptOut',
		'opted_out',
		'Opted-Out',
		'unsubscribed',
		'UNSUBSCRIBED',
		'revoked',
		'withdrawn',
		'do not contact',
		'ｏｐｔ＿ｏｕｔ',
		'opt\u200b_out',
		'opt\u2011out',
	])('status %p without a cr_ record id is an opt-out that blocks the contact', (status) => {
		const row = { subjectKey: 'v1', channel: 'instagram_dm', status, recordedAt: iso(NOW - D) };
		expect(readStoredConsent(row)).toMatchObject({ ok: true, record: { status: 'opt_out' } });
		expect(reasonsFor([row], [dm()])).toEqual(['opted_out']);
	});

	it.each(['opt_in', 'OPT-IN', ' Opt In ', 'optin', 'opted_in', 'Subscribed'])('status %p is an opt-in', (status) => {
		expect(readStoredConsent({ subjectKey: 'v1', channel: 'email', status, recordedAt: iso(NOW - D) })).toMatchObject({ ok: true, record: { status: 'opt_in' } });
	});

	it.each([
		['subject key in another case', { subjectKey: 'Alice@Example.com' }, { viewerKey: 'alice@example.COM' }],
		['subject key in NFD, contact in NFC', { subjectKey: 'jose\u0301' }, { viewerKey: 'jos\u00e9' }],
		['subject key in NFC, contact in NFD', { subjectKey: 'JOS\u00c9' }, { viewerKey: 'jose\u0301' }],
		['zero-width space and BOM in the key', { subjectKey: '\ufeffv1\u200b' }, { viewerKey: 'v1' }],
		['spaces around the key', { subjectKey: '  v1 ' }, { viewerKey: ' V1' }],
		['channel in capitals with a hyphen', { channel: 'Instagram-DM' }, {}],
		['channel with a space', { channel: ' instagram dm ' }, {}],
		['contact channel spelled differently', {}, { channel: 'INSTAGRAM_DM' }],
		['purpose in capitals', { purpose: ' MARKETING ' }, {}],
		['wildcard channel with spaces', { channel: ' * ', purpose: '*' }, {}],
	])('an opt-out still applies: %s', (_name, rowOver, contactOver) => {
		const row = { subjectKey: 'v1', channel: 'instagram_dm', purpose: 'marketing', status: 'opt_out', recordedAt: iso(NOW - D), ...rowOver };
		expect(reasonsFor([row], [dm(contactOver)])).toEqual(['opted_out']);
	});

	it('a contact channel spelled differently still gets the Instagram 24 h window', () => {
		expect(reasonsFor([], [dm({ channel: 'Instagram-DM', lastInboundAt: iso(NOW - 2 * D) })])).toEqual(['outside_window']);
	});

	it('the writer stores keys in the form the reader matches, so both give the same record id', () => {
		const built = buildConsentRecord({
			subjectKey: ' Jose\u0301\u200b ',
			channel: 'Instagram-DM',
			purpose: 'Marketing',
			status: 'OPT-OUT' as 'opt_out',
			lawfulBasis: 'Consent' as 'consent',
			recordedAt: iso(NOW - D),
			source: 'Keyword' as 'keyword',
			evidence: 'Message m1 was STOP',
		});
		expect(built).toMatchObject({
			ok: true,
			record: { subjectKey: 'jos\u00e9', channel: 'instagram_dm', purpose: 'marketing', status: 'opt_out', lawfulBasis: 'consent', source: 'keyword' },
		});
		if (!built.ok) return;
		const { recordId, ...withoutId } = built.record;
		expect(read({ ...withoutId, subjectKey: 'JOSE\u0301', channel: 'instagram dm' }).recordId).toBe(recordId);
	});

	it('an erasure tombstone blocks the key in any case, including tombstones hashed before keys were normalised', () => {
		const tombstone = (subjectKey: string) => ({
			recordId: `cr_t_${subjectKey}`,
			subjectKey: hashSubjectKey(subjectKey),
			channel: '*',
			purpose: '*',
			status: 'opt_out',
			recordedAt: iso(NOW - D),
			subjectKeyHashed: true,
		});
		expect(reasonsFor([tombstone('alice@example.com')], [dm({ viewerKey: 'Alice@Example.com' }), dm({ viewerKey: 'bob' })])).toEqual([
			'opted_out',
			'allowed',
		]);
		expect(reasonsFor([tombstone('Bob@Example.com')], [dm({ viewerKey: 'Bob@Example.com' })])).toEqual(['opted_out']);
		expect(belongsToSubject({ subjectKey: 'ALICE@example.com' }, 'alice@EXAMPLE.com', ['subjectKey'])).toBe(true);
		expect(belongsToSubject({ subjectKey: hashSubjectKey('alice@example.com') }, 'Alice@Example.com', ['subjectKey'])).toBe(true);
	});
});

describe('a row that looks like a consent record but cannot be read', () => {
	it.each([
		['an unknown status beside a subject key', { subjectKey: 'v1', channel: 'instagram_dm', status: 'pending', recordedAt: iso(NOW - D) }],
		['a status that speaks of opting out but is not one', { contactId: 'v1', status: 'opt-out requested?' }],
		['a status beside a lawful basis', { viewerKey: 'v1', status: 'maybe', lawfulBasis: 'consent' }],
		['a record id in capitals and no status', { recordId: ' CR_abc', subjectKey: 'v1', channel: 'instagram_dm', recordedAt: iso(NOW - D) }],
		['an opt-out spelled differently without a channel', { subjectKey: 'v1', status: 'Opted Out', recordedAt: iso(NOW - D) }],
		['an opt-out spelled differently with an unreadable time', { subjectKey: 'v1', channel: 'instagram_dm', status: 'UNSUBSCRIBED', recordedAt: 'soon' }],
		['a subject key that a number cannot hold exactly', { subjectKey: Number('17841400000000001'), channel: 'instagram_dm', status: 'opt_out', recordedAt: iso(NOW - D) }],
	])('is refused with a reason, never skipped: %s', (_name, row) => {
		expect(looksLikeConsentRow(row)).toBe(true);
		expect(readStoredConsent(row)).toMatchObject({ ok: false, reason: expect.any(String) });
	});

	it.each([
		['a send-log row', { idempotencyKey: 'k1', contactId: 'v1', channel: 'instagram_dm', status: 'sent', sentAt: iso(NOW - H) }],
		['a failed send', { idempotencyKey: 'k2', contactId: 'v1', status: 'not_sent', reason: 'outside_window' }],
		['a cadence row', { contactId: 'v1', sequence: 'welcome', status: 'done', doneReason: 'opted_out' }],
		['a canonical event', { eventId: 'e1', viewerKey: 'v1', type: 'message', keyword: 'opt_out' }],
		['a send-log row of your own with a subject key', { idempotencyKey: 'k3', subjectKey: 'v1', status: 'sent', sentAt: iso(NOW - H) }],
		['a send-log row with a status about the opt-out footer', { subjectKey: 'v1', status: 'sent_with_opt_out_footer', sentAt: null }],
	])('other rows on the same input are still skipped: %s', (_name, row) => {
		expect(readStoredConsent(row)).toEqual({ ok: 'skip' });
	});
});

describe('evidence must contain visible text', () => {
	const STOP = { recordId: 'cr_stop', subjectKey: 'v1', channel: 'instagram_dm', status: 'opt_out', source: 'keyword', recordedAt: iso(NOW - 3 * D) };
	const lift = (evidence: string, evidenceRef?: string) => ({
		recordId: 'cr_form',
		subjectKey: 'v1',
		channel: 'instagram_dm',
		status: 'opt_in',
		lawfulBasis: 'consent',
		source: 'form',
		evidence,
		...(evidenceRef === undefined ? {} : { evidenceRef }),
		recordedAt: iso(NOW - D),
	});

	it.each([
		['zero-width space', '\u200b'],
		['zero-width joiner and non-joiner', '\u200d\u200c'],
		['word joiner', '\u2060'],
		['byte order mark', '\ufeff'],
		['soft hyphen', '\u00ad'],
		['Hangul filler', '\u3164'],
		['blank braille pattern', '\u2800'],
		['variation selector and no-break space', '\ufe0f\u00a0'],
		['a mix with spaces and a tag character', ' \u200b \u2060\u{e0020} '],
	])('%s is no evidence: the opt-out stays', (_name, invisible) => {
		expect(read(lift(invisible)).hasEvidence).toBe(false);
		expect(reasonsFor([STOP, lift(invisible)], [dm()])).toEqual(['opted_out']);
		expect(reasonsFor([STOP, lift('', invisible)], [dm()])).toEqual(['opted_out']);
	});

	it('visible text among invisible characters is evidence: the opt-out is lifted', () => {
		expect(read(lift('\u200bForm v2\u200b')).hasEvidence).toBe(true);
		expect(reasonsFor([STOP, lift('\u200bForm v2')], [dm()])).toEqual(['allowed']);
		expect(reasonsFor([STOP, lift('', 'sub_123')], [dm()])).toEqual(['allowed']);
	});
});

describe('records without an id at the same instant', () => {
	const at = iso(NOW - D);
	const base = { subjectKey: 'v1', channel: 'instagram_dm', purpose: 'marketing', status: 'opt_in', recordedAt: at };
	const permutations = <T>(list: T[]): T[][] =>
		list.length <= 1 ? [list] : list.flatMap((item, i) => permutations([...list.slice(0, i), ...list.slice(i + 1)]).map((rest) => [item, ...rest]));

	it('an expired and an active opt-in: the same decision in every input order', () => {
		const rows = [
			{ ...base, lawfulBasis: 'consent', source: 'form', evidence: 'Form v2', expiresAt: iso(NOW - H) },
			{ ...base, lawfulBasis: 'consent', source: 'form', evidence: 'Form v3' },
		];
		const states = permutations(rows).map((order) => {
			const index = new ConsentIndex(order.map(read), NOW);
			return index.state(index.lookup('v1', 'instagram_dm', 'marketing'));
		});
		expect(new Set(states).size).toBe(1);
	});

	it('rows equal but for basis or expiry (same derived id): the same decision and record in every order', () => {
		const stop = { ...base, status: 'opt_out', recordedAt: iso(NOW - 3 * D), recordId: 'cr_stop' };
		const rows = [
			{ ...base, lawfulBasis: 'consent', source: 'form', evidence: 'Form v2' },
			{ ...base, lawfulBasis: 'legitimate_interest', source: 'form', evidence: 'Form v2' },
			{ ...base, lawfulBasis: 'consent', source: 'form', evidence: 'Form v2', expiresAt: iso(NOW - H) },
		];
		expect(new Set(rows.map((row) => read(row).recordId)).size).toBe(1);
		const outcomes = permutations(rows).map((order) => {
			const index = new ConsentIndex([stop, ...order].map(read), NOW);
			const winner = index.lookup('v1', 'instagram_dm', 'marketing');
			const run = runGate([dm()], index, config({ requireOptIn: true }));
			return JSON.stringify([index.state(winner), winner, run.codes[0]]);
		});
		expect(new Set(outcomes).size).toBe(1);
	});

	it('an id-less row gets the id its content derives, stable across reads', () => {
		const row = { ...base, lawfulBasis: 'consent', source: 'keyword', evidence: 'Message m1 was START' };
		expect(read(row).recordId).toMatch(/^cr_[0-9a-f]{32}$/);
		expect(read({ ...row }).recordId).toBe(read(row).recordId);
		expect(read({ ...row, evidence: 'Message m2 was START' }).recordId).not.toBe(read(row).recordId);
	});
});
