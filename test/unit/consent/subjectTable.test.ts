import { decide, DECISION_NONE } from '../../../nodes/core/consent/precedence';
import { hashKey, SubjectTable } from '../../../nodes/core/consent/subjectTable';
import { D, indexOf, iso, NOW } from './helpers';
import { rng } from '../../helpers/random';

describe('SubjectTable', () => {
	it('finds every stored key with its value and nothing else, including near-identical keys', () => {
		const entries: Array<[string, number]> = [];
		for (let i = 0; i < 20_000; i++) entries.push([`1784${String(i * 7).padStart(11, '0')}`, i]);
		entries.push(['', -1], ['josé@example.com', -2], ['sha256:abc', -3]);
		const table = new SubjectTable(entries, entries.length);
		expect(table.size).toBe(entries.length);
		for (const [key, value] of entries) expect(table.get(key)).toBe(value);
		let found = 0;
		for (let i = 0; i < 20_000; i++) {
			if (table.get(`1784${String(i * 7 + 1).padStart(11, '0')}`) !== undefined) found++;
			if (table.get(`1784${String(i * 7).padStart(11, '0')} `) !== undefined) found++;
		}
		expect(found).toBe(0);
		expect(table.get('jose@example.com')).toBeUndefined();
	});

	it('keeps the last value for a repeated key', () => {
		const table = new SubjectTable<string>(
			[
				['a', 'first'],
				['b', 'other'],
				['a', 'second'],
			],
			3,
		);
		expect(table.get('a')).toBe('second');
		expect(table.size).toBe(2);
	});

	it('refuses more entries than it was sized for instead of filling up', () => {
		const many = Array.from({ length: 100 }, (_, i): [string, number] => [`k${i}`, i]);
		expect(() => new SubjectTable(many, 10)).toThrow('more entries than expected');
	});

	it('hashes deterministically and spreads similar keys over the slots', () => {
		expect(hashKey('178400000000001')).toBe(hashKey('178400000000001'));
		const slots = new Set<number>();
		for (let i = 0; i < 1000; i++) slots.add(hashKey(`1784${String(i).padStart(11, '0')}`) & 1023);
		expect(slots.size).toBeGreaterThan(550); // a uniform spread fills about 632 of 1024 slots
	});
});

describe('ConsentIndex.view (decisions resolved at index time)', () => {
	it('agrees with lookup + decisionOf for every subject, channel and purpose, wildcards and ties included', () => {
		const next = rng(7);
		const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)];
		const subjects = Array.from({ length: 60 }, (_, i) => `s${i}`);
		const rows: Array<Record<string, unknown>> = [];
		for (let j = 0; j < 600; j++) {
			const expiring = next() < 0.15;
			rows.push({
				recordId: `cr_${String(j).padStart(4, '0')}`,
				subjectKey: pick(subjects),
				channel: pick(['instagram_dm', 'instagram_dm', 'email', 'sms', '*']),
				purpose: pick(['marketing', 'marketing', 'newsletter', '*']),
				status: pick(['opt_in', 'opt_out']),
				lawfulBasis: pick(['consent', 'consent', 'legitimate_interest']),
				// Few distinct instants, so equal timestamps (opt-out wins, then recordId) happen often.
				recordedAt: iso(NOW - Math.floor(next() * 6) * D + (next() < 0.1 ? D : 0)),
				...(expiring ? { expiresAt: iso(NOW + (next() < 0.5 ? -1 : 1) * D) } : {}),
			});
		}
		const index = indexOf(rows);
		let checked = 0;
		for (const purpose of ['marketing', 'newsletter', '*', 'unknown']) {
			const view = index.view(purpose);
			expect(index.view(purpose)).toBe(view);
			for (const subject of [...subjects, 'nobody']) {
				for (const channel of ['instagram_dm', 'email', 'sms', 'whatsapp', '*']) {
					const entry = view.subjects.get(subject);
					const fromView = entry === undefined ? DECISION_NONE : decide(entry, view.channelIds.get(channel) ?? 0, channel);
					expect([subject, channel, purpose, fromView]).toEqual([
						subject,
						channel,
						purpose,
						index.decisionOf(index.lookup(subject, channel, purpose)),
					]);
					checked++;
				}
			}
		}
		expect(checked).toBe(4 * 61 * 5);
	});
});
