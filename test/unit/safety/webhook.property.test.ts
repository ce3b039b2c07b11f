import { readSignedDelivery } from '../../../nodes/core/capture/delivery';
import { IngestBatch } from '../../../nodes/core/capture/ingest';
import { ingestWebhookBody } from '../../../nodes/core/capture/sources';
import { PRIVATE_MESSAGE_TYPES, recordsFromMessages } from '../../../nodes/core/consent/fromMessage';
import { defaultKeywordMatcher } from '../../../nodes/core/consent/keywords';
import { validateEvent, type CanonicalEvent } from '../../../nodes/core/events/schema';
import { EARLIEST_MS } from '../../../nodes/core/time/instant';
import { Gen, NOW, OTHER_TEXT, SEED, START_WORDS, STOP_WORDS, compatibilityForm, hostileTime } from './generators';

/**
 * Property suite for signed webhook bodies (the trigger's parse function and Ingest's Meta webhook payload
 * mode) and for consent records made from the messages they carry.
 */
const BODIES = 15_000;
const D = 86_400_000;
const WANTED = new Set(['message', 'story_reply', 'story_mention', 'comment', 'postback', 'reaction']);
const IG_ID = '17841453247170088';

function textOf(g: Gen): unknown {
	switch (g.int(6)) {
		case 0:
			return g.chance(0.3) ? compatibilityForm(g, g.pick(STOP_WORDS)) : g.pick(STOP_WORDS);
		case 1:
			return g.pick(START_WORDS);
		case 2:
			return g.pick([null, 5, {}, ['STOP']]);
		default:
			return g.pick([...OTHER_TEXT, 'HELP', 'Ça va ?']);
	}
}

function update(g: Gen): unknown {
	const sender = g.pick([{ id: String(1000 + g.int(20)) }, { id: 1000 + g.int(20) }, {}, null, 'x']);
	const time = hostileTime(g).value;
	switch (g.int(7)) {
		case 0:
			return { sender, recipient: { id: IG_ID }, timestamp: time, message: { mid: `m${g.int(1e6)}`, text: textOf(g), ...(g.chance(0.2) ? { is_echo: true } : {}) } };
		case 1:
			return { sender, timestamp: time, message: { mid: `m${g.int(1e6)}`, text: textOf(g), reply_to: { story: { id: 's1', url: 'https://x' } } } };
		case 2:
			return { sender, timestamp: time, reaction: { mid: 'r', action: g.pick(['react', 'unreact', 5]), emoji: '❤' } };
		case 3:
			return { sender, timestamp: time, postback: { mid: 'p', title: textOf(g), payload: g.pick(['STOP', 'YES', 1]) } };
		case 4:
			return { sender, timestamp: time, message: { mid: 'd', is_deleted: true } };
		case 5:
			return g.pick([null, 7, 'garbage', [], { read: { mid: 'x' } }]);
		default:
			return { sender, timestamp: time, message: g.pick([{}, { text: 'STOP' }, { mid: 5, attachments: 'x' }, { quick_reply: { payload: 'STOP' } }]) };
	}
}

function change(g: Gen): unknown {
	const value = { from: g.pick([{ id: String(2000 + g.int(20)), username: 'Ann' }, { username: '@Bob' }, {}, null]), id: `c${g.int(1e6)}`, text: textOf(g), timestamp: hostileTime(g).value, media: { id: 'md', media_product_type: g.pick(['STORY', 'FEED', 3]) } };
	return g.pick([
		{ field: 'comments', value },
		{ field: 'live_comments', value },
		{ field: 'story_insights', value: { media_id: g.pick(['m1', '', 4]), reach: g.pick([5, -1, 'x']) } },
		{ field: 'mentions', value: {} },
		{ field: 7 },
		null,
	]);
}

function body(g: Gen): string {
	const entries = Array.from({ length: 1 + g.int(3) }, () => ({
		id: g.pick([IG_ID, 5, undefined]),
		time: hostileTime(g).value,
		...(g.chance(0.7) ? { messaging: Array.from({ length: g.int(4) }, () => update(g)) } : {}),
		...(g.chance(0.4) ? { changes: Array.from({ length: g.int(3) }, () => change(g)) } : {}),
		...(g.chance(0.1) ? { field: 'comments', value: (change(g) as { value?: unknown } | null)?.value } : {}),
		...(g.chance(0.05) ? { standby: 'not a list' } : {}),
	}));
	const envelope: unknown = g.pick([{ object: 'instagram', entry: entries }, [{ object: 'instagram', entry: entries }], { entry: 'x' }, null, 42]);
	const json = JSON.stringify(envelope);
	if (g.chance(0.05)) return json.slice(0, g.int(json.length)); // a cut body
	if (g.chance(0.02)) return g.pick(['', 'null', '{', '\u0000', '[[[[[]]]]]']);
	return json;
}

describe(`signed webhook bodies, property suite (seed ${SEED}; STORY_LEADS_SEED=<n> to replay)`, () => {
	it(`${BODIES} hostile bodies: the trigger's parse never throws, every update is accounted for, runs repeat`, () => {
		const g = new Gen(SEED + 2);
		const events: CanonicalEvent[] = [];
		let invalidTotal = 0;
		for (let k = 0; k < BODIES; k++) {
			const text = body(g);
			const where = `seed ${SEED}, body ${k}`;
			const options = { ingestedAt: NOW, includeText: true, ignoreEchoes: k % 2 === 0 };
			const delivery = readSignedDelivery(text, options, WANTED);
			if (JSON.stringify(delivery) !== JSON.stringify(readSignedDelivery(text, options, WANTED))) {
				throw new Error(`${where}: two parses of the same body differ`);
			}
			if (delivery.events.length + delivery.invalid.length + delivery.ignored !== delivery.updates) {
				throw new Error(`${where}: ${delivery.updates} updates but ${delivery.events.length} + ${delivery.invalid.length} + ${delivery.ignored}`);
			}
			invalidTotal += delivery.invalid.length;
			for (const event of delivery.events) {
				const checked = validateEvent(event);
				const at = Date.parse(event.occurredAt);
				if (!checked.ok || !(at >= EARLIEST_MS && at <= NOW + D)) {
					throw new Error(`${where}: event ${JSON.stringify(event)} ${checked.ok ? 'out of range' : checked.reason}`);
				}
				events.push(event);
			}
			if (k % 10 === 0) {
				// Story Viewer Ingest, Meta webhook payload mode: in = valid + invalid + duplicate, nothing thrown.
				let parsedBody: unknown;
				try {
					parsedBody = JSON.parse(text);
				} catch {
					parsedBody = text;
				}
				const batch = new IngestBatch({ source: 'webhook', sourceTool: 'instagram_webhook', ingestedAt: NOW });
				ingestWebhookBody(batch, parsedBody, 0, { includeText: true, ignoreEchoes: false });
				const { counts } = batch.result();
				if (counts.in !== counts.valid + counts.invalid + counts.duplicate) throw new Error(`${where}: ingest counts ${JSON.stringify(counts)}`);
			}
		}
		expect(invalidTotal).toBeGreaterThan(1_000);
		expect(events.length).toBeGreaterThan(2_000);

		// Consent from those messages: one outcome per event, no opt-in from a comment or an echo, every
		// opt-out keyword from the person (comments included) recorded.
		let optOuts = 0;
		for (let start = 0; start < events.length; start += 50) {
			const batch = events.slice(start, start + 50);
			const outcomes = recordsFromMessages(batch, { matcher: defaultKeywordMatcher, channel: 'instagram_dm', purpose: 'marketing', nowMs: NOW });
			expect(outcomes).toHaveLength(batch.length);
			outcomes.forEach((outcome, i) => {
				const event = batch[i];
				const echo = event.extra?.isEcho === true;
				// Kept text decides; the capture's keyword counts without text, and on a postback (text = button label).
				const fromText = event.text === undefined ? undefined : defaultKeywordMatcher.match(event.text);
				const family = event.text === undefined || event.type === 'postback' ? (fromText ?? event.keyword) : fromText;
				if (outcome.kind === 'record') {
					if (echo) throw new Error(`seed ${SEED}: an echo made a record: ${JSON.stringify(event)}`);
					if (outcome.record.status === 'opt_in' && !PRIVATE_MESSAGE_TYPES.has(event.type)) {
						throw new Error(`seed ${SEED}: a ${event.type} made an opt-in`);
					}
					if (outcome.record.status === 'opt_out') optOuts++;
				} else if (family === 'opt_out' && !echo) {
					throw new Error(`seed ${SEED}: an opt-out keyword made no record: ${JSON.stringify({ event, outcome })}`);
				}
			});
		}
		expect(optOuts).toBeGreaterThan(100);
	});
});
