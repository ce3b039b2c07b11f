// Part 1's send lease (workflows/src/lease.js, docs/queue-mode.md): every DM node is reached only through an
// "Under the lease" node, and each release is the lowest child of its "Lease taken?", so n8n's depth-first v1 order
// runs it after everything under the lease.
const fs = require('fs');
const path = require('path');

const WORKFLOWS = path.resolve(__dirname, '../../workflows');
const PART1_FILES = [
	'story-viewers-to-consented-leads.json',
	'story-viewers-to-consented-leads-hubspot.json',
];
const DM_TYPE = 'n8n-nodes-story-leads.instagramDm';

describe.each(PART1_FILES)('%s: the send lease', (file) => {
	const wf = JSON.parse(fs.readFileSync(path.join(WORKFLOWS, file), 'utf8'));
	const byName = Object.fromEntries(wf.nodes.map((n) => [n.name, n]));
	const children = (name, output) =>
		((wf.connections[name] || { main: [] }).main[output] || []).map((c) => c.node);
	const parents = (name) =>
		Object.entries(wf.connections).flatMap(([source, { main }]) =>
			main.some((targets) => (targets || []).some((c) => c.node === name)) ? [source] : [],
		);

	test('every DM node sits below an "Under the lease" node on every path from a trigger', () => {
		const dmNodes = wf.nodes.filter((n) => n.type === DM_TYPE).map((n) => n.name);
		expect(dmNodes.length).toBeGreaterThanOrEqual(2);
		// Walk upwards from each DM node, stopping at "Under the lease" nodes; reaching a trigger means unguarded.
		for (const dm of dmNodes) {
			const seen = new Set();
			const stack = [dm];
			const unguarded = [];
			while (stack.length) {
				const name = stack.pop();
				if (seen.has(name)) continue;
				seen.add(name);
				if (name.startsWith('Under the lease')) continue;
				const up = parents(name);
				if (up.length === 0) unguarded.push(name);
				stack.push(...up);
			}
			expect({ dm, unguarded }).toEqual({ dm, unguarded: [] });
		}
	});

	test('each "Lease taken?" lets items on and releases, the release placed below (it runs last)', () => {
		const checks = wf.nodes.filter((n) => n.name.startsWith('Lease taken?'));
		expect(checks.map((n) => n.name).sort()).toEqual([
			'Lease taken?',
			'Lease taken? (confirmation)',
			'Lease taken? (reply)',
		]);
		for (const check of checks) {
			const suffix = check.name.slice('Lease taken?'.length);
			const onTrue = children(check.name, 0);
			const release = `Release send lease${suffix}`;
			expect(onTrue.sort()).toEqual([release, `Under the lease${suffix}`].sort());
			expect(byName[release].position[1]).toBeGreaterThan(
				byName[`Under the lease${suffix}`].position[1],
			);
			expect(byName[release].executeOnce).toBe(true);
		}
	});

	test('after sending, the lease is released once the DM is logged and the state saved, before the CRM steps', () => {
		const y = (name) => byName[name].position[1];
		// Send DM: failures are logged before the sent chain runs (upper child first).
		expect(children('Send DM', 0)).toEqual(['Log send']);
		expect(children('Send DM', 1)).toEqual(['Log failed send']);
		expect(y('Log failed send')).toBeLessThan(y('Log send'));
		expect(children('Log send', 0)).toEqual(['Save state after send']);
		const afterSave = children('Save state after send', 0);
		expect(afterSave.sort()).toEqual(['Lead for CRM', 'Release send lease after sending']);
		expect(y('Release send lease after sending')).toBeLessThan(y('Lead for CRM'));
		// The state of waiting and done contacts is saved before the sends start (Save state above Send caps).
		expect(children('Cadence Scheduler', 1).concat(children('Cadence Scheduler', 2))).toEqual(['Save state', 'Save state']);
		expect(y('Save state')).toBeLessThan(y('Send caps'));
	});

	test('the lease is taken with a conditional update (free = lockedUntil in the past) and released by its holder', () => {
		for (const name of [
			'Take send lease',
			'Take send lease (reply)',
			'Take send lease (confirmation)',
		]) {
			const p = byName[name].parameters;
			expect(p.operation).toBe('update');
			expect(p.filters.conditions.map((c) => [c.keyName, c.condition])).toEqual([
				['lease', 'eq'],
				['lockedUntil', 'lt'],
			]);
			expect(p.columns.value.holder).toBe('={{ $execution.id }}');
		}
		const release = byName['Release send lease'].parameters;
		expect(release.filters.conditions.map((c) => [c.keyName, c.condition, c.keyValue])).toEqual([
			['lease', 'eq', 'send'],
			['holder', 'eq', '={{ $execution.id }}'],
		]);
	});

	test('the STOP confirmation waits for the lease only after the consent record is stored (depth-first: upper child first)', () => {
		const afterRecord = [
			...children('Record consent from messages', 0),
			...children('Record consent from messages', 1),
		];
		expect(afterRecord).toEqual(
			expect.arrayContaining(['Store consent', 'Take send lease (confirmation)']),
		);
		expect(byName['Store consent'].position[1]).toBeLessThan(
			byName['Take send lease (confirmation)'].position[1],
		);
	});
});
