// The published package as n8n's verification sees it. Needs `npm run build` first (`npm test` does it).
// 1. n8n's own scanner (@n8n/scan-community-package, offline: scripts/package/scan.mjs) passes on the source
//    and on the packed tarball, and still catches a console call or a banned global planted in a tarball copy.
// 2. The tarball holds only what n8n loads at run time.
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { packAndUnpack, packedFiles } = require('../../scripts/package/tarball');

const root = path.resolve(__dirname, '../..');
const pkg = require(path.join(root, 'package.json'));
const SCAN = path.join(root, 'scripts/package/scan.mjs');

// Packing and linting ~120 files with the scanner's rules takes several seconds on a busy 2-core machine.
jest.setTimeout(180000);

/** Runs the scanner on both legs; returns its JSON report (exit code 1 just means "violations"). */
function scan(sourceDir, tarballDir) {
	try {
		return JSON.parse(
			execFileSync(process.execPath, [SCAN, sourceDir, tarballDir], {
				cwd: root,
				encoding: 'utf8',
			}),
		);
	} catch (error) {
		if (error.status === 1 && error.stdout) return JSON.parse(error.stdout);
		throw error;
	}
}

describe("n8n's community-package scanner", () => {
	let work;
	let unpacked;

	beforeAll(() => {
		work = fs.mkdtempSync(path.join(os.tmpdir(), 'story-leads-scan-test-'));
		unpacked = packAndUnpack(root, work);
	});
	afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

	it('passes on the source and on the packed tarball', () => {
		const report = scan(root, unpacked);
		expect({ source: report.source, tarball: report.tarball }).toEqual({
			source: { passed: true },
			tarball: { passed: true },
		});
		// The bundled date-fns is scanned too (it once carried a console.warn).
		expect(fs.existsSync(path.join(unpacked, 'dist/nodes/core/time/dateFns.js'))).toBe(true);
	});

	it('fails the tarball leg on a console call or a banned global (self-check on a planted copy)', () => {
		const planted = path.join(work, 'planted');
		fs.cpSync(unpacked, planted, { recursive: true });
		fs.appendFileSync(
			path.join(planted, 'dist/nodes/core/time/dateFns.js'),
			'\nconsole.warn("planted");\n',
		);
		fs.appendFileSync(
			path.join(planted, 'dist/nodes/shared/items.js'),
			'\nsetTimeout(() => undefined, 1);\n',
		);
		const report = scan(root, planted);
		expect(report.passed).toBe(false);
		expect(report.source.passed).toBe(true);
		expect(report.tarball.details).toMatch(
			/dateFns\.js\s+\d+:\d+\s+error\s+Unexpected console statement\s+no-console/,
		);
		expect(report.tarball.details).toMatch(
			/items\.js\s+\d+:\d+\s+error\s+Use of restricted global 'setTimeout'/,
		);
	});
});

describe('the tarball holds only runtime files', () => {
	// What n8n loads: compiled node and credential JavaScript, codex files (<Node>.node.json) and icons.
	// npm always adds package.json, README.md and LICENSE.
	const RUNTIME_FILE =
		/^dist\/(nodes|credentials)\/.+(?<!\.d)\.js$|^dist\/nodes\/.+\.node\.json$|^dist\/(nodes|credentials)\/.+\.(svg|png)$/;
	const ALWAYS_INCLUDED = new Set(['package.json', 'README.md', 'LICENSE']);
	let files;

	beforeAll(() => {
		files = packedFiles(root);
	});

	it('lists nothing but runtime files', () => {
		expect(files.filter((f) => !ALWAYS_INCLUDED.has(f) && !RUNTIME_FILE.test(f))).toEqual([]);
	});

	it('the rule refuses build leftovers (self-check)', () => {
		const leftovers = [
			'dist/tsconfig.tsbuildinfo',
			'dist/package.json',
			'dist/workflows/screenshots/engagement-tagging.png',
			'dist/nodes/ConsentGate/ConsentGate.node.d.ts',
			'dist/nodes/ConsentGate/ConsentGate.node.js.map',
			'nodes/ConsentGate/ConsentGate.node.ts',
			'dist/nodes/core/events/schema.json',
		];
		expect(leftovers.filter((f) => RUNTIME_FILE.test(f))).toEqual([]);
	});

	it('ships every node, credential, codex and icon the build produced', () => {
		for (const entry of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) expect(files).toContain(entry);
		for (const node of pkg.n8n.nodes) expect(files).toContain(node.replace(/\.js$/, '.json'));
		const builtRuntime = [];
		const walk = (dir) => {
			for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
				const rel = `${dir}/${entry.name}`;
				if (entry.isDirectory()) walk(rel);
				else if (RUNTIME_FILE.test(rel)) builtRuntime.push(rel);
			}
		};
		walk('dist/nodes');
		walk('dist/credentials');
		expect(builtRuntime.length).toBeGreaterThan(pkg.n8n.nodes.length * 3);
		expect(builtRuntime.filter((f) => !files.includes(f))).toEqual([]);
	});
});
