// The core holds the business rules and stays framework-free: no file under nodes/core imports n8n.
const fs = require('fs');
const path = require('path');

const core = path.resolve(__dirname, '../../nodes/core');

function tsFiles(dir) {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
		const full = path.join(dir, e.name);
		return e.isDirectory() ? tsFiles(full) : e.name.endsWith('.ts') ? [full] : [];
	});
}

describe('core/adapter split', () => {
	it('no core file imports n8n-workflow, n8n-core or a node/shared adapter', () => {
		const offences = [];
		for (const file of tsFiles(core)) {
			const source = fs.readFileSync(file, 'utf8');
			const imports = [...source.matchAll(/from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
				(m) => m[1] || m[2],
			);
			for (const name of imports) {
				const resolved = name.startsWith('.') ? path.resolve(path.dirname(file), name) : name;
				if (/^n8n-/.test(name) || (name.startsWith('.') && !resolved.startsWith(core))) {
					offences.push(`${path.relative(core, file)} imports ${name}`);
				}
			}
		}
		expect(offences).toEqual([]);
	});
});

// Tooling (start, demo, bench, the n8n harness, fakes, template sources) lives outside test/; tests import it, never the reverse.
describe('tooling/test split', () => {
	const root = path.resolve(__dirname, '../..');
	const toolingDirs = ['scripts', 'workflows/src'].map((d) => path.join(root, d));

	function jsFiles(dir) {
		return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
			const full = path.join(dir, e.name);
			return e.isDirectory() ? jsFiles(full) : /\.(js|ts)$/.test(e.name) ? [full] : [];
		});
	}

	it('no file under scripts/ or workflows/src/ imports from test/', () => {
		const offences = [];
		for (const file of toolingDirs.flatMap(jsFiles)) {
			const source = fs.readFileSync(file, 'utf8');
			for (const m of source.matchAll(/require\(\s*['"](\.[^'"]+)['"]\s*\)|from\s+['"](\.[^'"]+)['"]/g)) {
				const resolved = path.resolve(path.dirname(file), m[1] || m[2]);
				if (resolved.startsWith(path.join(root, 'test') + path.sep)) offences.push(`${path.relative(root, file)} imports ${m[1] || m[2]}`);
			}
		}
		expect(offences).toEqual([]);
	});

	it('test/ holds no runnable tooling: start, demo, bench and template sources live in scripts/ and workflows/src/', () => {
		const pkg = require(path.join(root, 'package.json'));
		const offending = Object.entries(pkg.scripts).filter(([, cmd]) => /\btest\//.test(cmd));
		expect(offending).toEqual([]);
	});
});
