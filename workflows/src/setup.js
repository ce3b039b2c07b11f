// Template: one-time Set-up. Creates the Data tables both parts use (reuses them when they exist).
const { Template, assignment, setNode, dataTable } = require('./lib');
const { TABLES, DEFAULT_TABLE_PREFIX } = require('./tables');
const { leaseRow } = require('./lease');

const PREFIX = "$('Client settings').first().json.tablePrefix";

function build() {
	const t = new Template({
		id: 'StoryLeadsSetup',
		name: 'Story Leads — Set-up: create the Data tables',
		description: 'Run once per client: creates the Data tables that Part 1 and Part 2 read and write.',
	});

	t.sticky(
		'About this workflow',
		[
			'## Story Leads — Set-up',
			'Creates the **Data tables** that the two Story Leads workflows use:',
			...Object.values(TABLES).map((table) => `- \`${DEFAULT_TABLE_PREFIX}${table.suffix}\`: ${table.description}`),
			'',
			'Tables that already exist are reused (nothing is deleted), so running it twice is safe.',
		].join('\n'),
		[-420, -380],
		{ width: 620, height: 380, color: 4 },
	);
	t.sticky(
		'Set-up steps',
		[
			'### Set-up steps',
			'1. Optional: change **tablePrefix** in *Client settings* (one prefix per client, e.g. `acme_`).',
			'   Use the **same prefix** in Part 1 and Part 2. A prefix must not be part of another client\'s prefix:',
			'   n8n finds tables by name with a *contains* match.',
			'2. Click **Execute workflow**.',
			`3. Open *Overview → Data tables* to see the ${Object.keys(TABLES).length} tables.`,
			'4. Then import Part 1 and Part 2 and set their credentials.',
		].join('\n'),
		[220, -380],
		{ width: 560, height: 260, color: 5 },
	);

	t.sticky(
		'What to change',
		[
			'### What to change',
			'- **tablePrefix** only. Column names are the field names the Story Leads nodes read and write;',
			'  renaming a column breaks the mapping in Part 1 and Part 2.',
			'- To add your own columns, add them here *and* in the Data table nodes that write the table.',
		].join('\n'),
		[800, -380],
		{ width: 440, height: 260, color: 6 },
	);

	t.node('Run once', 'n8n-nodes-base.manualTrigger', 1, [-400, 40]);
	t.node(
		'Client settings',
		'n8n-nodes-base.set',
		3.4,
		[-180, 40],
		setNode([assignment('tablePrefix', DEFAULT_TABLE_PREFIX)]),
		{ notes: 'Edit me: the table prefix of this client (same as in Part 1 and Part 2).', notesInFlow: true },
	);
	t.connect('Run once', 'Client settings');

	let previous = 'Client settings';
	let x = 60;
	for (const table of Object.values(TABLES)) {
		const name = `Create ${table.suffix} table`;
		t.node(
			name,
			'n8n-nodes-base.dataTable',
			1.1,
			[x, 40],
			dataTable.create(`={{ ${PREFIX} }}${table.suffix}`, table.columns),
			{ notes: table.description },
		);
		t.connect(previous, name);
		previous = name;
		x += 220;
	}
	t.node(
		'Tables ready',
		'n8n-nodes-base.set',
		3.4,
		[x, 40],
		setNode([
			assignment(
				'tables',
				`={{ ${JSON.stringify(Object.values(TABLES).map((table) => table.suffix))}.map(s => ${PREFIX} + s) }}`,
				'array',
			),
		]),
	);
	t.connect(previous, 'Tables ready');
	leaseRow(t, previous, [x, 220]);
	return t;
}

module.exports = { build, file: 'setup-story-leads-data-tables.json' };
