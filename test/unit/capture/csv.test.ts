import { detectDelimiter, parseCsv, scanCsv } from '../../../nodes/core/capture/csv';

const rows = (text: string) => parseCsv(text).map((r) => r.fields);

describe('CSV reader', () => {
	it('strips a UTF-8 BOM and reads comma files', () => {
		expect(rows('\uFEFFhandle,first_seen\nalice,2026-01-01')).toEqual([
			['handle', 'first_seen'],
			['alice', '2026-01-01'],
		]);
	});

	it('detects ; and tab delimiters from the header line, ignoring delimiters inside quotes', () => {
		expect(detectDelimiter('handle;first_seen;story_id\na;b;c')).toBe(';');
		expect(detectDelimiter('handle\tfirst_seen\na\tb')).toBe('\t');
		expect(detectDelimiter('"a;b;c",x\n')).toBe(',');
		expect(detectDelimiter('\n\nhandle;time\n')).toBe(';');
		expect(detectDelimiter('handle\n')).toBe(',');
		expect(rows('handle;note\nalice;"1,5; or so"\n')).toEqual([
			['handle', 'note'],
			['alice', '1,5; or so'],
		]);
	});

	it('reads quoted fields with embedded newlines, delimiters and doubled quotes, keeping line numbers', () => {
		const text = 'handle,note\r\nalice,"line one\r\nline ""two"""\r\nbob,plain\r\n';
		const records = parseCsv(text);
		expect(records.map((r) => r.fields)).toEqual([
			['handle', 'note'],
			['alice', 'line one\r\nline "two"'],
			['bob', 'plain'],
		]);
		expect(records.map((r) => r.line)).toEqual([1, 2, 4]);
	});

	it('handles CRLF, LF and lone CR line ends, empty lines and delimiter-only lines', () => {
		expect(rows('a,b\r\n\r\n1,2\n\n  \n,,\r3,4\r\n')).toEqual([
			['a', 'b'],
			['1', '2'],
			['3', '4'],
		]);
		expect(parseCsv('a,b\n\n1,2').map((r) => r.line)).toEqual([1, 3]);
	});

	it('keeps empty fields, a trailing delimiter, and text after a closing quote', () => {
		expect(rows('a,b,c\n1,,3\n1,2,\n"x"y,2,3')).toEqual([
			['a', 'b', 'c'],
			['1', '', '3'],
			['1', '2', ''],
			['xy', '2', '3'],
		]);
	});

	it('reports an unclosed quote instead of swallowing the rest silently', () => {
		const records = parseCsv('a,b\n1,"never closed\n2,3\n');
		expect(records).toHaveLength(2);
		expect(records[1].problem).toMatch(/never closed/);
		expect(records[1].fields).toEqual(['1', 'never closed\n2,3\n']);
	});

	it('returns nothing for empty input', () => {
		expect(rows('')).toEqual([]);
		expect(rows('\uFEFF')).toEqual([]);
		expect(rows('\r\n\n')).toEqual([]);
	});
});

describe('scanCsv', () => {
	it('reports each record with its line and the offset just after it', () => {
		const text = 'a,b\r\n"x\ny",2\n\n3,4';
		const seen: Array<[string[], number, number, string | undefined]> = [];
		const count = scanCsv(text, ',', (fields, line, end, problem) => seen.push([fields, line, end, problem]));
		expect(count).toBe(3);
		expect(seen).toEqual([
			[['a', 'b'], 1, 5, undefined],
			[['x\ny', '2'], 2, 13, undefined],
			[['3', '4'], 5, 17, undefined],
		]);
		expect(text.slice(0, 5)).toBe('a,b\r\n');
		expect(text.slice(5, 13)).toBe('"x\ny",2\n');
	});
});
