// Story Viewer Ingest core: ns/row and peak heap for 100k and 1M rows (CSV text and items), next to the
// practical floor — the least output an ingest must make (content-derived id, ISO time, event object), for CSV
// after a hand-written parse of the same rows; a plain parse-and-copy (CSV) or copy (items) is printed for context. Requires the built dist/ (`npm run build`); run with --expose-gc.
// Figures only; nothing is asserted.
//
// A shared, loaded box inflates single runs unevenly, so floor and core run interleaved for several rounds
// and the summary compares the best round of each, on wall time and on this process's CPU time.
const path = require('path');
const { measure, ratio } = require('./measure');

const dist = path.resolve(__dirname, '../../dist/nodes/core');
const { IngestBatch } = require(path.join(dist, 'capture/ingest'));
const { ingestCsvText, ItemMapper } = require(path.join(dist, 'capture/sources'));
const { deterministicEventId } = require(path.join(dist, 'events/eventId'));
const { formatIsoUtc: isoFromMs } = require(path.join(dist, 'time/isoUtc'));

const NOW = Date.parse('2026-11-22T10:00:00.000Z');
const TARGET = 3;
const HEADER = ['handle', 'first_seen', 'story_id', 'context'];
const ROUNDS = { 100000: 5, 1000000: 3 };

function makeCsv(n) {
	const lines = [HEADER.join(',')];
	for (let i = 0; i < n; i++) {
		const second = String(i % 60).padStart(2, '0');
		lines.push(`user${i},2026-11-21T09:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${second}Z,${i % 7},launch`);
	}
	return lines.join('\n');
}

function makeItems(n) {
	const items = new Array(n);
	for (let i = 0; i < n; i++) {
		items[i] = { handle: `user${i}`, first_seen: 1763715600 + i, story_id: String(i % 7), context: 'launch' };
	}
	return items;
}

/** The floors' hand-written CSV scan: the fields of each data row (after the header), handed to `row`. */
function scanCsv(text, row) {
	let count = 0;
	let i = text.indexOf('\n') + 1;
	const n = text.length;
	while (i < n) {
		const fields = [];
		let start = i;
		for (;;) {
			const c = text.charCodeAt(i);
			if (c === 44 || c === 10 || i >= n) {
				fields.push(text.slice(start, i));
				if (c !== 44) break;
				start = i + 1;
			}
			i++;
		}
		i++;
		row(fields);
		count++;
	}
	return count;
}

/** The floor for CSV: scan for delimiters and line ends, slice the fields, copy them into an object. */
function floorCsv(text, sample) {
	const out = [];
	scanCsv(text, (fields) => {
		out.push({ handle: fields[0], first_seen: fields[1], story_id: fields[2], context: fields[3] });
		if (out.length % 10000 === 0) sample();
	});
	return out.length;
}

/**
 * The CSV floor: the same hand-written parse, then the least output an ingest must make per row (as the items
 * floor below): the event with its content-derived id (the core's deterministicEventId) and ISO time.
 */
function outputFloorCsv(text, sample) {
	const out = [];
	scanCsv(text, (fields) => {
		const occurredAt = isoFromMs(Date.parse(fields[1]));
		out.push({
			eventId: deterministicEventId(['csv', 'bench', 'handle', fields[0], fields[2], occurredAt, 'view']),
			viewerKey: fields[0],
			viewerKeyType: 'handle',
			type: 'view',
			occurredAt,
			ingestedAt: '2026-11-22T10:00:00.000Z',
			source: 'csv',
			sourceTool: 'bench',
			storyId: fields[2],
			context: fields[3],
		});
		if (out.length % 10000 === 0) sample();
	});
	return out.length;
}

/** The floor for items: read the same fields and copy them into a new object. */
function floorItems(items, sample) {
	const out = [];
	for (let i = 0; i < items.length; i++) {
		const item = items[i];
		out.push({ handle: item.handle, first_seen: item.first_seen, story_id: item.story_id, context: item.context });
		if (i % 10000 === 0) sample();
	}
	return out.length;
}

const H = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/** `ev_` + 32 hex digits of four words, built flat in one call (as the core renders ids). */
function hexId(a, b, c, d) {
	return String.fromCharCode(
		101, 118, 95,
		H[a >>> 28], H[(a >>> 24) & 15], H[(a >>> 20) & 15], H[(a >>> 16) & 15], H[(a >>> 12) & 15], H[(a >>> 8) & 15], H[(a >>> 4) & 15], H[a & 15],
		H[b >>> 28], H[(b >>> 24) & 15], H[(b >>> 20) & 15], H[(b >>> 16) & 15], H[(b >>> 12) & 15], H[(b >>> 8) & 15], H[(b >>> 4) & 15], H[b & 15],
		H[c >>> 28], H[(c >>> 24) & 15], H[(c >>> 20) & 15], H[(c >>> 16) & 15], H[(c >>> 12) & 15], H[(c >>> 8) & 15], H[(c >>> 4) & 15], H[c & 15],
		H[d >>> 28], H[(d >>> 24) & 15], H[(d >>> 20) & 15], H[(d >>> 16) & 15], H[(d >>> 12) & 15], H[(d >>> 8) & 15], H[(d >>> 4) & 15], H[d & 15],
	);
}

/**
 * Not a floor, a bound for context: the output the issue requires and nothing else — per item a new ISO
 * string, a new 35-character id string (from numbers, no hashing) and the 10-field event, kept in an array.
 * No field mapping, parsing, hashing, validation or de-duplication.
 */
function outputOnlyItems(items, sample) {
	const out = [];
	for (let i = 0; i < items.length; i++) {
		const item = items[i];
		const ms = item.first_seen * 1000;
		const eventId = hexId(ms | 0, i, Math.imul(i, 0x9e3779b1), ms / 4294967296);
		out.push({
			eventId,
			viewerKey: item.handle,
			viewerKeyType: 'handle',
			type: 'view',
			occurredAt: isoFromMs(ms),
			ingestedAt: '2026-11-22T10:00:00.000Z',
			source: 'items',
			sourceTool: 'bench',
			storyId: item.story_id,
			context: item.context,
		});
		if (i % 10000 === 0) sample();
	}
	return out.length;
}

/**
 * The items floor: the least an Items ingest must produce per row — the event with a content-derived id (the
 * core's deterministicEventId over the same parts the core hashes) and its ISO time (the core's formatIsoUtc),
 * kept in an array. No field mapping, validation, de-duplication or accounting. The copy-only floor above
 * cannot be reached: the id hash and the ISO string alone cost several times a copy.
 */
function outputFloorItems(items, sample) {
	const out = [];
	for (let i = 0; i < items.length; i++) {
		const item = items[i];
		const occurredAt = isoFromMs(item.first_seen * 1000);
		out.push({
			eventId: deterministicEventId(['items', 'bench', 'handle', item.handle, item.story_id, occurredAt, 'view']),
			viewerKey: item.handle,
			viewerKeyType: 'handle',
			type: 'view',
			occurredAt,
			ingestedAt: '2026-11-22T10:00:00.000Z',
			source: 'items',
			sourceTool: 'bench',
			storyId: item.story_id,
			context: item.context,
		});
		if (i % 10000 === 0) sample();
	}
	return out.length;
}

function coreCsv(text, sample) {
	const batch = new IngestBatch({ source: 'csv', sourceTool: 'bench', ingestedAt: NOW });
	ingestCsvText(batch, text, 0, { onProgress: sample });
	return batch.result().counts.valid;
}

function coreItems(items, sample) {
	const batch = new IngestBatch({ source: 'items', sourceTool: 'bench', ingestedAt: NOW });
	const mapper = new ItemMapper();
	batch.reserve(items.length); // as the node does for the Items operation
	for (let i = 0; i < items.length; i++) {
		mapper.add(batch, items[i], i);
		if (i % 10000 === 0) sample();
	}
	return batch.result().counts.valid;
}

/** The event id alone (SHA-256 over the canonical parts, Node's crypto), for context. */
function eventIdsOnly(n) {
	let last = '';
	for (let i = 0; i < n; i++) {
		last = deterministicEventId(['csv', 'bench', 'handle', `user${i}`, String(i % 7), '2026-11-21T09:00:00.000Z', 'view']);
	}
	return last;
}

/** One measured run: measure()'s wall ns/unit and peak heap, plus CPU ns/unit and array-buffer growth. */
function timed(label, units, fn) {
	let cpuNs = 0;
	let buffers = 0;
	const row = measure(label, units, (sample) => {
		const buffersBefore = process.memoryUsage().arrayBuffers;
		const before = process.cpuUsage();
		const result = fn(sample);
		const used = process.cpuUsage(before);
		cpuNs = (used.user + used.system) * 1000;
		buffers = process.memoryUsage().arrayBuffers - buffersBefore;
		return result;
	});
	return { ...row, cpuNsPerUnit: cpuNs / units, bufferMiB: buffers / 1048576 };
}

function best(runs) {
	const byCpu = runs.reduce((a, b) => (b.cpuNsPerUnit < a.cpuNsPerUnit ? b : a));
	return {
		...byCpu,
		nsPerUnit: Math.min(...runs.map((r) => r.nsPerUnit)),
		peakHeapMiB: Math.max(...runs.map((r) => r.peakHeapMiB)),
		bufferMiB: Math.max(...runs.map((r) => r.bufferMiB)),
	};
}

/** Runs the subjects interleaved for `rounds` rounds; returns the best run of each. */
function compare(kind, n, data, subjects) {
	const runs = subjects.map(() => []);
	for (let round = 1; round <= ROUNDS[n]; round++) {
		subjects.forEach(([name, fn], i) => {
			const run = timed(`${kind} ${name} ${n} (round ${round})`, n, (sample) => fn(data, sample));
			if (run.result !== n) throw new Error(`${kind} ${name}: ${run.result} rows out of ${n}`);
			runs[i].push(run);
		});
	}
	return runs.map(best);
}

const summary = [];

function summarise(kind, n, floor, core, bound, copy, copyLabel = 'copy only') {
	const line = (label, row) =>
		`${label.padEnd(40)} best wall ${row.nsPerUnit.toFixed(0).padStart(6)} ns/row  best cpu ${row.cpuNsPerUnit
			.toFixed(0)
			.padStart(6)} ns/row  peak heap +${row.peakHeapMiB.toFixed(1)} MiB${row.bufferMiB >= 0.1 ? ` (+${row.bufferMiB.toFixed(1)} MiB array buffers)` : ''}`;
	summary.push(() => {
		console.log(line(`${kind} floor ${n}`, floor));
		console.log(line(`${kind} core ${n}`, core));
		if (bound) console.log(line(`${kind} output-only bound ${n}`, bound));
		if (copy) console.log(line(`${kind} ${copyLabel} ${n}`, copy));
		ratio(`${kind} core / floor ${n} (wall)`, core, floor, TARGET);
		const r = core.cpuNsPerUnit / floor.cpuNsPerUnit;
		console.log(
			`${`${kind} core / floor ${n} (cpu)`.padEnd(48)} ${r.toFixed(2)}x the floor (target <= ${TARGET}x) ${r <= TARGET ? 'OK' : 'OVER TARGET'}`,
		);
		if (bound) {
			const b = bound.cpuNsPerUnit / floor.cpuNsPerUnit;
			console.log(`${`${kind} output-only bound / floor ${n} (cpu)`.padEnd(48)} ${b.toFixed(2)}x the floor`);
		}
		if (copy) {
			const c = core.cpuNsPerUnit / copy.cpuNsPerUnit;
			const f = floor.cpuNsPerUnit / copy.cpuNsPerUnit;
			console.log(`${`${kind} core / ${copyLabel} ${n} (cpu)`.padEnd(48)} ${c.toFixed(2)}x (the floor alone is ${f.toFixed(2)}x that)`);
		}
	});
}

function run() {
	console.log(`Story Viewer Ingest core vs least-output floor (node ${process.version})`);
	if (!global.gc) console.log('(run with --expose-gc for comparable heap figures)');
	// Warm up every path so the JIT has compiled them before the first measured run.
	const warmCsv = makeCsv(20000);
	const warmItems = makeItems(20000);
	for (let i = 0; i < 3; i++) {
		coreCsv(warmCsv, () => {});
		floorCsv(warmCsv, () => {});
		outputFloorCsv(warmCsv, () => {});
		coreItems(warmItems, () => {});
		floorItems(warmItems, () => {});
		outputOnlyItems(warmItems, () => {});
		outputFloorItems(warmItems, () => {});
	}
	for (const n of [100000, 1000000]) {
		const [csvCopy, csvCore, csvFloor] = compare('csv', n, makeCsv(n), [
			['parse + copy', floorCsv],
			['core (ingestCsvText)', coreCsv],
			['floor (parse + id hash + ISO + event)', outputFloorCsv],
		]);
		summarise('csv', n, csvFloor, csvCore, undefined, csvCopy, 'parse + copy');
		const [itemCopy, itemCore, itemBound, itemFloor] = compare('items', n, makeItems(n), [
			['copy (read + copy)', floorItems],
			['core (ItemMapper)', coreItems],
			['output-only bound', outputOnlyItems],
			['floor (id hash + ISO + event)', outputFloorItems],
		]);
		summarise('items', n, itemFloor, itemCore, itemBound, itemCopy);
	}
	const ids = timed('deterministicEventId alone', 1000000, () => eventIdsOnly(1000000));
	console.log('\nSummary (best of interleaved rounds):');
	for (const print of summary) print();
	console.log(`${'deterministicEventId alone'.padEnd(48)} ${ids.cpuNsPerUnit.toFixed(0)} cpu ns/id`);
}

run();
