// scripts/figures.js: how a bench or test records its run (docs/figures/<name>.json) and how pages quote it.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { recordRun, readRun, formatFigure, quotedFigures, recording } = require('../../scripts/figures');

describe('recorded runs', () => {
	let dir;
	beforeEach(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'figures-'));
	});
	afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

	test('a run is written with its date, machine, n8n version, command, sizes and figures, and read back', () => {
		const machineInfo = { cores: 2, cpu: 'Test CPU', platform: 'linux x64', loadAtStart: 0.4 };
		const file = recordRun(
			'demo-run',
			{
				command: 'npm run bench:n8n',
				n8n: { version: '2.41.1', node: '24.21.0' },
				sizes: { csvRows: 10 },
				figures: { csv: { seconds: 1.25 } },
			},
			{ dir, now: new Date('2026-12-07T06:00:00.000Z'), machineInfo },
		);
		expect(file).toBe(path.join(dir, 'demo-run.json'));
		expect(readRun('demo-run', dir)).toEqual({
			name: 'demo-run',
			command: 'npm run bench:n8n',
			recordedAt: '2026-12-07T06:00:00.000Z',
			machine: machineInfo,
			n8n: { version: '2.41.1', node: '24.21.0' },
			settings: {},
			sizes: { csvRows: 10 },
			figures: { csv: { seconds: 1.25 } },
		});
		expect(readRun('missing', dir)).toBeUndefined();
	});

	test('a run without its n8n version is refused', () => {
		expect(() => recordRun('x', { command: 'npm run test:queue', figures: {} }, { dir })).toThrow(/n8n version/);
	});

	test('STORY_LEADS_RECORD_FIGURES=0 turns recording off', () => {
		expect(recording({})).toBe(true);
		expect(recording({ STORY_LEADS_RECORD_FIGURES: '0' })).toBe(false);
	});
});

describe('quoted figures', () => {
	test.each([
		[100000, '0', '100,000'],
		[11.48, '1', '11.5'],
		[1234.567, '2', '1,234.57'],
		[0.992, 'pct', '99'],
		[5712, 's1', '5.7'],
		['2026-12-06T23:59:00.000Z', 'date', '2026-12-06'],
		['Intel Xeon', 'text', 'Intel Xeon'],
	])('%p in format %s reads %s', (value, format, text) => {
		expect(formatFigure(value, format)).toBe(text);
	});

	test('markers are found with their run, field, format, text and line', () => {
		const page = 'a\nrate <!--figure queue-mode figures.oneWorker.deliveriesPerSecond 2-->0.77<!--/figure--> deliveries/s';
		expect(quotedFigures(page)).toEqual([
			{ run: 'queue-mode', field: 'figures.oneWorker.deliveriesPerSecond', format: '2', text: '0.77', line: 2 },
		]);
		expect(quotedFigures('an example: `<!--figure queue-mode n8n.version text-->9.9.9<!--/figure-->`')).toEqual([]);
	});
});
