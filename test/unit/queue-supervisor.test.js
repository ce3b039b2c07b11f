// The local queue stack's supervisor (scripts/queue/topology.js) restarts a process that died with a growing
// back-off (scripts/queue/services.js restartBackoff), so a Redis or PostgreSQL outage does not leave n8n down
// and a process that keeps dying is not restarted in a tight loop.
const { restartBackoff } = require('../../scripts/queue/services');

describe('restartBackoff', () => {
	let clock;
	const backoff = () => restartBackoff({ stepsMs: [1000, 2000, 4000], stableAfterMs: 60000, now: () => clock });
	/** The times (ms) at which a process that dies again at once is restarted, polled every 100 ms for `untilMs`. */
	const restartTimes = (b, untilMs, startedAt) => {
		const times = [];
		for (clock = 0; clock <= untilMs; clock += 100) if (b.due('worker-1', startedAt)) times.push(clock);
		return times;
	};

	test('restarts at once, then waits 1 s, 2 s, 4 s, 4 s … while the process keeps dying', () => {
		expect(restartTimes(backoff(), 16000)).toEqual([0, 1000, 3000, 7000, 11000, 15000]);
	});

	test('each process has its own back-off', () => {
		const b = backoff();
		clock = 0;
		expect([b.due('worker-1'), b.due('worker-2'), b.due('worker-1'), b.due('worker-2')]).toEqual([true, true, false, false]);
	});

	test('a process that had stayed up a minute starts from the first step again', () => {
		const b = backoff();
		restartTimes(b, 10000); // four restarts: the next would wait 4 s
		clock = 200000;
		expect(b.due('worker-1', 100000)).toBe(true); // up for 100 s before it died
		clock += 1000;
		expect(b.due('worker-1', 200000)).toBe(true); // died again at once: 1 s later
	});

	test('clear (PostgreSQL or Redis is back) lets every process start again at once', () => {
		const b = backoff();
		restartTimes(b, 10000);
		clock = 10100;
		expect(b.due('worker-1')).toBe(false);
		b.clear();
		expect(b.due('worker-1')).toBe(true);
	});
});
