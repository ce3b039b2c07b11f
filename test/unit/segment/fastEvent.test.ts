import { EVENT_TYPES, validateEvent } from '../../../nodes/core/events/schema';
import {
	canonicalOccurredMs,
	invalidEventReason,
	isCanonicalEvent,
} from '../../../nodes/core/events/fastEvent';
import { ISO_NOT_REAL } from '../../../nodes/core/time/isoUtc';
import { ISO_SAMPLES } from '../../helpers/isoSamples';
import { rng } from '../../helpers/random';

const VALID = {
	eventId: 'ev_1',
	viewerKey: 'anna',
	viewerKeyType: 'handle',
	storyId: 'st_1',
	type: 'view',
	occurredAt: '2026-11-22T10:00:00.000Z',
	ingestedAt: '2026-11-22T10:05:00Z',
	source: 'csv',
	sourceTool: 'export',
	context: 'story',
	keyword: 'opt_in',
	locale: 'de_DE',
	text: 'hi',
	extra: { followerCount: 3 },
};

class Thenable {
	then() {
		return undefined;
	}
	catch() {
		return undefined;
	}
}

const CANDIDATES: Record<string, unknown[]> = {
	eventId: ['x', '', 1, null, undefined, {}],
	viewerKey: ['bob', '', 0, null, undefined, ['a']],
	viewerKeyType: ['igsid', 'handle', 'pseudonym', 'IGSID', '', 3, null, undefined],
	storyId: [undefined, 's1', '', null, 5],
	type: [...EVENT_TYPES, 'views', '', null, undefined, 1],
	occurredAt: [...ISO_SAMPLES, null, undefined, 1763805600000, new Date(0)],
	ingestedAt: [...ISO_SAMPLES, null, undefined, 5],
	source: ['webhook', 'csv', 'items', 'graph_api', 'CSV', '', null, undefined],
	sourceTool: ['t', '', null, undefined, 7],
	context: [undefined, '', 'x', null, 1],
	keyword: [undefined, 'opt_out', 'opt_in', 'help', 'stop', '', null],
	locale: [undefined, '', 'de', null, 1],
	text: [undefined, '', 'x', null, {}],
	extra: [undefined, {}, { a: 1 }, { a: undefined }, [], null, 'x', 1, new Date(0), new Map(), new Set(), new Thenable(), Object.create(null)],
};

describe('isCanonicalEvent', () => {
	it('agrees with validateEvent on generated valid and broken events', () => {
		const rand = rng(3);
		const fields = Object.keys(CANDIDATES);
		const cases: unknown[] = [
			VALID,
			null,
			undefined,
			'event',
			5,
			[],
			new Date(0),
			new Map(Object.entries(VALID)),
			Object.assign([], VALID),
			Object.assign(new Date(0), VALID),
			Object.assign(new Thenable(), VALID),
			Object.assign(Object.create(null), VALID),
			Object.assign(Object.create({ inherited: 1 }), VALID),
		];
		for (let i = 0; i < 20_000; i++) {
			const event: Record<string, unknown> = { ...VALID };
			const changes = 1 + Math.floor(rand() * 3);
			for (let c = 0; c < changes; c++) {
				const field = fields[Math.floor(rand() * fields.length)];
				const options = CANDIDATES[field];
				const value = options[Math.floor(rand() * options.length)];
				if (value === undefined && rand() < 0.5) delete event[field];
				else event[field] = value;
			}
			cases.push(event);
		}
		let valid = 0;
		const mismatches: unknown[] = [];
		for (const value of cases) {
			const expected = validateEvent(value).ok;
			if (expected) valid++;
			if (isCanonicalEvent(value) !== expected) mismatches.push(value);
		}
		expect(mismatches).toEqual([]);
		expect(valid).toBeGreaterThan(2000);
		expect(valid).toBeLessThan(cases.length - 2000);
	});

	it('reads occurredAt in the same call, and refuses a schema-valid but unreal date with a reason', () => {
		expect(canonicalOccurredMs(VALID)).toBe(Date.parse(VALID.occurredAt));
		const unreal = { ...VALID, occurredAt: '2026-02-30T00:00:00Z' };
		expect(validateEvent(unreal).ok).toBe(true);
		expect(canonicalOccurredMs(unreal)).toBe(ISO_NOT_REAL);
		expect(invalidEventReason(unreal)).toBe('occurredAt: is not a real date and time');
		expect(invalidEventReason({ ...VALID, viewerKey: '' })).toContain('viewerKey');
	});
});
