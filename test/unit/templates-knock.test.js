// Part 1's knock protocol (issue 24; workflows/src/lease.js knockSteps): a delivery that finds the send lease busy
// does not poll. It knocks (knockedAt on the lease row), tries the lease once more and ends; whoever holds the lease
// finds the knock when it releases and goes round again as a reply holder, whose take clears the knocks before it
// reads everyone waiting. The claim: nobody who waits is stranded (left for the dispatcher's next run) and nobody is
// answered twice, whatever the interleaving of deliveries, the dispatcher and a STOP confirmation.
//
// A round reads at most one batch of waiting senders; a round that read a full batch goes round again too.
// The test reads the protocol's parts from the generated template (which takes clear knocks, which releases look
// for them, whether a busy take knocks and retries, when a round goes round again, the round limit), then runs a model of those steps under many
// random interleavings (seeded). It also checks that the model finds a stranded sender when a part is missing, so a
// template that drops one fails here.
const fs = require('fs');
const path = require('path');
const { rng } = require('../../scripts/lib/prng');

const WORKFLOWS = path.resolve(__dirname, '../../workflows');
const FILES = ['story-viewers-to-consented-leads.json', 'story-viewers-to-consented-leads-hubspot.json'];

/** The protocol's parts, as the template wires them. */
function protocolOf(wf) {
	const byName = Object.fromEntries(wf.nodes.map((n) => [n.name, n]));
	const targets = (name, output = 0) => ((wf.connections[name] || { main: [] }).main[output] || []).map((c) => c.node);
	const clears = (take) => byName[take].parameters.columns.value.knockedAt === '';
	const check = 'Knocked while holding?';
	const condition = byName[check].parameters.conditions.conditions.map((c) => c.leftValue).join(' && ');
	const bound = /\$runIndex < (\d+)/.exec(condition)[1];
	return {
		clears: {
			reply: clears('Take send lease (reply)'),
			dispatcher: clears('Take send lease'),
			confirmation: clears('Take send lease (confirmation)'),
		},
		// Every busy take of the reply path (a delivery's, or a holder's going round) knocks, then tries once more.
		knocksThenRetries:
			targets('Lease taken? (reply)', 1).includes('Knock on the lease (reply)') &&
			targets('Knock on the lease (reply)').includes('Take send lease again (reply)') &&
			targets('Take send lease again (reply)').includes('Lease taken again? (reply)') &&
			targets('Lease taken again? (reply)').includes('Under the lease (reply)') &&
			targets('Lease taken again? (reply)').includes('Release send lease (reply)') &&
			byName['Take send lease again (reply)'].parameters.columns.value.knockedAt === '',
		looksAfter: {
			reply: targets('Release send lease (reply)').includes(check),
			dispatcher: targets('Release send lease').includes(check),
			confirmation: targets('Release send lease (confirmation)').includes(check),
		},
		goesRound: targets(check).includes('Take send lease (reply)') && targets(check).includes('Under the lease (reply)'),
		onKnock: condition.includes('!!$json.knockedAt'),
		// A round that read a full batch goes round again: more senders may be waiting than one batch answers.
		onFullBatch: condition.includes("$('Read waiting senders').all().length >= Math.min("),
		rounds: Number(bound),
	};
}

/**
 * One random interleaving. Each process is a generator of atomic steps (one Data table call each) over the shared
 * state; the scheduler picks a ready process at random for every step. Returns the outcome at quiescence.
 */
function runSchedule(protocol, random, { deliveries, dispatcher, confirmation, batch }) {
	const state = { holder: null, knocked: false, pending: new Map(), answers: new Map() };
	const take = (who, kind) => {
		if (state.holder !== null) return false;
		state.holder = who;
		if (protocol.clears[kind]) state.knocked = false;
		return true;
	};
	// Under the lease as a reply holder: read everyone waiting, take them up (a conditional update per sender), answer.
	function* replyRounds(who) {
		for (let round = 0; ; round++) {
			yield 'read waiting';
			const waiting = [...state.pending.entries()].slice(0, batch);
			for (const [sender, message] of waiting) {
				yield 'take up';
				if (state.pending.get(sender) === message) {
					state.pending.delete(sender);
					state.answers.set(sender, (state.answers.get(sender) || 0) + 1);
				}
			}
			yield 'release';
			state.holder = null;
			const again = (protocol.onKnock && state.knocked) || (protocol.onFullBatch && waiting.length >= batch);
			if (!(protocol.looksAfter.reply && again && round + 1 < protocol.rounds && protocol.goesRound)) return;
			if (!(yield* takeAsReplyHolder(who))) return;
		}
	}
	// The reply path's take: when busy, knock and try once more.
	function* takeAsReplyHolder(who) {
		yield 'take';
		if (take(who, 'reply')) return true;
		if (!protocol.knocksThenRetries) return false;
		yield 'knock';
		state.knocked = true;
		yield 'take again';
		return take(who, 'reply');
	}
	// Another path's release: when it looks for knocks, a knock sends it round as a reply holder.
	function* afterRelease(who, kind) {
		yield 'release';
		state.holder = null;
		if (protocol.looksAfter[kind] && protocol.onKnock && state.knocked && protocol.goesRound) {
			if (yield* takeAsReplyHolder(who)) yield* replyRounds(who);
		}
	}
	function* delivery(sender) {
		yield 'remember last message time';
		state.pending.set(sender, `${sender}:message`);
		if (yield* takeAsReplyHolder(sender)) yield* replyRounds(sender);
	}
	function* dispatcherRun() {
		yield 'take';
		if (!take('dispatcher', 'dispatcher')) return;
		yield 'read contact state, send';
		yield* afterRelease('dispatcher', 'dispatcher');
	}
	function* confirmationRun() {
		// Retries until it gets the lease (every second for 150 s in the template).
		for (;;) {
			yield 'take';
			if (take('confirmation', 'confirmation')) break;
		}
		yield 'send the confirmation';
		yield* afterRelease('confirmation', 'confirmation');
	}
	const processes = deliveries.map((sender) => delivery(sender));
	if (dispatcher) processes.push(dispatcherRun());
	if (confirmation) processes.push(confirmationRun());
	let live = processes.map((p) => ({ p }));
	for (let steps = 0; live.length && steps < 100_000; steps++) {
		const i = Math.floor(random() * live.length);
		if (live[i].p.next().done) live = live.filter((_, j) => j !== i);
	}
	return {
		stranded: [...state.pending.keys()],
		twice: [...state.answers].filter(([, n]) => n > 1).map(([sender]) => sender),
	};
}

/** Many seeded interleavings of 2–7 deliveries, with or without a dispatcher run and a confirmation, batches of 1–4; first failure. */
function explore(protocol, schedules = 10_000) {
	for (let seed = 1; seed <= schedules; seed++) {
		const random = rng(seed);
		const count = 2 + Math.floor(random() * 6);
		const scenario = {
			deliveries: Array.from({ length: count }, (_, i) => `sender${i + 1}`),
			dispatcher: random() < 0.5,
			confirmation: random() < 0.3,
			// Senders one round reads (the template: capPerRun, and what fits in the lease); often fewer than wait.
			batch: 1 + Math.floor(random() * 4),
		};
		const outcome = runSchedule(protocol, random, scenario);
		if (outcome.stranded.length || outcome.twice.length) return { seed, scenario, ...outcome };
	}
	return null;
}

describe.each(FILES)('%s: the knock protocol of the send lease', (file) => {
	const wf = JSON.parse(fs.readFileSync(path.join(WORKFLOWS, file), 'utf8'));
	const protocol = protocolOf(wf);

	test('the template wires every part: the reply take clears knocks, a busy take knocks and retries once, every release looks for knocks', () => {
		expect(protocol).toEqual({
			clears: { reply: true, dispatcher: false, confirmation: false },
			knocksThenRetries: true,
			looksAfter: { reply: true, dispatcher: true, confirmation: true },
			goesRound: true,
			onKnock: true,
			onFullBatch: true,
			rounds: 100,
		});
	});

	test('under 10,000 random interleavings nobody who waits is stranded and nobody is answered twice', () => {
		expect(explore(protocol)).toBeNull();
	});

	test('the model finds the stranded sender when a part is missing (so this test would fail on such a template)', () => {
		const without = (change) => explore({ ...protocol, ...change(protocol) });
		// The dispatcher's release does not look for knocks: a delivery that knocked while it sent is left waiting.
		expect(without((p) => ({ looksAfter: { ...p.looksAfter, dispatcher: false } }))).not.toBeNull();
		// The dispatcher's take clears knocks it will never act on.
		expect(without((p) => ({ clears: { ...p.clears, dispatcher: true } }))).not.toBeNull();
		// A busy delivery ends without knocking (the old retries gone, nothing in their place).
		expect(without(() => ({ knocksThenRetries: false }))).not.toBeNull();
		// The reply holder releases without looking for knocks.
		expect(without((p) => ({ looksAfter: { ...p.looksAfter, reply: false } }))).not.toBeNull();
		// A round that read a full batch stops unless someone knocked: the senders past the batch are left waiting.
		expect(without(() => ({ onFullBatch: false }))).not.toBeNull();
	});
});
