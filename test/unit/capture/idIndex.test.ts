import { IdIndex } from '../../../nodes/core/capture/idIndex';
import { deterministicEventId, eventIdBucket } from '../../../nodes/core/events/eventId';

describe('IdIndex', () => {
	it('finds every id again after growing, and tells apart ids that share a bucket', () => {
		const ids: string[] = [];
		const index = new IdIndex((position) => ids[position]);
		for (let i = 0; i < 20_000; i++) {
			const id = deterministicEventId(['items', 'test', `user${i}`]);
			expect(index.findOrInsert(eventIdBucket(id), id, ids.length)).toBe(-1);
			ids.push(id);
		}
		for (let i = 0; i < ids.length; i += 997) expect(index.findOrInsert(eventIdBucket(ids[i]), ids[i], 999_999)).toBe(i);
		// Same bucket on purpose: only the string decides.
		const shared: string[] = [];
		const collide = new IdIndex((position) => shared[position]);
		for (const id of ['a', 'b', 'c']) {
			expect(collide.findOrInsert(42, id, shared.length)).toBe(-1);
			shared.push(id);
		}
		expect(collide.findOrInsert(42, 'b', 3)).toBe(1);
		expect(collide.findOrInsert(42, 'd', 3)).toBe(-1);
	});

	it('can be sized up front and still finds and grows past the reservation', () => {
		const ids: string[] = [];
		const index = new IdIndex((position) => ids[position]);
		index.reserve(100);
		for (let i = 0; i < 5_000; i++) {
			const id = `id-${i}`;
			expect(index.findOrInsert(eventIdBucket(id), id, ids.length)).toBe(-1);
			ids.push(id);
		}
		expect(index.findOrInsert(eventIdBucket('id-4321'), 'id-4321', 0)).toBe(4321);
	});
});
