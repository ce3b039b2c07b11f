// `npm run bench:n8n` at tiny sizes, so its plumbing cannot rot: a real n8n with the templates and the fakes,
// every scenario run once. Correctness only (each scenario checks its own rows, DMs and node paths and throws
// otherwise); the figures are printed by the bench, never asserted here.
const { runAll, startBenchStack } = require('../../scripts/bench/n8n');

jest.setTimeout(15 * 60 * 1000);

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
};

describe('bench:n8n scenarios at tiny sizes', () => {
	let stack;
	let result;
	const lines = [];

	beforeAll(async () => {
		stack = await startBenchStack();
		result = await runAll(stack, TINY, (line) => lines.push(line));
	});

	afterAll(async () => {
		if (stack) await stack.stop();
	});

	test('the webhook pair answered every request on both sides, round after round', () => {
		const { webhook } = result.figures;
		expect(webhook.perRound).toHaveLength(TINY.webhookRounds);
		for (const round of webhook.perRound) {
			expect(round.trigger).toBeGreaterThan(0);
			expect(round.bare).toBeGreaterThan(0);
		}
		expect(
			lines.some((l) =>
				/^webhook: Instagram Story Trigger → Set .* req\/s vs Webhook → Set/.test(l),
			),
		).toBe(true);
	});

	test('Viewer Segment and the Summarize chain find the same repeat viewers', () => {
		const [round] = result.figures.segment.perRound;
		expect(round.repeat).toBeGreaterThan(0);
		expect(round.segmentMs).toBeGreaterThanOrEqual(0);
	});

	test('the CSV import stored every row once, and a re-upload stored nothing more', () => {
		expect(result.figures.csv.rows).toBe(TINY.csvRows);
	});

	test('the dispatcher read none of the stored contacts who wrote weeks ago; a delivery read only its senders and got its DM', () => {
		expect(result.figures.dispatcher.finished).toBe(true);
		// The seeded contacts' last message is from January: outside the 25 h the dispatcher reads.
		expect(result.figures.dispatcher.contactStateItems).toBe(0);
		expect(result.figures.latency.deliveries).toBe(TINY.deliveries);
		expect(result.figures.latency.p95Ms).toBeGreaterThan(0);
	});
});
