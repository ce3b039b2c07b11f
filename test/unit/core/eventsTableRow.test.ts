import { followerCountOf, toEventsTableRow } from '../../../nodes/core/events/tableRow';
import type { CanonicalEvent } from '../../../nodes/core/events/schema';

// The events table's columns as the templates create them (workflows/src/tables.js).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { TABLES } = require('../../../workflows/src/tables') as { TABLES: { events: { columns: Array<{ name: string }> } } };

const base: CanonicalEvent = {
	eventId: 'ev_0123456789abcdef0123456789abcdef',
	viewerKey: 'alice.shop',
	viewerKeyType: 'handle',
	type: 'view',
	occurredAt: '2026-11-21T08:30:00.000Z',
	ingestedAt: '2026-11-22T10:00:00.000Z',
	source: 'csv',
	sourceTool: 'csv_upload',
};

describe('toEventsTableRow (an event flattened to the events Data table columns)', () => {
	it('has exactly the columns of the events table, in any event', () => {
		const columns = TABLES.events.columns.map((column) => column.name).sort();
		const full: CanonicalEvent = {
			...base,
			storyId: '1789',
			context: 'spring',
			keyword: 'opt_out',
			locale: 'de_DE',
			text: 'STOP please',
			extra: { follower_count: '1200', city: 'Berlin' },
		};
		for (const event of [base, full]) expect(Object.keys(toEventsTableRow(event)).sort()).toEqual(columns);
	});

	it('keeps the canonical fields, absent optional ones as null, drops extra and text, reads follower_count', () => {
		expect(toEventsTableRow(base)).toEqual({ ...base, storyId: null, context: null, keyword: null, locale: null, followerCount: null });
		const row = toEventsTableRow({
			...base,
			storyId: '1789',
			context: 'spring',
			keyword: 'opt_in',
			locale: 'en_GB',
			text: 'hello',
			extra: { follower_count: ' 35 ', city: 'Berlin' },
		});
		expect(row).toEqual({ ...base, storyId: '1789', context: 'spring', keyword: 'opt_in', locale: 'en_GB', followerCount: 35 });
		expect(row).not.toHaveProperty('extra');
		expect(row).not.toHaveProperty('text');
	});

	it('reads a follower count as a number, or null when it is not one (never NaN, never 0 for unknown)', () => {
		const cases: Array<[unknown, number | null]> = [
			['1200', 1200],
			['0', 0],
			[0, 0],
			[42, 42],
			['  7 ', 7],
			['', null],
			['   ', null],
			['1.2k', null],
			['n/a', null],
			[Number.NaN, null],
			[Number.POSITIVE_INFINITY, null],
			[true, null],
			[null, null],
			[undefined, null],
			[{ value: 3 }, null],
		];
		for (const [value, expected] of cases) {
			expect([value, followerCountOf(value)]).toEqual([value, expected]);
			expect(toEventsTableRow({ ...base, extra: { follower_count: value } }).followerCount).toBe(expected);
		}
		expect(toEventsTableRow({ ...base, extra: { followers: '50' } }).followerCount).toBeNull();
	});
});
