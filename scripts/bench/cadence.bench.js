// Cadence Scheduler core over 1,000,000 contacts in one run, next to a floor loop that only compares each
// contact's stored nextDueAt with now, parsed with the core's own ISO reader (parseIsoUtc, the one the state
// reader uses: Date.parse would be a slower floor and flatter the ratio). Requires the built dist/ (`npm run build`).
// Prints figures; asserts nothing.
const path = require('path');
const { measure, ratio } = require('./measure');

const { CadenceRun, parseSequence, presetSequence } = require(
	path.resolve(__dirname, '../../dist/nodes/core/cadence'),
);
const { parseIsoUtc, formatIsoUtc } = require(path.resolve(__dirname, '../../dist/nodes/core/time/isoUtc'));
const { zoneOffsetMs } = require(path.resolve(__dirname, '../../dist/nodes/core/time/instant'));

const N = 1_000_000;
const NOW = Date.parse('2026-11-18T15:00:00.000Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const ZONES = [
	'Europe/Paris',
	'America/New_York',
	'Asia/Tokyo',
	'UTC',
	'America/Sao_Paulo',
	'Europe/London',
	'Australia/Sydney',
	'Asia/Kolkata',
];
/** Rough cumulative send offsets of each preset, to give every contact a state consistent with its age. */
const OFFSETS = {
	storyReplyWindow: [0, 2 * HOUR, 22 * HOUR],
	softDmFollowUp: [0, 60 * HOUR],
	nurture: [0, 36 * HOUR, 36 * HOUR + 5 * DAY],
};

function unit(i, salt) {
	let h = Math.imul(i ^ salt, 0x9e3779b1) >>> 0;
	h ^= h >>> 15;
	h = Math.imul(h, 0x85ebca6b) >>> 0;
	return (h >>> 8) / 16777216;
}

/**
 * A dispatcher's view of its contacts: enrolled over the last 7 days, each at the step its age implies; 3 %
 * replied, 1 % opted out, 5 % already done; 20 % have no name (fallback used); then the state a run 10 minutes
 * earlier stored. `allDue` makes every contact due (worst case: every decision renders and sends).
 */
function makeContacts(sequenceId, allDue) {
	const offsets = OFFSETS[sequenceId];
	const contacts = new Array(N);
	for (let i = 0; i < N; i++) {
		const enrolled = Math.floor(NOW - (allDue ? 3 * HOUR : unit(i, 1) * 7 * DAY));
		const elapsed = NOW - enrolled;
		let step = allDue ? 1 : offsets.filter((o) => o <= elapsed).length;
		if (!allDue && elapsed < 5 * MIN) step = 0;
		const r = unit(i, 2);
		const state = {
			viewerKey: `ig_${1784140000000000 + i}`,
			sequence: sequenceId,
			status: !allDue && r < 0.05 ? 'done' : 'active',
			currentStep: step,
			sentCount: step,
			enrolledAt: new Date(enrolled).toISOString(),
			lastSentAt: step > 0 ? new Date(enrolled + offsets[step - 1]).toISOString() : '',
			nextDueAt: '',
			lastInboundAt: new Date(enrolled - 30_000).toISOString(),
			repliedAt:
				!allDue && r >= 0.05 && r < 0.08 ? new Date(enrolled + 40 * MIN).toISOString() : '',
			optedOutAt:
				!allDue && r >= 0.08 && r < 0.09 ? new Date(enrolled + 50 * MIN).toISOString() : '',
			convertedAt: '',
			stoppedAt: '',
			doneReason: !allDue && r < 0.05 ? 'exhausted' : '',
			timeZone: ZONES[i % ZONES.length],
			language: i % 4 === 0 ? 'fr-FR' : 'en',
		};
		contacts[i] = {
			contactId: state.viewerKey,
			state,
			variables: { name: i % 5 === 0 ? '' : 'Ana', storyTopic: 'the yoga retreat' },
		};
	}
	return contacts;
}

/** Stores what a run 10 minutes earlier decided, as a dispatcher would (its nextDueAt is what the floor reads). */
function previousRun(sequence, contacts) {
	const run = new CadenceRun(sequence, { defaultTimeZone: 'Europe/Paris' }, NOW - 10 * MIN);
	for (const contact of contacts) {
		const decision = run.decide(contact);
		if (decision.kind !== 'error')
			contact.state = { viewerKey: contact.contactId, ...decision.state };
	}
}

function floorLoop(contacts) {
	return measure('floor: parseIsoUtc(nextDueAt) <= now', N, (sample) => {
		let due = 0;
		for (let i = 0; i < N; i++) {
			const next = contacts[i].state.nextDueAt;
			if (typeof next === 'string' && (parseIsoUtc(next) ?? Infinity) <= NOW) due++;
			if ((i & 0xffff) === 0) sample();
		}
		return due;
	});
}

/**
 * The send-path floor: the least a send decision must produce for a due contact — read its stored times with the
 * core's parser, check the window, render the message, build the idempotency key, stamp the new state with ISO
 * times. No zones, quiet hours, jitter, variants or caps (the core's plan does those), so the core cannot reach it.
 */
function sendFloorLoop(contacts) {
	return measure('send floor: parse, window, quiet hours, render, key, state', N, (sample) => {
		let sends = 0;
		const nowIso = formatIsoUtc(NOW);
		const offsets = new Map();
		for (let i = 0; i < N; i++) {
			const c = contacts[i];
			const s = c.state;
			const enrolled = parseIsoUtc(s.enrolledAt);
			const inbound = parseIsoUtc(s.lastInboundAt);
			if (enrolled === undefined || inbound === undefined || NOW - inbound > DAY) continue;
			// Quiet hours are a rule of the task (21:00–09:00 in the contact's zone): one offset per zone and run.
			let offset = offsets.get(s.timeZone);
			if (offset === undefined) offsets.set(s.timeZone, (offset = zoneOffsetMs(NOW, s.timeZone)));
			const localHour = Math.floor((NOW + offset) / HOUR) % 24;
			if (localHour >= 21 || localHour < 9) continue;
			const step = s.currentStep + 1;
			const message = 'Hi {{name}}, thanks for watching {{storyTopic}}!'
				.replace('{{name}}', c.variables.name || 'there')
				.replace('{{storyTopic}}', c.variables.storyTopic);
			const out = {
				contactId: c.contactId,
				idempotencyKey: `${c.contactId}:${s.sequence}:${step}`,
				message,
				state: { ...s, currentStep: step, sentCount: s.sentCount + 1, lastSentAt: nowIso, nextDueAt: formatIsoUtc(NOW + 2 * HOUR) },
			};
			if (out.message.length > 0) sends++;
			if ((i & 0xffff) === 0) sample();
		}
		return sends;
	});
}

function cadenceLoop(label, sequence, contacts) {
	return measure(label, N, (sample) => {
		const run = new CadenceRun(sequence, { defaultTimeZone: 'Europe/Paris' }, NOW);
		const counts = { send: 0, wait: 0, done: 0, error: 0 };
		for (let i = 0; i < N; i++) {
			counts[run.decide(contacts[i]).kind]++;
			if ((i & 0xffff) === 0) sample();
		}
		return counts;
	});
}

const ROUNDS = Number(process.env.CADENCE_BENCH_ROUNDS || 3);

/** A measure() row whose nsPerUnit is this process's CPU time per unit (wall time also counts waiting for a core). */
function withCpu(fn) {
	const before = process.cpuUsage();
	const row = fn();
	const used = process.cpuUsage(before);
	return { ...row, nsPerUnit: ((used.user + used.system) * 1000) / N };
}

console.log(
	`cadence.bench: ${N.toLocaleString('en-US')} contacts in one run, ${ZONES.length} zones, Node ${process.version}`,
);
const cases = [
	['storyReplyWindow', false],
	['softDmFollowUp', false],
	['nurture', false],
	['storyReplyWindow', true],
];
for (const [id, allDue] of cases) {
	const sequence = parseSequence(presetSequence(id));
	const contacts = makeContacts(sequence.id, allDue);
	if (!allDue) previousRun(sequence, contacts);
	const label = `cadence ${id}${allDue ? ' (all due: send path)' : ''}`;
	const floorOf = allDue ? sendFloorLoop : floorLoop;
	// Floor and core alternate for ROUNDS rounds and each keeps its least disturbed (lowest CPU) round, so load
	// from other processes on a shared box cannot land on one side only.
	let floor;
	let subject;
	for (let round = 0; round < ROUNDS; round++) {
		const f = withCpu(() => floorOf(contacts));
		const c = withCpu(() => cadenceLoop(label, sequence, contacts));
		if (!floor || f.nsPerUnit < floor.nsPerUnit) floor = f;
		if (!subject || c.nsPerUnit < subject.nsPerUnit) subject = c;
	}
	console.log(`  decisions ${JSON.stringify(subject.result)}`);
	ratio(`${label} vs floor (CPU, best of ${ROUNDS})`, subject, floor, 3);
}
