/**
 * Reading contacts and engagement events from plain items: a contact key, a time, an event type and the
 * current tags, each from a configurable field (dot paths allowed, e.g. `properties.email`).
 */

export type Getter = (record: Readonly<Record<string, unknown>>) => unknown;

/** Default fields tried, in order, for the contact key. */
export const DEFAULT_KEY_FIELDS: readonly string[] = Object.freeze([
	'contactKey',
	'viewerKey',
	'email',
]);
export const DEFAULT_TIME_FIELD = 'occurredAt';
export const DEFAULT_TYPE_FIELD = 'type';
export const DEFAULT_LAST_ENGAGED_FIELD = 'lastEngagedAt';
export const DEFAULT_TAGS_FIELD = 'tags';

/** A getter for a field name or dot path; a plain name costs one property read. */
export function compileGetter(path: string): Getter {
	const trimmed = path.trim();
	if (!trimmed.includes('.')) return (record) => record[trimmed];
	const parts = trimmed.split('.').filter((part) => part !== '');
	return (record) => {
		let value: unknown = record;
		for (const part of parts) {
			if (value === null || typeof value !== 'object') return undefined;
			value = (value as Record<string, unknown>)[part];
		}
		return value;
	};
}

/** Splits a comma-separated list of field names, dropping empty entries. */
export function fieldList(text: string | undefined, fallback: readonly string[]): string[] {
	const list = (text ?? '')
		.split(',')
		.map((name) => name.trim())
		.filter((name) => name !== '');
	return list.length > 0 ? list : [...fallback];
}

export interface KeyReader {
	/** The fields tried, for error messages. */
	readonly fields: readonly string[];
	read(record: Readonly<Record<string, unknown>>): string | undefined;
}

/**
 * Reads the first non-empty key among the fields. Keys are trimmed; keys containing `@` (emails,
 * handles) are lower-cased so `Ann@X.com` and `ann@x.com` are one contact.
 */
export function compileKeyReader(fields: readonly string[]): KeyReader {
	const getters = fields.map(compileGetter);
	return {
		fields,
		read(record) {
			for (const get of getters) {
				const key = normaliseKey(get(record));
				if (key !== undefined) return key;
			}
			return undefined;
		},
	};
}

export function normaliseKey(raw: unknown): string | undefined {
	if (typeof raw === 'number') return Number.isFinite(raw) ? String(raw) : undefined;
	if (typeof raw !== 'string') return undefined;
	const length = raw.length;
	if (length === 0) return undefined;
	// trim() only when there is something to trim.
	const key = raw.charCodeAt(0) > 32 && raw.charCodeAt(length - 1) > 32 ? raw : raw.trim();
	if (key === '') return undefined;
	return key.includes('@') ? key.toLowerCase() : key;
}

/**
 * Current tags as strings, or undefined when the field is absent (unknown tags). Accepts an array of
 * strings or of `{ name }` / `{ tag }` objects, or a string separated by commas or semicolons.
 */
export function readTags(value: unknown): string[] | undefined {
	if (value === undefined || value === null) return undefined;
	if (Array.isArray(value)) {
		let allStrings = true;
		for (let k = 0; k < value.length; k++) {
			if (typeof value[k] !== 'string') {
				allStrings = false;
				break;
			}
		}
		if (allStrings) return value as string[];
		const out: string[] = [];
		for (const entry of value) {
			const text = tagText(entry);
			if (text !== undefined) out.push(text);
		}
		return out;
	}
	if (typeof value === 'string') {
		return value
			.split(/[,;]/)
			.map((tag) => tag.trim())
			.filter((tag) => tag !== '');
	}
	return [];
}

function tagText(entry: unknown): string | undefined {
	if (typeof entry === 'string') return entry;
	if (typeof entry === 'number') return String(entry);
	if (entry !== null && typeof entry === 'object') {
		const record = entry as Record<string, unknown>;
		const text = record.name ?? record.tag;
		if (typeof text === 'string') return text;
	}
	return undefined;
}

/** Copies the listed fields (those present) from a record into `target`. */
export function copyFields(
	record: Readonly<Record<string, unknown>>,
	fields: readonly string[],
	target: Record<string, unknown>,
): void {
	for (const field of fields) {
		const value = compileGetter(field)(record);
		if (value !== undefined && target[field] === undefined) target[field] = value;
	}
}
