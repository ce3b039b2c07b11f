import { createHash } from 'crypto';

import { deterministicEventId } from '../../../nodes/core/events/eventId';

/** The original map/join implementation: the faster loop must give byte-identical ids. */
function reference(parts: ReadonlyArray<string | number | undefined | null>): string {
	const joined = parts
		.map((part) => (part === undefined || part === null ? '' : String(part).replace(/[\\|]/g, '\\$&')))
		.join('|');
	return 'ev_' + createHash('sha256').update(joined).digest('hex').slice(0, 32);
}

describe('deterministicEventId', () => {
	it('gives exactly the ids of the original implementation, escapes included', () => {
		const cases: Array<Array<string | number | undefined | null>> = [
			[],
			[''],
			['webhook', 'story_reply', 'aWdf'],
			['a|b', 'c'],
			['a', 'b|c'],
			['a\\', '|b'],
			['\\|\\|', undefined, null, 0, 1.5, -3],
			['csv', 'tool', 'handle', 'alice', undefined, '2026-01-01T00:00:00.000Z', 'view'],
		];
		for (const parts of cases) expect(deterministicEventId(parts)).toBe(reference(parts));
		expect(deterministicEventId(['a|b', 'c'])).not.toBe(deterministicEventId(['a', 'b|c']));
		expect(deterministicEventId(['a\\', '|b'])).not.toBe(deterministicEventId(['a\\|', 'b']));
	});
});
