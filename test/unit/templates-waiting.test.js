// Part 1's immediate replies under a busy send lease (issue 24; workflows/src/lease.js waitingSteps). A delivery
// marks its sender as waiting (replyPending) and tries the lease once. If it gets the lease it answers its own
// senders; if the lease is busy it ends at once — nobody polls. After every release (a reply holder's, the
// dispatcher's, a confirmation's) "Anyone waiting?" reads who still waits and, when anyone does, the run goes round
// again as a reply holder with them. The holder that made a delivery's take fail releases after that sender was
// marked, so its read finds the sender. The claim: nobody who waits is stranded (left for the dispatcher's next
// run) and nobody is answered twice, whatever the interleaving.
//
// The test reads the protocol's parts from the generated template (which releases read who still waits, where that
// read leads, what a busy reply take does, what the first round answers, the round limit), then runs a model of
// those steps under many seeded random interleavings of deliveries, a dispatcher run and a STOP confirmation. It
// also checks that the model finds a stranded sender when a part is missing, so a template without it fails here.
const fs = require('fs');
const path = require('path');
const { rng } = require('../../scripts/lib/prng');

const WORKFLOWS = path.resolve(__dirname, '../../workflows');
const FILES = ['story-viewers-to-consented-leads.json', 'story-viewers-to-consented-leads-hubspot.json'];
const READ = 'Anyone waiting?';
const AGAIN = 'Answer them now?';

/** The protocol's parts, as the template wires them. */
function protocolOf(wf) {
	const byName = Object.fromEntries(wf.nodes.map((n) => [n.name, n]));
	const targets = (name, output = 0) => ((wf.connections[name] || { main: [] }).main[output] || []).map((c) => c.node);
	const read = byName[READ].parameters;
	const readsWaiting = read.operation === 'get' && read.filters.conditions.some((c) => c.keyName === 'replyPending' && c.condition === 'isNotEmpty');
	return {
		readsAfter: {
			reply: targets('Release send lease (reply)').includes(READ) && readsWaiting,
			dispatcher: targets('Release send lease').includes(READ) && readsWaiting,
			// Through "No reply of its own?": the delivery's own reply path goes round after its own round instead.
			confirmation:
				targets('Release send lease (confirmation)').includes('No reply of its own?') &&
				targets('No reply of its own?').includes(READ) &&
				readsWaiting,
		},
		goesRound:
			targets(READ).includes(AGAIN) &&
			targets(AGAIN).includes('Take send lease (reply)') &&
			targets(AGAIN).includes('Under the lease (reply)'),
		// A busy reply take ends the run: no Wait node loops back to the take.
		busyEnds: targets('Lease taken? (reply)', 1).every((n) => byName[n].type === 'n8n-nodes-base.noOp'),
		// Round one takes up the delivery's own senders (the items under the lease), later rounds those read.
		takesUpItsItems: targets('Under the lease (reply)').includes('Take up the reply'),
		// One batch per round.
		batched: read.returnAll === false && /Math\.min\(/.test(String(read.limit)),
		rounds: Number(/\$runIndex < (\d+)/.exec(byName[AGAIN].parameters.conditions.conditions[0].leftValue)[1]),
	};
}

/**
 * One random interleaving. Each process is a generator of atomic steps (one Data table call each) over the shared
 * state; the scheduler picks a ready process at random for every step. Returns the outcome at quiescence.
 */
function runSchedule(protocol, random, { deliveries, dispatcher, confirmation, batch }) {
	const state = { holder: null, pending: new Map(), answers: new Map() };
	const take = (who) => {
		if (state.holder !== null) return false;
		state.holder = who;
		return true;
	};
	// Under the lease as a reply holder: take up the given senders (a conditional update each) and answer them.
	function* answer(senders) {
		for (const [sender, message] of senders) {
			yield 'take up';
			if (state.pending.get(sender) === message) {
				state.pending.delete(sender);
				state.answers.set(sender, (state.answers.get(sender) || 0) + 1);
			}
		}
	}
	// Release, then read who still waits and go round with them (as the template does after the `kind` release).
	function* releaseAndGoRound(who, kind) {
		for (let round = 0; ; round++) {
			yield 'release';
			state.holder = null;
			if (!protocol.readsAfter[kind] || !protocol.goesRound || round >= protocol.rounds) return;
			yield 'anyone waiting?';
			const waiting = [...state.pending.entries()].slice(0, protocol.batched ? batch : undefined);
			if (waiting.length === 0) return;
			yield 'take (round again)';
			if (!take(who)) return;
			yield* answer(waiting);
			kind = 'reply';
		}
	}
	function* delivery(sender) {
		yield 'remember last message time';
		const message = `${sender}:message`;
		state.pending.set(sender, message);
		yield 'take';
		if (!take(sender)) {
			if (protocol.busyEnds) return;
			throw new Error('this model knows no other way for a busy take');
		}
		if (protocol.takesUpItsItems) yield* answer([[sender, message]]);
		yield* releaseAndGoRound(sender, 'reply');
	}
	function* dispatcherRun() {
		yield 'take';
		if (!take('dispatcher')) return;
		yield 'read contact state, send';
		yield* releaseAndGoRound('dispatcher', 'dispatcher');
	}
	function* confirmationRun() {
		// Retries until it gets the lease (every second for 150 s in the template).
		for (;;) {
			yield 'take';
			if (take('confirmation')) break;
		}
		yield 'send the confirmation';
		yield* releaseAndGoRound('confirmation', 'confirmation');
	}
	const processes = deliveries.map((sender) => delivery(sender));
	if (dispatcher) processes.push(dispatcherRun());
	if (confirmation) processes.push(confirmationRun());
	let live = processes;
	for (let steps = 0; live.length && steps < 100_000; steps++) {
		const i = Math.floor(random() * live.length);
		if (live[i].next().done) live = live.filter((_, j) => j !== i);
	}
	return {
		stranded: [...state.pending.keys()],
		twice: [...state.answers].filter(([, n]) => n > 1).map(([sender]) => sender),
	};
}

/** Seeded interleavings of 2–7 deliveries, with or without a dispatcher run and a confirmation, batches of 1–4. */
function explore(protocol, schedules = 10_000) {
	for (let seed = 1; seed <= schedules; seed++) {
		const random = rng(seed);
		const count = 2 + Math.floor(random() * 6);
		const scenario = {
			deliveries: Array.from({ length: count }, (_, i) => `sender${i + 1}`),
			dispatcher: random() < 0.5,
			confirmation: random() < 0.3,
			batch: 1 + Math.floor(random() * 4),
		};
		const outcome = runSchedule(protocol, random, scenario);
		if (outcome.stranded.length || outcome.twice.length) return { seed, scenario, ...outcome };
	}
	return null;
}

describe.each(FILES)('%s: immediate replies under a busy send lease', (file) => {
	const wf = JSON.parse(fs.readFileSync(path.join(WORKFLOWS, file), 'utf8'));
	const protocol = protocolOf(wf);

	test('the template wires every part: a busy take ends, every release reads who still waits and goes round with them', () => {
		expect(protocol).toEqual({
			readsAfter: { reply: true, dispatcher: true, confirmation: true },
			goesRound: true,
			busyEnds: true,
			takesUpItsItems: true,
			batched: true,
			rounds: 100,
		});
	});

	test('under 10,000 random interleavings nobody who waits is stranded and nobody is answered twice', () => {
		expect(explore(protocol)).toBeNull();
	});

	test('the model finds the stranded sender when a part is missing (so this test would fail on such a template)', () => {
		const without = (change) => explore({ ...protocol, ...change(protocol) });
		for (const kind of ['reply', 'dispatcher', 'confirmation']) {
			// That release does not read who still waits: a delivery refused meanwhile is left waiting.
			expect({ kind, found: without((p) => ({ readsAfter: { ...p.readsAfter, [kind]: false } })) !== null }).toEqual({ kind, found: true });
		}
		// The read does not lead to another round.
		expect(without(() => ({ goesRound: false }))).not.toBeNull();
	});
});

// The cap per run holds for the whole execution: "Answer them now?" goes round only while the DMs that every
// earlier run of "Send DM" sent stay under capPerRun (a confirmation's release could otherwise start a round per
// batch of one, and a cap of 1 sent to everyone waiting, found by the new-client e2e).
describe.each(FILES)('%s: rounds within the cap per run', (file) => {
	const wf = JSON.parse(fs.readFileSync(path.join(WORKFLOWS, file), 'utf8'));
	const [condition] = wf.nodes.find((n) => n.name === AGAIN).parameters.conditions.conditions;
	/** The IF evaluated at round `runIndex`, with "Send DM" having sent `sentPerRun[k]` DMs in its run k. */
	const goesRound = (runIndex, sentPerRun, capPerRun) => {
		const $ = (name) => {
			if (name === 'Client settings') return { first: () => ({ json: { capPerRun } }) };
			if (name !== 'Send DM') throw new Error(`unexpected node ${name}`);
			return {
				all: (branch, run) => {
					if (run >= sentPerRun.length) throw new Error('no such run');
					return Array.from({ length: sentPerRun[run] });
				},
			};
		};
		return new Function('$', '$runIndex', `return (${condition.leftValue.slice(3, -2)});`)($, runIndex);
	};

	test.each([
		[0, [], 1, true], // nothing sent yet
		[0, [1], 1, false], // the cap of 1 is used up
		[2, [1, 1, 1], 3, false],
		[2, [1, 1], 3, true],
		[5, [30, 30], 100, true],
		[5, [30, 30, 30, 10], 100, false],
		[100, [], 100000, false], // the round limit
	])('round %i after %j sent, cap %i: goes round = %s', (runIndex, sent, cap, expected) => {
		expect(goesRound(runIndex, sent, cap)).toBe(expected);
	});
});
