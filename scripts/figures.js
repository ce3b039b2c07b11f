// One source for the figures the README and docs quote. Each run that produces figures (`npm run bench:n8n` at
// full size, `npm run test:queue`) records them in docs/figures/<name>.json with its date, machine and n8n version;
// pages quote a figure through a marker naming the run, the field and the format:
//   <!--figure queue-mode figures.twoWorkers.deliveriesPerSecond 2-->1.09<!--/figure-->
// test/unit/docs.test.js fails when the text between the markers is not the recorded value in that format, so two
// pages cannot disagree and a new run makes every stale page fail until it is updated.
// STORY_LEADS_RECORD_FIGURES=0 runs a bench or the queue test without recording.
const fs = require('fs');
const os = require('os');
const path = require('path');

const FIGURES_DIR = path.resolve(__dirname, '../docs/figures');

/** The machine a run was taken on, and how busy it was when the run started. */
function machine() {
	const cpus = os.cpus();
	return {
		cores: cpus.length,
		cpu: cpus[0] ? cpus[0].model.trim() : 'unknown',
		platform: `${os.platform()} ${os.arch()}`,
		loadAtStart: Number(os.loadavg()[0].toFixed(1)),
	};
}

const recording = (env = process.env) => env.STORY_LEADS_RECORD_FIGURES !== '0';

/**
 * Writes docs/figures/<name>.json: { name, command, recordedAt, machine, n8n: { version, node }, settings, sizes,
 * figures, notes }. Returns the file written.
 */
function recordRun(name, run, { dir = FIGURES_DIR, now = new Date(), machineInfo = machine() } = {}) {
	if (!run.n8n || !run.n8n.version) throw new Error(`recordRun ${name}: the n8n version is missing`);
	const record = {
		name,
		command: run.command,
		recordedAt: now.toISOString(),
		machine: machineInfo,
		n8n: run.n8n,
		settings: run.settings || {},
		sizes: run.sizes || {},
		figures: run.figures,
		...(run.notes ? { notes: run.notes } : {}),
	};
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(dir, `${name}.json`);
	fs.writeFileSync(file, JSON.stringify(record, null, '\t') + '\n');
	return file;
}

function readRun(name, dir = FIGURES_DIR) {
	const file = path.join(dir, `${name}.json`);
	if (!fs.existsSync(file)) return undefined;
	return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** The value at a dotted path (`figures.csv.seconds`), or undefined. */
function valueAt(run, dotted) {
	return dotted.split('.').reduce((value, key) => (value === undefined || value === null ? undefined : value[key]), run);
}

const withThousands = (text) => text.replace(/^(-?\d+)/, (whole) => whole.replace(/\B(?=(\d{3})+$)/g, ','));

/**
 * Formats of quoted figures: `0`–`3` decimals (thousands separated by commas), `pct` a ratio as whole percent,
 * `s1` milliseconds as seconds with one decimal, `date` the day of an ISO time, `text` as recorded.
 */
const FORMATS = {
	0: (v) => withThousands(Number(v).toFixed(0)),
	1: (v) => withThousands(Number(v).toFixed(1)),
	2: (v) => withThousands(Number(v).toFixed(2)),
	3: (v) => withThousands(Number(v).toFixed(3)),
	pct: (v) => (Number(v) * 100).toFixed(0),
	s1: (v) => (Number(v) / 1000).toFixed(1),
	date: (v) => String(v).slice(0, 10),
	text: (v) => String(v),
};

function formatFigure(value, format) {
	const fn = FORMATS[format];
	if (!fn) throw new Error(`unknown figure format ${format} (known: ${Object.keys(FORMATS).join(', ')})`);
	return fn(value);
}

const MARKER = /<!--figure (\S+) (\S+) (\S+)-->([^<]*)<!--\/figure-->/g;

/** Every quoted figure of a page: { run, field, format, text, line }. A marker inside `code` is an example. */
function quotedFigures(text) {
	const found = [];
	text.split('\n').forEach((line, i) => {
		for (const m of line.replace(/(`+)[^`]*?\1/g, '').matchAll(MARKER)) found.push({ run: m[1], field: m[2], format: m[3], text: m[4], line: i + 1 });
	});
	return found;
}

/** Problems of a page's quoted figures against the recorded runs, as readable strings (empty = all agree). */
function figureProblems(text, { dir = FIGURES_DIR, where = '' } = {}) {
	const problems = [];
	for (const q of quotedFigures(text)) {
		const at = `${where}:${q.line} ${q.run} ${q.field}`;
		const run = readRun(q.run, dir);
		if (!run) {
			problems.push(`${at}: no recorded run docs/figures/${q.run}.json`);
			continue;
		}
		const value = valueAt(run, q.field);
		if (value === undefined) {
			problems.push(`${at}: the recorded run has no ${q.field}`);
			continue;
		}
		let expected;
		try {
			expected = formatFigure(value, q.format);
		} catch (error) {
			problems.push(`${at}: ${error.message}`);
			continue;
		}
		if (q.text !== expected) problems.push(`${at}: the page says ${q.text}, the run recorded ${expected}`);
	}
	return problems;
}

/** A page's text with every quoted figure replaced by its recorded value (markers of unknown runs stay as they are). */
function withRecordedFigures(text, { dir = FIGURES_DIR } = {}) {
	return text.replace(/(`+)[^`]*?\1|<!--figure (\S+) (\S+) (\S+)-->([^<]*)<!--\/figure-->/g, (whole, ticks, run, field, format) => {
		if (ticks) return whole;
		const recorded = readRun(run, dir);
		const value = recorded && valueAt(recorded, field);
		if (value === undefined) return whole;
		return `<!--figure ${run} ${field} ${format}-->${formatFigure(value, format)}<!--/figure-->`;
	});
}

// `node scripts/figures.js update README.md docs/*.md`: after a new recorded run, quote its figures on the pages.
if (require.main === module) {
	const [command, ...files] = process.argv.slice(2);
	if (command !== 'update' || files.length === 0) {
		console.error('usage: node scripts/figures.js update <page.md> …');
		process.exit(2);
	}
	for (const file of files) {
		const text = fs.readFileSync(file, 'utf8');
		const updated = withRecordedFigures(text);
		if (updated !== text) {
			fs.writeFileSync(file, updated);
			console.log(`updated ${file}`);
		}
	}
}

module.exports = {
	withRecordedFigures,
	FIGURES_DIR,
	machine,
	recording,
	recordRun,
	readRun,
	valueAt,
	formatFigure,
	quotedFigures,
	figureProblems,
};
