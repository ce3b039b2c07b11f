import type { EventType } from '../../../nodes/core/events/schema';
import { DEFAULT_WEIGHTS, type SegmentOptions } from '../../../nodes/core/segment/types';
import { rng } from '../../helpers/random';

export const AS_OF = '2026-11-22T12:00:00.000Z';
export const AS_OF_MS = Date.parse(AS_OF);
export const DAY = 86_400_000;

let counter = 0;

/** A canonical event; `ago` is milliseconds before AS_OF (negative = after it). */
export function ev(
	viewer: string,
	type: EventType,
	ago: number,
	more: Record<string, unknown> = {},
): Record<string, unknown> {
	counter += 1;
	const at = new Date(AS_OF_MS - ago).toISOString();
	return {
		eventId: `ev_${String(counter).padStart(6, '0')}`,
		viewerKey: viewer,
		viewerKeyType: 'handle',
		type,
		occurredAt: at,
		ingestedAt: at,
		source: 'csv',
		sourceTool: 'test',
		...more,
	};
}

/** A view of a story, `ago` ms before AS_OF. */
export function view(viewer: string, story: string, ago = DAY, more: Record<string, unknown> = {}) {
	return ev(viewer, 'view', ago, { storyId: story, ...more });
}

export function options(overrides: Partial<SegmentOptions> = {}): SegmentOptions {
	return {
		asOfMs: AS_OF_MS,
		windowDays: 7,
		rules: {},
		weights: DEFAULT_WEIGHTS,
		...overrides,
	};
}

export { rng };

export function shuffle<T>(list: readonly T[], seed: number): T[] {
	const rand = rng(seed);
	const out = list.slice();
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(rand() * (i + 1));
		[out[i], out[j]] = [out[j], out[i]];
	}
	return out;
}
