import { COLUMN_ALIASES, detectColumns, findExtraColumns, normaliseColumnName, type ColumnRole } from './columns';
import { detectDelimiter, scanCsv, stripBom, type CsvDelimiter } from './csv';
import type { FieldMap, IngestBatch, RowRecord, ViewerKeyPolicy } from './ingest';
import { parseMetaWebhook, type WebhookExtraField } from './webhook';

/** A problem with the whole input or the settings, not with one row: the node turns it into an error. */
export class CaptureConfigError extends Error {
	constructor(
		message: string,
		readonly description?: string,
	) {
		super(message);
		this.name = 'CaptureConfigError';
	}
}

/** Column or field names the user set by hand (empty = auto-detect). */
export interface ColumnChoice {
	viewer?: string;
	viewerKeyPolicy?: ViewerKeyPolicy;
	time?: string;
	storyId?: string;
	context?: string;
	type?: string;
	text?: string;
	locale?: string;
}

const MANUAL_ROLES: ReadonlyArray<[keyof ColumnChoice, ColumnRole]> = [
	['time', 'time'],
	['storyId', 'storyId'],
	['context', 'context'],
	['type', 'type'],
	['text', 'text'],
	['locale', 'locale'],
];

/** Builds the field map for a list of column names: auto-detection, then the user's choices on top. */
export function buildFieldMap<K extends number | string>(
	names: readonly string[],
	keyOf: (position: number) => K,
	choice: ColumnChoice = {},
	extraFields: readonly string[] = [],
	strict = true,
): FieldMap {
	const detected = detectColumns(names);
	const normalised = names.map(normaliseColumnName);
	const position = (wanted: string, label: string): number => {
		const index = normalised.indexOf(normaliseColumnName(wanted));
		if (index === -1 && strict) {
			throw new CaptureConfigError(`Column "${wanted}" (${label}) is not in the input`, `Columns found: ${names.join(', ')}`);
		}
		return index;
	};
	const map: FieldMap = { viewerKeyPolicy: choice.viewerKeyPolicy ?? 'auto' };
	const at = (index: number): K | undefined => (index === -1 ? undefined : keyOf(index));
	if (choice.viewer) {
		const index = position(choice.viewer, 'viewer');
		const policy = choice.viewerKeyPolicy ?? 'auto';
		const looksLikeId = index !== -1 && COLUMN_ALIASES.viewerId.includes(normalised[index]);
		if (policy === 'igsid' || (policy === 'auto' && looksLikeId)) map.viewerId = at(index);
		else map.handle = at(index);
	} else {
		map.viewerId = at(detected.viewerId);
		map.handle = at(detected.handle);
	}
	for (const [field, role] of MANUAL_ROLES) {
		const wanted = choice[field];
		(map as Record<string, unknown>)[role] = at(wanted ? position(wanted, field) : detected[role]);
	}
	const extras = findExtraColumns(names, extraFields).map(([name, index]) => [name, keyOf(index)] as const);
	if (extras.length > 0) map.extras = extras;
	return map;
}

export interface CsvIngestOptions {
	delimiter?: CsvDelimiter | 'auto';
	columns?: ColumnChoice;
	extraFields?: readonly string[];
	/** Called every 10,000 data rows with the count so far (progress, memory sampling in the bench). */
	onProgress?: (rows: number) => void;
}

/**
 * Feeds one CSV text into the batch: the first non-empty record is the header; every later record is one
 * row. Throws CaptureConfigError when the header has no viewer column (or no time column while rows without a
 * time are refused), so a wrong file fails once instead of producing one refusal per row.
 */
export function ingestCsvText(batch: IngestBatch, input: string, itemIndex: number, options: CsvIngestOptions = {}): number {
	const text = stripBom(input);
	const delimiter = !options.delimiter || options.delimiter === 'auto' ? detectDelimiter(text) : options.delimiter;
	let header: string[] | undefined;
	let map: FieldMap | undefined;
	let originalOf: (record: RowRecord) => unknown = (record) => record;
	let row = 0;
	// One reference object for every row: the batch copies what it keeps.
	const ref = { itemIndex, row: 0, line: 0 };
	scanCsv(
		text,
		delimiter,
		(fields, line, end, problem) => {
			if (header === undefined || map === undefined) {
				header = fields.map((name) => name.trim());
				map = buildFieldMap(header, (i) => i, options.columns, options.extraFields);
				if (map.viewerId === undefined && map.handle === undefined) {
					throw new CaptureConfigError(
						'The CSV has no viewer column',
						`Name a column handle, username or viewer_id, or pick it under Columns. Columns found: ${header.join(', ')}`,
					);
				}
				if (map.time === undefined && batch.options.missingTime !== 'useIngestedAt') {
					throw new CaptureConfigError(
						'The CSV has no timestamp column',
						`Name a column first_seen, viewed_at or timestamp, pick it under Columns, or set "When Time Is Missing" to use Now. Columns found: ${header.join(', ')}`,
					);
				}
				const names = header;
				originalOf = (fields) => rowObject(names, fields as readonly string[]);
				return;
			}
			row++;
			// Size the de-duplication index once, from the length of the rows read so far (at most for a million
			// rows, so an odd file cannot make it huge): then it need not grow on the way.
			if (row === 1024) batch.reserve(Math.min(Math.ceil((row * (text.length - end)) / end), 1_000_000));
			if (options.onProgress !== undefined && row % 10_000 === 0) options.onProgress(row);
			ref.row = row;
			ref.line = line;
			if (problem !== undefined) {
				batch.reject('malformed_row', `Broken CSV: ${problem}`, ref, originalOf(fields));
				return;
			}
			batch.addRow(fields, map, ref, originalOf);
		},
	);
	return row;
}

/** The row as the user saw it: header name → value (extra values beyond the header as column_N). */
export function rowObject(header: readonly string[], fields: readonly string[]): Record<string, string> {
	const result: Record<string, string> = {};
	const width = Math.max(header.length, fields.length);
	for (let i = 0; i < width; i++) {
		const name = header[i] !== undefined && header[i] !== '' ? header[i] : `column_${i + 1}`;
		result[name] = fields[i] ?? '';
	}
	return result;
}

const identity = (record: RowRecord): unknown => record;

/** True when the object's own enumerable keys are exactly `keys`, in order. */
function sameKeys(record: Record<string, unknown>, keys: readonly string[]): boolean {
	let i = 0;
	for (const key in record) {
		if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
		if (keys[i] !== key) return false;
		i++;
	}
	return i === keys.length;
}

/** Maps items (objects) with a field map cached per distinct key set. */
export class ItemMapper {
	private readonly cache = new Map<string, FieldMap>();
	private lastKeys: string[] | undefined;
	private lastMap: FieldMap | undefined;

	constructor(
		private readonly choice: ColumnChoice = {},
		private readonly extraFields: readonly string[] = [],
	) {}

	/** One reference object for every item: the batch copies what it keeps. */
	private readonly ref = { itemIndex: 0, row: 1 };

	add(batch: IngestBatch, json: unknown, itemIndex: number): void {
		const ref = this.ref;
		ref.itemIndex = itemIndex;
		if (typeof json !== 'object' || json === null || Array.isArray(json)) {
			batch.reject('not_an_object', 'The item is not an object', ref, json);
			return;
		}
		const record = json as Record<string, unknown>;
		let map: FieldMap | undefined;
		// Items from one source share their keys: reuse the last map without building a key list.
		if (this.lastKeys !== undefined && sameKeys(record, this.lastKeys)) map = this.lastMap;
		if (map === undefined) {
			const keys = Object.keys(record);
			const signature = keys.join('\u0000');
			map = this.cache.get(signature);
			if (map === undefined) {
				map = buildFieldMap(keys, (i) => keys[i], this.choice, this.extraFields, false);
				this.cache.set(signature, map);
			}
			this.lastKeys = keys;
			this.lastMap = map;
		}
		batch.addRow(record, map, ref, identity);
	}
}

export interface WebhookIngestOptions {
	includeText?: boolean;
	ignoreEchoes?: boolean;
	extraFields?: readonly WebhookExtraField[];
}

/** Feeds one raw webhook body into the batch; skipped updates become refusals with their reason. */
export function ingestWebhookBody(batch: IngestBatch, body: unknown, itemIndex: number, options: WebhookIngestOptions = {}): void {
	const o = batch.options;
	const parsed = parseMetaWebhook(body, {
		ingestedAt: o.ingestedAt,
		includeText: options.includeText ?? o.includeText,
		ignoreEchoes: options.ignoreEchoes,
		extraFields: options.extraFields,
		pepper: o.pepper,
		keywordMatcher: o.keywordMatcher,
	});
	// `row` is the update's 1-based position in the body, for events and refusals alike.
	parsed.events.forEach((event, i) => {
		batch.addEvent(event, { itemIndex, row: parsed.eventUpdates[i] }, () => event);
	});
	for (const skip of parsed.skipped) {
		batch.reject(skip.reason, skip.message, { itemIndex, row: skip.update }, skip.original);
	}
}
