// Issue 24, item 3: the reply path of Part 1 — a signed story reply from a new sender, without a keyword, answered at
// once — in Data table calls. n8n runs a Data table node once per run (all its items in one call here: one
// delivery, one sender), so the calls are the Data table nodes the run reaches. The walk below follows the
// template's connections from the webhook branch of "Which path?", with the outputs each branching node takes for
// this delivery written out (a new branching node on the path must be added here), and the Merge nodes that wait
// for all their inputs (chooseBranch) running only when every input got items.
const fs = require('fs');
const path = require('path');

const WORKFLOWS = path.resolve(__dirname, '../../workflows');
const FILES = ['story-viewers-to-consented-leads.json', 'story-viewers-to-consented-leads-hubspot.json'];
/** Today's budget. Before issue 24 the path made 14 calls; see docs/performance.md § Cost per delivery. */
const BUDGET = 12;

/** Outputs that carry the delivery's items at each branching node (index → fires). */
const TAKES = {
	'Which path?': [0], // the Instagram webhook
	'May hold a keyword?': [], // a story reply without a keyword: no consent read, no consent record
	'Record consent from messages': [], // (before issue 24 it ran on every delivery) no record, no confirmation
	'Forward to Part 2?': [0],
	'Messages only': [0],
	'Reply at once?': [0],
	'Lease taken? (reply)': [0],
	'Consent Gate': [0],
	'Cadence Scheduler': [0], // a new sender's first message is due now
	'Send caps': [0],
	'Lease still held?': [0],
	'Send DM': [0],
	// An immediate reply keeps the lease to its end and releases it once (the dispatcher releases after sending).
	'Dispatcher run?': [],
	// Nobody else waits after this delivery's release: no second round.
	'Answer them now?': [],
};
const BRANCHING = new Set(['n8n-nodes-base.if', 'n8n-nodes-base.filter', 'n8n-nodes-base.switch']);

/** The Data table nodes the reply path reaches, in no particular order. */
function replyPathDataTableCalls(wf) {
	const byName = Object.fromEntries(wf.nodes.map((n) => [n.name, n]));
	const ours = (node) => !node.type.startsWith('n8n-nodes-base.');
	const inputs = {}; // node → set of input indexes that got items
	const reached = new Set();
	const queue = [];
	const fire = (name) => {
		const node = byName[name];
		const outputs = (wf.connections[name] || { main: [] }).main;
		let taken;
		if (TAKES[name]) taken = TAKES[name];
		// The CRM steps (after the lease is released) hold no Data table node: every branch is walked.
		else if (name.startsWith('CRM: ')) taken = outputs.map((_, i) => i);
		else if (BRANCHING.has(node.type) || (ours(node) && outputs.length > 1)) {
			throw new Error(`say which outputs of "${name}" this delivery takes (TAKES)`);
		} else taken = outputs.map((_, i) => i);
		for (const output of taken) {
			for (const c of outputs[output] || []) {
				(inputs[c.node] = inputs[c.node] || new Set()).add(c.index);
				queue.push(c.node);
			}
		}
	};
	const expectedInputs = (name) => {
		const all = new Set();
		for (const [from, { main }] of Object.entries(wf.connections)) {
			if (!byName[from]) continue;
			for (const output of main || []) for (const c of output || []) if (c.node === name) all.add(c.index);
		}
		return all;
	};
	reached.add('Which path?');
	fire('Which path?');
	while (queue.length) {
		const name = queue.shift();
		if (reached.has(name)) continue;
		const node = byName[name];
		const waitsForAll = node.type === 'n8n-nodes-base.merge' && node.parameters.mode === 'chooseBranch';
		if (waitsForAll && [...expectedInputs(name)].some((i) => !inputs[name].has(i))) continue;
		reached.add(name);
		fire(name);
	}
	return [...reached].filter((name) => byName[name].type === 'n8n-nodes-base.dataTable').sort();
}

describe.each(FILES)('%s: Data table calls on the reply path', (file) => {
	const wf = JSON.parse(fs.readFileSync(path.join(WORKFLOWS, file), 'utf8'));
	const calls = replyPathDataTableCalls(wf);

	test(`a story reply from a new sender makes at most ${BUDGET} Data table calls before and after its DM`, () => {
		// Printed with the names on failure: which call came back.
		expect({ count: calls.length, calls }).toEqual({ count: Math.min(calls.length, BUDGET), calls });
	});

	test('the path still stores the delivery, takes, fences and releases the lease, and logs the send ahead', () => {
		for (const step of [
			'Store events',
			'Remember last message time',
			'Take send lease (reply)',
			'Read sender consent',
			'Read sends of the last day',
			'Claim the sends',
			'Hold the lease',
			'Log send',
			'Save state after send',
			'Release send lease (reply)',
		]) {
			expect(calls).toContain(step);
		}
		// Released once, at the end (then who still waits is read): not after sending as well.
		expect(calls.filter((name) => name.startsWith('Release send lease'))).toEqual(['Release send lease (reply)']);
		expect(calls).toContain('Anyone waiting?');
	});

	test('the CRM steps hold no Data table node (the walk takes all their branches)', () => {
		expect(wf.nodes.filter((n) => n.name.startsWith('CRM: ') && n.type === 'n8n-nodes-base.dataTable')).toEqual([]);
	});
});
