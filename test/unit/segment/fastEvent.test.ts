import { EVENT_TYPES, validateEvent } from '../../../nodes/core/events/schema';
import {
	canonicalOccurredMs,
	invalidEventReason,
	isCanonicalEvent,
	isIsoUtcShape,
	parseIsoUtcMs,
	ISO_NOT_REAL,
} from '../../../nodes/core/segment/fastEvent';
import { formatIsoUtc } from '../../../nodes/core/segment/isoUtc';
import { rng } from './helpers';

const ZOD_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

const ISO_SAMPLES = [
	'2026-11-22T10:00:00Z',
	'2026-11-22T10:00:00.5Z',
	'2026-11-22T10:00:00.05Z',
	'2026-11-22T10:00:00.123Z',
	'2026-11-22T10:00:00.1234Z',
	'2026-11-22T10:00:00.Z',
	'2026-11-22T10:00:00z',
	'2026-11-22t10:00:00Z',
	'2026-11-22 10:00:00Z',
	'2026-11-22T10:00Z',
	'2026-11-22T10:00:00+00:00',
	'2026-11-22T10:00:00Z\n',
	' 2026-11-22T10:00:00Z',
	'2026/11/22T10:00:00Z',
	'２026-11-22T10:00:00Z',
	'abcd-ef-ghTij:kl:mnZ',
	'2024-02-29T00:00:00Z',
	'2026-02-29T00:00:00Z',
	'2026-02-30T00:00:00Z',
	'2026-11-31T00:00:00Z',
	'2026-13-01T00:00:00Z',
	'2026-00-10T00:00:00Z',
	'2026-01-00T00:00:00Z',
	'2026-11-22T24:00:00Z',
	'2026-11-22T23:60:00Z',
	'2026-11-22T23:59:60Z',
	'2000-02-29T23:59:59.999Z',
	'1900-02-29T00:00:00Z',
	'0000-01-01T00:00:00Z',
	'0000-03-01T00:00:00Z',
	'1969-12-31T23:59:59.999Z',
	'9999-12-31T23:59:59.999Z',
	'',
];

const MUTATION_CHARS = ['0', '5', '9', '-', ':', 'T', 'Z', '.', 'a', '/', ' ', '+', '\u0660'];

function mutateIso(rand: () => number): string {
	const base = ISO_SAMPLES[Math.floor(rand() * 4)];
	const chars = base.split('');
	const kind = Math.floor(rand() * 3);
	const at = Math.floor(rand() * (chars.length + 1));
	const c = MUTATION_CHARS[Math.floor(rand() * MUTATION_CHARS.length)];
	if (kind === 0) chars[Math.min(at, chars.length - 1)] = c;
	else if (kind === 1) chars.splice(at, 0, c);
	else chars.splice(Math.min(at, chars.length - 1), 1);
	return chars.join('');
}

describe('parseIsoUtcMs / isIsoUtcShape', () => {
	it('accept exactly the shape the schema regex accepts', () => {
		const rand = rng(7);
		const samples = [...ISO_SAMPLES, ...Array.from({ length: 20_000 }, () => mutateIso(rand))];
		const mismatches = samples.filter(
			(s) => isIsoUtcShape(s) !== ZOD_ISO.test(s) || Number.isNaN(parseIsoUtcMs(s)) === ZOD_ISO.test(s),
		);
		expect(mismatches).toEqual([]);
		expect(samples.filter((s) => ZOD_ISO.test(s)).length).toBeGreaterThan(1000);
	});

	it('read real instants exactly as Date.parse does, and refuse the ones that are not real', () => {
		const rand = rng(11);
		const samples = [...ISO_SAMPLES, ...Array.from({ length: 20_000 }, () => mutateIso(rand))];
		const real = samples.filter((s) => Number.isFinite(parseIsoUtcMs(s)));
		expect(real.filter((s) => parseIsoUtcMs(s) !== Date.parse(s))).toEqual([]);
		expect(real.length).toBeGreaterThan(1000);
		const wrong: string[] = [];
		for (let i = 0; i < 5000; i++) {
			const ms = Math.floor(rand() * 253402300799999);
			const iso = new Date(ms).toISOString();
			if (parseIsoUtcMs(iso) !== ms) wrong.push(iso);
		}
		expect(wrong).toEqual([]);
	});

	it('names the out-of-range values V8 would roll over or refuse (30 February, hour 24, second 60)', () => {
		for (const s of ['2026-02-30T00:00:00Z', '2026-11-31T00:00:00Z', '2026-11-22T24:00:00Z', '2026-11-22T23:59:60Z', '2026-13-01T00:00:00Z', '1900-02-29T00:00:00Z']) {
			expect([s, parseIsoUtcMs(s)]).toEqual([s, ISO_NOT_REAL]);
		}
		expect(parseIsoUtcMs('2000-02-29T23:59:59.999Z')).toBe(Date.parse('2000-02-29T23:59:59.999Z'));
		expect(parseIsoUtcMs('2026-11-22T10:00:00.5Z')).toBe(Date.parse('2026-11-22T10:00:00.500Z'));
	});
});

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

describe('formatIsoUtc', () => {
	it('writes exactly what toISOString writes, for years 0000–9999 and beyond', () => {
		const rand = rng(19);
		const samples = [0, -1, 951_782_400_000, 951_868_799_999, -62_167_219_200_000, 253_402_300_799_999, 253_402_300_800_000, -62_167_219_200_001];
		for (let i = 0; i < 20_000; i++) samples.push(Math.floor((rand() * 2 - 1) * 253_402_300_799_999));
		expect(samples.filter((ms) => formatIsoUtc(ms) !== new Date(ms).toISOString())).toEqual([]);
	});
});
