import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';
import { ConsentGate } from '../../nodes/ConsentGate/ConsentGate.node';
import { DEFAULT_REPLIES } from '../../nodes/core/consent/fromMessage';
import { hashSubjectKey } from '../../nodes/core/consent/record';
import { PACKAGE, runSingleNode, runWorkflow } from '../helpers/workflow';

const TYPE = `${PACKAGE}.consentGate`;
const nodeTypes = { [TYPE]: new ConsentGate() };
const NOW = '2026-03-10T12:00:00.000Z';
const ago = (hours: number) => new Date(Date.parse(NOW) - hours * 3_600_000).toISOString();

const json = (items: INodeExecutionData[]) => items.map((item) => item.json);
const paired = (items: INodeExecutionData[]) => items.map((item) => item.pairedItem);

const contacts: IDataObject[] = [
	{ viewerKey: 'ok', channel: 'instagram_dm', lastInboundAt: ago(1), score: 5 },
	{ viewerKey: 'stopped', channel: 'instagram_dm', lastInboundAt: ago(1) },
	{ viewerKey: '', channel: 'instagram_dm', lastInboundAt: ago(1) },
	{ viewerKey: 'late', channel: 'instagram_dm', lastInboundAt: ago(24) },
	{ viewerKey: 'ok2', channel: 'instagram_dm', lastInboundAt: ago(2), score: 9 },
];
const records: IDataObject[] = [
	{ recordId: 'cr_1', subjectKey: 'stopped', channel: 'instagram_dm', purpose: 'marketing', status: 'opt_out', lawfulBasis: 'consent', recordedAt: ago(5) },
	{ id: 3, sentAt: ago(0.5), accountId: '' },
];
const checkParams = { operation: 'check', now: NOW, requireOptIn: false };

describe('Consent Gate node (in-process workflow)', () => {
	it('check: two inputs → Allowed in send order, Blocked with reasons, every item accounted for', async () => {
		const result = await runSingleNode({ type: TYPE, parameters: checkParams, inputs: [contacts, records] }, { nodeTypes });
		expect(result.error).toBeUndefined();
		const [allowed, blocked] = result.outputOf('Node Under Test');
		expect(allowed.length + blocked.length).toBe(contacts.length);
		expect(json(allowed).map((c) => c.viewerKey)).toEqual(['ok2', 'ok']);
		expect(paired(allowed)).toEqual([{ item: 4 }, { item: 0 }]);
		expect(allowed[0].json).toEqual({
			...contacts[4],
			gate: {
				subjectKey: 'ok2',
				channel: 'instagram_dm',
				purpose: 'marketing',
				consentStatus: 'none',
				windowClosesAt: new Date(Date.parse(ago(2)) + 24 * 3_600_000).toISOString(),
				sendRank: 1,
				checkedAt: NOW,
			},
		});
		expect(json(blocked).map((b) => [b.viewerKey, b.reason])).toEqual([
			['stopped', 'opted_out'],
			['', 'missing_identity'],
			['late', 'outside_window'],
		]);
		expect(paired(blocked)).toEqual([{ item: 1 }, { item: 2 }, { item: 3 }]);
		for (const item of blocked) expect(String(item.json.reasonText).length).toBeGreaterThan(20);
	});

	it('check: a contact whose idempotency key the send log holds as sent is blocked already_sent and takes no cap room', async () => {
		const due = [
			{ viewerKey: 'ok', channel: 'instagram_dm', lastInboundAt: ago(1), idempotencyKey: 'ok:step1', score: 9 },
			{ viewerKey: 'ok2', channel: 'instagram_dm', lastInboundAt: ago(1), idempotencyKey: 'ok2:step1', score: 1 },
			{ viewerKey: 'ok3', channel: 'instagram_dm', lastInboundAt: ago(1), idempotencyKey: 'ok3:step1', score: 0 },
		];
		const sendLog = [
			{ idempotencyKey: 'ok:step1', sentAt: ago(0.5), accountId: '', status: 'sent' },
			{ idempotencyKey: 'ok3:step1', sentAt: null, accountId: '', status: 'not_sent' },
		];
		const result = await runSingleNode(
			{ type: TYPE, parameters: { ...checkParams, capPerRun: 1 }, inputs: [due, sendLog] },
			{ nodeTypes },
		);
		const [allowed, blocked] = result.outputOf('Node Under Test');
		expect(allowed.map((i) => [i.json.viewerKey, i.pairedItem])).toEqual([['ok2', { item: 1 }]]);
		expect(blocked.map((i) => [i.json.viewerKey, i.json.reason, i.pairedItem])).toEqual([
			['ok', 'already_sent', { item: 0 }],
			['ok3', 'rate_limited', { item: 2 }],
		]);
		const off = await runSingleNode(
			{ type: TYPE, parameters: { ...checkParams, options: { idempotencyKeyField: '' } }, inputs: [due, sendLog] },
			{ nodeTypes },
		);
		expect(off.outputOf('Node Under Test')[0]).toHaveLength(3);
	});

	it('check: runs with the second input unconnected', async () => {
		const result = await runSingleNode({ type: TYPE, parameters: checkParams, inputs: [contacts] }, { nodeTypes });
		const [allowed, blocked] = result.outputOf('Node Under Test');
		expect(json(allowed).map((c) => c.viewerKey)).toEqual(['ok2', 'ok', 'stopped']);
		expect(blocked).toHaveLength(2);
	});

	it('check: runs when the consent-records branch yields no items', async () => {
		const result = await runSingleNode({ type: TYPE, parameters: checkParams, inputs: [contacts, []] }, { nodeTypes });
		const [allowed, blocked] = result.outputOf('Node Under Test');
		expect(allowed).toHaveLength(3);
		expect(blocked).toHaveLength(2);
	});

	it('check: requires opt-in by default, caps the run, rate-limits the rest', async () => {
		const optIns = ['ok', 'ok2', 'late'].map((subjectKey, i) => ({
			recordId: `cr_in_${i}`,
			subjectKey,
			channel: 'instagram_dm',
			status: 'opt_in',
			lawfulBasis: 'consent',
			recordedAt: ago(100),
		}));
		const result = await runSingleNode(
			{ type: TYPE, parameters: { operation: 'check', now: NOW, capPerRun: 1 }, inputs: [contacts, optIns] },
			{ nodeTypes },
		);
		const [allowed, blocked] = result.outputOf('Node Under Test');
		expect(json(allowed).map((c) => [c.viewerKey, (c.gate as IDataObject).consentRecordId])).toEqual([['ok2', 'cr_in_1']]);
		expect(json(blocked).map((b) => [b.viewerKey, b.reason])).toEqual([
			['ok', 'rate_limited'],
			['stopped', 'no_consent'],
			['', 'missing_identity'],
			['late', 'outside_window'],
		]);
	});

	it('check: a malformed timestamp fails naming the item; with Continue on fail it is Blocked as invalid_input', async () => {
		const bad = [...contacts, { viewerKey: 'bad', channel: 'instagram_dm', lastInboundAt: 'last tuesday' }];
		const failed = await runSingleNode({ type: TYPE, parameters: checkParams, inputs: [bad] }, { nodeTypes });
		expect(failed.error?.message).toContain('Contact item 5');
		expect(failed.error?.message).toContain('lastInboundAt');

		const tolerant = await runSingleNode({ type: TYPE, parameters: checkParams, inputs: [bad], continueOnFail: true }, { nodeTypes });
		const [allowed, blocked] = tolerant.outputOf('Node Under Test');
		expect(allowed).toHaveLength(3);
		expect(blocked.find((b) => b.json.viewerKey === 'bad')).toEqual({
			json: expect.objectContaining({ reason: 'invalid_input', reasonDetail: expect.stringContaining('lastInboundAt') }),
			pairedItem: { item: 5 },
		});
	});

	it('check: an unreadable consent row blocks everyone under Continue on fail and fails otherwise', async () => {
		const badRows = [{ subjectKey: 'x', channel: 'instagram_dm', status: 'opt_out', recordedAt: 'unknown' }];
		const failed = await runSingleNode({ type: TYPE, parameters: checkParams, inputs: [contacts, badRows] }, { nodeTypes });
		expect(failed.error?.message).toContain('Consent records input, item 0');
		const tolerant = await runSingleNode(
			{ type: TYPE, parameters: checkParams, inputs: [contacts, badRows], continueOnFail: true },
			{ nodeTypes },
		);
		const [allowed, blocked] = tolerant.outputOf('Node Under Test');
		expect(allowed).toHaveLength(0);
		expect(json(blocked).every((b) => b.reason === 'invalid_input')).toBe(true);
		expect(blocked).toHaveLength(contacts.length);
	});

	it('check: stored rows spelled differently still block; a consent-like row that cannot be read is never skipped', async () => {
		const spelled = [
			{ subjectKey: 'STOPPED', channel: 'Instagram-DM', purpose: 'Marketing', status: ' Opted-Out ', recordedAt: ago(5) },
			{ idempotencyKey: 'k1', contactId: 'ok', status: 'sent', sentAt: ago(0.5) },
		];
		const result = await runSingleNode({ type: TYPE, parameters: checkParams, inputs: [contacts, spelled] }, { nodeTypes });
		expect(result.error).toBeUndefined();
		const [, blocked] = result.outputOf('Node Under Test');
		expect(json(blocked).find((b) => b.viewerKey === 'stopped')?.reason).toBe('opted_out');

		const unreadable = [{ subjectKey: 'stopped', channel: 'instagram_dm', status: 'pending review', recordedAt: ago(5) }];
		const failed = await runSingleNode({ type: TYPE, parameters: checkParams, inputs: [contacts, unreadable] }, { nodeTypes });
		expect(failed.error?.message).toContain('Consent records input, item 0: status');
		const tolerant = await runSingleNode(
			{ type: TYPE, parameters: checkParams, inputs: [contacts, unreadable], continueOnFail: true },
			{ nodeTypes },
		);
		const [allowed, everyone] = tolerant.outputOf('Node Under Test');
		expect(allowed).toHaveLength(0);
		expect(json(everyone).map((b) => b.reason)).toEqual(Array(contacts.length).fill('invalid_input'));
	});

	const message = (eventId: string, viewerKey: string, text: string, minute: number): IDataObject => ({
		eventId,
		viewerKey,
		viewerKeyType: 'igsid',
		type: 'message',
		occurredAt: `2026-03-10T11:${String(minute).padStart(2, '0')}:00.000Z`,
		ingestedAt: '2026-03-10T11:59:00.000Z',
		source: 'webhook',
		sourceTool: 'test',
		text,
	});

	it('recordFromMessage: records, one confirmation, other messages with reasons', async () => {
		const messages = [
			message('ev_1', 'stopped', 'STOP', 1),
			message('ev_2', 'stopped', 'stop', 2),
			message('ev_3', 'ok', 'stop by our shop', 3),
			message('ev_4', 'ok', 'HELP', 4),
		];
		const result = await runSingleNode(
			{ type: TYPE, parameters: { operation: 'recordFromMessage', now: NOW, confirmationReply: true }, inputs: [messages] },
			{ nodeTypes },
		);
		const [recs, replies, other] = result.outputOf('Node Under Test');
		expect(json(recs).map((r) => [r.subjectKey, r.status, r.evidenceRef])).toEqual([
			['stopped', 'opt_out', 'ev_1'],
			['stopped', 'opt_out', 'ev_2'],
		]);
		expect(paired(recs)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(json(replies).map((r) => [r.viewerKey, r.keyword, r.text])).toEqual([
			['stopped', 'opt_out', DEFAULT_REPLIES.opt_out],
			['ok', 'help', DEFAULT_REPLIES.help],
		]);
		expect(json(other).map((o) => [o.eventId, o.reason])).toEqual([
			['ev_3', 'no_keyword'],
			['ev_4', 'help'],
		]);

		// Re-run with the stored records: same records, no second confirmation.
		const rerun = await runSingleNode(
			{
				type: TYPE,
				parameters: { operation: 'recordFromMessage', now: NOW, confirmationReply: true },
				inputs: [messages.slice(0, 1), json(recs)],
			},
			{ nodeTypes },
		);
		const [again, noReplies] = rerun.outputOf('Node Under Test');
		expect(json(again)).toEqual([json(recs)[0]]);
		expect(noReplies).toHaveLength(0);
	});

	it('recordFromMessage: a STOP dated days ahead is recorded at receipt time; only its timestamp goes to Other messages', async () => {
		const skewed = { ...message('ev_skew', 'late', 'STOP', 1), occurredAt: '2026-03-14T09:00:00.000Z' };
		const result = await runSingleNode(
			{ type: TYPE, parameters: { operation: 'recordFromMessage', now: NOW, confirmationReply: true }, inputs: [[skewed]] },
			{ nodeTypes },
		);
		expect(result.error).toBeUndefined();
		const [recs, replies, other] = result.outputOf('Node Under Test');
		expect(json(recs)).toEqual([
			expect.objectContaining({ subjectKey: 'late', status: 'opt_out', recordedAt: '2026-03-10T11:59:00.000Z', evidenceRef: 'ev_skew' }),
		]);
		expect(json(replies).map((r) => r.keyword)).toEqual(['opt_out']);
		expect(json(other)).toEqual([
			expect.objectContaining({
				eventId: 'ev_skew',
				reason: 'invalid_input',
				reasonDetail: expect.stringContaining('recorded at receipt time'),
				consentRecordId: json(recs)[0].recordId,
			}),
		]);
		expect([...paired(recs), ...paired(other)]).toEqual([{ item: 0 }, { item: 0 }]);
	});

	it('the reply defaults shown in the editor are the core defaults', () => {
		const props = new ConsentGate().description.properties;
		const byName = (name: string) => props.find((p) => p.name === name)?.default;
		expect([byName('optOutReply'), byName('optInReply'), byName('helpReply')]).toEqual([
			DEFAULT_REPLIES.opt_out,
			DEFAULT_REPLIES.opt_in,
			DEFAULT_REPLIES.help,
		]);
	});

	it('a contact who sent STOP never reaches Allowed (messages → records → gate)', async () => {
		const node = (name: string, type: string, parameters: IDataObject, x: number, y = 0): INode =>
			({ id: name, name, type, typeVersion: 1, position: [x, y], parameters }) as INode;
		const result = await runWorkflow(
			{
				nodes: [
					node('Start', 'test.trigger', {}, 0),
					node('Messages', 'test.seed', { items: JSON.stringify([message('ev_9', 'stopped', 'Arrêt', 30)]) }, 200, 0),
					node('Record', TYPE, { operation: 'recordFromMessage', now: NOW }, 400, 0),
					node('Contacts', 'test.seed', { items: JSON.stringify(contacts) }, 200, 300),
					node('Gate', TYPE, checkParams, 600, 100),
				],
				connections: {
					Start: { main: [[{ node: 'Messages', type: 'main', index: 0 }, { node: 'Contacts', type: 'main', index: 0 }]] },
					Messages: { main: [[{ node: 'Record', type: 'main', index: 0 }]] },
					Record: { main: [[{ node: 'Gate', type: 'main', index: 1 }]] },
					Contacts: { main: [[{ node: 'Gate', type: 'main', index: 0 }]] },
				},
			},
			{ nodeTypes },
		);
		expect(result.error).toBeUndefined();
		const [allowed, blocked] = result.outputOf('Gate');
		expect(json(allowed).map((c) => c.viewerKey)).not.toContain('stopped');
		expect(json(blocked).find((b) => b.viewerKey === 'stopped')?.reason).toBe('opted_out');
	});

	it('recordManual: one record per item from expressions; bad items fail naming the item', async () => {
		const rows = [{ email: 'a@example.com' }, { email: 'b@example.com' }];
		const parameters = {
			operation: 'recordManual',
			now: NOW,
			subjectKey: '={{ $json.email }}',
			channel: 'email',
			status: 'opt_in',
			lawfulBasis: 'consent',
			source: 'form',
			evidence: 'Newsletter form v2',
		};
		const result = await runSingleNode({ type: TYPE, parameters, inputs: [rows] }, { nodeTypes });
		const [out] = result.outputOf('Node Under Test');
		expect(json(out)).toEqual([
			expect.objectContaining({ subjectKey: 'a@example.com', channel: 'email', purpose: 'marketing', status: 'opt_in', recordedAt: NOW, source: 'form', recordId: expect.stringMatching(/^cr_/) }),
			expect.objectContaining({ subjectKey: 'b@example.com' }),
		]);
		expect(paired(out)).toEqual([{ item: 0 }, { item: 1 }]);

		const failed = await runSingleNode(
			{ type: TYPE, parameters: { ...parameters, subjectKey: '={{ $json.missing }}' }, inputs: [rows] },
			{ nodeTypes },
		);
		expect(failed.error?.message).toContain('Item 0');
	});

	it('purge: Delete and Keep with reasons', async () => {
		const rows = [
			{ id: 1, viewerKey: 'old', occurredAt: ago(24 * 200) },
			{ id: 2, viewerKey: 'fresh', occurredAt: ago(24) },
			{ id: 3, viewerKey: 'converted', occurredAt: ago(24 * 200) },
			{ id: 4, viewerKey: 'nodate' },
		];
		const consent = [{ recordId: 'cr_c', subjectKey: 'converted', channel: 'email', status: 'opt_in', lawfulBasis: 'consent', recordedAt: ago(24 * 300) }];
		const result = await runSingleNode(
			{ type: TYPE, parameters: { operation: 'purge', now: NOW, retentionDays: 180 }, inputs: [rows, consent] },
			{ nodeTypes },
		);
		const [remove, keep] = result.outputOf('Node Under Test');
		expect(json(remove).map((r) => [r.id, r.reason, r.ageDays])).toEqual([[1, 'retention_expired', 200]]);
		expect(json(keep).map((r) => [r.id, r.reason])).toEqual([
			[2, 'within_retention'],
			[3, 'separate_consent'],
			[4, 'no_timestamp'],
		]);
		expect(paired(keep)).toEqual([{ item: 1 }, { item: 2 }, { item: 3 }]);
	});

	it('purge: a consent row that cannot be read deletes nothing (it may be the consent that keeps the data)', async () => {
		const rows = [
			{ id: 1, viewerKey: 'converted', occurredAt: ago(24 * 200) },
			{ id: 2, viewerKey: 'old', occurredAt: ago(24 * 200) },
		];
		const consent = [{ subjectKey: 'Converted', channel: 'email', status: 'Opted In?', lawfulBasis: 'consent', recordedAt: ago(24 * 300) }];
		const params = { operation: 'purge', now: NOW, retentionDays: 180 };
		const failed = await runSingleNode({ type: TYPE, parameters: params, inputs: [rows, consent] }, { nodeTypes });
		expect(failed.error?.message).toContain('Consent records input, item 0: status');
		const tolerant = await runSingleNode({ type: TYPE, parameters: params, inputs: [rows, consent], continueOnFail: true }, { nodeTypes });
		const [remove, keep] = tolerant.outputOf('Node Under Test');
		expect(remove).toHaveLength(0);
		expect(json(keep).map((r) => [r.id, r.reason])).toEqual([
			[1, 'invalid_input'],
			[2, 'invalid_input'],
		]);
		expect(paired(keep)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	describe('subjectRequest', () => {
		const rows = [
			{ eventId: 'ev_1', type: 'story_reply', viewerKey: 'v1', occurredAt: ago(3) },
			{ recordId: 'cr_1', subjectKey: 'v1', channel: 'instagram_dm', status: 'opt_in', recordedAt: ago(3) },
			{ viewerKey: 'v2', eventId: 'ev_2', type: 'message' },
			{ viewerKey: 'v1', step: 1 },
		];
		it('access: one export item paired with the subject rows; other rows pass through', async () => {
			const result = await runSingleNode(
				{ type: TYPE, parameters: { operation: 'subjectRequest', now: NOW, subjectKey: 'v1', requestType: 'access' }, inputs: [rows] },
				{ nodeTypes },
			);
			const [exported, other] = result.outputOf('Node Under Test');
			expect(exported).toHaveLength(1);
			expect(exported[0].json).toMatchObject({ subjectKey: 'v1', requestType: 'access', generatedAt: NOW, counts: { consentRecords: 1, events: 1, otherRows: 1 } });
			expect(exported[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 3 }]);
			expect(paired(other)).toEqual([{ item: 2 }]);
		});
		it('erasure: rows to delete, a hashed suppression record, other rows', async () => {
			const result = await runSingleNode(
				{ type: TYPE, parameters: { operation: 'subjectRequest', now: NOW, subjectKey: 'v1', requestType: 'erasure' }, inputs: [rows] },
				{ nodeTypes },
			);
			const [remove, suppression, other] = result.outputOf('Node Under Test');
			expect(paired(remove)).toEqual([{ item: 0 }, { item: 1 }, { item: 3 }]);
			expect(json(remove).every((r) => r.reason === 'erasure_request')).toBe(true);
			expect(json(suppression)).toEqual([
				expect.objectContaining({ subjectKey: hashSubjectKey('v1'), channel: '*', purpose: '*', status: 'opt_out', subjectKeyHashed: true }),
			]);
			expect(other).toHaveLength(1);

			// The tombstone alone keeps v1 out of the gate.
			const gate = await runSingleNode(
				{ type: TYPE, parameters: checkParams, inputs: [[{ viewerKey: 'v1', channel: 'instagram_dm', lastInboundAt: ago(1) }], json(suppression)] },
				{ nodeTypes },
			);
			expect(json(gate.outputOf('Node Under Test')[1]).map((b) => b.reason)).toEqual(['opted_out']);
		});
	});
});
