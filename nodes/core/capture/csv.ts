/**
 * A small, single-pass CSV reader (RFC 4180 plus what spreadsheets export): UTF-8 BOM, `,` `;` or tab
 * (detected from the header line), quoted fields with embedded delimiters, newlines and doubled quotes,
 * CRLF or LF line ends, empty lines skipped. Records are handed to a callback one at a time, so memory
 * stays proportional to what the caller keeps, not to the file.
 */

export type CsvDelimiter = ',' | ';' | '\t';
export const CSV_DELIMITERS: readonly CsvDelimiter[] = [',', ';', '\t'];

export interface CsvRecord {
	/** Field values, unquoted. */
	fields: string[];
	/** 1-based line in the text where the record starts. */
	line: number;
	/** Set when the record is broken (an opening quote that is never closed). */
	problem?: string;
}

const QUOTE = 34;
const CR = 13;
const LF = 10;

export function stripBom(text: string): string {
	return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The delimiter that occurs most often outside quotes on the first non-empty line (`,` on a tie or none). */
export function detectDelimiter(text: string): CsvDelimiter {
	const counts = new Map<string, number>();
	let inQuotes = false;
	let seenContent = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (ch === '"') inQuotes = !inQuotes;
		else if (!inQuotes && (ch === '\n' || ch === '\r')) {
			if (seenContent) break;
		} else if (!inQuotes && (ch === ',' || ch === ';' || ch === '\t')) {
			counts.set(ch, (counts.get(ch) ?? 0) + 1);
		}
		if (ch !== '\n' && ch !== '\r') seenContent = true;
	}
	let best: CsvDelimiter = ',';
	let bestCount = 0;
	for (const delimiter of CSV_DELIMITERS) {
		const count = counts.get(delimiter) ?? 0;
		if (count > bestCount) {
			best = delimiter;
			bestCount = count;
		}
	}
	return best;
}

function countNewlines(text: string, from: number, to: number): number {
	let lines = 0;
	for (let i = from; i < to; i++) {
		const c = text.charCodeAt(i);
		if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) lines++;
	}
	return lines;
}

/** A record whose every field is empty or white space: an empty line, or `,,,` left by a spreadsheet. */
function isBlank(fields: string[]): boolean {
	for (const field of fields) if (field.length > 0 && field.trim() !== '') return false;
	return true;
}

/**
 * Calls `onRecord` for every non-empty record in order (the header is the first one). Returns the number of
 * records. A line holding nothing but white space and delimiters is skipped.
 */
export function forEachCsvRecord(
	input: string,
	onRecord: (record: CsvRecord) => void,
	delimiter: CsvDelimiter = detectDelimiter(stripBom(input)),
): number {
	return scanCsv(
		stripBom(input),
		delimiter,
		(fields, line, _end, problem) => onRecord(problem === undefined ? { fields, line } : { fields, line, problem }),
	);
}

/**
 * The reader itself, without a record object per row: `onRecord(fields, line, end, problem)`, where `end` is
 * the offset in `text` just after the record. `text` must not start with a BOM.
 */
export function scanCsv(
	text: string,
	delimiter: CsvDelimiter,
	onRecord: (fields: string[], line: number, end: number, problem: string | undefined) => void,
): number {
	const n = text.length;
	const delim = delimiter.charCodeAt(0);
	let i = 0;
	let line = 1;
	let records = 0;
	while (i < n) {
		const startLine = line;
		const fields: string[] = [];
		let problem: string | undefined;
		let endOfRecord = false;
		while (!endOfRecord) {
			let value: string;
			if (text.charCodeAt(i) === QUOTE) {
				// Quoted field: copy runs between quotes, turning "" into ".
				value = '';
				let segment = i + 1;
				let closed = false;
				for (;;) {
					const q = text.indexOf('"', segment);
					if (q === -1) break;
					line += countNewlines(text, segment, q);
					if (text.charCodeAt(q + 1) === QUOTE) {
						value += text.slice(segment, q + 1);
						segment = q + 2;
						continue;
					}
					value += text.slice(segment, q);
					i = q + 1;
					closed = true;
					break;
				}
				if (!closed) {
					line += countNewlines(text, segment, n);
					value += text.slice(segment);
					i = n;
					problem = `a quoted field opened on line ${startLine} is never closed`;
				}
				// Anything between the closing quote and the next delimiter is kept, as spreadsheets do.
				const rest = i;
				while (i < n) {
					const c = text.charCodeAt(i);
					if (c === delim || c === LF || c === CR) break;
					i++;
				}
				if (i > rest) value += text.slice(rest, i);
			} else {
				const start = i;
				while (i < n) {
					const c = text.charCodeAt(i);
					if (c === delim || c === LF || c === CR) break;
					i++;
				}
				value = text.slice(start, i);
			}
			fields.push(value);
			if (i >= n) {
				endOfRecord = true;
			} else {
				const c = text.charCodeAt(i);
				i++;
				if (c === delim) {
					if (i >= n) {
						fields.push('');
						endOfRecord = true;
					}
				} else {
					if (c === CR && text.charCodeAt(i) === LF) i++;
					line++;
					endOfRecord = true;
				}
			}
		}
		if (problem === undefined && isBlank(fields)) continue;
		records++;
		onRecord(fields, startLine, i, problem);
	}
	return records;
}

/** All records at once (for small inputs and tests). */
export function parseCsv(text: string, delimiter?: CsvDelimiter): CsvRecord[] {
	const records: CsvRecord[] = [];
	forEachCsvRecord(text, (record) => records.push(record), delimiter);
	return records;
}
