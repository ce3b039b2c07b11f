// Part 1 acknowledges Meta's deliveries only once they are stored (issue 20, docs/queue-mode.md): the trigger's
// "Acknowledge Deliveries" option makes n8n answer when "Acknowledge Meta" runs (or, if it never runs, when the run
// ends: 500 when it failed, and Meta redelivers). n8n's v1 order runs a node's children depth-first, upper one first,
// so "Acknowledge Meta" must come after every storing step and before the steps that can wait for the send lease.
const fs = require('fs');
const path = require('path');

const WORKFLOWS = path.resolve(__dirname, '../../workflows');
const FILES = ['story-viewers-to-consented-leads.json', 'story-viewers-to-consented-leads-hubspot.json'];

describe.each(FILES)('%s: acknowledge after storing', (file) => {
	const wf = JSON.parse(fs.readFileSync(path.join(WORKFLOWS, file), 'utf8'));
	const byName = Object.fromEntries(wf.nodes.map((n) => [n.name, n]));
	const children = (name, output = 0) => ((wf.connections[name] || { main: [] }).main[output] || []).map((c) => c.node);
	const y = (name) => byName[name].position[1];
	/** Children of `name` on `output` in the order n8n's v1 runs them: top to bottom, then left to right. */
	const inOrder = (name, output = 0) =>
		children(name, output).sort((a, b) => y(a) - y(b) || byName[a].position[0] - byName[b].position[0]);

	test('the trigger answers Meta after the workflow stored the delivery', () => {
		expect(byName['Instagram Story Trigger'].parameters.options).toEqual({ acknowledge: 'afterStored' });
		const ack = byName['Acknowledge Meta'];
		expect([ack.type, ack.typeVersion]).toEqual(['n8n-nodes-base.respondToWebhook', 1]);
		expect(ack.parameters).toEqual({ respondWith: 'text', responseBody: 'EVENT_RECEIVED', options: {} });
		expect(ack.executeOnce).toBe(true);
	});

	test('consent records, then events, then the last-message times are stored before the answer', () => {
		// Which path?'s webhook children: the consent steps first, then the events (with the answer under them).
		expect(inOrder('Which path?', 0)).toEqual(['May hold a keyword?', 'Store events', 'Forward to Part 2?']);
		// Only messages that may hold a keyword go to the consent steps (issue 24: no consent read otherwise), and they
		// still run first: the filter is the upper child.
		expect(inOrder('May hold a keyword?')).toEqual(['Consent so far', 'Record consent from messages']);
		expect(children('Consent so far')).toEqual(['Record consent from messages']);
		expect(inOrder('Record consent from messages', 0)).toEqual(['Store consent']);
		expect(children('Store events')).toEqual(['Messages only']);
		expect(children('Messages only')).toEqual(['Remember last message time']);
		// The answer runs before the immediate reply, which can wait for the send lease.
		expect(inOrder('Remember last message time')).toEqual(['Acknowledge Meta', 'Reply at once?']);
	});

	test('the keyword filter lets through every message the consent node could record from', () => {
		const filter = byName['May hold a keyword?'];
		const [condition] = filter.parameters.conditions.conditions;
		// keywordOf (nodes/core/consent/fromMessage.ts): the detected keyword, or the kept text when there is one.
		expect(condition.leftValue).toBe('={{ !!$json.keyword || $json.text !== undefined }}');
		expect(condition.operator.operation).toBe('true');
	});

	test('the confirmations wait for the answer: they can wait for the send lease', () => {
		const merge = byName['Confirm after acknowledging'];
		expect(merge.parameters).toEqual(
			expect.objectContaining({ mode: 'chooseBranch', chooseBranchMode: 'waitForAll', useDataOfInput: 1 }),
		);
		expect(children('Record consent from messages', 1)).toEqual(['Confirm after acknowledging']);
		expect(wf.connections['Acknowledge Meta'].main[0]).toEqual([{ node: 'Confirm after acknowledging', type: 'main', index: 1 }]);
		expect(children('Confirm after acknowledging').sort()).toEqual(['Take send lease (confirmation)', 'Under the lease (confirmation)']);
	});
});
