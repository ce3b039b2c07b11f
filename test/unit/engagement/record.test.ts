import {
	backfill,
	compileFields,
	compileTagger,
	recordEngagement,
	reEvaluateContact,
	type ContactResult,
	type EngagementOptions,
} from '../../../nodes/core/engagement';
import { DAY_MS, HOUR_MS } from '../../../nodes/core/time/instant';

const AS_OF = Date.parse('2026-11-22T09:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const daysAgo = (d: number) => iso(AS_OF - d * DAY_MS);

function options(overrides: Partial<EngagementOptions> = {}): EngagementOptions {
	return {
		asOfMs: AS_OF,
		tagger: compileTagger(),
		fields: compileFields(),
		countedTypes: new Set(['story_reply', 'message', 'view', 'email_click', 'site_visit']),
		...overrides,
	};
}

const event = (
	viewerKey: string,
	occurredAt: string,
	type = 'story_reply',
	extra: Record<string, unknown> = {},
) => ({
	eventId: `${viewerKey}-${occurredAt}-${type}`,
	viewerKey,
	viewerKeyType: 'igsid',
	type,
	occurredAt,
	ingestedAt: occurredAt,
	source: 'webhook',
	sourceTool: 'test',
	...extra,
});

describe('record engagement', () => {
	it('keeps the latest engagement per contact whatever the order of the events', () => {
		const events = [
			event('a', daysAgo(3)),
			event('b', daysAgo(40)),
			event('a', daysAgo(1)),
			event('a', daysAgo(9)),
		];
		const result = recordEngagement(events, options());
		expect(
			result.contacts.map((c) => [
				c.contactKey,
				iso(c.lastEngagedAtMs!),
				c.eventIndices,
				c.eventsCounted,
			]),
		).toEqual([
			['a', daysAgo(1), [0, 2, 3], 3],
			['b', daysAgo(40), [1], 1],
		]);
		const reversed = recordEngagement([...events].reverse(), options());
		expect(reversed.contacts.find((c) => c.contactKey === 'a')!.lastEngagedAtMs).toBe(
			AS_OF - DAY_MS,
		);
	});

	it('a fresh engagement causes the recipe change: add Engaged + Recent Activity, remove Disengaged + Inactive', () => {
		const [contact] = recordEngagement([event('a', iso(AS_OF - HOUR_MS))], options()).contacts;
		expect(contact.evaluation.tagsToAdd).toEqual(['Engaged', 'Recent Activity']);
		expect(contact.evaluation.tagsToRemove).toEqual(['Disengaged', 'Inactive']);
		expect(contact.changed).toBe(true);
	});

	it('an old or replayed event never moves a stored lastEngagedAt backwards', () => {
		const stored = daysAgo(2);
		const replay = [
			event('a', daysAgo(5), 'story_reply', {
				lastEngagedAt: stored,
				tags: ['Engaged', 'Recent Activity'],
			}),
			event('a', daysAgo(2), 'story_reply', {
				lastEngagedAt: stored,
				tags: ['Engaged', 'Recent Activity'],
			}),
		];
		const [contact] = recordEngagement(replay, options()).contacts;
		expect(iso(contact.lastEngagedAtMs!)).toBe(stored);
		expect(contact.previousLastEngagedAtMs).toBe(contact.lastEngagedAtMs);
		expect(contact.evaluation.changed).toBe(false);
		expect(contact.changed).toBe(false);
	});

	it('replaying the same batch gives the same result (idempotent)', () => {
		const batch = [event('a', daysAgo(4)), event('b', daysAgo(25)), event('a', daysAgo(4))];
		const once = recordEngagement(batch, options());
		const twice = recordEngagement([...batch, ...batch], options());
		const view = (r: typeof once) =>
			r.contacts.map((c) => [c.contactKey, c.lastEngagedAtMs, c.evaluation.tags]);
		expect(view(twice)).toEqual(view(once));
	});

	it('a newer event moves a stored value forward and changes the tags', () => {
		const [contact] = recordEngagement(
			[event('a', daysAgo(1), 'message', { lastEngagedAt: daysAgo(35), tags: 'Inactive, VIP' })],
			options(),
		).contacts;
		expect(iso(contact.lastEngagedAtMs!)).toBe(daysAgo(1));
		expect(contact.evaluation.tagsToAdd).toEqual(['Engaged', 'Recent Activity']);
		expect(contact.evaluation.tagsToRemove).toEqual(['Inactive']);
		expect(contact.evaluation.tags).toEqual(['VIP', 'Engaged', 'Recent Activity']);
	});

	it('counts only the chosen event types; items without a type always count', () => {
		const result = recordEngagement(
			[
				event('a', daysAgo(1), 'email_open'),
				{ email: 'X@Example.com', occurredAt: daysAgo(2) },
				event('a', daysAgo(3), 'view'),
			],
			options(),
		);
		expect(result.skipped).toEqual([
			{
				index: 0,
				contactKey: 'a',
				reason: 'typeNotCounted',
				message: 'Event type "email_open" is not selected as engagement',
			},
		]);
		expect(result.contacts.map((c) => [c.contactKey, c.eventIndices])).toEqual([
			['x@example.com', [1]],
			['a', [2]],
		]);
		expect(result.contacts[0].kept).toEqual({ email: 'X@Example.com' });
	});

	it('does not count an opt-out message (STOP) as engagement; other keywords and messages count', () => {
		const result = recordEngagement(
			[
				event('a', daysAgo(1), 'message', { keyword: 'opt_out' }),
				event('a', daysAgo(5), 'story_reply'),
				event('b', daysAgo(2), 'message', { keyword: 'opt_in' }),
			],
			options(),
		);
		expect(result.skipped).toEqual([
			{ index: 0, contactKey: 'a', reason: 'optOutMessage', message: 'An opt-out message (STOP and the like) is not engagement' },
		]);
		expect(result.contacts.map((c) => [c.contactKey, iso(c.lastEngagedAtMs!), c.eventIndices])).toEqual([
			['a', daysAgo(5), [1]],
			['b', daysAgo(2), [2]],
		]);
	});

	it('skips events without a readable time and reports items without a key', () => {
		const result = recordEngagement(
			[event('a', ''), event('a', 'soon'), { occurredAt: daysAgo(1) }, event('a', daysAgo(1))],
			options(),
		);
		expect(result.skipped.map((s) => [s.index, s.reason])).toEqual([
			[0, 'noEventTime'],
			[1, 'invalidEventTime'],
		]);
		expect(result.problems).toEqual([
			expect.objectContaining({
				index: 2,
				input: 0,
				code: 'noContactKey',
				message: 'The event in item 2 has no contact key',
			}),
		]);
		expect(result.contacts).toHaveLength(1);
	});

	it('counts an event dated after As of at As of, with a warning', () => {
		const [contact] = recordEngagement([event('a', iso(AS_OF + 2 * HOUR_MS))], options()).contacts;
		expect(contact.lastEngagedAtMs).toBe(AS_OF);
		expect(contact.warnings.map((w) => w.code)).toEqual(['futureEngagement']);
	});

	it('warns when a stored lastEngagedAt lies after As of', () => {
		const [contact] = recordEngagement(
			[event('a', daysAgo(3), 'story_reply', { lastEngagedAt: iso(AS_OF + DAY_MS) })],
			options(),
		).contacts;
		expect(contact.evaluation.future).toBe(true);
		expect(contact.warnings.map((w) => w.code)).toEqual(['futureLastEngagedAt']);
	});
});

/** A small deterministic generator for histories. */
function rng(seed: number) {
	let s = seed;
	return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

const TYPES = ['story_reply', 'message', 'view', 'email_open', 'email_click', 'site_visit'];
const TAG_SETS = [
	undefined,
	[],
	['Engaged'],
	['Engaged', 'Recent Activity'],
	['Disengaged', 'VIP'],
	['Inactive'],
	'Lead, Inactive',
];

function history(seed: number) {
	const next = rng(seed);
	const keys = Array.from({ length: 25 }, (_, k) => `u${k}`);
	const contacts = keys.slice(0, 20).map((key, k) => ({
		contactKey: key,
		email: `${key}@example.com`,
		crmId: 1000 + k,
		...(next() < 0.5 ? { lastEngagedAt: iso(AS_OF - Math.floor(next() * 90 * DAY_MS)) } : {}),
		...(TAG_SETS[Math.floor(next() * TAG_SETS.length)] !== undefined
			? { tags: TAG_SETS[Math.floor(next() * TAG_SETS.length)] }
			: {}),
	}));
	const events = Array.from({ length: 120 }, () =>
		event(
			keys[Math.floor(next() * keys.length)],
			iso(AS_OF - Math.floor(next() * 100 * DAY_MS) + (next() < 0.1 ? 100 * DAY_MS : 0)),
			TYPES[Math.floor(next() * TYPES.length)],
		),
	);
	return { contacts, events };
}

describe('back-fill equals Record engagement + Re-evaluate over the same history', () => {
	it.each([1, 2, 3, 4, 5, 6, 7, 8])('history %i', (seed) => {
		const { contacts, events } = history(seed);
		const opts = options();
		const filled = backfill(contacts, events, opts);

		// Record engagement over the history as of the date, then Re-evaluate each contact with the result.
		const historyAsOf = events.filter((e) => Date.parse(e.occurredAt) <= AS_OF);
		const recorded = recordEngagement(historyAsOf, opts);
		const byKey = new Map(recorded.contacts.map((c) => [c.contactKey, c]));
		const expected = contacts.map((contact, index) => {
			const rec = byKey.get(contact.contactKey);
			const stored = contact.lastEngagedAt ? Date.parse(contact.lastEngagedAt) : undefined;
			const latest =
				rec && (stored === undefined || rec.lastEngagedAtMs! > stored)
					? iso(rec.lastEngagedAtMs!)
					: contact.lastEngagedAt;
			const merged = { ...contact, ...(latest ? { lastEngagedAt: latest } : {}) };
			return reEvaluateContact(merged, index, opts.fields, opts.tagger, AS_OF) as ContactResult;
		});
		const contactsOnlyInEvents = recorded.contacts.filter(
			(c) => !contacts.some((k) => k.contactKey === c.contactKey),
		);

		expect(filled.problems).toEqual([]);
		expect(filled.contacts).toHaveLength(contacts.length + contactsOnlyInEvents.length);
		filled.contacts.slice(0, contacts.length).forEach((got, index) => {
			const want = expected[index];
			expect(got.contactIndex).toBe(index);
			expect(got.contactKey).toBe(want.contactKey);
			expect(got.lastEngagedAtMs).toBe(want.lastEngagedAtMs);
			expect(got.evaluation).toEqual(want.evaluation);
			expect(got.eventIndices).toEqual(
				events.flatMap((e, i) =>
					e.viewerKey === want.contactKey &&
					Date.parse(e.occurredAt) <= AS_OF &&
					opts.countedTypes!.has(e.type)
						? [i]
						: [],
				),
			);
		});
		filled.contacts.slice(contacts.length).forEach((got, k) => {
			const want = contactsOnlyInEvents[k];
			expect(got.contactIndex).toBeUndefined();
			expect(got.contactKey).toBe(want.contactKey);
			expect(got.lastEngagedAtMs).toBe(want.lastEngagedAtMs);
			expect(got.evaluation).toEqual(want.evaluation);
		});

		// Every event is accounted for exactly once: counted for a contact or skipped with a reason.
		const counted = filled.contacts.flatMap((c) => c.eventIndices);
		const skipped = filled.skipped.map((s) => s.index);
		expect([...counted, ...skipped].sort((a, b) => a - b)).toEqual(events.map((_, i) => i));
		expect(filled.skipped.filter((s) => s.reason === 'afterAsOf').length).toBe(
			events.filter((e) => Date.parse(e.occurredAt) > AS_OF && opts.countedTypes!.has(e.type))
				.length,
		);
		expect(events.some((e) => Date.parse(e.occurredAt) > AS_OF)).toBe(true);
	});

	it('skips events of contacts that are not in the Contacts input when asked', () => {
		const result = backfill(
			[{ contactKey: 'a', tags: [] }],
			[event('a', daysAgo(1)), event('zz', daysAgo(2))],
			{
				...options(),
				includeEventOnlyContacts: false,
			},
		);
		expect(result.contacts.map((c) => c.contactKey)).toEqual(['a']);
		expect(result.skipped).toEqual([
			expect.objectContaining({ index: 1, reason: 'unknownContact', contactKey: 'zz' }),
		]);
	});

	it('reports a contact without a key and an unreadable lastEngagedAt', () => {
		const result = backfill(
			[{ email: '' }, { contactKey: 'b', lastEngagedAt: 'last week' }],
			[],
			options(),
		);
		expect(result.problems.map((p) => [p.input, p.index, p.code])).toEqual([
			[0, 0, 'noContactKey'],
			[0, 1, 'invalidLastEngagedAt'],
		]);
	});
});
