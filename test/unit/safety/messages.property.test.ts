import { PRIVATE_MESSAGE_TYPES, recordsFromMessages } from '../../../nodes/core/consent/fromMessage';
import { defaultKeywordMatcher } from '../../../nodes/core/consent/keywords';
import type { CanonicalEvent, KeywordFamily } from '../../../nodes/core/events/schema';
import { Gen, NOW, OTHER_TEXT, SEED, START_WORDS, STOP_WORDS, compatibilityForm, withInvisible } from './generators';

/**
 * Property suite for consent from messages (Record From Message's core): keywords written in the forms keyboards
 * and "font" apps produce, an upstream `keyword` field that disagrees with the kept text, echo flags as a store gives
 * them back, and opt-outs from skewed clocks. The generator knows what each message means; the suite checks the
 * outcome against that meaning.
 */
const MESSAGES = 20_000;
const H = 3_600_000;
const D = 24 * H;
const FAMILIES: readonly KeywordFamily[] = ['opt_out', 'opt_in', 'help'];

interface Meant {
	event: CanonicalEvent;
	/** The family of the kept text as written before it was dressed up, or of the upstream field when no text was kept. */
	family: KeywordFamily | undefined;
	echo: boolean;
	skewed: boolean;
}

/** A keyword or other text, dressed up: compatibility forms, invisible characters, case. */
function dressed(g: Gen, text: string): string {
	let out = g.chance(0.3) ? (g.chance(0.5) ? text.toUpperCase() : text.toLowerCase()) : text;
	if (g.chance(0.7)) out = compatibilityForm(g, out);
	if (g.chance(0.2)) out = withInvisible(g, out);
	return out;
}

function message(g: Gen, k: number): Meant {
	const kind = g.int(4);
	const word = kind === 0 ? g.pick(STOP_WORDS) : kind === 1 ? g.pick(START_WORDS) : kind === 2 ? g.pick(['HELP', 'info', 'Help?']) : g.pick(OTHER_TEXT);
	const wordFamily: KeywordFamily | undefined = kind === 3 ? undefined : FAMILIES[kind];
	const keepText = g.chance(0.8);
	const upstream = g.chance(0.4) ? g.pick(FAMILIES) : undefined;
	const echoFlag = g.chance(0.15) ? g.pick([true, 'true', 'TRUE', ' true ', 1, '1']) : g.chance(0.1) ? g.pick([false, 'false', 0, '', null]) : undefined;
	const skewed = g.chance(0.1);
	const occurredAt = new Date(skewed ? NOW + D + 1 + g.int(30 * D) : NOW - g.int(D)).toISOString();
	const event: CanonicalEvent = {
		eventId: `ev_${k}`,
		viewerKey: `v${g.int(50)}`,
		viewerKeyType: 'igsid',
		type: g.pick(['message', 'story_reply', 'comment']),
		occurredAt,
		ingestedAt: new Date(NOW - g.int(H)).toISOString(),
		source: 'webhook',
		sourceTool: 'test',
		...(keepText ? { text: dressed(g, word) } : {}),
		...(upstream ? { keyword: upstream } : {}),
		...(echoFlag !== undefined ? { extra: { isEcho: echoFlag } } : {}),
	};
	const echo = echoFlag === true || echoFlag === 1 || (typeof echoFlag === 'string' && ['true', '1'].includes(echoFlag.trim().toLowerCase()));
	return { event, family: keepText ? wordFamily : upstream, echo, skewed };
}

describe(`messages into consent, property suite (seed ${SEED}; STORY_LEADS_SEED=<n> to replay)`, () => {
	it(`${MESSAGES} messages in compatibility forms, with upstream keywords, echo flags and skewed clocks: each means what it says`, () => {
		const g = new Gen(SEED + 3);
		const counts = { dressedKeywords: 0, overridden: 0, echoes: 0, skewedStops: 0 };
		for (let start = 0; start < MESSAGES; start += 50) {
			const batch = Array.from({ length: 50 }, (_, k) => message(g, start + k));
			const outcomes = recordsFromMessages(
				batch.map((m) => m.event),
				{ matcher: defaultKeywordMatcher, channel: 'instagram_dm', purpose: 'marketing', nowMs: NOW },
			);
			outcomes.forEach((outcome, i) => {
				const { event, family, echo, skewed } = batch[i];
				const where = `seed ${SEED}, ${JSON.stringify(event)} → ${JSON.stringify(outcome)}`;
				if (event.text !== undefined && family !== undefined) {
					counts.dressedKeywords++;
					if (defaultKeywordMatcher.match(event.text) !== family) throw new Error(`${where}: the keyword was not recognised`);
				}
				if (event.text !== undefined && event.keyword !== undefined && event.keyword !== family) counts.overridden++;
				if (family === undefined) {
					if (outcome.kind !== 'none') throw new Error(`${where}: no keyword, yet ${outcome.kind}`);
					return;
				}
				if (echo) {
					counts.echoes++;
					if (outcome.kind !== 'ignored' || outcome.reason !== 'echo') throw new Error(`${where}: an echo was not ignored`);
					return;
				}
				if (family === 'help') {
					if (outcome.kind !== 'help') throw new Error(`${where}: HELP was not help`);
					return;
				}
				if (family === 'opt_in' && (!PRIVATE_MESSAGE_TYPES.has(event.type) || skewed)) {
					if (outcome.kind === 'record') throw new Error(`${where}: an opt-in from a public message or a skewed clock`);
					return;
				}
				if (outcome.kind !== 'record' || outcome.record.status !== family) throw new Error(`${where}: no ${family} record`);
				if (skewed) {
					counts.skewedStops++;
					if (outcome.record.recordedAt !== event.ingestedAt || !('timeProblem' in outcome)) {
						throw new Error(`${where}: a skewed STOP was not recorded at receipt time with its time problem`);
					}
				} else if (outcome.record.recordedAt !== event.occurredAt || 'timeProblem' in outcome) {
					throw new Error(`${where}: recorded at another time than the message's`);
				}
			});
		}
		expect(counts.dressedKeywords).toBeGreaterThan(5_000);
		expect(counts.overridden).toBeGreaterThan(1_000);
		expect(counts.echoes).toBeGreaterThan(500);
		expect(counts.skewedStops).toBeGreaterThan(100);
	});
});
