// Small builders for the workflows the e2e tests import (plain n8n 2.x JSON).
function node(id, name, type, typeVersion, position, parameters, extra = {}) {
	return { id, name, type, typeVersion, position, parameters, ...extra };
}

/** A Set node (raw JSON) holding `list` under `field`, then a Split Out that emits one item per entry. */
function itemsNodes(id, name, position, field, list) {
	return [
		node(id, name, 'n8n-nodes-base.set', 3.4, position, {
			mode: 'raw',
			jsonOutput: `={{ ${JSON.stringify({ [field]: list })} }}`,
			options: {},
		}),
		node(`${id}s`, `${name} (split)`, 'n8n-nodes-base.splitOut', 1, [position[0] + 200, position[1]], {
			fieldToSplitOut: field,
			options: {},
		}),
	];
}

function manualTrigger(id = 't', name = 'Run now') {
	return node(id, name, 'n8n-nodes-base.manualTrigger', 1, [0, 0], {});
}

/** connections entry: `from` output `output` → node `to` input `input`. */
function link(connections, from, to, output = 0, input = 0) {
	connections[from] = connections[from] || { main: [] };
	while (connections[from].main.length <= output) connections[from].main.push([]);
	connections[from].main[output].push({ node: to, type: 'main', index: input });
	return connections;
}

function workflow(id, name, nodes, connections) {
	return { id, name, active: false, settings: { executionOrder: 'v1' }, nodes, connections };
}

module.exports = { node, itemsNodes, manualTrigger, link, workflow };
