import type { CompiledTagger } from './config';
import {
	DEFAULT_KEY_FIELDS,
	DEFAULT_LAST_ENGAGED_FIELD,
	DEFAULT_TAGS_FIELD,
	DEFAULT_TIME_FIELD,
	DEFAULT_TYPE_FIELD,
	compileGetter,
	compileKeyReader,
	normaliseKey,
	readTags,
	type Getter,
	type KeyReader,
} from './fields';
import { evaluateContact, parseTimestampMs, type Evaluation } from './tiers';

/** Where each value is read from, in contacts and in events. */
export interface FieldSettings {
	/** Tried in order for the contact key (default contactKey, viewerKey, email). */
	keyFields: readonly string[];
	/** Event time (default occurredAt). */
	timeField: string;
	/** Event type (default type); an item without one counts as a generic engagement. */
	typeField: string;
	/** The stored last engagement of a contact (default lastEngagedAt). */
	lastEngagedAtField: string;
	/** The contact's current tags (default tags); absent = unknown. */
	tagsField: string;
	/** Fields copied from event items onto the contact a Record engagement outputs. */
	keepFields: readonly string[];
}

export const DEFAULT_FIELDS: Readonly<FieldSettings> = Object.freeze({
	keyFields: DEFAULT_KEY_FIELDS,
	timeField: DEFAULT_TIME_FIELD,
	typeField: DEFAULT_TYPE_FIELD,
	lastEngagedAtField: DEFAULT_LAST_ENGAGED_FIELD,
	tagsField: DEFAULT_TAGS_FIELD,
	keepFields: Object.freeze(['email', 'contactId', 'crmId']),
});

export interface CompiledFields {
	readonly settings: Readonly<FieldSettings>;
	readonly key: KeyReader;
	readonly time: Getter;
	readonly type: Getter;
	readonly lastEngagedAt: Getter;
	readonly tags: Getter;
	readonly keep: ReadonlyArray<readonly [string, Getter]>;
	/** Plain field names (no dot path) for the hot per-contact reads, else undefined. */
	readonly keyNames: readonly string[] | undefined;
	readonly lastEngagedAtName: string | undefined;
	readonly tagsName: string | undefined;
}

const plain = (name: string): string | undefined => (name.includes('.') ? undefined : name.trim());

export function compileFields(settings: Partial<FieldSettings> = {}): CompiledFields {
	const merged: FieldSettings = { ...DEFAULT_FIELDS, ...settings };
	const keyFields = merged.keyFields.length > 0 ? merged.keyFields : DEFAULT_KEY_FIELDS;
	const lastEngagedAtField = merged.lastEngagedAtField || DEFAULT_LAST_ENGAGED_FIELD;
	const tagsField = merged.tagsField || DEFAULT_TAGS_FIELD;
	return {
		settings: merged,
		key: compileKeyReader(keyFields),
		time: compileGetter(merged.timeField || DEFAULT_TIME_FIELD),
		type: compileGetter(merged.typeField || DEFAULT_TYPE_FIELD),
		lastEngagedAt: compileGetter(lastEngagedAtField),
		tags: compileGetter(tagsField),
		keep: merged.keepFields.map((name) => [name, compileGetter(name)] as const),
		keyNames: keyFields.some((name) => name.includes('.'))
			? undefined
			: keyFields.map((name) => name.trim()),
		lastEngagedAtName: plain(lastEngagedAtField),
		tagsName: plain(tagsField),
	};
}

/** A per-item failure: the node throws it naming the item (or outputs it with Continue on fail). */
export interface ItemProblem {
	ok: false;
	/** Index of the item within its input. */
	index: number;
	/** 0 = contacts (or events for Record engagement), 1 = events of Back-fill. */
	input: number;
	code: 'noContactKey' | 'invalidLastEngagedAt';
	message: string;
	description: string;
}

export interface Warning {
	code: 'futureLastEngagedAt' | 'futureEngagement';
	message: string;
}

export function noKeyProblem(
	fields: CompiledFields,
	index: number,
	input: number,
	what: string,
): ItemProblem {
	return {
		ok: false,
		index,
		input,
		code: 'noContactKey',
		message: `The ${what} in item ${index} has no contact key`,
		description: `None of the fields ${fields.key.fields.join(', ')} holds a value. Set "Contact Key Fields" to the field that identifies the contact.`,
	};
}

export function invalidLastEngagedProblem(
	index: number,
	input: number,
	raw: unknown,
	field: string,
): ItemProblem {
	return {
		ok: false,
		index,
		input,
		code: 'invalidLastEngagedAt',
		message: `The "${field}" value ${JSON.stringify(raw)} in item ${index} is not a date and time`,
		description:
			'Use ISO 8601 (e.g. 2026-11-22T10:00:00Z) or epoch seconds/milliseconds, or leave it empty for a contact that never engaged.',
	};
}

/** Result of re-evaluating one contact. */
export interface ContactResult {
	ok: true;
	contactKey: string;
	/** The stored last engagement (epoch ms), or undefined when the contact never engaged. */
	lastEngagedAtMs: number | undefined;
	/** Current tags as read (undefined when the contact item carries no tags field). */
	previousTags: readonly string[] | undefined;
	evaluation: Evaluation;
}

/**
 * Re-evaluate (Part 1 of the recipe, run daily): the tier of one contact from its stored last engagement
 * as of `asOfMs`, and the tag diff against its current tags.
 */
export function reEvaluateContact(
	record: Readonly<Record<string, unknown>>,
	index: number,
	fields: CompiledFields,
	tagger: CompiledTagger,
	asOfMs: number,
): ContactResult | ItemProblem {
	// Plain field names are read at these call sites (each sees one name, so the load stays fast).
	let contactKey: string | undefined;
	const keyNames = fields.keyNames;
	if (keyNames !== undefined) {
		for (let k = 0; k < keyNames.length && contactKey === undefined; k++)
			contactKey = normaliseKey(record[keyNames[k]]);
	} else {
		contactKey = fields.key.read(record);
	}
	if (contactKey === undefined) return noKeyProblem(fields, index, 0, 'contact');
	const raw =
		fields.lastEngagedAtName !== undefined
			? record[fields.lastEngagedAtName]
			: fields.lastEngagedAt(record);
	let lastMs: number | undefined;
	if (raw !== undefined && raw !== null && raw !== '') {
		lastMs = parseTimestampMs(raw);
		if (lastMs === undefined) {
			return invalidLastEngagedProblem(index, 0, raw, fields.settings.lastEngagedAtField);
		}
	}
	const previousTags = readTags(
		fields.tagsName !== undefined ? record[fields.tagsName] : fields.tags(record),
	);
	return {
		ok: true,
		contactKey,
		lastEngagedAtMs: lastMs,
		previousTags,
		evaluation: evaluateContact(tagger, lastMs, asOfMs, previousTags),
	};
}

/** Warnings an evaluation carries (a last engagement after "as of"). */
export function evaluationWarnings(
	evaluation: Evaluation,
	lastMs: number | undefined,
	asOfMs: number,
): Warning[] {
	if (!evaluation.future || lastMs === undefined) return [];
	return [
		{
			code: 'futureLastEngagedAt',
			message: `lastEngagedAt ${new Date(lastMs).toISOString()} is after As of ${new Date(asOfMs).toISOString()}; treated as As of`,
		},
	];
}
