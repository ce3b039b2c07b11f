// Story Viewer Ingest core: ns/row and peak heap for 100k and 1M rows (CSV text and items), next to the
// practical floor — a hand-written loop that only parses (CSV) or reads (items) the same rows and copies them
// into new objects. Requires the built dist/ (`npm run build`). Figures only; nothing is asserted.
const path = require('path');
const { measure, ratio } = require('./measure');

const dist = path.resolve(__dirname, '../../dist/nodes/core');
const { IngestBatch } = require(path.join(dist, 'capture/ingest'));
const { ingestCsvText, ItemMapper } = require(path.join(dist, 'capture/sources'));
const { deterministicEventId } = require(path.join(dist, 'events/eventId'));

const NOW = Date.parse('2026-11-22T10:00:00.000Z');
const TARGET = 3;
const HEADER = ['handle', 'first_seen', 'story_id', 'context'];

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

/** The floor for CSV: scan for delimiters and line ends, slice the fields, copy them into an object. */
function floorCsv(text, sample) {
	const out = [];
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
		out.push({ handle: fields[0], first_seen: fields[1], story_id: fields[2], context: fields[3] });
		if (out.length % 10000 === 0) sample();
	}
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

function coreCsv(text, sample) {
	const batch = new IngestBatch({ source: 'csv', sourceTool: 'bench', ingestedAt: NOW });
	ingestCsvText(batch, text, 0, { onProgress: sample });
	return batch.result().counts.valid;
}

function coreItems(items, sample) {
	const batch = new IngestBatch({ source: 'items', sourceTool: 'bench', ingestedAt: NOW });
	const mapper = new ItemMapper();
	for (let i = 0; i < items.length; i++) {
		mapper.add(batch, items[i], i);
		if (i % 10000 === 0) sample();
	}
	return batch.result().counts.valid;
}

/** The mandated SHA-256 event id alone, for context: how much of the core's time it takes. */
function eventIdsOnly(n) {
	let last = '';
	for (let i = 0; i < n; i++) {
		last = deterministicEventId(['csv', 'bench', 'handle', `user${i}`, String(i % 7), '2026-11-21T09:00:00.000Z', 'view']);
	}
	return last;
}

/**
 * measure() reports wall time, which a loaded shared box inflates unevenly; CPU time of this process is
 * steadier, so each pair is also compared on CPU ns/unit.
 */
function timed(label, units, fn) {
	let cpuNs = 0;
	const row = measure(label, units, (sample) => {
		const before = process.cpuUsage();
		const result = fn(sample);
		const used = process.cpuUsage(before);
		cpuNs = (used.user + used.system) * 1000;
		return result;
	});
	return { ...row, cpuNsPerUnit: cpuNs / units };
}

function cpuRatio(label, subject, floor) {
	const r = subject.cpuNsPerUnit / floor.cpuNsPerUnit;
	console.log(
		`${label.padEnd(48)} ${r.toFixed(2)}x the floor on CPU time (${subject.cpuNsPerUnit.toFixed(0)} vs ${floor.cpuNsPerUnit.toFixed(0)} cpu ns/unit, target <= ${TARGET}x)`,
	);
}

function run() {
	console.log(`Story Viewer Ingest core vs parse-and-copy floor (node ${process.version})`);
	// Warm up both paths so the JIT has compiled them before the first measured run.
	coreCsv(makeCsv(20000), () => {});
	floorCsv(makeCsv(20000), () => {});
	coreItems(makeItems(20000), () => {});
	floorItems(makeItems(20000), () => {});
	for (const n of [100000, 1000000]) {
		let text = makeCsv(n);
		const floor = timed(`csv floor (parse + copy) ${n}`, n, (sample) => floorCsv(text, sample));
		const core = timed(`csv core (ingestCsvText) ${n}`, n, (sample) => coreCsv(text, sample));
		if (core.result !== n || floor.result !== n) throw new Error('row counts differ');
		ratio(`csv core / floor ${n}`, core, floor, TARGET);
		cpuRatio(`csv core / floor ${n}`, core, floor);
		text = null;
		let items = makeItems(n);
		const itemFloor = timed(`items floor (read + copy) ${n}`, n, (sample) => floorItems(items, sample));
		const itemCore = timed(`items core (ItemMapper) ${n}`, n, (sample) => coreItems(items, sample));
		if (itemCore.result !== n || itemFloor.result !== n) throw new Error('item counts differ');
		ratio(`items core / floor ${n}`, itemCore, itemFloor, TARGET);
		cpuRatio(`items core / floor ${n}`, itemCore, itemFloor);
		items = null;
	}
	const ids = timed('of which: deterministicEventId alone', 1000000, () => eventIdsOnly(1000000));
	console.log(`${'deterministicEventId alone'.padEnd(48)} ${ids.cpuNsPerUnit.toFixed(0)} cpu ns/unit`);
}

run();
