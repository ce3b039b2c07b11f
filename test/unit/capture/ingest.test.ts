import { IngestBatch, describeCounts, type IngestOptions } from '../../../nodes/core/capture/ingest';
import { CaptureConfigError, ItemMapper, ingestCsvText, ingestWebhookBody } from '../../../nodes/core/capture/sources';
import { deterministicEventId } from '../../../nodes/core/events/eventId';
import * as p from './payloads';

const NOW = Date.parse('2026-11-22T10:00:00.000Z');
const csvBatch = (options: Partial<IngestOptions> = {}) =>
	new IngestBatch({ source: 'csv', sourceTool: 'vendor_export', ingestedAt: NOW, ...options });

function runCsv(text: string, options: Partial<IngestOptions> = {}, extraFields?: string[]) {
	const batch = csvBatch(options);
	ingestCsvText(batch, text, 0, { extraFields });
	const result = batch.result();
	const { counts } = result;
	expect(counts.in).toBe(counts.valid + counts.invalid + counts.duplicate);
	expect(result.valid).toHaveLength(counts.valid);
	expect(result.invalid).toHaveLength(counts.invalid);
	return result;
}

describe('ingest: CSV rows to canonical events', () => {
	it('auto-detects common columns and normalises handles and timestamps', () => {
		const { valid } = runCsv(
			'Username;First Seen;Story ID;Campaign\n  @Alice.Shop ;2026-11-21T08:00:00+01:00;1789;Black Friday\n',
		);
		expect(valid.map((k) => k.event)).toEqual([
			{
				eventId: deterministicEventId([
					'csv',
					'vendor_export',
					'handle',
					'alice.shop',
					'1789',
					'2026-11-21T07:00:00.000Z',
					'view',
				]),
				viewerKey: 'alice.shop',
				viewerKeyType: 'handle',
				storyId: '1789',
				type: 'view',
				occurredAt: '2026-11-21T07:00:00.000Z',
				ingestedAt: '2026-11-22T10:00:00.000Z',
				source: 'csv',
				sourceTool: 'vendor_export',
				context: 'Black Friday',
			},
		]);
	});

	it('prefers a scoped viewer id over a handle on the same row, and falls back per row', () => {
		const { valid } = runCsv('viewer_id,handle,viewed_at\n123,alice,1700000000\n,bob,1700000000000\n');
		expect(valid.map((k) => [k.event.viewerKey, k.event.viewerKeyType, k.event.occurredAt])).toEqual([
			['123', 'igsid', '2023-11-14T22:13:20.000Z'],
			['bob', 'handle', '2023-11-14T22:13:20.000Z'],
		]);
	});

	it('sends every bad row to invalid with its row number, line, reason and original row', () => {
		const { invalid, counts } = runCsv(
			'handle,first_seen,type\nalice,2026-01-01T00:00:00Z,view\n@,2026-01-01T00:00:00Z,view\ncarol,yesterday,view\ndave,,view\nerin,2026-01-01T00:00:00Z,poke\nfrank,1990-01-01T00:00:00Z,view\ngina,2030-01-01T00:00:00Z,view\n',
		);
		expect(counts).toEqual({ in: 7, valid: 1, invalid: 6, duplicate: 0 });
		expect(invalid.map((r) => [r.row, r.line, r.reason])).toEqual([
			[2, 3, 'missing_viewer'],
			[3, 4, 'invalid_time'],
			[4, 5, 'missing_time'],
			[5, 6, 'invalid_type'],
			[6, 7, 'invalid_time'],
			[7, 8, 'invalid_time'],
		]);
		expect(invalid[1]).toMatchObject({
			itemIndex: 0,
			message: 'Timestamp "yesterday" is not a readable timestamp',
			original: { handle: 'carol', first_seen: 'yesterday', type: 'view' },
		});
	});

	it('reads event types with aliases, and a broken row as malformed', () => {
		const { valid, invalid } = runCsv('handle,time,event\na,2026-01-01T00:00:00Z,Story Reply\nb,2026-01-01T00:00:00Z,mention\nc,"2026\n');
		expect(valid.map((k) => k.event.type)).toEqual(['story_reply', 'story_mention']);
		expect(invalid.map((r) => r.reason)).toEqual(['malformed_row']);
	});

	it('de-duplicates by eventId within the batch and counts it, across items too', () => {
		const batch = csvBatch();
		const text = 'handle,first_seen\nalice,2026-01-01T00:00:00Z\nALICE,2026-01-01T00:00:00.000Z\nbob,2026-01-01T00:00:00Z\n';
		ingestCsvText(batch, text, 0);
		ingestCsvText(batch, text, 1);
		const { valid, counts } = batch.result();
		expect(counts).toEqual({ in: 6, valid: 2, invalid: 0, duplicate: 4 });
		expect(valid[0]).toMatchObject({ itemIndex: 0, mergedItemIndexes: [1] });
		expect(describeCounts(counts)).toBe('6 in · 2 valid · 0 invalid · 4 duplicate');
	});

	it('keeps the earliest occurredAt when duplicates differ in time', () => {
		const batch = csvBatch();
		const late = { ...baseEvent, occurredAt: '2026-01-02T00:00:00.000Z' };
		const early = { ...baseEvent, occurredAt: '2026-01-01T00:00:00.000Z' };
		batch.addEvent(late, { itemIndex: 0, row: 1 }, () => late);
		batch.addEvent(early, { itemIndex: 0, row: 2 }, () => early);
		batch.addEvent(late, { itemIndex: 0, row: 3 }, () => late);
		const { valid, counts } = batch.result();
		expect(valid.map((k) => k.event.occurredAt)).toEqual(['2026-01-01T00:00:00.000Z']);
		expect(counts).toEqual({ in: 3, valid: 1, invalid: 0, duplicate: 2 });
	});

	it('gives the same ids on a re-run, and different ids for a different story or time', () => {
		const text = 'handle,first_seen,story_id\nalice,2026-01-01T00:00:00Z,1\nalice,2026-01-01T00:00:00Z,2\nalice,2026-01-01T00:00:01Z,1\n';
		const first = runCsv(text).valid.map((k) => k.event.eventId);
		const again = runCsv(text, { ingestedAt: NOW + 86_400_000 }).valid.map((k) => k.event.eventId);
		expect(again).toEqual(first);
		expect(new Set(first).size).toBe(3);
	});

	it('reads a user format in an IANA zone across DST changes', () => {
		const text =
			'handle,seen\n' +
			'winter,15/01/2026 09:30\n' + // CET, UTC+1
			'summer,15/07/2026 09:30\n' + // CEST, UTC+2
			'gap,29/03/2026 02:30\n' + // spring-forward gap in Berlin: read with the offset before it
			'ambiguous,25/10/2026 02:30\n'; // fall-back: first occurrence (CEST)
		const { valid } = runCsv(text, { timeFormat: 'dd/MM/yyyy HH:mm', timeZone: 'Europe/Berlin' });
		expect(valid.map((k) => [k.event.viewerKey, k.event.occurredAt])).toEqual([
			['winter', '2026-01-15T08:30:00.000Z'],
			['summer', '2026-07-15T07:30:00.000Z'],
			['gap', '2026-03-29T01:30:00.000Z'],
			['ambiguous', '2026-10-25T00:30:00.000Z'],
		]);
	});

	it('reads local ISO times in the zone, and offsets/epochs regardless of it', () => {
		const text = 'handle,seen\na,2026-07-01 12:00\nb,2026-07-01T12:00:00Z\nc,1782900000\nd,1782900000000\n';
		const { valid } = runCsv(text, { timeZone: 'America/New_York' });
		expect(valid.map((k) => k.event.occurredAt)).toEqual([
			'2026-07-01T16:00:00.000Z',
			'2026-07-01T12:00:00.000Z',
			'2026-07-01T10:00:00.000Z',
			'2026-07-01T10:00:00.000Z',
		]);
	});

	it('uses Now for rows without a time only when asked', () => {
		expect(() => runCsv('handle\nalice\n')).toThrow(CaptureConfigError);
		const { valid } = runCsv('handle\nalice\n', { missingTime: 'useIngestedAt' });
		expect(valid[0].event.occurredAt).toBe('2026-11-22T10:00:00.000Z');
	});

	it('fails the whole file once when there is no viewer column', () => {
		expect(() => runCsv('time,story\n2026-01-01T00:00:00Z,1\n')).toThrow('The CSV has no viewer column');
	});

	it('keeps only allow-listed extra columns, and text only when opted in (keyword always)', () => {
		const text = 'handle,first_seen,message,email,city\nalice,2026-01-01T00:00:00Z,STOP,a@x.io,Paris\n';
		const minimal = runCsv(text).valid[0].event;
		expect(minimal.extra).toBeUndefined();
		expect(minimal.text).toBeUndefined();
		expect(minimal.keyword).toBe('opt_out');
		expect(JSON.stringify(minimal)).not.toMatch(/a@x\.io|Paris/);
		const chosen = runCsv(text, { includeText: true }, ['City']).valid[0].event;
		expect(chosen.extra).toEqual({ City: 'Paris' });
		expect(chosen.text).toBe('STOP');
	});

	it('pseudonymises stably across runs; the pepper changes the key; the id follows the pseudonym', () => {
		const text = 'handle,first_seen\n@Alice,2026-01-01T00:00:00Z\n';
		const a = runCsv(text, { pepper: 'pepper-one-is-long-enough' }).valid[0].event;
		const b = runCsv(text, { pepper: 'pepper-one-is-long-enough', ingestedAt: NOW + 1000 }).valid[0].event;
		const c = runCsv(text, { pepper: 'pepper-two-is-long-enough' }).valid[0].event;
		const plain = runCsv(text).valid[0].event;
		expect(a.viewerKeyType).toBe('pseudonym');
		expect(a.viewerKey).toBe(b.viewerKey);
		expect(a.eventId).toBe(b.eventId);
		expect(a.viewerKey).not.toBe(c.viewerKey);
		expect(a.eventId).not.toBe(plain.eventId);
		expect(JSON.stringify(a)).not.toContain('alice');
	});
});

const baseEvent = {
	eventId: 'ev_same',
	viewerKey: 'alice',
	viewerKeyType: 'handle' as const,
	type: 'view' as const,
	occurredAt: '2026-01-01T00:00:00.000Z',
	ingestedAt: '2026-11-22T10:00:00.000Z',
	source: 'items' as const,
	sourceTool: 'vendor',
};

describe('ingest: items', () => {
	it('maps item fields by auto-detection, per key set, and refuses non-objects', () => {
		const batch = new IngestBatch({ source: 'items', sourceTool: 'crm', ingestedAt: NOW });
		const mapper = new ItemMapper();
		mapper.add(batch, { username: 'Bob', viewedAt: 1767225600, storyId: 42, tag: 'promo' }, 0);
		mapper.add(batch, { handle: 'carol', first_seen: '2026-01-01T00:00:00Z' }, 1);
		mapper.add(batch, ['not', 'an', 'object'], 2);
		mapper.add(batch, { name: 'no viewer here', first_seen: '2026-01-01T00:00:00Z' }, 3);
		const { valid, invalid, counts } = batch.result();
		expect(counts).toEqual({ in: 4, valid: 2, invalid: 2, duplicate: 0 });
		expect(valid[0].event).toMatchObject({ viewerKey: 'bob', storyId: '42', context: 'promo', occurredAt: '2026-01-01T00:00:00.000Z' });
		expect(invalid.map((r) => [r.itemIndex, r.reason])).toEqual([
			[2, 'not_an_object'],
			[3, 'missing_viewer'],
		]);
		expect(invalid[1].original).toEqual({ name: 'no viewer here', first_seen: '2026-01-01T00:00:00Z' });
	});

	it('uses fields chosen by hand, reading the viewer as the chosen key type', () => {
		const batch = new IngestBatch({ source: 'items', sourceTool: 'crm', ingestedAt: NOW });
		const mapper = new ItemMapper({ viewer: 'who', viewerKeyPolicy: 'igsid', time: 'when', context: 'why' });
		mapper.add(batch, { who: '998877', when: '2026-02-02T10:00:00Z', why: 'launch', handle: 'ignored' }, 0);
		expect(batch.result().valid[0].event).toMatchObject({ viewerKey: '998877', viewerKeyType: 'igsid', context: 'launch' });
	});
});

describe('ingest: webhook bodies', () => {
	it('runs bodies through the shared parser; skipped updates become refusals; redeliveries are duplicates', () => {
		const batch = new IngestBatch({ source: 'webhook', sourceTool: 'instagram_webhook', ingestedAt: NOW });
		ingestWebhookBody(batch, p.storyReply, 0);
		ingestWebhookBody(batch, p.echo, 1);
		ingestWebhookBody(batch, p.storyReply, 2);
		ingestWebhookBody(batch, 'not json', 3);
		const { valid, invalid, counts } = batch.result();
		expect(counts).toEqual({ in: 4, valid: 1, invalid: 2, duplicate: 1 });
		expect(valid[0]).toMatchObject({ itemIndex: 0, mergedItemIndexes: [2], event: { type: 'story_reply' } });
		expect(invalid.map((r) => [r.itemIndex, r.row, r.reason])).toEqual([
			[1, 1, 'echo'],
			[3, 1, 'malformed_payload'],
		]);
	});
});

describe('ingest: hot path', () => {
	it('refuses every row with the schema reason when batch-wide fields are invalid', () => {
		const { invalid, counts } = runCsv('handle,first_seen\nalice,2026-01-01T00:00:00Z\nbob,2026-01-01T00:00:00Z\n', {
			sourceTool: '',
		});
		expect(counts).toEqual({ in: 2, valid: 0, invalid: 2, duplicate: 0 });
		expect(invalid.map((r) => [r.row, r.reason])).toEqual([
			[1, 'schema'],
			[2, 'schema'],
		]);
		expect(invalid[0].message).toContain('sourceTool');
	});

	it('formats instants that share a cache slot correctly, and equal instants identically', () => {
		// 1,024 seconds apart: the same slot of the timestamp cache.
		const text = 'handle,first_seen\na,1700000000\nb,1700001024\nc,1700000000\nd,1700001024.5\ne,1700001024\n';
		const { valid } = runCsv(text);
		expect(valid.map((k) => k.event.occurredAt)).toEqual([
			new Date(1700000000000).toISOString(),
			new Date(1700001024000).toISOString(),
			new Date(1700000000000).toISOString(),
			new Date(1700001024500).toISOString(),
			new Date(1700001024000).toISOString(),
		]);
	});

	it('exposes kept events, their items and merged items as arrays, the same as the records', () => {
		const batch = csvBatch({ source: 'items', sourceTool: 'items' });
		const mapper = new ItemMapper();
		const rows = [
			{ handle: 'a', first_seen: 1700000000, story_id: 's1', context: 'x' },
			{ handle: 'b', first_seen: 1700000000, story_id: 's1', context: 'x' },
			{ handle: 'a', first_seen: 1700000000, story_id: 's1', context: 'x' },
			{ handle: 'a', first_seen: 1700000000, story_id: 's1', context: 'x' },
			{ handle: 'b', first_seen: 1700000000, story_id: 's2' },
		];
		rows.forEach((row, i) => mapper.add(batch, row, i));
		const result = batch.result();
		expect(result.counts).toEqual({ in: 5, valid: 3, invalid: 0, duplicate: 2 });
		expect(result.itemIndexes).toEqual([0, 1, 4]);
		expect([...result.mergedItemIndexes]).toEqual([[0, [2, 3]]]);
		expect(result.valid).toEqual([
			{ event: result.events[0], itemIndex: 0, mergedItemIndexes: [2, 3] },
			{ event: result.events[1], itemIndex: 1 },
			{ event: result.events[2], itemIndex: 4 },
		]);
		expect(result.events.map((e) => [e.viewerKey, e.storyId, e.context])).toEqual([
			['a', 's1', 'x'],
			['b', 's1', 'x'],
			['b', 's2', undefined],
		]);
	});
});

describe('ingest: one million CSV rows in one pass', () => {
	it('keeps counts exact with duplicates and invalid rows mixed in', () => {
		const N = 1_000_000;
		const parts: string[] = ['handle,first_seen,story_id,context'];
		for (let i = 0; i < N; i++) {
			if (i % 100_000 === 7) parts.push(`,2026-01-01T00:00:00Z,1,x`); // invalid: no viewer
			else if (i % 50_000 === 3) parts.push(`user${i - 1},2026-01-01T00:00:00Z,${(i - 1) % 7},ctx`); // duplicate of the row before
			else parts.push(`user${i},2026-01-01T00:00:00Z,${i % 7},ctx`);
		}
		const batch = csvBatch();
		const rows = ingestCsvText(batch, parts.join('\n'), 0);
		const { counts, invalid } = batch.result();
		expect(rows).toBe(N);
		expect(counts).toEqual({ in: N, valid: N - 10 - 20, invalid: 10, duplicate: 20 });
		expect(invalid[0]).toMatchObject({ row: 8, reason: 'missing_viewer' });
	});
});
