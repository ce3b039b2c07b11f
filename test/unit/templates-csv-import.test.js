// Issue 24, item 4: Part 1's CSV import. The rows leave Story Viewer Ingest as events-table rows (no Set node
// evaluating an expression per row), go in by chunks of bulk inserts, and each chunk shows a progress figure in the
// execution. The progress and answer expressions are evaluated here as plain JavaScript over a simulated import
// (n8n's own evaluation runs in test/e2e/csv-import.test.js).
const fs = require('fs');
const path = require('path');

const WORKFLOWS = path.resolve(__dirname, '../../workflows');
const FILES = ['story-viewers-to-consented-leads.json', 'story-viewers-to-consented-leads-hubspot.json'];

/** Nodes reached from a node's output (index) by following connections, in breadth-first order. */
function downstream(wf, from, output) {
	const seen = [];
	const queue = (wf.connections[from].main[output] || []).map((c) => c.node);
	while (queue.length) {
		const name = queue.shift();
		if (seen.includes(name)) continue;
		seen.push(name);
		for (const targets of (wf.connections[name] || { main: [] }).main) for (const c of targets || []) queue.push(c.node);
	}
	return seen;
}

/** Expressions anywhere in a node's parameters. */
function expressionsOf(value) {
	if (typeof value === 'string') return value.startsWith('=') ? [value] : [];
	if (value && typeof value === 'object') return Object.values(value).flatMap(expressionsOf);
	return [];
}

/** A `={{ … }}` expression as a function of n8n's `$`, `$runIndex` and `$input`. */
function compile(expression) {
	const body = /^=\{\{([\s\S]*)\}\}$/.exec(expression)[1];
	return new Function('$', '$runIndex', '$input', `return (${body});`);
}

describe.each(FILES)('%s: CSV import path', (file) => {
	const wf = JSON.parse(fs.readFileSync(path.join(WORKFLOWS, file), 'utf8'));
	const byName = Object.fromEntries(wf.nodes.map((n) => [n.name, n]));
	const chunk = byName['Import in chunks'];

	test('rows come out of Story Viewer Ingest as table rows; no node evaluates an expression per row but the dedupe', () => {
		expect(byName['Ingest viewer CSV'].parameters.options).toEqual(
			expect.objectContaining({ outputFormat: 'tableRow', extraFields: 'follower_count' }),
		);
		const path = downstream(wf, 'Ingest viewer CSV', 0);
		expect(path.sort()).toEqual(['Import in chunks', 'Import progress', 'New events only', 'Store imported events', 'Viewer list stored']);
		expect(byName['Table columns']).toBeUndefined();
		// Per-row nodes: the dedupe (its key), the loop and the insert (fields mapped by name, no expression).
		expect(expressionsOf(byName['New events only'].parameters)).toEqual(['={{ $json.eventId }}']);
		expect(expressionsOf(chunk.parameters)).toEqual([]);
		expect(expressionsOf(byName['Store imported events'].parameters)).toEqual([]);
		expect(byName['Store imported events'].parameters.columns.mappingMode).toBe('autoMapInputData');
		expect(byName['Store imported events'].parameters.options).toEqual({ optimizeBulk: true });
	});

	test('the chunks loop back through Import progress; the form answers from "done", once', () => {
		expect(chunk).toEqual(expect.objectContaining({ type: 'n8n-nodes-base.splitInBatches', typeVersion: 3 }));
		expect(chunk.parameters.batchSize).toBe(10000);
		expect(wf.connections['Import in chunks'].main[0]).toEqual([{ node: 'Viewer list stored', type: 'main', index: 0 }]);
		expect(wf.connections['Import in chunks'].main[1]).toEqual([{ node: 'Store imported events', type: 'main', index: 0 }]);
		expect(wf.connections['Store imported events'].main[0]).toEqual([{ node: 'Import progress', type: 'main', index: 0 }]);
		expect(wf.connections['Import progress'].main[0]).toEqual([{ node: 'Import in chunks', type: 'main', index: 0 }]);
		expect(byName['Viewer list stored'].executeOnce).toBe(true);
	});

	test.each([
		[25_000, [[10_000, 25_000, 40], [20_000, 25_000, 80], [25_000, 25_000, 100]]],
		[10_000, [[10_000, 10_000, 100]]],
		[3, [[3, 3, 100]]],
		[20_001, [[10_000, 20_001, 49], [20_000, 20_001, 99], [20_001, 20_001, 100]]],
	])('Import progress over %d new events: stored so far, of how many, percent; the answer counts them all', (rows, expected) => {
		const size = chunk.parameters.batchSize;
		const chunks = [];
		for (let left = rows; left > 0; left -= size) chunks.push(Math.min(size, left));
		const assignments = byName['Import progress'].parameters.assignments.assignments;
		expect(assignments.map((a) => [a.name, a.type])).toEqual([['stored', 'number'], ['of', 'number'], ['percent', 'number']]);
		const runs = chunks.map((_, runIndex) => {
			// As n8n has it after chunk runIndex: each Store run's one item (the bulk insert's count) and the loop's
			// context (the events still waiting).
			const $ = (name) => {
				if (name === 'Store imported events') return { first: (branch, run) => ({ json: { insertedRows: chunks[run] } }) };
				if (name === 'Import in chunks') {
					return { context: { items: { length: rows - chunks.slice(0, runIndex + 1).reduce((a, b) => a + b, 0) } } };
				}
				throw new Error(`unexpected $('${name}')`);
			};
			return Object.fromEntries(assignments.map((a) => [a.name, compile(a.value)($, runIndex)]));
		});
		expect(runs.map((r) => [r.stored, r.of, r.percent])).toEqual(expected);
		// "done" carries the progress items of every run; the form's answer is the last one's count.
		const answer = compile(byName['Viewer list stored'].parameters.responseBody)(undefined, 0, { last: () => ({ json: runs[runs.length - 1] }) });
		expect(answer).toBe(`Viewer list stored: ${rows} new events.`);
	});
});
