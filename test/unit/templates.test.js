// Every workflow template in workflows/ is importable as it ships: it parses, matches its builder, carries an id,
// no credential ids, no pinned data and no secrets; every connection joins existing nodes; every node type and
// version exists in the installed n8n (n8n-nodes-base's own description list) or in our built package, and
// every parameter a node sets is one its description declares. Needs `npm run build` (dist/) and the e2e
// n8n install (scripts/n8n/install.js, cached outside the repo; installed on first use).
const fs = require('fs');
const path = require('path');
const { ensureN8n } = require('../../scripts/n8n/harness');
const { buildAll, serialise, WORKFLOWS } = require('../../workflows/src/build');

const ROOT = path.resolve(__dirname, '../..');
const pkg = require(path.join(ROOT, 'package.json'));
const PACKAGE_PREFIX = `${pkg.name}.`;

jest.setTimeout(15 * 60 * 1000);

const files = fs
	.readdirSync(WORKFLOWS)
	.filter((f) => f.endsWith('.json'))
	.sort();
const templates = files.map((file) => ({ file, text: fs.readFileSync(path.join(WORKFLOWS, file), 'utf8') }));

function versionsOf(description) {
	return Array.isArray(description.version) ? description.version : [description.version];
}

/** name → [{ versions, properties, outputs }] for n8n-nodes-base (installed) and our package (dist). */
function loadNodeCatalog() {
	const catalog = new Map();
	const add = (name, description) => {
		const list = catalog.get(name) || [];
		list.push({
			versions: versionsOf(description),
			properties: new Set((description.properties || []).map((p) => p.name)),
			outputs: description.outputs,
		});
		catalog.set(name, list);
	};
	const base = require(path.join(ensureN8n().dir, 'node_modules/n8n-nodes-base/dist/types/nodes.json'));
	for (const description of base) add(`n8n-nodes-base.${description.name}`, description);
	for (const nodePath of pkg.n8n.nodes) {
		const mod = require(path.join(ROOT, nodePath));
		for (const NodeClass of Object.values(mod)) {
			if (typeof NodeClass !== 'function') continue;
			const instance = new NodeClass();
			if (instance.description) add(PACKAGE_PREFIX + instance.description.name, instance.description);
		}
	}
	return catalog;
}

const TRIGGER_TYPES = /(Trigger|\.webhook)$/;
const isTrigger = (node) => TRIGGER_TYPES.test(node.type);
const isSticky = (node) => node.type === 'n8n-nodes-base.stickyNote';

// Token-like strings and secret-looking parameters that must never ship in a template.
const SECRET_PATTERNS = [
	[/EAA[A-Za-z0-9]{20,}/, 'a Facebook access token'],
	[/IG(QV|AA)[A-Za-z0-9_-]{20,}/, 'an Instagram access token'],
	[/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/, 'a JWT'],
	[/\b[a-f0-9]{32,}\b/, 'a long hex secret'],
	[/\b(sk|pk)_(live|test)_[A-Za-z0-9]{10,}/, 'an API key'],
	[/pat-(na|eu)1-[a-f0-9-]{20,}/, 'a HubSpot private app token'],
	[/Bearer\s+[A-Za-z0-9._-]{16,}/, 'a bearer token'],
];
const SECRET_KEYS = /^(accessToken|apiKey|appSecret|password|secret|token|verifyToken|pepper|clientSecret)$/i;

function walk(value, visit, keyPath = []) {
	visit(value, keyPath);
	if (value && typeof value === 'object') {
		for (const [k, v] of Object.entries(value)) walk(v, visit, keyPath.concat(k));
	}
}

describe('workflow templates', () => {
	let catalog;
	const nodeCatalog = () => (catalog = catalog || loadNodeCatalog());

	test('the shipped set is complete and every file matches its builder (npm run templates)', () => {
		const built = buildAll();
		expect(files).toEqual(built.map((b) => b.file).sort());
		for (const { file, json } of built) {
			expect({ file, text: fs.readFileSync(path.join(WORKFLOWS, file), 'utf8') }).toEqual({ file, text: serialise(json) });
		}
	});

	test('workflow ids are present, valid for n8n (≤ 21 characters) and unique', () => {
		const ids = templates.map(({ text }) => JSON.parse(text).id);
		for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9]{1,21}$/);
		expect(new Set(ids).size).toBe(ids.length);
	});

	describe.each(templates)('$file', ({ text }) => {
		const wf = JSON.parse(text);
		const byName = new Map(wf.nodes.map((n) => [n.name, n]));

		test('parses as an n8n 2.x workflow with v1 execution order', () => {
			expect(typeof wf.name).toBe('string');
			expect(Array.isArray(wf.nodes)).toBe(true);
			expect(typeof wf.connections).toBe('object');
			expect(wf.settings.executionOrder).toBe('v1');
			expect(wf.active).toBe(false);
		});

		test('node names and ids are unique', () => {
			expect(byName.size).toBe(wf.nodes.length);
			expect(new Set(wf.nodes.map((n) => n.id)).size).toBe(wf.nodes.length);
		});

		test('no pinned data', () => {
			expect(wf.pinData === undefined || Object.keys(wf.pinData).length === 0).toBe(true);
			for (const node of wf.nodes) expect(node.pinData).toBeUndefined();
		});

		test('credentials are referenced by name only (id null), which n8n resolves on import', () => {
			for (const node of wf.nodes) {
				for (const [type, ref] of Object.entries(node.credentials || {})) {
					expect({ node: node.name, type, ref }).toEqual({
						node: node.name,
						type,
						ref: { id: null, name: expect.stringMatching(/\S/) },
					});
				}
			}
		});

		test('no secrets: no token-like strings and no secret-named parameter with a value', () => {
			const found = [];
			walk(wf, (value, keyPath) => {
				if (typeof value !== 'string') return;
				for (const [pattern, what] of SECRET_PATTERNS) {
					if (pattern.test(value)) found.push(`${keyPath.join('.')}: ${what}`);
				}
				const key = keyPath[keyPath.length - 1];
				if (SECRET_KEYS.test(String(key)) && value !== '') found.push(`${keyPath.join('.')}: secret-named value`);
			});
			expect(found).toEqual([]);
		});

		test('every connection joins existing nodes on existing outputs', () => {
			for (const [source, byType] of Object.entries(wf.connections)) {
				expect(byName.has(source)).toBe(true);
				for (const [type, outputs] of Object.entries(byType)) {
					expect(type).toBe('main');
					outputs.forEach((targets) => {
						for (const target of targets || []) {
							expect({ from: source, to: target.node, known: byName.has(target.node) }).toEqual({
								from: source,
								to: target.node,
								known: true,
							});
							expect(target.type).toBe('main');
							expect(Number.isInteger(target.index)).toBe(true);
						}
					});
				}
			}
		});

		test('every node runs from a trigger (no orphans) and sticky notes are not connected', () => {
			const reached = new Set();
			const queue = wf.nodes.filter(isTrigger).map((n) => n.name);
			expect(queue.length).toBeGreaterThan(0);
			while (queue.length) {
				const name = queue.shift();
				if (reached.has(name)) continue;
				reached.add(name);
				for (const targets of (wf.connections[name] && wf.connections[name].main) || []) {
					for (const t of targets || []) queue.push(t.node);
				}
			}
			const orphans = wf.nodes.filter((n) => !isSticky(n) && !reached.has(n.name)).map((n) => n.name);
			expect(orphans).toEqual([]);
			for (const sticky of wf.nodes.filter(isSticky)) expect(wf.connections[sticky.name]).toBeUndefined();
		});

		test('a "Client settings" Set node comes first: every trigger feeds it and only it', () => {
			const settings = byName.get('Client settings');
			expect(settings && settings.type).toBe('n8n-nodes-base.set');
			for (const trigger of wf.nodes.filter(isTrigger)) {
				const targets = ((wf.connections[trigger.name] || {}).main || []).flat().map((t) => t.node);
				// Part 2's click redirect answers through Respond nodes, which n8n forbids downstream of the Engagement
				// webhook: it has its own branch, whose Click settings reads Client settings' parameters.
				const first = trigger.name === 'Click redirect' ? 'Click settings' : 'Client settings';
				expect({ trigger: trigger.name, targets }).toEqual({ trigger: trigger.name, targets: [first] });
			}
		});

		test('sticky notes say what it does, the set-up steps and what to change', () => {
			const notes = wf.nodes.filter(isSticky).map((n) => n.parameters.content);
			expect(notes.some((c) => /^## /m.test(c))).toBe(true);
			expect(notes.some((c) => /set-up steps/i.test(c))).toBe(true);
			expect(notes.some((c) => /what to change/i.test(c))).toBe(true);
		});

		test('node types and versions exist in the installed n8n or in our package, with known parameters', () => {
			const problems = [];
			for (const node of wf.nodes) {
				const entries = nodeCatalog().get(node.type);
				if (!entries) {
					problems.push(`${node.name}: unknown type ${node.type}`);
					continue;
				}
				const entry = entries.find((e) => e.versions.includes(node.typeVersion));
				if (!entry) {
					problems.push(`${node.name}: ${node.type} has no version ${node.typeVersion}`);
					continue;
				}
				for (const key of Object.keys(node.parameters || {})) {
					if (!entry.properties.has(key)) problems.push(`${node.name}: ${node.type} has no parameter "${key}"`);
				}
			}
			expect(problems).toEqual([]);
		});
	});
});
