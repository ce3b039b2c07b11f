import { EVENT_TYPES, VIEWER_KEY_TYPES, type EventType } from '../events/schema';
import { DAY_MS } from '../time/instant';
import { formatIsoUtc as isoString } from '../time/isoUtc';
import {
	aggregate,
	BIO_FIELD,
	FOLLOWERS_FIELD,
	LINK_CLICK,
	LOCALE_FIELD,
	PROFILE_PIC_FIELD,
	PROFILE_VISIT,
	TYPE_COUNT,
	type TrackedField,
	type ViewerTable,
} from './aggregate';
import { eventTypeIndex } from '../events/fastEvent';
import { segmentOrder, validateSegmentOptions } from './options';
import { orderByScore } from './order';
import {
	activityText,
	botSignals,
	conditionHolds,
	conditionText,
	daysText,
	matchList,
	normaliseLocale,
	plural,
	times,
	type FieldValue,
} from './rules';
import {
	BOT_SEGMENT,
	type CustomCondition,
	type SegmentOptions,
	type SegmentResult,
	type ViewerResult,
	type ViewerStats,
} from './types';

/**
 * Viewer Segment core: one pass over canonical events → one result per viewer with segments, a transparent
 * score, stats and reasons. Same events (in any order) and same options ⇒ the same JSON, byte for byte
 * (pairedItem indexes aside, which follow input positions).
 *
 * Window: an event counts when asOf − window < occurredAt ≤ asOf. An event exactly at asOf − window is
 * outside (so back-to-back windows never share an event); an event after As of is outside too. Outside
 * events are counted (per viewer and in the summary), never scored.
 */
export function segmentViewers(events: ReadonlyArray<unknown>, options: SegmentOptions): SegmentResult {
	const errors = validateSegmentOptions(options);
	if (errors.length > 0) throw new Error(errors.join('; '));
	const { rules } = options;
	const tracked = trackedFields(options);
	const weightsMicro = new Float64Array(TYPE_COUNT);
	EVENT_TYPES.forEach((type, t) => {
		weightsMicro[t] = Math.round((options.weights[type] ?? 0) * 1e6);
	});
	const halfLifeMs = (options.halfLifeDays ?? 0) * DAY_MS;
	const agg = aggregate(events, {
		asOfMs: options.asOfMs,
		windowMs: options.windowDays * DAY_MS,
		weightsMicro,
		halfLifeMs,
		profileSignals: rules.possibleBot !== undefined,
		tracked: tracked.fields,
		maxItemsPerViewer: options.maxItemsPerViewer ?? 0,
		stopOnInvalid: options.stopOnInvalid ?? false,
	});

	const table = agg.table;
	const n = table.count;
	const scoreMicro = new Float64Array(n);
	const lastTs = new Float64Array(n);
	const bots = new Map<number, string[]>();
	const active: number[] = [];
	for (let v = 0; v < n; v++) {
		if (table.inWindow(v) === 0) continue;
		let micro = 0;
		if (halfLifeMs > 0) micro = table.decayMicro(v);
		else for (let t = 0; t < TYPE_COUNT; t++) micro += table.typeCount(v, t) * weightsMicro[t];
		scoreMicro[v] = micro;
		lastTs[v] = table.lastTs(v);
		if (rules.possibleBot && table.hasAnyField(v, FOLLOWERS_FIELD, PROFILE_PIC_FIELD)) {
			const signals = botSignals(
				rules.possibleBot,
				table.fieldValue(v, FOLLOWERS_FIELD),
				table.fieldValue(v, BIO_FIELD),
				table.fieldValue(v, PROFILE_PIC_FIELD),
			);
			if (signals !== undefined && signals.length >= rules.possibleBot.minSignals) bots.set(v, signals);
		}
		active.push(v);
	}
	const keys = table.keys;
	const keyTypes = table.keyTypes;
	// Score desc, then lastSeen desc, then viewerKey asc (code units), then viewerKeyType asc.
	const sorted = orderByScore(active, scoreMicro, (a, b) => {
		if (lastTs[a] !== lastTs[b]) return lastTs[b] - lastTs[a];
		if (keys[a] !== keys[b]) return keys[a] < keys[b] ? -1 : 1;
		return keyTypes[a] - keyTypes[b];
	});

	// Place and rank of each viewer; results are then built in table order (rows read front to back) and put
	// at their place.
	const position = new Int32Array(n).fill(-1);
	const rankOf = new Int32Array(n);
	let poolSize = 0;
	for (let i = 0; i < sorted.length; i++) {
		const v = sorted[i];
		position[v] = i;
		if (scoreMicro[v] > 0 && !bots.has(v)) rankOf[v] = ++poolSize;
	}
	const topCount = rules.topScore ? Math.ceil((poolSize * rules.topScore.topPercent) / 100 - 1e-9) : 0;

	const order = segmentOrder(options);
	const segmentCounts: Record<string, number> = {};
	for (const name of order) segmentCounts[name] = 0;
	let noSegment = 0;
	const window = daysText(options.windowDays);
	const engagementTypes = (rules.highEngagement?.eventTypes ?? []).map(eventTypeIndex);
	const placeEntries = (rules.languagePlace?.values ?? []).map((entry) => ({ entry, normal: normaliseLocale(entry) }));
	const customGroups = groupConditions(rules.custom?.conditions ?? [], tracked.byKey);
	// Reasons repeat across viewers: each text is built once (the result phase allocates little per viewer).
	const engagementReasons = new Map<number, string>();
	const visitReasons = new Map<number, string>();
	const storyReasons = new Map<number, string>();
	const placeReasons = new Map<FieldValue, string | null>();
	const caseSensitive = rules.custom?.caseSensitive ?? false;
	const scratchSegments: string[] = [];
	const scratchReasons: string[] = [];
	const viewers: ViewerResult[] = new Array(active.length);
	for (let v = 0; v < n; v++) {
		const at = position[v];
		if (at < 0) continue;
		const result = describe(v, rankOf[v] === 0 ? null : rankOf[v]);
		for (const name of result.segments) segmentCounts[name]++;
		if (result.segments.length === 0) noSegment++;
		viewers[at] = result;
	}

	return {
		viewers,
		invalid: agg.invalid,
		segmentOrder: order,
		summary: {
			events: agg.events,
			invalid: agg.invalid.length,
			inWindow: agg.inWindow,
			beforeWindow: agg.beforeWindow,
			afterAsOf: agg.afterAsOf,
			viewers: active.length,
			viewersOutsideWindowOnly: n - active.length,
			segments: segmentCounts,
			noSegment,
		},
	};

	function describe(v: number, viewerRank: number | null): ViewerResult {
		const stats = statsOf(table, v);
		const score = scoreMicro[v] / 1e6;
		// Scratch lists, copied to exact-size arrays at the end (push on a fresh [] over-allocates).
		const segments = scratchSegments;
		const reasons = scratchReasons;
		segments.length = 0;
		reasons.length = 0;
		const bot = bots.get(v);
		if (bot !== undefined) {
			segments.push(BOT_SEGMENT);
			reasons.push(`possible bot: ${bot.join(', ')} (excluded from other segments)`);
		} else {
			if (rules.highEngagement) {
				let interactions = 0;
				// Cache key: 5 bits per type count (+ 1 bit "after a view"), when every count fits.
				let key = stats.engagedAfterView ? 1 : 0;
				for (const t of engagementTypes) {
					const count = table.typeCount(v, t);
					interactions += count;
					key = count < 32 && key >= 0 ? key * 32 + count : -1;
				}
				if (interactions >= rules.highEngagement.minInteractions) {
					segments.push('highEngagement');
					let reason = key < 0 ? undefined : engagementReasons.get(key);
					if (reason === undefined) {
						const after = stats.engagedAfterView ? ', after viewing a story' : '';
						reason = `${activityText(table, v, engagementTypes)} in ${window}${after}`;
						if (key >= 0) engagementReasons.set(key, reason);
					}
					reasons.push(reason);
				}
			}
			if (rules.profileVisitor) {
				const visits = table.typeCount(v, PROFILE_VISIT);
				const clicks = rules.profileVisitor.countLinkClicks ? table.typeCount(v, LINK_CLICK) : 0;
				if (visits + clicks >= rules.profileVisitor.minVisits) {
					segments.push('profileVisitor');
					const key = visits * 2 ** 24 + clicks;
					let reason = visitReasons.get(key);
					if (reason === undefined) {
						const parts: string[] = [];
						if (visits > 0) parts.push(`visited the profile ${times(visits)}`);
						if (clicks > 0) parts.push(`clicked a link ${times(clicks)}`);
						reason = `${parts.join(' and ')} in ${window}`;
						visitReasons.set(key, reason);
					}
					reasons.push(reason);
				}
			}
			if (rules.repeatViewer && stats.distinctStories >= rules.repeatViewer.minStories) {
				segments.push('repeatViewer');
				const n = stats.distinctStories;
				let reason = storyReasons.get(n);
				if (reason === undefined) {
					reason = `viewed ${plural(n, 'story', 'stories')} in ${window}`;
					storyReasons.set(n, reason);
				}
				reasons.push(reason);
			}
			if (rules.topScore && viewerRank !== null && viewerRank <= topCount) {
				segments.push('topScore');
				reasons.push(
					`score ${score} is in the top ${rules.topScore.topPercent} % (rank ${viewerRank} of ${poolSize})`,
				);
			}
			if (rules.languagePlace) {
				const value = table.fieldValue(v, tracked.languagePlace);
				if (value !== undefined) {
					const place = rules.languagePlace;
					let reason = placeReasons.get(value);
					if (reason === undefined) {
						const entry = matchList(String(value), placeEntries, place.match);
						reason = entry === undefined ? null : `${place.field} "${String(value)}" matches "${entry}"`;
						placeReasons.set(value, reason);
					}
					if (reason !== null) {
						segments.push('languagePlace');
						reasons.push(reason);
					}
				}
			}
			for (const group of customGroups) {
				const conditions = group.conditions;
				if (conditions.length === 1) {
					// One condition: the whole reason line is cached per value.
					const only = conditions[0];
					const value = customValue(only, v, stats, score, viewerRank);
					let reason = group.reasons.get(value);
					if (reason === undefined) {
						const outcome = outcomeOf(only, value);
						reason = outcome === null ? null : `${group.name}: ${outcome}`;
						group.reasons.set(value, reason);
					}
					if (reason !== null) {
						segments.push(group.name);
						reasons.push(reason);
					}
					continue;
				}
				let text = '';
				let all = true;
				for (const cached of conditions) {
					const outcome = outcomeOf(cached, customValue(cached, v, stats, score, viewerRank));
					if (outcome === null) {
						all = false;
						break;
					}
					text += text === '' ? outcome : ` and ${outcome}`;
				}
				if (all) {
					segments.push(group.name);
					reasons.push(`${group.name}: ${text}`);
				}
			}
		}
		return {
			viewerKey: keys[v],
			viewerKeyType: VIEWER_KEY_TYPES[keyTypes[v]],
			segments: copyList(segments),
			score,
			rank: viewerRank,
			stats,
			reasons: copyList(reasons),
			items: table.items[v] ?? NO_ITEMS,
			itemCount: table.itemCounts[v] ?? 0,
		};
	}

	function outcomeOf(cached: CachedCondition, value: FieldValue): string | null {
		let outcome = cached.outcomes.get(value);
		if (outcome === undefined) {
			outcome = conditionHolds(cached.condition, value, caseSensitive) ? conditionText(cached.condition, value) : null;
			cached.outcomes.set(value, outcome);
		}
		return outcome;
	}

	function customValue(
		cached: CachedCondition,
		v: number,
		stats: ViewerStats,
		score: number,
		viewerRank: number | null,
	): FieldValue {
		switch (cached.kind) {
			case FieldKind.Score:
				return score;
			case FieldKind.Rank:
				return viewerRank;
			case FieldKind.TypeCount:
				return cached.index < 0 ? undefined : table.typeCount(v, cached.index);
			case FieldKind.Stat: {
				const value = (stats as unknown as Record<string, unknown>)[cached.stat];
				return typeof value === 'object' ? undefined : (value as FieldValue);
			}
			default:
				return cached.index < 0 ? undefined : table.fieldValue(v, cached.index);
		}
	}
}

/**
 * An exact-size copy of a short scratch list. Array literals (unlike slice) carry an allocation site, so V8 can
 * learn that these arrays live on and allocate them where survivors go, instead of copying them at every
 * young-generation collection.
 */
function copyList(list: string[]): string[] {
	switch (list.length) {
		case 0:
			return [];
		case 1:
			return [list[0]];
		case 2:
			return [list[0], list[1]];
		case 3:
			return [list[0], list[1], list[2]];
		case 4:
			return [list[0], list[1], list[2], list[3]];
		default:
			return list.slice();
	}
}

function statsOf(table: ViewerTable, v: number): ViewerStats {
	const events: Partial<Record<EventType, number>> = {};
	for (let t = 0; t < TYPE_COUNT; t++) {
		const count = table.typeCount(v, t);
		if (count > 0) events[EVENT_TYPES[t]] = count;
	}
	const locale = table.fieldValue(v, LOCALE_FIELD);
	return {
		distinctStories: table.distinctStories(v),
		events,
		eventsInWindow: table.inWindow(v),
		ignoredOutsideWindow: table.outside(v),
		firstSeen: isoString(table.firstTs(v)),
		lastSeen: isoString(table.lastTs(v)),
		engagedAfterView: table.engagedAfterView(v),
		locale: locale === undefined ? null : String(locale),
	};
}

/** What a custom condition reads. */
const FieldKind = { Score: 0, Rank: 1, TypeCount: 2, Stat: 3, Slot: 4 } as const;
type FieldKind = (typeof FieldKind)[keyof typeof FieldKind];

interface CachedCondition {
	condition: CustomCondition;
	/** What the condition reads, decided once from its field (the same checks, in the same order, per viewer). */
	kind: FieldKind;
	/** Event type index (TypeCount) or tracked-field slot (Slot); −1 when there is none. */
	index: number;
	/** Stats property name (Stat). */
	stat: string;
	/** Outcome per value: the reason text when it holds, null when it does not. */
	outcomes: Map<FieldValue, string | null>;
}

interface ConditionGroup {
	name: string;
	conditions: CachedCondition[];
	/** One-condition groups: the full reason line (or null) per value. */
	reasons: Map<FieldValue, string | null>;
}

function compileCondition(condition: CustomCondition, byKey: Map<string, number>): CachedCondition {
	const field = condition.field;
	const cached: CachedCondition = { condition, kind: FieldKind.Slot as FieldKind, index: -1, stat: '', outcomes: new Map() };
	if (field === 'score') cached.kind = FieldKind.Score;
	else if (field === 'rank') cached.kind = FieldKind.Rank;
	else if (field.startsWith('stats.events.')) {
		cached.kind = FieldKind.TypeCount;
		cached.index = eventTypeIndex(field.slice('stats.events.'.length));
	} else if (field.startsWith('stats.')) {
		cached.kind = FieldKind.Stat;
		cached.stat = field.slice('stats.'.length);
	} else {
		cached.index = byKey.get(pathKey(field)) ?? -1;
	}
	return cached;
}

function groupConditions(conditions: CustomCondition[], byKey: Map<string, number>): ConditionGroup[] {
	const groups: ConditionGroup[] = [];
	for (const condition of conditions) {
		const entry = compileCondition(condition, byKey);
		const group = groups.find((g) => g.name === condition.segment);
		if (group) group.conditions.push(entry);
		else groups.push({ name: condition.segment, conditions: [entry], reasons: new Map() });
	}
	return groups;
}

function pathKey(field: string): string {
	return 'path:' + field.trim();
}

const NO_ITEMS: number[] = [];

interface Tracking {
	/** User paths, read into the slots after the built-in ones. */
	fields: TrackedField[];
	/** Path → slot. */
	byKey: Map<string, number>;
	locale: number;
	languagePlace?: number;
	followerCount?: number;
	bio?: number;
	hasProfilePic?: number;
}

/**
 * Slots of the fields whose latest value is kept per viewer: the locale always, the bot rule's profile signals
 * (`extra.followerCount` or `followerCount`; `extra.bio`, `extra.biography`, `bio` or `biography`;
 * `extra.hasProfilePic` or `hasProfilePic`), the language/place field and the custom conditions' event paths.
 */
function trackedFields(options: SegmentOptions): Tracking {
	const { rules } = options;
	const firstUser = rules.possibleBot ? PROFILE_PIC_FIELD + 1 : LOCALE_FIELD + 1;
	const fields: TrackedField[] = [];
	const byKey = new Map<string, number>([[pathKey('locale'), LOCALE_FIELD]]);
	const addPath = (field: string): number => {
		const key = pathKey(field);
		const known = byKey.get(key);
		if (known !== undefined) return known;
		fields.push({ key, paths: [field.trim().split('.')] });
		byKey.set(key, firstUser + fields.length - 1);
		return firstUser + fields.length - 1;
	};
	const tracking: Tracking = { fields, byKey, locale: LOCALE_FIELD };
	if (rules.possibleBot) {
		tracking.followerCount = FOLLOWERS_FIELD;
		tracking.bio = BIO_FIELD;
		tracking.hasProfilePic = PROFILE_PIC_FIELD;
	}
	if (rules.languagePlace) tracking.languagePlace = addPath(rules.languagePlace.field);
	for (const condition of rules.custom?.conditions ?? []) {
		const f = condition.field.trim();
		if (f !== 'score' && f !== 'rank' && !f.startsWith('stats.')) addPath(f);
	}
	return tracking;
}
