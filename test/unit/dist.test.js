// Inspects the built dist/ the way n8n's verification does: only allowed modules may be required at run time,
// no banned global may be used, and package.json keeps `dependencies` empty. Run after `npm run build`.
const fs = require('fs');
const path = require('path');
const { builtinModules } = require('module');
const { ESLint } = require('eslint');

const root = path.resolve(__dirname, '../..');
const dist = path.join(root, 'dist');
const pkg = require(path.join(root, 'package.json'));

// n8n's allow-list (no-restricted-imports, cloud config). `crypto` is the only built-in we use: HMAC for
// webhook signatures, SHA-256 for event ids and pseudonyms.
const ALLOWED_MODULES = new Set(['n8n-workflow', 'zod', 'crypto', 'node:crypto']);
const BANNED_GLOBALS = [
	'clearInterval',
	'clearTimeout',
	'global',
	'globalThis',
	'process',
	'setInterval',
	'setTimeout',
	'setImmediate',
	'clearImmediate',
	'__dirname',
	'__filename',
];

function jsFiles(dir) {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return jsFiles(full);
		return entry.name.endsWith('.js') ? [full] : [];
	});
}

/** Module names a file requires, and whether any require() has a non-literal argument. */
function requiredModules(source) {
	const names = [];
	const literal = /\brequire\(\s*(['"`])([^'"`]+)\1\s*\)/g;
	let match;
	while ((match = literal.exec(source))) names.push(match[2]);
	const all = source.match(/\brequire\(/g) || [];
	return { names, dynamic: all.length - names.length };
}

function isAllowed(name) {
	return name.startsWith('./') || name.startsWith('../') || ALLOWED_MODULES.has(name);
}

// Linting every dist file with ESLint takes several seconds on a busy 2-core machine.
jest.setTimeout(120000);

describe('dist/ follows the verified-community-node rules', () => {
	const files = fs.existsSync(dist) ? jsFiles(dist) : [];

	it('exists (run `npm run build` first)', () => {
		expect(files.length).toBeGreaterThan(0);
	});

	it('requires only allowed modules', () => {
		const offences = [];
		for (const file of files) {
			const { names, dynamic } = requiredModules(fs.readFileSync(file, 'utf8'));
			for (const name of names) if (!isAllowed(name)) offences.push(`${path.relative(root, file)} requires ${name}`);
			if (dynamic > 0) offences.push(`${path.relative(root, file)} has ${dynamic} non-literal require()`);
		}
		expect(offences).toEqual([]);
	});

	it('recognises a forbidden require (self-check of the scanner)', () => {
		expect(requiredModules("const d = require('date-fns'); require('./x')").names).toEqual(['date-fns', './x']);
		expect(isAllowed('date-fns')).toBe(false);
		expect(isAllowed('fs')).toBe(false);
		expect(builtinModules.includes('fs')).toBe(true);
	});

	it('uses no banned global (scope-aware, via ESLint no-restricted-globals)', async () => {
		const eslint = new ESLint({
			cwd: root,
			overrideConfigFile: true,
			overrideConfig: {
				languageOptions: { ecmaVersion: 2022, sourceType: 'commonjs', globals: {} },
				rules: { 'no-restricted-globals': ['error', ...BANNED_GLOBALS] },
			},
		});
		const results = await eslint.lintFiles(files);
		const offences = results.flatMap((r) =>
			r.messages.map((m) => `${path.relative(root, r.filePath)}:${m.line} ${m.message}`),
		);
		expect(offences).toEqual([]);
	});

	it('catches a banned global (self-check)', async () => {
		const eslint = new ESLint({
			overrideConfigFile: true,
			overrideConfig: {
				languageOptions: { ecmaVersion: 2022, sourceType: 'commonjs' },
				rules: { 'no-restricted-globals': ['error', ...BANNED_GLOBALS] },
			},
		});
		const [result] = await eslint.lintText('const x = process.env.A; function f(globalThis) { return globalThis; }');
		expect(result.messages.map((m) => m.message)).toEqual(["Unexpected use of 'process'."]);
	});

	it('keeps package.json dependencies empty and n8n-workflow as the only peer', () => {
		expect(Object.keys(pkg.dependencies || {})).toEqual([]);
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(pkg.n8n.strict).toBe(true);
		expect(pkg.n8n.n8nNodesApiVersion).toBe(1);
	});

	it('ships every node and credential listed in package.json', () => {
		for (const rel of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
			expect(fs.existsSync(path.join(root, rel))).toBe(true);
		}
	});
});
