// The README stays short and every page under docs/ stays navigable: relative links and images resolve to files in
// the repo, #anchors to headings (GitHub's slug rules), and file names quoted as code name files that exist.
// Figures have one source: pages quote the recorded runs in docs/figures/*.json (scripts/figures.js), and a quoted
// figure that differs from its run fails here.
const fs = require('fs');
const os = require('os');
const path = require('path');

const { figureProblems, quotedFigures, FIGURES_DIR } = require('../../scripts/figures');

const ROOT = path.resolve(__dirname, '../..');
const README_MAX_LINES = 200;
// Top-level folders whose contents are generated or installed, not documented by path.
const UNTRACKED_TOP = new Set(['node_modules', 'dist', 'reports', 'coverage', '.git']);

function markdownFiles(dir) {
	if (!fs.existsSync(dir)) return [];
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return markdownFiles(full);
		return entry.name.endsWith('.md') ? [full] : [];
	});
}

/** Lines outside fenced code blocks, with their 1-based numbers. */
function proseLines(text) {
	const out = [];
	let fence = null;
	text.split('\n').forEach((line, i) => {
		const marker = /^\s*(```+|~~~+)/.exec(line);
		if (marker) {
			if (fence === null) fence = marker[1][0];
			else if (marker[1][0] === fence) fence = null;
			return;
		}
		if (fence === null) out.push({ line, number: i + 1 });
	});
	return out;
}

const withoutCodeSpans = (line) => line.replace(/(`+)[\s\S]*?\1/g, '');

/** GitHub's heading anchor: the rendered text, lower-cased, punctuation dropped, spaces to hyphens, -1/-2 for repeats. */
function githubSlug(heading) {
	return heading
		.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/<[^>]+>/g, '')
		.replace(/[`*]/g, '')
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
		.replace(/\s/g, '-');
}

function anchorsOf(file) {
	const anchors = new Set();
	const seen = new Map();
	for (const { line } of proseLines(fs.readFileSync(file, 'utf8'))) {
		const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
		if (heading) {
			const base = githubSlug(heading[1]);
			const count = seen.get(base) || 0;
			seen.set(base, count + 1);
			anchors.add(count === 0 ? base : `${base}-${count}`);
		}
		for (const html of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(html[1]);
	}
	return anchors;
}

/** Every link and image target: [text](target), ![alt](target), [ref]: target, <img src>, <a href>. */
function linkTargets(file) {
	const targets = [];
	for (const { line, number } of proseLines(fs.readFileSync(file, 'utf8'))) {
		const prose = withoutCodeSpans(line);
		const found = [
			...[...prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map(
				(m) => m[1],
			),
			...[...prose.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/g)].map((m) => m[1]),
			...[...prose.matchAll(/<(?:img|a)\s[^>]*?(?:src|href)="([^"]+)"/g)].map((m) => m[1]),
		];
		for (const target of found) targets.push({ target, number });
	}
	return targets;
}

/** File names written as code (`docs/compliance.md`, `scripts/start.js`): they must name files that exist. */
function quotedPaths(file, root) {
	const quoted = [];
	for (const { line, number } of proseLines(fs.readFileSync(file, 'utf8'))) {
		for (const span of line.matchAll(/`([^`\s]+)`/g)) {
			const name = span[1].replace(/[.,;:]$/, '');
			if (/[*<>{}…|]/.test(name) || /^[a-z]+:/i.test(name)) continue; // globs, placeholders, URLs
			const top = name.split('/')[0];
			const repoPath =
				top !== '' &&
				name.includes('/') &&
				!UNTRACKED_TOP.has(top) &&
				fs.existsSync(path.join(root, top)) &&
				fs.statSync(path.join(root, top)).isDirectory();
			if (name.endsWith('.md') || repoPath) quoted.push({ name, number });
		}
	}
	return quoted;
}

function inRepo(resolved, root) {
	const relative = path.relative(root, resolved);
	return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** Problems of one Markdown file, as readable strings (empty = all links resolve). */
function linkProblems(file, root = ROOT) {
	const problems = [];
	const where = (number) => `${path.relative(root, file)}:${number}`;
	for (const { target, number } of linkTargets(file)) {
		if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
			if (!/^(https?|mailto):/i.test(target))
				problems.push(
					`${where(number)} ${target}: only http(s) and mailto links may leave the repo`,
				);
			continue;
		}
		const [rawPath, anchor] = target.split('#');
		const filePath = decodeURIComponent(rawPath);
		if (filePath.startsWith('/')) {
			problems.push(`${where(number)} ${target}: absolute path (use a path relative to the page)`);
			continue;
		}
		const resolved = filePath === '' ? file : path.resolve(path.dirname(file), filePath);
		if (!inRepo(resolved, root)) {
			problems.push(`${where(number)} ${target}: points outside the repo`);
			continue;
		}
		if (!fs.existsSync(resolved)) {
			problems.push(`${where(number)} ${target}: no such file`);
			continue;
		}
		if (anchor !== undefined) {
			if (!resolved.endsWith('.md'))
				problems.push(`${where(number)} ${target}: anchor on a file that is not Markdown`);
			else if (!anchorsOf(resolved).has(anchor))
				problems.push(`${where(number)} ${target}: no heading with anchor #${anchor}`);
		}
	}
	for (const { name, number } of quotedPaths(file, root)) {
		const candidates = [path.resolve(path.dirname(file), name), path.resolve(root, name)];
		if (!candidates.some((candidate) => inRepo(candidate, root) && fs.existsSync(candidate))) {
			problems.push(`${where(number)} \`${name}\`: names a file that is not in the repo`);
		}
	}
	return problems;
}

const pages = [path.join(ROOT, 'README.md'), ...markdownFiles(path.join(ROOT, 'docs'))];

describe('documentation', () => {
	it(`keeps README.md at most ${README_MAX_LINES} lines`, () => {
		const lines = fs
			.readFileSync(path.join(ROOT, 'README.md'), 'utf8')
			.replace(/\n$/, '')
			.split('\n').length;
		expect(lines).toBeLessThanOrEqual(README_MAX_LINES);
	});

	it('has a docs/ index and one page per node', () => {
		const nodes = fs
			.readdirSync(path.join(ROOT, 'nodes'), { withFileTypes: true })
			.filter(
				(entry) =>
					entry.isDirectory() &&
					fs.existsSync(path.join(ROOT, 'nodes', entry.name, `${entry.name}.node.ts`)),
			)
			.map((entry) => entry.name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase());
		expect(nodes.length).toBeGreaterThan(0);
		const missing = ['README.md', ...nodes.map((node) => `nodes/${node}.md`)].filter(
			(page) => !fs.existsSync(path.join(ROOT, 'docs', page)),
		);
		expect(missing).toEqual([]);
	});

	it.each(pages.map((file) => [path.relative(ROOT, file), file]))(
		'%s: every link, image, anchor and quoted file name resolves',
		(_name, file) => {
			expect(linkProblems(file)).toEqual([]);
		},
	);

	describe('figures: one recorded run per scenario', () => {
		const runFiles = fs.readdirSync(FIGURES_DIR).filter((f) => f.endsWith('.json'));

		it.each(pages.map((file) => [path.relative(ROOT, file), file]))(
			'%s: every quoted figure is the value of its recorded run',
			(name, file) => {
				expect(figureProblems(fs.readFileSync(file, 'utf8'), { where: name })).toEqual([]);
			},
		);

		it.each(runFiles)('docs/figures/%s says when, on what machine, with which n8n and by which command', (file) => {
			const run = JSON.parse(fs.readFileSync(path.join(FIGURES_DIR, file), 'utf8'));
			expect(run.name).toBe(file.replace(/\.json$/, ''));
			expect(run.recordedAt).toMatch(/^\d{4}-\d{2}-\d{2}/);
			expect(run.machine).toEqual(expect.objectContaining({ cores: expect.any(Number), cpu: expect.any(String) }));
			expect(run.n8n.version).toMatch(/^\d+\.\d+\.\d+$/);
			expect(run.command).toMatch(/^npm run /);
			expect(Object.keys(run.figures).length).toBeGreaterThan(0);
		});

		it('every page that quotes a run also quotes its date and n8n version', () => {
			const missing = [];
			for (const file of pages) {
				const quoted = quotedFigures(fs.readFileSync(file, 'utf8'));
				for (const run of new Set(quoted.map((q) => q.run))) {
					for (const field of ['recordedAt', 'n8n.version']) {
						if (!quoted.some((q) => q.run === run && q.field === field))
							missing.push(`${path.relative(ROOT, file)}: quotes ${run} without its ${field}`);
					}
				}
			}
			expect(missing).toEqual([]);
		});

		it('the README quotes throughput only from recorded runs (no loose req/s, rows/s, deliveries/s or DMs/s)', () => {
			const loose = proseLines(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'))
				.map(({ line, number }) => ({ line: line.replace(/<!--figure [^>]*-->[^<]*<!--\/figure-->/g, 'FIGURE'), number }))
				.filter(({ line }) => /\d\s*(req\/s|rows\/s|deliveries\/s|DMs\/s)/.test(line))
				.map(({ line, number }) => `README.md:${number} ${line.trim()}`);
			expect(loose).toEqual([]);
		});

		it('the checker names a wrong, a missing and an unknown figure', () => {
			const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'figures-check-'));
			try {
				fs.writeFileSync(
					path.join(dir, 'demo.json'),
					JSON.stringify({ recordedAt: '2026-12-06T10:00:00Z', figures: { csv: { seconds: 11.48, rows: 10000 } } }),
				);
				const mark = (run, field, format, text) => `<!--figure ${run} ${field} ${format}-->${text}<!--/figure-->`;
				const ok = `${mark('demo', 'figures.csv.seconds', '1', '11.5')} s for ${mark('demo', 'figures.csv.rows', '0', '10,000')} rows on ${mark('demo', 'recordedAt', 'date', '2026-12-06')}`;
				expect(figureProblems(ok, { dir, where: 'p.md' })).toEqual([]);
				const bad = [
					mark('demo', 'figures.csv.seconds', '1', '12.0'),
					mark('other', 'figures.csv.seconds', '1', '11.5'),
					mark('demo', 'figures.csv.minutes', '1', '0.2'),
					mark('demo', 'figures.csv.seconds', 'hours', '0.0'),
				].join('\n');
				expect(figureProblems(bad, { dir, where: 'p.md' })).toEqual([
					'p.md:1 demo figures.csv.seconds: the page says 12.0, the run recorded 11.5',
					'p.md:2 other figures.csv.seconds: no recorded run docs/figures/other.json',
					'p.md:3 demo figures.csv.minutes: the recorded run has no figures.csv.minutes',
					expect.stringMatching(/^p\.md:4 demo figures\.csv\.seconds: unknown figure format hours/),
				]);
			} finally {
				fs.rmSync(dir, { recursive: true, force: true });
			}
		});
	});

	describe('the checker itself', () => {
		// A throw-away repo: <tmp>/scripts exists, pages live in <tmp>/docs.
		const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-check-'));
		fs.mkdirSync(path.join(tmp, 'scripts'));
		fs.mkdirSync(path.join(tmp, 'docs'));
		afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
		const page = (name, text) => {
			const file = path.join(tmp, 'docs', name);
			fs.writeFileSync(file, text);
			return file;
		};

		it('follows GitHub slug rules', () => {
			expect(githubSlug('Instagram DM (`instagramDm`)')).toBe('instagram-dm-instagramdm');
			expect(githubSlug('Part 1 — story viewers to consented leads')).toBe(
				'part-1--story-viewers-to-consented-leads',
			);
			expect(githubSlug('What Instagram allows (and what it does not)')).toBe(
				'what-instagram-allows-and-what-it-does-not',
			);
			expect(githubSlug('Send caps: per_run & per-hour')).toBe('send-caps-per_run--per-hour');
			const file = page('slugs.md', '# Limits\n\n## Limits\n\n```\n# not a heading\n```\n');
			expect([...anchorsOf(file)]).toEqual(['limits', 'limits-1']);
		});

		it('reports dead links, dead anchors, links out of the repo and quoted files that do not exist', () => {
			const target = page('target.md', '# Target\n\n## A section\n');
			const file = page(
				'links.md',
				[
					'[ok](target.md#a-section) [ok](#here) ![ok](target.md) [web](https://example.com)',
					'# Here',
					'[dead](missing.md) [anchor](target.md#nowhere) [out](../../outside.md) [abs](/etc/passwd)',
					'See `meta-instagram-platform.md` and `scripts/no-such-tool.js`; `workflows/*.json` is a glob.',
					'```',
					'[ignored](in-a-code-block.md)',
					'```',
				].join('\n'),
			);
			expect(fs.existsSync(target)).toBe(true);
			const problems = linkProblems(file, tmp);
			expect(problems).toHaveLength(6);
			for (const bad of [
				'missing.md',
				'target.md#nowhere',
				'../../outside.md',
				'/etc/passwd',
				'`meta-instagram-platform.md`',
				'`scripts/no-such-tool.js`',
			]) {
				expect(problems.some((problem) => problem.includes(bad))).toBe(true);
			}
		});
	});
});
