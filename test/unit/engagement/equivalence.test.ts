import {
	compileTagger,
	compileFields,
	evaluateContact,
	reEvaluateContact,
	thresholdsFor,
	type CompiledTagger,
	type ContactResult,
	type Evaluation,
	type NeverEngagedPolicy,
} from '../../../nodes/core/engagement';
import { DAY_MS } from '../../../nodes/core/time/instant';
import { rng } from '../../helpers/random';

/**
 * The optimised evaluateContact (unchanged fast path, bit masks, shared arrays) against a straightforward
 * reference written from the rules, over generated contacts: every field must be equal.
 */

const AS_OF = Date.parse('2026-11-22T09:00:00.000Z');
const SPELLINGS = [
	'Engaged',
	'Recent Activity',
	'Disengaged',
	'Inactive',
	' engaged',
	'RECENT ACTIVITY ',
	'inactive',
	'VIP',
	'Lead',
	'',
];

function reference(
	tagger: CompiledTagger,
	lastMs: number | undefined,
	asOfMs: number,
	current: readonly string[] | undefined,
): Evaluation {
	const names = tagger.names;
	const policy = tagger.settings.neverEngaged;
	const canonical = (bits: number[]) => names.filter((_, bit) => bits.includes(bit));
	let tier: Evaluation['tier'] = 'neverEngaged';
	let days: number | null = null;
	let future = false;
	let target: number[] = [];
	if (lastMs === undefined) {
		if (policy === 'keep') {
			const tags = current ?? [];
			return {
				tier,
				daysSinceEngagement: null,
				tags,
				tagsToAdd: [],
				tagsToRemove: [],
				changed: false,
				future: false,
				tagsKnown: current !== undefined,
			};
		}
		if (policy === 'inactive') target = [3];
	} else {
		const elapsed = Math.max(0, asOfMs - lastMs);
		future = asOfMs < lastMs;
		days = Math.floor(elapsed / DAY_MS);
		const t = tagger.settings.thresholds;
		if (elapsed < t.recentActivityDays * DAY_MS) [tier, target] = ['recentActivity', [0, 1]];
		else if (elapsed < t.engagedDays * DAY_MS) [tier, target] = ['engaged', [0]];
		else if (elapsed < t.inactiveDays * DAY_MS) [tier, target] = ['disengaged', [2]];
		else [tier, target] = ['inactive', [3]];
	}
	if (current === undefined) {
		const remove = [0, 1, 2, 3].filter((bit) => !target.includes(bit));
		return {
			tier,
			daysSinceEngagement: days,
			tags: canonical(target),
			tagsToAdd: canonical(target),
			tagsToRemove: canonical(remove),
			changed: true,
			future,
			tagsKnown: false,
		};
	}
	const bitOf = (tag: string) => tagger.lowerNames.indexOf(tag.trim().toLowerCase());
	const present = [0, 1, 2, 3].filter((bit) => current.some((tag) => bitOf(tag) === bit));
	const add = target.filter((bit) => !present.includes(bit));
	const remove = present.filter((bit) => !target.includes(bit));
	const loose = current.some((tag) => bitOf(tag) >= 0 && !names.includes(tag));
	const others = current.some((tag) => bitOf(tag) < 0);
	let tags: readonly string[] = current;
	let tagsToRemove: readonly string[] = canonical(remove);
	if (add.length > 0 || remove.length > 0) {
		if (!others && !loose) tags = canonical(target);
		else
			tags = current
				.filter((tag) => !remove.includes(bitOf(tag)))
				.concat(canonical(add));
		if (loose)
			tagsToRemove = [
				...new Set(current.filter((tag) => remove.includes(bitOf(tag)))),
			];
	}
	return {
		tier,
		daysSinceEngagement: days,
		tags,
		tagsToAdd: canonical(add),
		tagsToRemove,
		changed: add.length > 0 || remove.length > 0,
		future,
		tagsKnown: true,
	};
}

describe('evaluateContact equals a straightforward reference on generated contacts', () => {
	const policies: NeverEngagedPolicy[] = ['noTag', 'inactive', 'keep'];
	for (const preset of ['elapsed', 'consecutiveWaits'] as const) {
		for (const neverEngaged of policies) {
			it(`${preset}, never engaged: ${neverEngaged}`, () => {
				const tagger = compileTagger({ thresholds: thresholdsFor(preset), neverEngaged });
				const fields = compileFields();
				const next = rng(preset.length * 31 + neverEngaged.length);
				let changed = 0;
				for (let n = 0; n < 3000; n++) {
					const r = next();
					// Mostly past engagements across every tier; some in the future, some never.
					const lastMs =
						r < 0.05
							? undefined
							: AS_OF - Math.floor((r < 0.1 ? -2 : 80) * next() * DAY_MS);
					const current =
						next() < 0.05
							? undefined
							: Array.from(
									{ length: Math.floor(next() * 4) },
									() => SPELLINGS[Math.floor(next() * SPELLINGS.length)],
								);
					const expected = reference(tagger, lastMs, AS_OF, current);
					expect(evaluateContact(tagger, lastMs, AS_OF, current)).toEqual(expected);
					const record = {
						contactKey: `c${n}`,
						lastEngagedAt: lastMs === undefined ? undefined : new Date(lastMs).toISOString(),
						tags: current,
					};
					const result = reEvaluateContact(record, n, fields, tagger, AS_OF) as ContactResult;
					expect(result.evaluation).toEqual(expected);
					if (expected.changed) changed++;
				}
				// The generated contacts exercise both outcomes.
				expect(changed).toBeGreaterThan(100);
				expect(changed).toBeLessThan(3000);
			});
		}
	}
});
