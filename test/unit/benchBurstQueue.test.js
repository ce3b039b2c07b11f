// bench:n8n's burst in queue mode (scripts/bench/n8n.js): printed side by side with the one-main burst, and the
// target "queue mode no slower than one main, each answered exactly once" turned into TARGET MISSED lines (the bench
// exits 1 on any). The real runs are in test/e2e/bench-n8n.test.js; this checks the verdicts on given figures.
const { burstTable, queueBurstMisses } = require('../../scripts/bench/n8n');

const burst = (lastAnswerSeconds, { answered = 1000, twice = 0 } = {}) => ({
	senders: 1000,
	withinSeconds: 60,
	answered,
	twice,
	exactlyOnce: answered === 1000 && twice === 0,
	lastAnswerSeconds,
	deliveriesPerSecond: lastAnswerSeconds ? answered / lastAnswerSeconds : 0,
});

describe('burst in queue mode next to one main', () => {
	test('queue mode as fast or faster, each answered once: no miss', () => {
		expect(queueBurstMisses(burst(150), burst(150))).toEqual([]);
		expect(queueBurstMisses(burst(150), burst(120))).toEqual([]);
	});

	test('queue mode slower than one main: TARGET MISSED with both times', () => {
		expect(queueBurstMisses(burst(150), burst(151.2))).toEqual([
			'TARGET MISSED: burst in queue mode: last answer after 151.2 s against 150.0 s on one main (target: no slower)',
		]);
	});

	test('a sender answered twice or not at all in queue mode is a miss, whatever the time', () => {
		expect(queueBurstMisses(burst(150), burst(100, { twice: 2 }))).toEqual([
			'TARGET MISSED: burst in queue mode: 1000 of 1000 answered, 2 twice (target: each exactly once)',
		]);
		expect(queueBurstMisses(burst(150), burst(undefined, { answered: 0 }))).toEqual([
			'TARGET MISSED: burst in queue mode: 0 of 1000 answered, 0 twice (target: each exactly once)',
			'TARGET MISSED: burst in queue mode: last answer after — against 150.0 s on one main (target: no slower)',
		]);
	});

	test('the table puts both runs side by side: time to last answer, deliveries/s, exactly once', () => {
		const lines = burstTable(burst(200), burst(160, { answered: 999 }));
		expect(lines[0]).toBe(
			'burst on one main and in queue mode (1000 replies posted within 60 s, same machine, one after the other):',
		);
		const rows = lines.slice(1, 5).map((l) => l.split('|').map((c) => c.trim()));
		expect(rows).toEqual([
			['', 'one main', 'queue mode, 2 workers'],
			['time to last answer', '200.0 s', '160.0 s'],
			['deliveries/s', '5.00', '6.24'],
			['each answered exactly once', 'yes', 'no (999 of 1000 answered, 0 twice)'],
		]);
	});
});
