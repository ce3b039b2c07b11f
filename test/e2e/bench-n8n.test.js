// `npm run bench:n8n` at tiny sizes, so its plumbing cannot rot: a real n8n with the templates and the fakes (with
// the n8n settings we ship), every scenario run once, then the webhook pair on a second n8n with n8n's defaults and
// the burst again in queue mode (two workers). Correctness only (each scenario checks its own rows, DMs and node paths and throws
// otherwise); the figures are printed by the bench, never asserted here.
const { runBench } = require('../../scripts/bench/n8n');

// Three n8n set-ups one after the other (shipped settings, n8n's defaults, queue mode with two workers): generous on a
// loaded 2-core box.
jest.setTimeout(30 * 60 * 1000);

const TINY = {
	webhookRequests: 12,
	webhookConcurrency: 3,
	webhookRounds: 2,
	segmentEvents: 400,
	segmentViewers: 30,
	segmentRounds: 1,
	csvRows: 40,
	contacts: 150,
	deliveries: 5,
	deliveryConcurrency: 3,
	singleDeliveries: 2,
	burstSenders: 5,
	burstWithinMs: 2000,
};

describe('bench:n8n scenarios at tiny sizes', () => {
	let result;
	const lines = [];

	beforeAll(async () => {
		result = await runBench(TINY, (line) => lines.push(line));
	});

	test('the webhook pair answered every request on both sides, round after round, under both engine settings', () => {
		for (const webhook of [result.figures.webhook, result.figures.webhookDefaults]) {
			expect(webhook.perRound).toHaveLength(TINY.webhookRounds);
			for (const round of webhook.perRound) {
				expect(round.trigger).toBeGreaterThan(0);
				expect(round.bare).toBeGreaterThan(0);
			}
		}
	});

	test('the trigger/bare figures of both settings are printed side by side, each with its own measured ratio', () => {
		const header = lines.findIndex((l) => /^webhook path under both n8n expression-engine settings/.test(l));
		expect(header).toBeGreaterThanOrEqual(0);
		const table = lines.slice(header + 1, header + 5).map((l) => l.split('|').map((c) => c.trim()));
		const cells = (label) => table.find((row) => row[0] === label);
		expect(cells('')).toEqual(['', 'lazy isolates (shipped)', "n8n's defaults"]);
		const pct = (ratio) => `${(ratio * 100).toFixed(0)} %`;
		const [, lazy, defaults] = cells('trigger / bare');
		expect(lazy).toBe(`${pct(result.figures.webhook.ratio)} (target >= 90 %)`);
		expect(defaults).toBe(`${pct(result.figures.webhookDefaults.ratio)} (printed, no target)`);
		const [, lazyTrigger, defaultTrigger] = cells('Instagram Story Trigger → Set');
		expect(lazyTrigger).toBe(`${result.figures.webhook.trigger.toFixed(1)} req/s`);
		expect(defaultTrigger).toBe(`${result.figures.webhookDefaults.trigger.toFixed(1)} req/s`);
		expect(lines.slice(header).some((l) => /n8n's defaults: n8n 2\.41 opens a second expression isolate/.test(l))).toBe(true);
	});

	test('Viewer Segment and the Summarize chain find the same repeat viewers', () => {
		const [round] = result.figures.segment.perRound;
		expect(round.repeat).toBeGreaterThan(0);
		expect(round.segmentMs).toBeGreaterThanOrEqual(0);
	});

	test('the CSV import stored every row once, and a re-upload stored nothing more; n8n\'s peak RSS is printed', () => {
		expect(result.figures.csv.rows).toBe(TINY.csvRows);
		// /proc is there on the Linux machines the suite runs on.
		expect(result.figures.csv.peakRssMiB).toBeGreaterThan(50);
		expect(lines.some((l) => /^CSV import: .* peak RSS of n8n \d+ MiB/.test(l))).toBe(true);
	});

	test('the burst: every sender answered exactly once, with the time to the last answer printed', () => {
		const { burst } = result.figures;
		expect({ answered: burst.answered, twice: burst.twice, exactlyOnce: burst.exactlyOnce }).toEqual({
			answered: TINY.burstSenders,
			twice: 0,
			exactlyOnce: true,
		});
		expect(burst.lastAnswerSeconds).toBeGreaterThan(0);
		expect(lines.some((l) => /^burst: 5 replies from 5 people .* 5 answered, 0 twice; last answer after/.test(l))).toBe(true);
	});

	test('the burst in queue mode (two workers): every sender answered exactly once, side by side with one main', () => {
		const { burst, burstQueue } = result.figures;
		expect({ answered: burstQueue.answered, twice: burstQueue.twice, exactlyOnce: burstQueue.exactlyOnce }).toEqual({
			answered: TINY.burstSenders,
			twice: 0,
			exactlyOnce: true,
		});
		const header = lines.findIndex((l) => /^burst on one main and in queue mode/.test(l));
		expect(header).toBeGreaterThanOrEqual(0);
		const table = lines.slice(header + 1, header + 5).map((l) => l.split('|').map((c) => c.trim()));
		expect(table[0]).toEqual(['', 'one main', 'queue mode, 2 workers']);
		expect(table[1]).toEqual([
			'time to last answer',
			`${burst.lastAnswerSeconds.toFixed(1)} s`,
			`${burstQueue.lastAnswerSeconds.toFixed(1)} s`,
		]);
		expect(table[3]).toEqual(['each answered exactly once', 'yes', 'yes']);
	});

	test('the cost of a delivery is counted from its executions: node runs and Data table calls', () => {
		const cost = result.figures.deliveryCost;
		expect(cost.executions).toBeGreaterThanOrEqual(TINY.singleDeliveries);
		expect(cost.dataTableCallsPerDelivery).toBeGreaterThan(0);
		expect(cost.nodeRunsPerDelivery).toBeGreaterThan(cost.dataTableCallsPerDelivery);
		expect(lines.some((l) => /^per delivery \(one at a time\): .* Data table calls \(14 before issue 24\)/.test(l))).toBe(true);
		// By node: the reply path of a delivery without a keyword reads no consent before the answer, and releases
		// once, at its end (issue 24: the dispatcher alone releases after sending).
		expect(cost.dataTableCallsByNode['Consent so far']).toBeUndefined();
		expect(cost.dataTableCallsByNode['Release send lease after sending']).toBeUndefined();
		expect(cost.dataTableCallsByNode['Release send lease (reply)']).toBeGreaterThan(0);
		expect(cost.dataTableCallsByNode['Store events']).toBe(1);
		expect(lines.some((l) => /^ {2}Data table calls per delivery by node: .*Store events 1\.0/.test(l))).toBe(true);
	});

	test('the dispatcher read none of the stored contacts who wrote weeks ago; a delivery read only its senders and got its DM', () => {
		expect(result.figures.dispatcher.finished).toBe(true);
		// The seeded contacts' last message is from January: outside the 25 h the dispatcher reads.
		expect(result.figures.dispatcher.contactStateItems).toBe(0);
		expect(result.figures.latency.deliveries).toBe(TINY.deliveries);
		expect(result.figures.latency.p95Ms).toBeGreaterThan(0);
	});
});
