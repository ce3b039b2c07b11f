import { readSignedDelivery } from '../../../nodes/core/capture/delivery';
import { IngestBatch } from '../../../nodes/core/capture/ingest';
import { ingestWebhookBody } from '../../../nodes/core/capture/sources';
import { parseMetaWebhook } from '../../../nodes/core/capture/webhook';
import { recordsFromMessages } from '../../../nodes/core/consent/fromMessage';
import { runGate } from '../../../nodes/core/consent/gate';
import { defaultKeywordMatcher } from '../../../nodes/core/consent/keywords';
import { CODE } from '../../../nodes/core/consent/reasons';
import { buildConsentRecord } from '../../../nodes/core/consent/record';
import type { CanonicalEvent } from '../../../nodes/core/events/schema';
import { parseInstant, readInstant } from '../../../nodes/core/time/instant';
import { config, D, H, indexOf, iso, NOW } from '../consent/helpers';
import { envelope, IG_ID, IGSID } from '../capture/payloads';

const HUGE = '99999999999999999999';
const opts = { ingestedAt: NOW };

describe('hostile timestamps never escape as a RangeError', () => {
	it('a signed webhook with a timestamp ≥ 8.64e15 is an invalid update, not a throw', () => {
		const body = envelope(
			[
				{ sender: { id: IGSID }, recipient: { id: IG_ID }, timestamp: 8.64e15 + 1, message: { mid: 'm1', text: 'hi' } },
				{ sender: { id: IGSID }, recipient: { id: IG_ID }, timestamp: NOW - H, message: { mid: 'm2', text: 'hello' } },
			],
			8.7e15,
		);
		const parsed = parseMetaWebhook(body, opts);
		expect(parsed.events.map((e) => e.eventId)).toHaveLength(1);
		expect(parsed.skipped).toEqual([expect.objectContaining({ reason: 'invalid_time', update: 1 })]);
		expect(parsed.skipped[0].message).toContain('timestamp');
		expect(parsed.updates).toBe(2);
	});

	it('a webhook time more than a day after ingestion, or before 2000, is invalid; entry.time is the fallback', () => {
		const at = (timestamp: unknown) =>
			parseMetaWebhook(envelope([{ sender: { id: IGSID }, recipient: { id: IG_ID }, timestamp, message: { mid: 'x', text: 'a' } }], NOW - D), opts);
		expect(at(NOW + 2 * D).skipped[0]?.reason).toBe('invalid_time');
		expect(at(1).skipped[0]?.reason).toBe('invalid_time');
		expect(at(NOW + 12 * H).events).toHaveLength(1);
		expect(at(undefined).events[0]?.occurredAt).toBe(iso(NOW - D));
	});

	it("Story Viewer Ingest's Meta webhook payload mode sends such an update to Invalid", () => {
		const batch = new IngestBatch({ source: 'webhook', sourceTool: 'instagram_webhook', ingestedAt: NOW });
		ingestWebhookBody(batch, envelope([{ sender: { id: IGSID }, timestamp: 9e15, message: { mid: 'm', text: 'hi' } }]), 0);
		const { invalid, counts } = batch.result();
		expect(counts).toEqual({ in: 1, valid: 0, invalid: 1, duplicate: 0 });
		expect(invalid[0]).toMatchObject({ itemIndex: 0, row: 1, reason: 'invalid_time' });
	});

	it('the trigger reads any signed body without throwing: not JSON, poison entries, wrong types', () => {
		const wanted = new Set(['message', 'comment']);
		expect(readSignedDelivery('{"entry": [', opts, wanted)).toMatchObject({
			events: [],
			invalid: [expect.objectContaining({ reason: 'malformed_payload' })],
			updates: 1,
		});
		const poison = JSON.stringify({ object: 'instagram', entry: [{ id: IG_ID, time: HUGE, changes: [{ field: 'comments', value: { from: { id: '1' }, id: 'c1', text: 'STOP' } }] }] });
		const delivery = readSignedDelivery(poison, opts, wanted);
		expect(delivery).toMatchObject({ events: [], invalid: [expect.objectContaining({ reason: 'invalid_time' })], ignored: 0, updates: 1 });
	});

	it('a huge epoch in a contact timestamp is invalid_input naming the field', () => {
		const contacts = [
			{ viewerKey: 'a', channel: 'instagram_dm', lastInboundAt: HUGE },
			{ viewerKey: 'b', channel: 'email', lastInboundAt: 1e300 },
			{ viewerKey: 'c', channel: 'email', lastSeenAt: -5 },
		];
		const run = runGate(contacts, indexOf([]), config({ retentionDays: 30 }));
		expect([...run.codes]).toEqual([CODE.invalid_input, CODE.invalid_input, CODE.invalid_input]);
		expect(run.invalid.get(0)).toContain('"lastInboundAt"');
		expect(run.invalid.get(2)).toContain('"lastSeenAt"');
	});

	it('a lastInboundAt beyond now + 1 day is invalid; within the tolerance it never opens the window past now + 24 h', () => {
		const contacts = [
			{ viewerKey: 'a', channel: 'instagram_dm', lastInboundAt: iso(NOW + 2 * D) },
			{ viewerKey: 'b', channel: 'instagram_dm', lastInboundAt: iso(NOW + 12 * H) },
		];
		const run = runGate(contacts, indexOf([]), config());
		expect(run.codes[0]).toBe(CODE.invalid_input);
		expect(run.invalid.get(0)).toContain('now + 1 day');
		expect(run.sendOrder).toEqual([1]);
		expect(run.allowedInfo(1, 1).windowClosesAt).toBe(iso(NOW + 24 * H));
	});

	it('consent records: a huge or future recordedAt is refused with the field named, never thrown', () => {
		const base = { subjectKey: 's', channel: 'instagram_dm', status: 'opt_out', lawfulBasis: 'consent', source: 'keyword' } as const;
		expect(buildConsentRecord({ ...base, recordedAt: HUGE })).toMatchObject({ ok: false, reason: expect.stringContaining('recordedAt') });
		expect(buildConsentRecord({ ...base, recordedAt: NOW + 2 * D, nowMs: NOW })).toMatchObject({ ok: false, reason: expect.stringContaining('future') });
		expect(buildConsentRecord({ ...base, recordedAt: NOW - D, nowMs: NOW }).ok).toBe(true);
	});
});

describe('one set of accepted timestamp forms', () => {
	it('reads numbers the same everywhere: below 10^11 seconds, above milliseconds; zone-less text is UTC', () => {
		expect(parseInstant(1763805600)).toBe(1763805600000);
		expect(parseInstant('1763805600')).toBe(1763805600000);
		expect(parseInstant(1763805600000)).toBe(1763805600000);
		expect(parseInstant('2026-03-08 02:30')).toBe(Date.UTC(2026, 2, 8, 2, 30));
		expect(readInstant('2026-03-08T02:30', 'now')).toEqual({ ok: true, ms: Date.UTC(2026, 2, 8, 2, 30) });
	});

	it('reads a user pattern in UTC (or the named zone), never in the host zone, even in a DST gap of the host', () => {
		// 2026-03-08 02:30 does not exist in New York; read in UTC it is an ordinary time.
		expect(parseInstant('08.03.2026 02:30', { format: 'dd.MM.yyyy HH:mm' })).toBe(Date.UTC(2026, 2, 8, 2, 30));
		expect(parseInstant('01.11.2026 01:30', { format: 'dd.MM.yyyy HH:mm' })).toBe(Date.UTC(2026, 10, 1, 1, 30));
		expect(parseInstant('08.03.2026 02:30', { format: 'dd.MM.yyyy HH:mm', timeZone: 'Europe/Paris' })).toBe(Date.UTC(2026, 2, 8, 1, 30));
	});

	it('refuses out-of-range values in every form, with the reason naming the field', () => {
		for (const value of [HUGE, 8.64e15, -1, 0, '1999-12-31T23:59:59Z', NaN, Infinity, '+275760-09-13T00:00:00Z', '10000-01-01T00:00:00Z', {}, true]) {
			const read = readInstant(value, 'occurredAt');
			expect(read.ok).toBe(false);
			if (!read.ok) expect(read.reason).toMatch(/^occurredAt: /);
		}
	});
});

describe('only the person creates an opt-in', () => {
	const event = (over: Partial<CanonicalEvent>): CanonicalEvent => ({
		eventId: `ev_${over.type}_${over.text}_${String(over.extra?.isEcho)}`,
		viewerKey: 'v1',
		viewerKeyType: 'igsid',
		type: 'message',
		occurredAt: iso(NOW - H),
		ingestedAt: iso(NOW),
		source: 'webhook',
		sourceTool: 'test',
		...over,
	});
	const cfg = { matcher: defaultKeywordMatcher, channel: 'instagram_dm', purpose: 'marketing', nowMs: NOW };

	it('a public comment "Yes" and the business\'s own "Yes" (echo) make no opt-in; a STOP in a comment opts out', () => {
		const out = recordsFromMessages(
			[
				event({ type: 'comment', text: 'Yes' }),
				event({ text: 'Yes', extra: { isEcho: true } }),
				event({ type: 'comment', text: 'STOP' }),
				event({ type: 'story_reply', text: 'Oui' }),
			],
			cfg,
		);
		expect(out.map((o) => o.kind)).toEqual(['ignored', 'ignored', 'record', 'record']);
		expect(out[0]).toMatchObject({ reason: 'public_opt_in' });
		expect(out[1]).toMatchObject({ reason: 'echo' });
		expect(out[2]).toMatchObject({ record: { status: 'opt_out' } });
		expect(out[3]).toMatchObject({ record: { status: 'opt_in', source: 'keyword' } });
	});

	it('an opt-in dated before 2000 is an invalid outcome, not a throw; a STOP so dated is recorded at receipt time', () => {
		const [start] = recordsFromMessages([event({ text: 'START', occurredAt: '1990-01-01T00:00:00.000Z' })], cfg);
		expect(start).toMatchObject({ kind: 'invalid', reason: expect.stringContaining('recordedAt') });
		const [stop] = recordsFromMessages([event({ text: 'STOP', occurredAt: '1990-01-01T00:00:00.000Z' })], cfg);
		expect(stop).toMatchObject({
			kind: 'record',
			record: { status: 'opt_out', recordedAt: iso(NOW) },
			timeProblem: expect.stringContaining('1990-01-01T00:00:00.000Z'),
		});
	});

	it('STOP, then a later import or a manual record without evidence: still opted out at the gate', () => {
		const stop = { recordId: 'cr_stop', subjectKey: 'v1', status: 'opt_out', source: 'keyword', evidence: 'STOP', recordedAt: iso(NOW - 3 * D) };
		const later = [
			{ recordId: 'cr_imp', subjectKey: 'v1', status: 'opt_in', source: 'import', evidence: 'CRM sync', recordedAt: iso(NOW - D) },
			{ recordId: 'cr_man', subjectKey: 'v1', status: 'opt_in', source: 'manual', recordedAt: iso(NOW - H) },
			{ recordId: 'cr_li', subjectKey: 'v1', status: 'opt_in', lawfulBasis: 'legitimate_interest', source: 'form', evidence: 'x', recordedAt: iso(NOW - H) },
		];
		const contact = { viewerKey: 'v1', channel: 'instagram_dm', lastInboundAt: iso(NOW - H) };
		const run = runGate([contact], indexOf([stop, ...later]), config());
		expect(run.codes[0]).toBe(CODE.opted_out);
		const lifted = indexOf([stop, ...later, { recordId: 'cr_form', subjectKey: 'v1', status: 'opt_in', source: 'form', evidence: 'Form v2', recordedAt: iso(NOW - 2 * H) }]);
		expect(runGate([contact], lifted, config()).sendOrder).toEqual([0]);
	});
});
