// Builder for the workflow templates in workflows/*.json. The JSON files are what users import; they are
// generated from these scripts (`npm run templates`) so that node ids, Data table schemas and layouts stay
// consistent, and test/unit/templates.test.js fails when a committed file differs from what the builder makes.
const crypto = require('crypto');

const PACKAGE = 'n8n-nodes-story-leads';
/** Latest version of our nodes that have more than one (the rest are version 1). */
const OUR_VERSIONS = { instagramStoryTrigger: 1.1 };

/** A stable uuid-shaped id from a seed (n8n only needs uniqueness within a workflow). */
function stableId(...parts) {
	const h = crypto.createHash('sha256').update(parts.join('\u0000')).digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

class Template {
	/**
	 * @param {{ id: string, name: string, description?: string, tags?: string[] }} meta
	 */
	constructor(meta) {
		if (meta.id.length > 21) throw new Error(`workflow id ${meta.id} is longer than n8n's 21 characters`);
		this.meta = meta;
		this.nodes = [];
		this.connections = {};
	}

	/** Adds a node; `options` may carry credentials, executeOnce, alwaysOutputData, notes, disabled… */
	node(name, type, typeVersion, position, parameters = {}, options = {}) {
		if (this.nodes.some((n) => n.name === name)) throw new Error(`duplicate node name ${name}`);
		const node = {
			id: stableId(this.meta.id, name),
			name,
			type,
			typeVersion,
			position,
			parameters,
		};
		for (const [key, value] of Object.entries(options)) {
			if (key === 'credentials') {
				// No credential ids in shipped files: n8n's import resolves `{ id: null, name }` to the one
				// credential of that type and name in the project, and the editor asks the user otherwise.
				node.credentials = Object.fromEntries(
					Object.entries(value).map(([credType, credName]) => [credType, { id: null, name: credName }]),
				);
			} else {
				node[key] = value;
			}
		}
		this.nodes.push(node);
		return name;
	}

	/** Our package's node. */
	ours(name, typeName, position, parameters, options) {
		return this.node(name, `${PACKAGE}.${typeName}`, OUR_VERSIONS[typeName] ?? 1, position, parameters, options);
	}

	sticky(name, content, position, { width = 400, height = 300, color = 7 } = {}) {
		return this.node(name, 'n8n-nodes-base.stickyNote', 1, position, { content, height, width, color });
	}

	/** Connects output `from` of `source` to input `to` of `target`. */
	connect(source, target, { from = 0, to = 0 } = {}) {
		for (const name of [source, target]) {
			if (!this.nodes.some((n) => n.name === name)) throw new Error(`connect: unknown node ${name}`);
		}
		const outputs = (this.connections[source] = this.connections[source] || { main: [] });
		while (outputs.main.length <= from) outputs.main.push([]);
		outputs.main[from].push({ node: target, type: 'main', index: to });
	}

	/** Moves nodes: { name: [x, y] }. Every name must exist. */
	place(positions) {
		for (const [name, position] of Object.entries(positions)) {
			const node = this.nodes.find((n) => n.name === name);
			if (!node) throw new Error(`place: unknown node ${name}`);
			node.position = position;
		}
	}

	/** Connects a chain of nodes output 0 → input 0. */
	chain(...names) {
		for (let i = 0; i + 1 < names.length; i++) this.connect(names[i], names[i + 1]);
	}

	toJSON() {
		return {
			id: this.meta.id,
			name: this.meta.name,
			nodes: this.nodes,
			connections: this.connections,
			active: false,
			settings: {
				executionOrder: 'v1',
				saveManualExecutions: true,
				callerPolicy: 'workflowsFromSameOwner',
			},
			pinData: {},
			meta: { templateCredsSetupCompleted: false, description: this.meta.description || '' },
			tags: [],
		};
	}
}

// ---------------------------------------------------------------------------------------------------------
// Built-in node parameter shapes (n8n 2.41, read from n8n-nodes-base's descriptions)

/** Set v3.4 "manual" mode assignment. */
function assignment(name, value, type = 'string') {
	return { id: stableId('assignment', name), name, value, type };
}

function setNode(assignments, { includeOtherFields = false, options = {} } = {}) {
	return {
		mode: 'manual',
		assignments: { assignments },
		includeOtherFields,
		...(includeOtherFields ? { include: 'all' } : {}),
		options,
	};
}

/** A Data table resource locator by name (the name is an expression on the Client settings' table prefix). */
function tableRef(nameExpression) {
	return { __rl: true, mode: 'name', value: nameExpression };
}

const DT_TYPES = { string: 'string', number: 'number', boolean: 'boolean', date: 'dateTime' };

/** Resource-mapper value for Data table row insert/upsert: `{ column: expression }` with its schema. */
function dtColumns(columns, values) {
	return {
		mappingMode: 'defineBelow',
		value: values,
		matchingColumns: [],
		schema: columns.map((c) => ({
			id: c.name,
			displayName: c.name,
			required: false,
			defaultMatch: false,
			display: true,
			type: DT_TYPES[c.type],
			readOnly: false,
			removed: !(c.name in values),
		})),
		attemptToConvertTypes: false,
		convertFieldsToString: false,
	};
}

function condition(keyName, condition, keyValue) {
	return keyValue === undefined ? { keyName, condition } : { keyName, condition, keyValue };
}

/** Data table row update or upsert: `values` written to the rows matching all `conditions`. */
function writeRows(operation, table, columns, values, conditions) {
	return {
		resource: 'row',
		operation,
		dataTableId: tableRef(table),
		matchType: 'allConditions',
		filters: { conditions },
		columns: dtColumns(columns, values),
		options: {},
	};
}

const dataTable = {
	create(tableName, columns) {
		return {
			resource: 'table',
			operation: 'create',
			tableName,
			columns: { column: columns.map((c) => ({ name: c.name, type: c.type })) },
			options: { createIfNotExists: true },
		};
	},
	getAll(table, conditions = [], { matchType = 'allConditions' } = {}) {
		return {
			resource: 'row',
			operation: 'get',
			dataTableId: tableRef(table),
			matchType,
			filters: { conditions },
			returnAll: true,
		};
	},
	insert(table, columns, values) {
		return { resource: 'row', operation: 'insert', dataTableId: tableRef(table), columns: dtColumns(columns, values), options: {} };
	},
	/** Updates the rows matching all `conditions`; outputs the updated rows (none when nothing matched). */
	update(table, columns, values, conditions) {
		return writeRows('update', table, columns, values, conditions);
	},
	/** Passes its input item on only when no row matches all `conditions`. */
	rowNotExists(table, conditions) {
		return { resource: 'row', operation: 'rowNotExists', dataTableId: tableRef(table), matchType: 'allConditions', filters: { conditions } };
	},
	deleteRows(table, conditions) {
		return { resource: 'row', operation: 'deleteRows', dataTableId: tableRef(table), matchType: 'allConditions', filters: { conditions }, options: {} };
	},
	/** Updates the rows matching all `conditions`, or inserts one when none matches. */
	upsert(table, columns, values, conditions) {
		return writeRows('upsert', table, columns, values, conditions);
	},
};

/** Switch v3.2 rule: a boolean expression, with an output name. */
function switchRule(outputKey, booleanExpression) {
	return {
		conditions: {
			options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
			conditions: [
				{
					id: stableId('rule', outputKey),
					leftValue: booleanExpression,
					rightValue: '',
					operator: { type: 'boolean', operation: 'true', singleValue: true },
				},
			],
			combinator: 'and',
		},
		renameOutput: true,
		outputKey,
	};
}

/** If / Filter v2.2 conditions from [leftValue, operator, rightValue?] triples. */
function conditions(list, combinator = 'and') {
	return {
		options: { caseSensitive: true, leftValue: '', typeValidation: 'loose', version: 2 },
		conditions: list.map(([leftValue, operator, rightValue], i) => ({
			id: stableId('condition', String(i), leftValue),
			leftValue,
			rightValue: rightValue === undefined ? '' : rightValue,
			operator,
		})),
		combinator,
	};
}

const op = {
	isTrue: { type: 'boolean', operation: 'true', singleValue: true },
	isFalse: { type: 'boolean', operation: 'false', singleValue: true },
	notEmpty: { type: 'string', operation: 'notEmpty', singleValue: true },
	isEmpty: { type: 'string', operation: 'empty', singleValue: true },
	equals: { type: 'string', operation: 'equals' },
	notEquals: { type: 'string', operation: 'notEquals' },
	arrayNotEmpty: { type: 'array', operation: 'notEmpty', singleValue: true },
	numberGt: { type: 'number', operation: 'gt' },
};

module.exports = {
	PACKAGE,
	Template,
	stableId,
	assignment,
	setNode,
	tableRef,
	dtColumns,
	dataTable,
	condition,
	switchRule,
	conditions,
	op,
};
