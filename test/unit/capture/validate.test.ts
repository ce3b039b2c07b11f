import { checkEvent, isCanonicalEventFast } from '../../../nodes/core/capture/validate';
import { canonicalEventSchema, validateEvent } from '../../../nodes/core/events/schema';
import { rng } from '../../helpers/random';

const valid = {
	eventId: 'ev_0123',
	viewerKey: 'alice',
	viewerKeyType: 'handle',
	storyId: '1789',
	type: 'view',
	occurredAt: '2026-11-21T09:00:00.000Z',
	ingestedAt: '2026-11-22T10:00:00Z',
	source: 'csv',
	sourceTool: 'vendor',
	context: 'bf',
	keyword: 'opt_out',
	locale: 'de',
	text: 'STOP',
	extra: { a: 1 },
};

/** Values that probe every check: wrong types, empties, near-miss strings and enum look-alikes. */
const PROBES: unknown[] = [
	undefined,
	null,
	'',
	' ',
	'x',
	0,
	1,
	true,
	false,
	[],
	['a'],
	{},
	{ k: 'v' },
	new Date(0),
	new Map(),
	new Set(),
	Promise.resolve(1),
	'2026-11-21T09:00:00.000Z',
	'2026-11-21T09:00:00Z',
	'2026-11-21T09:00:00.1234Z',
	'2026-11-21T09:00:00+00:00',
	'2026-11-21 09:00:00Z',
	'2026-13-45T99:99:99Z',
	'view',
	'View',
	'story_reply',
	'story_insights',
	'email_open',
	'handle',
	'igsid',
	'pseudonym',
	'Handle',
	'csv',
	'webhook',
	'graph_api',
	'opt_out',
	'opt_in',
	'help',
	'STOP',
	'ev_1',
];

const FIELDS = Object.keys(valid);

describe('fast validator equals the zod schema', () => {
	it('accepts and rejects exactly what canonicalEventSchema does on 20,000 generated events', () => {
		const random = rng(20261122);
		const mismatches: string[] = [];
		for (let n = 0; n < 20_000; n++) {
			const event: Record<string, unknown> = { ...valid };
			const changes = 1 + Math.floor(random() * 3);
			for (let c = 0; c < changes; c++) {
				const field = FIELDS[Math.floor(random() * FIELDS.length)];
				const roll = random();
				if (roll < 0.1) delete event[field];
				else event[field] = PROBES[Math.floor(random() * PROBES.length)];
			}
			if (random() < 0.05) event.unknownKey = 'stripped by zod';
			const zod = canonicalEventSchema.safeParse(event).success;
			const fast = isCanonicalEventFast(event);
			if (zod !== fast) mismatches.push(JSON.stringify({ event, zod, fast }));
		}
		expect(mismatches).toEqual([]);
	});

	it('agrees on non-object inputs and on every single-field change', () => {
		for (const value of PROBES) {
			expect(isCanonicalEventFast(value)).toBe(canonicalEventSchema.safeParse(value).success);
		}
		for (const field of FIELDS) {
			for (const value of PROBES) {
				const event = { ...valid, [field]: value };
				expect([field, isCanonicalEventFast(event)]).toEqual([field, canonicalEventSchema.safeParse(event).success]);
			}
		}
	});

	it('takes the reason for a refusal from zod', () => {
		expect(checkEvent(valid)).toEqual({ ok: true, event: valid });
		const refused = checkEvent({ ...valid, occurredAt: '21/11/2026' });
		expect(refused).toEqual({ ok: false, reason: expect.stringContaining('occurredAt: must be ISO 8601 in UTC') });
	});

	it('reads a row back from storage: null in an optional field is absent, null in a required one is refused', () => {
		// A Data table row: every column present, null for an empty cell, plus the table's own columns.
		const row = { ...valid, storyId: null, context: null, keyword: null, locale: null, text: null, extra: null, id: 7, createdAt: '2026-11-22T10:00:00.000Z' };
		const optional = ['storyId', 'context', 'keyword', 'locale', 'text', 'extra'];
		const required = Object.fromEntries(Object.entries(valid).filter(([key]) => !optional.includes(key)));
		for (const checked of [checkEvent(row), validateEvent(row)]) {
			expect(checked).toEqual({ ok: true, event: required });
			if (checked.ok) for (const field of optional) expect(field in checked.event).toBe(false);
		}
		expect(checkEvent({ ...valid, viewerKey: null })).toEqual({ ok: false, reason: expect.stringContaining('viewerKey') });
		expect(checkEvent({ ...valid, ingestedAt: null }).ok).toBe(false);
	});
});
