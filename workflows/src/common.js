// Pieces shared by the Part 1 and Part 2 templates: Client settings expressions, Data table nodes and the CRM
// steps (ActiveCampaign by default, HubSpot as the variant).
const { assignment, setNode, dataTable, condition, conditions, op } = require('./lib');
const { TABLES, DEFAULT_TABLE_PREFIX } = require('./tables');

/** `$('Client settings').first().json.<field>` */
const S = (field) => `$('Client settings').first().json.${field}`;
/** The run's "now": the fixed time from Client settings, else the time the run started. */
const NOW = `(${S('fixedNow')} || ${S('runStartedAt')})`;
const tableName = (key) => `={{ ${S('tablePrefix')} }}${TABLES[key].suffix}`;

const SETTINGS_COMMON = [
	assignment('tablePrefix', 'story_leads_'),
	assignment('fixedNow', ''),
	assignment('runStartedAt', '={{ $now.toUTC().toISO() }}'),
];

/** Upsert of a table row keyed on `key`, with every column mapped by `values` (column → expression). */
/** Upsert of one row matched on `key` (a column, or several that must all match). */
function upsertRow(tableKey, key, values, table = tableName(tableKey)) {
	const columns = TABLES[tableKey].columns;
	for (const name of Object.keys(values)) {
		if (!columns.some((c) => c.name === name)) throw new Error(`${tableKey} has no column ${name}`);
	}
	const keys = Array.isArray(key) ? key : [key];
	return dataTable.upsert(table, columns, values, keys.map((k) => condition(k, 'eq', values[k])));
}

/**
 * Bulk insert of new rows. n8n inserts in bulk only when the table reference holds no expression, so this names
 * the table literally with the default prefix (`<tablePrefix>` of Client settings cannot apply here).
 */
function insertRows(tableKey, options = {}) {
	const columns = TABLES[tableKey].columns;
	const insert = dataTable.insert(`${DEFAULT_TABLE_PREFIX}${TABLES[tableKey].suffix}`, columns, {});
	// Fields map to columns by name: no expression per item and column (those dominated a 10,000-row import).
	insert.columns = { ...insert.columns, mappingMode: 'autoMapInputData', value: {} };
	insert.columns.schema = insert.columns.schema.map((c) => ({ ...c, removed: false }));
	return { ...insert, options };
}

function readAll(tableKey, conds = []) {
	return dataTable.getAll(tableName(tableKey), conds);
}

/** Options for Data table reads that feed a second input: run once, and emit one empty item for an empty table. */
const READ_ONCE = { executeOnce: true, alwaysOutputData: true };

/** An ISO time or null for a date column (empty values must be null, not ''). */
const dateOrNull = (expr) => `={{ ${expr} || null }}`;

// ---------------------------------------------------------------------------------------------------------
// CRM steps

/**
 * ActiveCampaign: upsert contacts by email, then add and remove tags by name (tags are created when missing).
 * Input items must carry `email`, `firstName` (may be empty), `tagsToAdd` and `tagsToRemove` (arrays of names).
 * Returns the name of the first node; `from` is connected to it.
 */
function activeCampaignSteps(t, from, { x, y, prefix = '' }) {
	const cred = { credentials: { activeCampaignApi: 'ActiveCampaign account' } };
	const N = (name) => `${prefix}${name}`;
	t.node(
		N('CRM: upsert contact'),
		'n8n-nodes-base.activeCampaign',
		1,
		[x, y],
		{
			resource: 'contact',
			operation: 'create',
			email: '={{ $json.email }}',
			updateIfExists: true,
			additionalFields: { firstName: '={{ $json.firstName || "" }}' },
		},
		{ ...cred, notes: 'Creates the contact, or updates the one with this email (POST /api/3/contact/sync).' },
	);
	t.connect(from, N('CRM: upsert contact'));
	t.node(
		N('CRM: tag changes'),
		'n8n-nodes-base.set',
		3.4,
		[x + 220, y],
		setNode([
			assignment('crmContactId', '={{ $json.id }}'),
			assignment('tagsToAdd', `={{ $('${from}').item.json.tagsToAdd || [] }}`, 'array'),
			assignment('tagsToRemove', `={{ $('${from}').item.json.tagsToRemove || [] }}`, 'array'),
		]),
	);
	t.connect(N('CRM: upsert contact'), N('CRM: tag changes'));
	// The tag list is read once per run; the Merge waits for it so the next nodes can look names up.
	t.node(
		N('CRM: all tags'),
		'n8n-nodes-base.activeCampaign',
		1,
		[x + 440, y + 180],
		{ resource: 'tag', operation: 'getAll', returnAll: true, simple: true },
		{ ...cred, ...READ_ONCE },
	);
	t.node(N('CRM: wait for tag list'), 'n8n-nodes-base.merge', 3.2, [x + 660, y], {
		mode: 'chooseBranch',
		chooseBranchMode: 'waitForAll',
		output: 'specifiedInput',
		useDataOfInput: 1,
	});
	t.connect(N('CRM: tag changes'), N('CRM: wait for tag list'));
	t.connect(N('CRM: tag changes'), N('CRM: all tags'));
	t.connect(N('CRM: all tags'), N('CRM: wait for tag list'), { to: 1 });
	const TAGS = `$('${N('CRM: all tags')}').all().map(t => t.json).filter(t => t.id)`;

	// Adding: one item per (contact, tag name) → tag id → add (creating the tag first when it does not exist).
	t.node(N('CRM: one item per tag to add'), 'n8n-nodes-base.splitOut', 1, [x + 880, y - 120], {
		fieldToSplitOut: 'tagsToAdd',
		include: 'selectedOtherFields',
		fieldsToInclude: 'crmContactId',
		options: { destinationFieldName: 'tagName' },
	});
	t.connect(N('CRM: wait for tag list'), N('CRM: one item per tag to add'));
	t.node(
		N('CRM: find tag id'),
		'n8n-nodes-base.set',
		3.4,
		[x + 1100, y - 120],
		setNode([assignment('tagId', `={{ (${TAGS}.find(t => t.tag === $json.tagName) || {}).id || '' }}`)], {
			includeOtherFields: true,
		}),
	);
	t.connect(N('CRM: one item per tag to add'), N('CRM: find tag id'));
	t.node(
		N('CRM: tag exists?'),
		'n8n-nodes-base.if',
		2.2,
		[x + 1320, y - 120],
		{ conditions: conditions([['={{ $json.tagId }}', op.notEmpty]]), options: {} },
	);
	t.connect(N('CRM: find tag id'), N('CRM: tag exists?'));
	t.node(
		N('CRM: add tag'),
		'n8n-nodes-base.activeCampaign',
		1,
		[x + 1540, y - 220],
		{ resource: 'contactTag', operation: 'add', contactId: '={{ $json.crmContactId }}', tagId: '={{ $json.tagId }}' },
		cred,
	);
	t.connect(N('CRM: tag exists?'), N('CRM: add tag'));
	t.node(N('CRM: each new tag once'), 'n8n-nodes-base.removeDuplicates', 2, [x + 1540, y - 40], {
		operation: 'removeDuplicateInputItems',
		compare: 'selectedFields',
		fieldsToCompare: 'tagName',
		options: {},
	});
	t.connect(N('CRM: tag exists?'), N('CRM: each new tag once'), { from: 1 });
	t.node(
		N('CRM: create tag'),
		'n8n-nodes-base.activeCampaign',
		1,
		[x + 1760, y - 40],
		{
			resource: 'tag',
			operation: 'create',
			tagType: 'contact',
			name: '={{ $json.tagName }}',
			additionalFields: { description: 'Story Leads' },
		},
		cred,
	);
	t.connect(N('CRM: each new tag once'), N('CRM: create tag'));
	t.node(N('CRM: new tag ids'), 'n8n-nodes-base.merge', 3.2, [x + 1980, y - 100], {
		mode: 'combine',
		fieldsToMatchString: '',
		combineBy: 'combineByFields',
		advanced: true,
		mergeByFields: { values: [{ field1: 'tagName', field2: 'tag' }] },
		joinMode: 'enrichInput1',
		options: {},
	});
	t.connect(N('CRM: tag exists?'), N('CRM: new tag ids'), { from: 1 });
	t.connect(N('CRM: create tag'), N('CRM: new tag ids'), { to: 1 });
	t.node(
		N('CRM: add new tag'),
		'n8n-nodes-base.activeCampaign',
		1,
		[x + 2200, y - 100],
		{ resource: 'contactTag', operation: 'add', contactId: '={{ $json.crmContactId }}', tagId: '={{ $json.id }}' },
		cred,
	);
	t.connect(N('CRM: new tag ids'), N('CRM: add new tag'));

	// Removing: the contact's tag links (GET /api/3/contacts/{id} lists them) → the links of the named tags → delete.
	t.node(
		N('CRM: has tags to remove?'),
		'n8n-nodes-base.filter',
		2.2,
		[x + 880, y + 140],
		{ conditions: conditions([['={{ $json.tagsToRemove }}', op.arrayNotEmpty]]), options: {} },
	);
	t.connect(N('CRM: wait for tag list'), N('CRM: has tags to remove?'));
	t.node(
		N('CRM: contact with tags'),
		'n8n-nodes-base.activeCampaign',
		1,
		[x + 1100, y + 140],
		{ resource: 'contact', operation: 'get', contactId: '={{ $json.crmContactId }}' },
		cred,
	);
	t.connect(N('CRM: has tags to remove?'), N('CRM: contact with tags'));
	t.node(
		N('CRM: links to remove'),
		'n8n-nodes-base.set',
		3.4,
		[x + 1320, y + 140],
		setNode([
			assignment(
				'links',
				`={{ ($json.contactTags || []).filter(link => $('${N('CRM: has tags to remove?')}').item.json.tagsToRemove.includes((${TAGS}.find(t => String(t.id) === String(link.tag)) || {}).tag)).map(link => ({ contactTagId: link.id })) }}`,
				'array',
			),
		]),
	);
	t.connect(N('CRM: contact with tags'), N('CRM: links to remove'));
	t.node(N('CRM: one item per link'), 'n8n-nodes-base.splitOut', 1, [x + 1540, y + 140], {
		fieldToSplitOut: 'links',
		include: 'noOtherFields',
		options: {},
	});
	t.connect(N('CRM: links to remove'), N('CRM: one item per link'));
	t.node(
		N('CRM: remove tag'),
		'n8n-nodes-base.activeCampaign',
		1,
		[x + 1760, y + 140],
		{ resource: 'contactTag', operation: 'remove', contactTagId: '={{ $json.contactTagId }}' },
		cred,
	);
	t.connect(N('CRM: one item per link'), N('CRM: remove tag'));
	return N('CRM: upsert contact');
}

/**
 * HubSpot: no tags there, so the tags live in a multi-checkbox contact property (`story_leads_tags`, values
 * separated by `;`). One upsert per contact writes the full tag set (input items carry `email`, `firstName`
 * and `tags`, the complete list). The Instagram id property gets the contact key, except for email-only contacts
 * (Part 2's Engagement webhook: the key is the email): for them that entry writes `email` with its own value (a
 * no-op), so the Instagram id property is neither set to an email nor cleared.
 */
function hubspotSteps(t, from, { x, y, prefix = '', propertyExpression }) {
	const N = (name) => `${prefix}${name}`;
	t.node(
		N('CRM: upsert HubSpot contact'),
		'n8n-nodes-base.hubspot',
		2.2,
		[x, y],
		{
			authentication: 'appToken',
			resource: 'contact',
			operation: 'upsert',
			email: '={{ $json.email }}',
			additionalFields: {
				firstName: '={{ $json.firstName || "" }}',
				customPropertiesUi: {
					customPropertiesValues: [
						{ property: `={{ ${S('hubspotTagsProperty')} }}`, value: propertyExpression },
						{
							property: `={{ $json.contactKey === $json.email ? 'email' : ${S('hubspotKeyProperty')} }}`,
							value: '={{ $json.contactKey }}',
						},
					],
				},
			},
			options: {},
		},
		{
			credentials: { hubspotAppToken: 'HubSpot private app' },
			notes:
				'Upserts by email and writes the tags property and the Instagram id (create the two custom properties first). Email-only contacts have no Instagram id: their second entry rewrites the email itself.',
		},
	);
	t.connect(from, N('CRM: upsert HubSpot contact'));
	return N('CRM: upsert HubSpot contact');
}

/** Grid: column c (240 px apart, column 0 = triggers) and a y. */
const at = (c, y) => [-940 + c * 240, y];

/** Positions of the ActiveCampaign steps, starting at column c: adding on the row above y, removing below. */
function activeCampaignLayout(c, y) {
	return {
		'CRM: upsert contact': at(c, y),
		'CRM: tag changes': at(c + 1, y),
		'CRM: all tags': at(c + 2, y + 180),
		'CRM: wait for tag list': at(c + 3, y),
		'CRM: one item per tag to add': at(c + 4, y - 140),
		'CRM: find tag id': at(c + 5, y - 140),
		'CRM: tag exists?': at(c + 6, y - 140),
		'CRM: add tag': at(c + 7, y - 240),
		'CRM: each new tag once': at(c + 7, y - 60),
		'CRM: create tag': at(c + 8, y - 60),
		'CRM: new tag ids': at(c + 9, y - 140),
		'CRM: add new tag': at(c + 10, y - 140),
		'CRM: has tags to remove?': at(c + 4, y + 160),
		'CRM: contact with tags': at(c + 5, y + 160),
		'CRM: links to remove': at(c + 6, y + 160),
		'CRM: one item per link': at(c + 7, y + 160),
		'CRM: remove tag': at(c + 8, y + 160),
	};
}

module.exports = {
	at,
	activeCampaignLayout, S, NOW, tableName, SETTINGS_COMMON, upsertRow, insertRows, readAll, READ_ONCE, dateOrNull, activeCampaignSteps, hubspotSteps };
