// Engagement Tagger, Re-evaluate over 1,000,000 contacts (built dist/; `npm run build` first).
// Prints ns/contact and peak heap next to a floor loop that only computes the days since lastEngagedAt
// (same ISO parser as the core), and the ratio (target <= 2x). Figures are printed, never asserted.
const path = require('path');
const { measure, ratio } = require('./measure');

const dist = path.resolve(__dirname, '../../dist/nodes/core/engagement/index.js');
const { compileTagger, compileFields, reEvaluateContact, thresholdsFor } = require(dist);
const { parseIsoUtcMs } = require(path.resolve(__dirname, '../../dist/nodes/core/time/isoUtc.js'));
const { rng } = require('../lib/prng');

const DAY_MS = 86_400_000;
const AS_OF = Date.parse('2026-11-22T09:00:00.000Z');
const N = 1_000_000;

/** Contacts as a daily run sees them: mostly already tagged for their tier, some due to move, some with other tags. */
function contacts(n) {
	// mulberry32 (a plain LCG's consecutive draws are correlated: too regular, cache-friendly data).
	const next = rng(7);
	const tagsFor = (days) =>
		days < 7
			? ['Engaged', 'Recent Activity']
			: days < 21
				? ['Engaged']
				: days < 30
					? ['Disengaged']
					: ['Inactive'];
	const list = new Array(n);
	for (let i = 0; i < n; i++) {
		const days = next() * 120;
		const last = AS_OF - Math.floor(days * DAY_MS);
		// 90 %: tags of the day before (moves only at a boundary); 10 %: stale tags; 15 % carry an other tag.
		let tags = next() < 0.9 ? tagsFor(Math.max(0, days - 1)) : tagsFor((days + 40) % 120);
		if (next() < 0.15) tags = [...tags, 'VIP'];
		list[i] = {
			contactKey: `c${i}`,
			email: `c${i}@example.com`,
			lastEngagedAt: next() < 0.03 ? undefined : new Date(last).toISOString(),
			tags,
		};
	}
	return list;
}

function floorLoop(list, sample) {
	let sum = 0;
	for (let i = 0; i < list.length; i++) {
		const raw = list[i].lastEngagedAt;
		if (raw !== undefined) sum += Math.floor((AS_OF - parseIsoUtcMs(raw)) / DAY_MS);
		if ((i & 0xffff) === 0) sample();
	}
	return sum;
}

function dateParseFloor(list, sample) {
	let sum = 0;
	for (let i = 0; i < list.length; i++) {
		const raw = list[i].lastEngagedAt;
		if (raw !== undefined) sum += Math.floor((AS_OF - Date.parse(raw)) / DAY_MS);
		if ((i & 0xffff) === 0) sample();
	}
	return sum;
}

function reEvaluateLoop(list, sample, fields, tagger) {
	let changed = 0;
	for (let i = 0; i < list.length; i++) {
		const result = reEvaluateContact(list[i], i, fields, tagger, AS_OF);
		if (result.ok && result.evaluation.changed) changed++;
		if ((i & 0xffff) === 0) sample();
	}
	return changed;
}

function run() {
	const list = contacts(N);
	const tagger = compileTagger({ thresholds: thresholdsFor('elapsed') });
	const fields = compileFields();
	const noop = () => undefined;
	// Warm up both loops so the JIT has compiled them before timing.
	const warm = list.slice(0, 100_000);
	for (let k = 0; k < 3; k++) {
		floorLoop(warm, noop);
		reEvaluateLoop(warm, noop, fields, tagger);
	}
	console.log(
		'Engagement Tagger — Re-evaluate (core), 1,000,000 contacts; 3 interleaved rounds, best round compared',
	);
	let floor;
	let subject;
	let reference;
	for (let round = 1; round <= 3; round++) {
		const f = measure(`floor: days since lastEngagedAt (round ${round})`, N, (s) =>
			floorLoop(list, s),
		);
		const r = measure(`reference: days via Date.parse (round ${round})`, N, (s) =>
			dateParseFloor(list, s),
		);
		const x = measure(`re-evaluate: tier + tags + diff (round ${round})`, N, (s) =>
			reEvaluateLoop(list, s, fields, tagger),
		);
		if (!floor || f.nsPerUnit < floor.nsPerUnit) floor = f;
		if (!reference || r.nsPerUnit < reference.nsPerUnit) reference = r;
		if (!subject || x.nsPerUnit < subject.nsPerUnit) subject = x;
	}
	console.log(
		`  changed contacts: ${subject.result.toLocaleString('en-US')} of ${N.toLocaleString('en-US')}`,
	);
	console.log(
		`  best: floor ${floor.nsPerUnit.toFixed(1)} ns, Date.parse floor ${reference.nsPerUnit.toFixed(1)} ns, re-evaluate ${subject.nsPerUnit.toFixed(1)} ns/contact`,
	);
	ratio('re-evaluate vs floor (fast ISO parse)', subject, floor, 2);
	ratio('re-evaluate vs Date.parse floor', subject, reference, 2);
}

if (require.main === module) run();
module.exports = { run };
