// Part 1's send lease (workflows/src/lease.js, docs/queue-mode.md): every DM node is reached only through an
// "Under the lease" node, and each release is the lowest child of its "Lease taken?", so n8n's depth-first v1 order
// runs it after everything under the lease. The lease is fenced: its holder is a token per take, re-checked (and
// extended) before a batch goes out, and a batch fits in the lease.
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
			expect(byName[release].position[1]).toBeGreaterThan(byName[`Under the lease${suffix}`].position[1]);
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
		// The dispatcher releases before its CRM calls; an immediate reply keeps the lease to its end, where its one
		// release is followed by the read of who still waits (issue 24).
		expect(afterSave.sort()).toEqual(['Dispatcher run?', 'Lead for CRM']);
		expect(y('Dispatcher run?')).toBeLessThan(y('Lead for CRM'));
		expect(children('Dispatcher run?', 0)).toEqual(['Release send lease after sending']);
		expect(children('Dispatcher run?', 1)).toEqual([]);
		expect(byName['Dispatcher run?'].parameters.conditions.conditions[0].leftValue).toBe(
			"={{ $('Take send lease').isExecuted }}",
		);
		expect(byName['Release send lease after sending'].parameters.filters.conditions[1].keyValue).toBe(
			"={{ ($execution.id + '/send') }}",
		);
		// The state of waiting and done contacts is saved before the sends start (Save state above Send caps).
		expect(children('Cadence Scheduler', 1).concat(children('Cadence Scheduler', 2))).toEqual(['Save state', 'Save state']);
		expect(y('Save state')).toBeLessThan(y('Send caps'));
	});

	const TAKES = ['Take send lease', 'Take send lease (reply)', 'Take send lease (confirmation)'];

	test('the lease is taken with a conditional update (free = lockedUntil in the past) by a fencing token: execution id + epoch', () => {
		for (const name of TAKES) {
			const p = byName[name].parameters;
			expect(p.operation).toBe('update');
			expect(p.filters.conditions.map((c) => [c.keyName, c.condition])).toEqual([
				['lease', 'eq'],
				['lockedUntil', 'lt'],
			]);
			// A token per execution and send path: another run, or a re-run (a new execution), never shares it; it is
			// computed, never read back from the take's output (a busy attempt of the reply path's loop outputs nothing).
			const path = name.includes('(confirmation)') ? 'confirmation' : 'send';
			expect(p.columns.value.holder).toBe(`={{ ($execution.id + '/${path}') }}`);
		}
	});

	// The IF nodes that let a batch through: evaluated the way n8n reads them (every condition must hold), for the
	// item each kind of answer of the update gives. A busy lease makes the take (alwaysOutputData) output an empty
	// item; a fence that lost the lease does the same. Before this test, "Lease taken?" compared the take's output
	// with itself, so an empty item passed (undefined === undefined) and every run sent as if it held the lease.
	const EXECUTION = '4711';
	const tokens = (suffix) => {
		const path = suffix.includes('confirmation') ? 'confirmation' : 'send';
		return [`${EXECUTION}/${path}`, `4712/${path}`];
	};
	/** Evaluates the IF node `name` for `json`, with every "Take send lease…" having output `takeRow`. */
	function passes(name, json, takeRow) {
		const $ = () => ({ isExecuted: true, last: () => ({ json: takeRow }), first: () => ({ json: takeRow }) });
		const value = (expression) =>
			typeof expression === 'string' && expression.startsWith('={{')
				? new Function('$', '$json', '$execution', `return (${expression.slice(3, -2)});`)($, json, { id: EXECUTION })
				: expression;
		return byName[name].parameters.conditions.conditions.every((c) => {
			const left = value(c.leftValue);
			if (c.operator.type === 'boolean' && c.operator.operation === 'true') return left === true;
			if (c.operator.operation === 'equals') return left === value(c.rightValue);
			throw new Error(`operator ${JSON.stringify(c.operator)} not modelled in this test`);
		});
	}

	test.each(['', ' (reply)', ' (confirmation)'])('"Lease taken?%s" passes only the row this run\'s take won', (suffix) => {
		const name = `Lease taken?${suffix}`;
		const [THIS_TOKEN, OTHER_TOKEN] = tokens(suffix);
		const won = { lease: 'send', holder: THIS_TOKEN };
		expect(passes(name, won, won)).toBe(true);
		// Busy: the update matched no row and output an empty item.
		expect(passes(name, {}, {})).toBe(false);
		// A row of another execution's take (never output by our update, but never accepted either).
		expect(passes(name, { lease: 'send', holder: OTHER_TOKEN }, { lease: 'send', holder: OTHER_TOKEN })).toBe(false);
		expect(passes(name, { lease: 'send', holder: '' }, { lease: 'send', holder: '' })).toBe(false);
	});

	test.each(['', ' (confirmation)'])('"Lease still held?%s" (the fence) passes only when the holder is still this run\'s token', (suffix) => {
		const name = `Lease still held?${suffix}`;
		const [THIS_TOKEN, OTHER_TOKEN] = tokens(suffix);
		const taken = { lease: 'send', holder: THIS_TOKEN };
		expect(passes(name, { lease: 'send', holder: THIS_TOKEN }, taken)).toBe(true);
		// Taken over: the fence's conditional update matched no row.
		expect(passes(name, {}, taken)).toBe(false);
		// The token never comes from the take's output: an empty take output changes nothing.
		expect(passes(name, { lease: 'send', holder: THIS_TOKEN }, {})).toBe(true);
		expect(passes(name, {}, {})).toBe(false);
		expect(passes(name, { lease: 'send', holder: OTHER_TOKEN }, taken)).toBe(false);
	});

	test('every release and every fence matches the holder on this run\'s token, never on the bare execution id', () => {
		const byToken = wf.nodes.filter(
			(n) => n.type === 'n8n-nodes-base.dataTable' && /lease$/.test(String(n.parameters.dataTableId?.value)) && n.parameters.filters,
		);
		const holderChecks = byToken.flatMap((n) => n.parameters.filters.conditions.filter((c) => c.keyName === 'holder').map((c) => [n.name, c.keyValue]));
		expect(holderChecks.map(([name]) => name).sort()).toEqual(
			[
				'Release send lease',
				'Release send lease (reply)',
				'Release send lease (confirmation)',
				'Release send lease after sending',
				'Hold the lease',
				'Hold the lease (confirmation)',
			].sort(),
		);
		// Each matches the token its path's take wrote (never the bare execution id, never the take's output).
		const takeOf = (name) => (name.includes('(confirmation)') ? 'Take send lease (confirmation)' : 'Take send lease');
		for (const [name, value] of holderChecks) {
			expect({ name, value }).toEqual({ name, value: byName[takeOf(name)].parameters.columns.value.holder });
			expect(value).not.toBe('={{ $execution.id }}');
		}
		// The dispatcher's take and the immediate reply's write the same token: the shared send path fences either.
		expect(byName['Take send lease (reply)'].parameters.columns.value.holder).toBe(byName['Take send lease'].parameters.columns.value.holder);
	});

	test('the fence extends the lease for the batch, once, after the claims and before the DM', () => {
		for (const [suffix, dm] of [
			['', 'Send DM'],
			[' (confirmation)', 'Send confirmation'],
		]) {
			const hold = byName[`Hold the lease${suffix}`];
			expect(hold.parameters.operation).toBe('update');
			expect(hold.parameters.columns.value.lockedUntil).toBe(
				"={{ $now.plus({ seconds: $('Client settings').first().json.sendLeaseSeconds }).toUTC().toISO() }}",
			);
			expect(Object.keys(hold.parameters.columns.value)).toEqual(['lockedUntil']); // never takes the lease over
			expect(hold.executeOnce).toBe(true);
			expect(hold.alwaysOutputData).toBe(true); // no row = lease lost: the "still held?" check says so
			expect(parents(hold.name)).toEqual([`Claim the sends${suffix}`]);
			expect(parents(dm)).toEqual([`Claimed under the lease${suffix}`]);
		}
	});

	test('a batch never holds more DMs than fit in the lease (sendLeaseSeconds / sendBudgetSeconds, at least one)', () => {
		const settings = Object.fromEntries(
			byName['Client settings'].parameters.assignments.assignments.map((a) => [a.name, a.value]),
		);
		expect(settings).toEqual(expect.objectContaining({ sendLeaseSeconds: 120, sendBudgetSeconds: 4 }));
		const expression = byName['Send caps'].parameters.capPerRun.replace(/^=\{\{ | \}\}$/g, '');
		const capFor = (values) =>
			new Function('$', `return ${expression};`)(() => ({ first: () => ({ json: { ...settings, ...values } }) }));
		expect(capFor({})).toBe(25); // the default cap fits in the default lease
		expect(capFor({ capPerRun: 100 })).toBe(30);
		expect(capFor({ capPerRun: 100, sendLeaseSeconds: 3, sendBudgetSeconds: 0.5 })).toBe(6);
		expect(capFor({ capPerRun: 100, sendLeaseSeconds: 3, sendBudgetSeconds: 10 })).toBe(1);
	});

	test('the STOP confirmation waits for the lease only after the consent record is stored (depth-first: upper child first)', () => {
		const afterRecord = [
			...children('Record consent from messages', 0),
			...children('Record consent from messages', 1),
		];
		expect(afterRecord).toEqual(['Store consent', 'Confirm after acknowledging']);
		expect(byName['Store consent'].position[1]).toBeLessThan(byName['Confirm after acknowledging'].position[1]);
		// The Merge holds the confirmations until Meta is answered, which is after the consent steps ran.
		expect(children('Confirm after acknowledging', 0).sort()).toEqual(['Take send lease (confirmation)', 'Under the lease (confirmation)']);
	});
});
