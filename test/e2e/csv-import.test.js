// Part 1's CSV import of a list larger than one chunk (10,000 events), through the form in a real n8n: the
// execution shows the progress after each chunk, the form answers once with the count of new events, and the same
// file again stores nothing. The bench's own scenario (scripts/bench/n8nScenarios.js csvImportScenario) does the
// upload and checks the stored rows; its timing is printed by `npm run bench:n8n`, never asserted here.
const { startBenchStack } = require('../../scripts/bench/n8n');
const { csvImportScenario, publishPart1 } = require('../../scripts/bench/n8nScenarios');

jest.setTimeout(20 * 60 * 1000);

const ROWS = 20_001;

describe('CSV import in chunks, with a progress figure in the execution', () => {
	let stack;
	let result;

	beforeAll(async () => {
		stack = await startBenchStack({ lazy: true });
		const setup = await stack.api.runManually('StoryLeadsSetup', 'Run once');
		expect(setup.status).toBe('success');
		await publishPart1(stack, Math.max(240_000, ROWS * 5));
		result = await csvImportScenario(stack, { rows: ROWS });
		await stack.api.unpublish('StoryLeadsPart1');
	});

	afterAll(async () => {
		if (stack) await stack.stop();
	});

	test('Import progress runs once per chunk: events stored so far, of how many, and the percentage', () => {
		expect(result.progress).toEqual([
			{ stored: 10_000, of: ROWS, percent: 49 },
			{ stored: 20_000, of: ROWS, percent: 99 },
			{ stored: ROWS, of: ROWS, percent: 100 },
		]);
	});

	test('the form answers once, with the count of new events; the re-upload stored nothing (checked by the scenario)', () => {
		expect(result.rows).toBe(ROWS);
		expect(result.answer).toBe(`Viewer list stored: ${ROWS} new events.`);
	});
});
