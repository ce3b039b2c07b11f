import type { CompiledTagger } from './config';
import {
	evaluationWarnings,
	invalidLastEngagedProblem,
	noKeyProblem,
	reEvaluateContact,
	type CompiledFields,
	type ItemProblem,
	type Warning,
} from './contacts';
import { readTags } from './fields';
import { evaluateContact, parseTimestampMs, type Evaluation } from './tiers';

/** Why an event item did not count as an engagement. */
export type SkipReason =
	| 'typeNotCounted'
	| 'optOutMessage'
	| 'noEventTime'
	| 'invalidEventTime'
	| 'afterAsOf'
	| 'unknownContact';

export interface SkippedEvent {
	index: number;
	reason: SkipReason;
	message: string;
	contactKey?: string;
}

export interface EngagementOptions {
	asOfMs: number;
	tagger: CompiledTagger;
	fields: CompiledFields;
	/** Event types that count; undefined counts every type. Items without a type always count. */
	countedTypes?: ReadonlySet<string>;
}

/** Per contact: everything its events say. */
interface Collected {
	contactKey: string;
	indices: number[];
	eventsCounted: number;
	latestEventMs: number | undefined;
	storedMs: number | undefined;
	tags: string[] | undefined;
	kept: Record<string, unknown>;
	futureEvents: number;
}

interface Collection {
	groups: Map<string, Collected>;
	skipped: SkippedEvent[];
	problems: ItemProblem[];
}

/**
 * Groups engagement events by contact. `future` decides what an event after "as of" does: `clamp` counts
 * it at "as of" (clock skew in live use), `skip` leaves it out (history as of a date).
 */
function collect(
	events: ReadonlyArray<Readonly<Record<string, unknown>>>,
	options: EngagementOptions,
	future: 'clamp' | 'skip',
	input: number,
): Collection {
	const { fields, countedTypes, asOfMs } = options;
	const groups = new Map<string, Collected>();
	const skipped: SkippedEvent[] = [];
	const problems: ItemProblem[] = [];
	for (let index = 0; index < events.length; index++) {
		const event = events[index];
		const contactKey = fields.key.read(event);
		if (contactKey === undefined) {
			problems.push(noKeyProblem(fields, index, input, 'event'));
			continue;
		}
		const type = fields.type(event);
		if (
			countedTypes !== undefined &&
			typeof type === 'string' &&
			type !== '' &&
			!countedTypes.has(type)
		) {
			skipped.push({
				index,
				contactKey,
				reason: 'typeNotCounted',
				message: `Event type "${type}" is not selected as engagement`,
			});
			continue;
		}
		// A STOP is an interaction, but it says the opposite of engagement (canonical events carry the keyword).
		if (event.keyword === 'opt_out') {
			skipped.push({
				index,
				contactKey,
				reason: 'optOutMessage',
				message: 'An opt-out message (STOP and the like) is not engagement',
			});
			continue;
		}
		const rawTime = fields.time(event);
		if (rawTime === undefined || rawTime === null || rawTime === '') {
			skipped.push({
				index,
				contactKey,
				reason: 'noEventTime',
				message: `No event time in "${fields.settings.timeField}"`,
			});
			continue;
		}
		let eventMs = parseTimestampMs(rawTime);
		if (eventMs === undefined) {
			skipped.push({
				index,
				contactKey,
				reason: 'invalidEventTime',
				message: `Event time ${JSON.stringify(rawTime)} is not a date and time`,
			});
			continue;
		}
		let clamped = false;
		if (eventMs > asOfMs) {
			if (future === 'skip') {
				skipped.push({
					index,
					contactKey,
					reason: 'afterAsOf',
					message: 'The event happened after As of',
				});
				continue;
			}
			eventMs = asOfMs;
			clamped = true;
		}
		const rawStored = fields.lastEngagedAt(event);
		let storedMs: number | undefined;
		if (rawStored !== undefined && rawStored !== null && rawStored !== '') {
			storedMs = parseTimestampMs(rawStored);
			if (storedMs === undefined) {
				problems.push(
					invalidLastEngagedProblem(index, input, rawStored, fields.settings.lastEngagedAtField),
				);
				continue;
			}
		}
		let group = groups.get(contactKey);
		if (group === undefined) {
			group = {
				contactKey,
				indices: [],
				eventsCounted: 0,
				latestEventMs: undefined,
				storedMs: undefined,
				tags: undefined,
				kept: {},
				futureEvents: 0,
			};
			groups.set(contactKey, group);
		}
		group.indices.push(index);
		group.eventsCounted++;
		if (clamped) group.futureEvents++;
		if (group.latestEventMs === undefined || eventMs > group.latestEventMs)
			group.latestEventMs = eventMs;
		if (storedMs !== undefined && (group.storedMs === undefined || storedMs > group.storedMs))
			group.storedMs = storedMs;
		const tags = readTags(fields.tags(event));
		if (tags !== undefined) group.tags = tags;
		for (const [name, get] of fields.keep) {
			const value = get(event);
			if (value !== undefined && value !== null && value !== '') group.kept[name] = value;
		}
	}
	return { groups, skipped, problems };
}

/** One contact after its engagements were recorded. */
export interface RecordedContact {
	ok: true;
	contactKey: string;
	/** Indices of the event items that counted for this contact (input order). */
	eventIndices: number[];
	eventsCounted: number;
	/** The latest engagement: never earlier than the stored value the events carried. */
	lastEngagedAtMs: number | undefined;
	/** The stored last engagement the items carried (`lastEngagedAt` field), if any. */
	previousLastEngagedAtMs: number | undefined;
	/** Current tags as carried by the items (the last item with a tags field), if any. */
	previousTags: readonly string[] | undefined;
	/** Allow-listed fields copied from the events (later events win). */
	kept: Record<string, unknown>;
	evaluation: Evaluation;
	/** lastEngagedAt moved forward, or the tags change. */
	changed: boolean;
	warnings: Warning[];
}

export interface RecordResult {
	contacts: RecordedContact[];
	skipped: SkippedEvent[];
	problems: ItemProblem[];
}

function maxDefined(a: number | undefined, b: number | undefined): number | undefined {
	if (a === undefined) return b;
	if (b === undefined) return a;
	return a > b ? a : b;
}

function recorded(group: Collected, options: EngagementOptions): RecordedContact {
	const lastMs = maxDefined(group.storedMs, group.latestEventMs);
	const evaluation = evaluateContact(options.tagger, lastMs, options.asOfMs, group.tags);
	const warnings = evaluationWarnings(evaluation, lastMs, options.asOfMs);
	if (group.futureEvents > 0) {
		warnings.push({
			code: 'futureEngagement',
			message: `${group.futureEvents} event(s) dated after As of ${new Date(options.asOfMs).toISOString()} were counted at As of`,
		});
	}
	return {
		ok: true,
		contactKey: group.contactKey,
		eventIndices: group.indices,
		eventsCounted: group.eventsCounted,
		lastEngagedAtMs: lastMs,
		previousLastEngagedAtMs: group.storedMs,
		previousTags: group.tags,
		kept: group.kept,
		evaluation,
		changed: lastMs !== group.storedMs || evaluation.changed,
		warnings,
	};
}

/**
 * Record engagement (Part 2 of the recipe): one result per contact, in order of first appearance, with the
 * latest engagement among its counted events and any stored `lastEngagedAt` the items carry, so an old or
 * replayed event never moves it backwards. The tags are those of the tier as of `asOfMs` — for a fresh
 * engagement the recipe's change: add Engaged + Recent Activity, remove Disengaged + Inactive.
 */
export function recordEngagement(
	events: ReadonlyArray<Readonly<Record<string, unknown>>>,
	options: EngagementOptions,
): RecordResult {
	const { groups, skipped, problems } = collect(events, options, 'clamp', 0);
	const contacts: RecordedContact[] = [];
	for (const group of groups.values()) contacts.push(recorded(group, options));
	return { contacts, skipped, problems };
}

export interface BackfillOptions extends EngagementOptions {
	/** Output contacts that appear only in the events (default true); otherwise their events are skipped. */
	includeEventOnlyContacts?: boolean;
}

/** One back-filled contact: from the Contacts input (`contactIndex`) or only from events. */
export interface BackfilledContact extends RecordedContact {
	contactIndex: number | undefined;
}

export interface BackfillResult {
	contacts: BackfilledContact[];
	/** Skipped event items (indices into the events). */
	skipped: SkippedEvent[];
	/** Problems of contacts (input 0) and of events (input 1). */
	problems: ItemProblem[];
}

/**
 * Back-fill: `lastEngagedAt` and tags as of `asOfMs` from an event history, for each contact (Contacts
 * input order), then for contacts only seen in events (first appearance). Events after `asOfMs` are left
 * out, so the result equals Record engagement over the history up to `asOfMs` followed by Re-evaluate.
 */
export function backfill(
	contacts: ReadonlyArray<Readonly<Record<string, unknown>>>,
	events: ReadonlyArray<Readonly<Record<string, unknown>>>,
	options: BackfillOptions,
): BackfillResult {
	const { groups, skipped, problems: eventProblems } = collect(events, options, 'skip', 1);
	const out: BackfilledContact[] = [];
	const problems: ItemProblem[] = [];
	const matched = new Set<string>();
	for (let index = 0; index < contacts.length; index++) {
		const base = reEvaluateContact(
			contacts[index],
			index,
			options.fields,
			options.tagger,
			options.asOfMs,
		);
		if (!base.ok) {
			problems.push(base);
			continue;
		}
		const group = groups.get(base.contactKey);
		if (group) matched.add(base.contactKey);
		const lastMs = maxDefined(base.lastEngagedAtMs, group?.latestEventMs);
		const evaluation =
			lastMs === base.lastEngagedAtMs
				? base.evaluation
				: evaluateContact(options.tagger, lastMs, options.asOfMs, base.previousTags);
		out.push({
			ok: true,
			contactIndex: index,
			contactKey: base.contactKey,
			eventIndices: group ? group.indices : [],
			eventsCounted: group ? group.eventsCounted : 0,
			lastEngagedAtMs: lastMs,
			previousLastEngagedAtMs: base.lastEngagedAtMs,
			previousTags: base.previousTags,
			kept: {},
			evaluation,
			changed: lastMs !== base.lastEngagedAtMs || evaluation.changed,
			warnings: evaluationWarnings(evaluation, lastMs, options.asOfMs),
		});
	}
	for (const group of groups.values()) {
		if (matched.has(group.contactKey)) continue;
		if (options.includeEventOnlyContacts === false) {
			for (const index of group.indices) {
				skipped.push({
					index,
					contactKey: group.contactKey,
					reason: 'unknownContact',
					message: 'No contact in the Contacts input has this key',
				});
			}
			continue;
		}
		out.push({ ...recorded(group, options), contactIndex: undefined });
	}
	skipped.sort((a, b) => a.index - b.index);
	return { contacts: out, skipped, problems: problems.concat(eventProblems) };
}
