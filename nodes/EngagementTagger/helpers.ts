import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type IPairedItemData,
} from 'n8n-workflow';

import {
	TaggerConfigError,
	compileFields,
	compileTagger,
	fieldList,
	thresholdsFor,
	type CompiledFields,
	type CompiledTagger,
	type Evaluation,
	type ItemProblem,
	type NeverEngagedPolicy,
	type PresetName,
	type RecordedContact,
	type SkippedEvent,
	type Warning,
} from '../core/engagement';
import { DEFAULT_KEY_FIELDS } from '../core/engagement/fields';
import { toIso } from '../core/time/instant';
import { readNowParameter } from '../shared/items';

/** Event types offered in the engagement checklist (insights are aggregates, never an engagement). */
const ENGAGEMENT_TYPE_OPTIONS = [
	{ name: 'Comment', value: 'comment' },
	{ name: 'Direct Message', value: 'message' },
	{ name: 'Email Click', value: 'email_click' },
	{ name: 'Email Open (Inflated by Machine Opens)', value: 'email_open' },
	{ name: 'Link Click', value: 'link_click' },
	{ name: 'Postback (Quick Reply / Button)', value: 'postback' },
	{ name: 'Profile Visit', value: 'profile_visit' },
	{ name: 'Reaction', value: 'reaction' },
	{ name: 'Site Visit', value: 'site_visit' },
	{ name: 'Story Mention', value: 'story_mention' },
	{ name: 'Story Reply', value: 'story_reply' },
	{ name: 'Story View', value: 'view' },
];

export const DEFAULT_ENGAGEMENT_TYPES = ENGAGEMENT_TYPE_OPTIONS.map((o) => o.value).filter(
	(v) => v !== 'email_open',
);

/** The engagement checklist, shared by Record engagement and Back-fill. */
export const engagementTypesProperty: INodeProperties = {
	displayName: 'Engagement Types',
	name: 'engagementTypes',
	type: 'multiOptions',
	options: ENGAGEMENT_TYPE_OPTIONS,
	default: [
		'comment',
		'message',
		'email_click',
		'link_click',
		'postback',
		'profile_visit',
		'reaction',
		'site_visit',
		'story_mention',
		'story_reply',
		'view',
	],
	description:
		'Event types that count as an engagement. Items without a type always count. Email opens are off by default because machine opens (Apple Mail Privacy Protection) inflate them.',
};

export const neverEngagedProperty: INodeProperties = {
	displayName: 'Never-Engaged Contacts',
	name: 'neverEngaged',
	type: 'options',
	options: [
		{
			name: 'Keep Current Tags',
			value: 'keep',
			description: 'Leave the four tags of such contacts as they are',
		},
		{ name: 'No Tag', value: 'noTag', description: 'Such contacts carry none of the four tags' },
		{
			name: 'Tag Inactive',
			value: 'inactive',
			description: 'Such contacts carry the Inactive tag',
		},
	],
	default: 'noTag',
	description: 'What a contact with no engagement at all gets',
};

export interface RunSettings {
	asOfMs: number;
	tagger: CompiledTagger;
	fields: CompiledFields;
	countedTypes: ReadonlySet<string> | undefined;
}

/** Reads every run-level parameter once; a misconfiguration throws a NodeOperationError. */
export function readSettings(ctx: IExecuteFunctions, operation: string): RunSettings {
	const asOfMs = readNowParameter(ctx, 'asOf', 0);
	const preset = ctx.getNodeParameter('preset', 0, 'elapsed') as PresetName | 'custom';
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const neverEngaged =
		operation === 'recordEngagement'
			? 'noTag'
			: (ctx.getNodeParameter('neverEngaged', 0, 'noTag') as NeverEngagedPolicy);
	let tagger: CompiledTagger;
	try {
		const thresholds =
			preset === 'custom'
				? thresholdsFor('custom', {
						recentActivityDays: ctx.getNodeParameter('recentActivityDays', 0, 7) as number,
						engagedDays: ctx.getNodeParameter('engagedDays', 0, 21) as number,
						inactiveDays: ctx.getNodeParameter('inactiveDays', 0, 30) as number,
					})
				: thresholdsFor(preset);
		tagger = compileTagger({
			thresholds,
			neverEngaged,
			tagNames: {
				engaged: stringOption(options.engagedTag, 'Engaged'),
				recentActivity: stringOption(options.recentActivityTag, 'Recent Activity'),
				disengaged: stringOption(options.disengagedTag, 'Disengaged'),
				inactive: stringOption(options.inactiveTag, 'Inactive'),
			},
		});
	} catch (error) {
		if (error instanceof TaggerConfigError) {
			throw new NodeOperationError(ctx.getNode(), error.message, {
				itemIndex: 0,
				description: 'Check the Thresholds and the tag names in Options.',
			});
		}
		throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex: 0 });
	}
	const fields = compileFields({
		keyFields: fieldList(stringOption(options.contactKeyFields, ''), DEFAULT_KEY_FIELDS),
		timeField: stringOption(options.timeField, 'occurredAt'),
		typeField: stringOption(options.typeField, 'type'),
		lastEngagedAtField: stringOption(options.lastEngagedAtField, 'lastEngagedAt'),
		tagsField: stringOption(options.tagsField, 'tags'),
		keepFields: fieldList(stringOption(options.fieldsToKeep, 'email, contactId, crmId'), []),
	});
	const countedTypes =
		operation === 'reEvaluate'
			? undefined
			: new Set(ctx.getNodeParameter('engagementTypes', 0, DEFAULT_ENGAGEMENT_TYPES) as string[]);
	return { asOfMs, tagger, fields, countedTypes };
}

function stringOption(value: unknown, fallback: string): string {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback;
}

const isoOrNull = (ms: number | undefined): string | null => (ms === undefined ? null : toIso(ms));

/** The fields every output contact carries (arrays copied, so downstream edits never touch shared ones). */
export function resultFields(
	contactKey: string,
	lastEngagedAtMs: number | undefined,
	evaluation: Evaluation,
	previousTags: readonly string[] | undefined,
	changed: boolean,
	warnings: Warning[],
): IDataObject {
	const json: IDataObject = {
		contactKey,
		lastEngagedAt: isoOrNull(lastEngagedAtMs),
		tier: evaluation.tier,
		daysSinceEngagement: evaluation.daysSinceEngagement,
		tags: evaluation.tags.slice(),
		tagsToAdd: evaluation.tagsToAdd.slice(),
		tagsToRemove: evaluation.tagsToRemove.slice(),
		previousTags: previousTags === undefined ? null : previousTags.slice(),
		changed,
	};
	if (warnings.length > 0)
		json.warnings = warnings.map((w) => ({ code: w.code, message: w.message }));
	return json;
}

/** The output fields of a contact from Record engagement or Back-fill: the result fields plus what the events said. */
export function recordedFields(contact: RecordedContact): IDataObject {
	return {
		...resultFields(
			contact.contactKey,
			contact.lastEngagedAtMs,
			contact.evaluation,
			contact.previousTags,
			contact.changed,
			contact.warnings,
		),
		previousLastEngagedAt: isoOrNull(contact.previousLastEngagedAtMs),
		eventsCounted: contact.eventsCounted,
	};
}

/** A skipped event as an output item: the event itself plus why it did not count. */
export function skippedItem(
	events: INodeExecutionData[],
	skipped: SkippedEvent,
	input: number,
): INodeExecutionData {
	return {
		json: { ...events[skipped.index].json, reason: skipped.reason, detail: skipped.message },
		pairedItem: paired(skipped.index, input),
	};
}

export function paired(index: number, input: number): IPairedItemData {
	return input === 0 ? { item: index } : { item: index, input };
}

const INPUT_NAMES = ['Contacts', 'Events'];

/**
 * A per-item problem: without "Continue on fail" it is thrown naming its item; with it, it becomes an
 * error item (`error`, machine-readable `reason`).
 */
export function problemItem(
	ctx: IExecuteFunctions,
	problem: ItemProblem,
	multiInput: boolean,
): INodeExecutionData {
	const where = multiInput ? ` (${INPUT_NAMES[problem.input]} input)` : '';
	if (!ctx.continueOnFail()) {
		throw new NodeOperationError(ctx.getNode(), `${problem.message}${where}`, {
			itemIndex: problem.index,
			description: problem.description,
		});
	}
	return {
		json: { error: `${problem.message}${where}`, reason: problem.code },
		pairedItem: paired(problem.index, problem.input),
	};
}

/** All problems of a batch (inputs in order, then item order) as error items on `output`, or the first thrown. */
export function handleProblems(
	ctx: IExecuteFunctions,
	problems: ItemProblem[],
	outputs: INodeExecutionData[][],
	output: number,
	multiInput: boolean,
): void {
	const sorted = [...problems].sort((a, b) => a.input - b.input || a.index - b.index);
	for (const problem of sorted) outputs[output].push(problemItem(ctx, problem, multiInput));
}
