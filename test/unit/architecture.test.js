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

// One layout for every node folder (n8n v2 style), so a reader finds the same thing in the same place:
//   <Node>.node.ts     the thin class: description wiring + execute (webhook for the trigger) calling the router
//   description.ts     the node's properties
//   actions/router.ts  picks the action from the operation parameter (or the node's single operation)
//   actions/<op>.ts    one file per operation, each exporting `description` (its properties, may be empty) and `execute`
//   helpers.ts         at most one per-node helper module (business rules belong in nodes/core)
// Icons (*.svg, *.png) and the codex <Node>.node.json sit beside the class. Instagram Story Trigger has no
// operations: its router picks the action from the webhook it was called on, GET `setup` → actions/handshake.ts
// (Meta's subscription check) and POST `default` → actions/delivery.ts (signed event delivery).
describe('node layout', () => {
	const nodesDir = path.resolve(__dirname, '../../nodes');
	const nodeFolders = fs
		.readdirSync(nodesDir, { withFileTypes: true })
		.filter((e) => e.isDirectory() && !['core', 'shared'].includes(e.name))
		.map((e) => e.name);

	function allFiles(dir, prefix = '') {
		return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
			const rel = prefix ? `${prefix}/${e.name}` : e.name;
			return e.isDirectory() ? allFiles(path.join(dir, e.name), rel) : [rel];
		});
	}

	it('finds the eight nodes', () => {
		expect(nodeFolders.sort()).toEqual([
			'CadenceScheduler',
			'ConsentGate',
			'EngagementTagger',
			'FunnelReport',
			'InstagramDm',
			'InstagramStoryTrigger',
			'StoryViewerIngest',
			'ViewerSegment',
		]);
	});

	describe.each(nodeFolders)('%s', (node) => {
		const dir = path.join(nodesDir, node);
		const files = allFiles(dir);
		const actions = files.filter((f) => /^actions\/[^/]+\.ts$/.test(f) && f !== 'actions/router.ts');

		it('has the class, description, router and at least one action', () => {
			const missing = [`${node}.node.ts`, `${node}.node.json`, 'description.ts', 'actions/router.ts'].filter(
				(f) => !files.includes(f),
			);
			expect(missing).toEqual([]);
			expect(actions.length).toBeGreaterThan(0);
		});

		it('holds no other files than the layout allows', () => {
			const allowed = (f) =>
				f === `${node}.node.ts` ||
				f === `${node}.node.json` ||
				f === 'description.ts' ||
				f === 'helpers.ts' ||
				/^actions\/[A-Za-z0-9]+\.ts$/.test(f) ||
				/^[^/]+\.(svg|png)$/.test(f);
			expect(files.filter((f) => !allowed(f))).toEqual([]);
		});

		it('every action exports description and execute', () => {
			const offences = [];
			for (const action of actions) {
				const source = fs.readFileSync(path.join(dir, action), 'utf8');
				for (const name of ['description', 'execute']) {
					const exported = new RegExp(
						`export\\s+(?:const|let|async\\s+function|function)\\s+${name}\\b|export\\s*\\{[^}]*\\b${name}\\b[^}]*\\}`,
					).test(source);
					if (!exported) offences.push(`${action} does not export ${name}`);
				}
			}
			expect(offences).toEqual([]);
		});

		it('the class dispatches through actions/router.ts', () => {
			const source = fs.readFileSync(path.join(dir, `${node}.node.ts`), 'utf8');
			expect(source).toMatch(/from '\.\/actions\/router'/);
			expect(source).toMatch(/async (execute|webhook)\(this: I(Execute|Webhook)Functions\)[^{]*\{\s*return await router\.call\(this\);\s*\}/);
		});
	});
});
