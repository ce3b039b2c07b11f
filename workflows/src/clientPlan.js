// The rules of the "New client" template, as plain functions. newClient.js embeds their source in the template's
// Code nodes (so each function must be self-contained: no requires, no outside names), and
// test/unit/newClient.test.js calls them directly.

/**
 * Plans one client's workflows from the form answer: the table prefix derived from the name, the refusal of a
 * prefix that clashes with another client's, and each workflow (Set-up, Part 1, Part 2, Report) made from the
 * current templates with the client's settings, credentials and webhook paths, created or updated in place.
 *
 * input: {
 *   form:      the form answer ({ 'Client name', 'Instagram credential', 'Instagram account id', CRM, 'CRM credential',
 *              'Time zone', 'DMs per run', 'DMs per hour', 'DMs per day', 'Lead tag', 'Segment tag prefix',
 *              'Engaged tag', 'Recent Activity tag', 'Disengaged tag', 'Inactive tag' }),
 *   templates: { setup, part1: { activecampaign, hubspot }, part2: { activecampaign, hubspot }, report },
 *   clients:   rows of the client list ({ clientName, tablePrefix, setupWorkflowId, … }),
 *   existing:  workflows of this n8n ({ id, name, active }),
 *   baseUrl:   this n8n's public address ending in '/',
 *   tableSuffixes: the Data table suffixes of a client; reservedTables: names that no client table may match,
 *   defaultPrefix: the single-client prefix (story_leads_), reserved.
 * }
 * Returns { refused: true, message } or { refused: false, client, workflows: [...], links, message }.
 */
function planClient(input) {
	const { form, templates, clients = [], existing = [], baseUrl, tableSuffixes, reservedTables = [], defaultPrefix } = input;
	const text = (value) => (value === undefined || value === null ? '' : String(value).trim());
	const clientName = text(form['Client name']).replace(/\s+/g, ' ');
	const refuse = (message) => ({ refused: true, message });
	if (!clientName) return refuse('The client name is empty.');

	const slug = clientName
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '_')
		.replace(/^_+|_+$/g, '')
		.slice(0, 30)
		.replace(/_+$/, '');
	if (!slug) return refuse(`"${clientName}" has no letters or digits to make a table prefix from.`);
	const tablePrefix = `${slug}_`;

	// n8n finds a Data table by name with a case-insensitive "contains" (SQL LIKE, where "_" matches any character),
	// so two clients' tables must never match each other's names, in either direction.
	const likeContains = (haystack, needle) => {
		for (let start = 0; start + needle.length <= haystack.length; start++) {
			let ok = true;
			for (let i = 0; i < needle.length && ok; i++) ok = needle[i] === '_' || needle[i] === haystack[start + i];
			if (ok) return true;
		}
		return false;
	};
	const tablesOf = (prefix) => tableSuffixes.map((suffix) => `${prefix}${suffix}`);
	const clash = (ours, theirs) =>
		ours.some((a) => theirs.some((b) => likeContains(a, b) || likeContains(b, a)));
	const sameName = (name) => text(name).toLowerCase() === clientName.toLowerCase();
	if (clash(tablesOf(tablePrefix), [...tablesOf(defaultPrefix), ...reservedTables])) {
		return refuse(
			`The table prefix "${tablePrefix}" of "${clientName}" would mix its tables with the single-client tables (${defaultPrefix}…). Choose another client name.`,
		);
	}
	const known = clients.find((c) => c.tablePrefix === tablePrefix);
	if (known && !sameName(known.clientName)) {
		return refuse(
			`The table prefix "${tablePrefix}" is already used by the client "${known.clientName}". "${clientName}" would share its consent records and contacts: choose a name that differs in its letters or digits.`,
		);
	}
	const overlapping = clients.find(
		(c) => c.tablePrefix && c.tablePrefix !== tablePrefix && clash(tablesOf(tablePrefix), tablesOf(c.tablePrefix)),
	);
	if (overlapping) {
		return refuse(
			`The table prefix "${tablePrefix}" of "${clientName}" overlaps "${overlapping.tablePrefix}" of the client "${overlapping.clientName}" (n8n finds tables by a part of their name). Choose a more distinct name.`,
		);
	}

	const crm = /hubspot/i.test(text(form.CRM)) ? 'hubspot' : 'activecampaign';
	const instagramCredential = text(form['Instagram credential']);
	const crmCredential = text(form['CRM credential']);
	if (!instagramCredential) return refuse('The Instagram credential (its name or id) is empty.');
	if (!crmCredential) return refuse('The CRM credential (its name or id) is empty.');

	// Deterministic per client, so a re-run keeps every URL (Meta's callback, the forms) the same.
	const hashHex = (seed) => {
		let out = '';
		for (let round = 0; out.length < 32; round++) {
			let h = 0x811c9dc5;
			for (const ch of `${round}#${seed}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
			out += h.toString(16).padStart(8, '0');
		}
		return out.slice(0, 32);
	};
	const uuidFor = (seed) => {
		const h = hashHex(seed);
		return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
	};
	const pathSlug = slug.replace(/_/g, '-');

	const number = (value, fallback) => (text(value) === '' ? fallback : Number(text(value)));
	for (const label of ['DMs per run', 'DMs per hour', 'DMs per day']) {
		if (text(form[label]) !== '' && !/^\d+$/.test(text(form[label]))) {
			return refuse(`${label} must be a whole number (0 or more), or empty to keep the current value; got "${text(form[label])}".`);
		}
	}
	const timeZone = text(form['Time zone']) || 'UTC';
	const settingsFor = (key, current) => {
		const pick = (label, field) => (text(form[label]) !== '' ? text(form[label]) : current[field]);
		const common = { tablePrefix };
		if (key === 'setup' || key === 'report') return common;
		if (key === 'part1') {
			return {
				...common,
				instagramAccountId: text(form['Instagram account id']) || current.instagramAccountId,
				timeZone,
				capPerRun: number(form['DMs per run'], current.capPerRun),
				capPerHour: number(form['DMs per hour'], current.capPerHour),
				capPerDay: number(form['DMs per day'], current.capPerDay),
				leadTag: pick('Lead tag', 'leadTag'),
				segmentTagPrefix: pick('Segment tag prefix', 'segmentTagPrefix'),
			};
		}
		return {
			...common,
			engagedTag: pick('Engaged tag', 'engagedTag'),
			recentActivityTag: pick('Recent Activity tag', 'recentActivityTag'),
			disengagedTag: pick('Disengaged tag', 'disengagedTag'),
			inactiveTag: pick('Inactive tag', 'inactiveTag'),
		};
	};

	const LABELS = { setup: 'Set-up', part1: 'Part 1', part2: 'Part 2', report: 'Report' };
	const nameOf = (key) => `Story Leads [${clientName}] — ${LABELS[key]}`;
	const CRM_CREDENTIAL_TYPES = ['activeCampaignApi', 'hubspotAppToken'];
	const urls = {};

	const knownRow = clients.find((c) => c.tablePrefix === tablePrefix) || {};
	// An archived workflow (deleted in the editor) is not updated: the client gets a new one.
	const live = existing.filter((w) => !w.isArchived);
	const existingFor = (key) =>
		live.find((w) => knownRow[`${key}WorkflowId`] && w.id === knownRow[`${key}WorkflowId`]) ||
		live.find((w) => w.name === nameOf(key));

	const customise = (key, template) => {
		const wf = JSON.parse(JSON.stringify(template));
		for (const node of wf.nodes) {
			const templateWebhookId = node.webhookId;
			if (node.webhookId) node.webhookId = uuidFor(`${slug}:${node.webhookId}`);
			// A form trigger whose path is its webhook id (Part 1's CSV form, v2.1) keeps that: /form/<the client's id>.
			if (node.type === 'n8n-nodes-base.formTrigger' && node.parameters && node.parameters.path === templateWebhookId) {
				node.parameters.path = node.webhookId;
			}
			// A path with a parameter (the click redirect's r/:token) is already the client's own: n8n puts the node's
			// webhookId (made per client above) in front of it. Suffixing would rename the parameter.
			const path = node.parameters && node.parameters.path;
			if (node.type === 'n8n-nodes-base.webhook' && path && !/(^|\/):/.test(path)) {
				node.parameters.path = `${path}-${pathSlug}`;
			}
			// Bulk inserts name their table literally (n8n inserts in bulk only then): the client's table instead.
			const table = node.parameters && node.parameters.dataTableId;
			if (table && typeof table.value === 'string' && table.value.startsWith(defaultPrefix)) {
				table.value = tablePrefix + table.value.slice(defaultPrefix.length);
			}
			for (const type of Object.keys(node.credentials || {})) {
				if (type === 'instagramApi') node.credentials[type] = { id: instagramCredential, name: instagramCredential };
				if (CRM_CREDENTIAL_TYPES.includes(type)) node.credentials[type] = { id: crmCredential, name: crmCredential };
			}
		}
		const settingsNode = wf.nodes.find((n) => n.name === 'Client settings');
		const assignments = settingsNode.parameters.assignments.assignments;
		// An upgrade keeps the client's own Client settings values (those the form leaves empty, hand edits);
		// expressions (runStartedAt) come from the template.
		const before = (existingFor(key) || {}).nodes || [];
		const oldSettings = before.find((n) => n.name === 'Client settings');
		const kept = Object.fromEntries(
			((oldSettings && oldSettings.parameters.assignments && oldSettings.parameters.assignments.assignments) || []).map((a) => [a.name, a.value]),
		);
		const current = {};
		for (const a of assignments) {
			const own = typeof a.value === 'string' && a.value.startsWith('=');
			current[a.name] = !own && Object.prototype.hasOwnProperty.call(kept, a.name) ? kept[a.name] : a.value;
		}
		const values = { ...current, ...settingsFor(key, current) };
		for (const a of assignments) a.value = values[a.name];
		return wf;
	};

	const made = {
		setup: customise('setup', templates.setup),
		part1: customise('part1', templates.part1[crm]),
		part2: customise('part2', templates.part2[crm]),
		report: customise('report', templates.report),
	};
	const nodeIn = (key, name) => made[key].nodes.find((n) => n.name === name);
	urls.instagramWebhook = `${baseUrl}webhook/${nodeIn('part1', 'Instagram Story Trigger').webhookId}/webhook`;
	urls.engagementWebhook = `${baseUrl}webhook/${nodeIn('part2', 'Engagement webhook').parameters.path}`;
	urls.viewerForm = `${baseUrl}form/${nodeIn('part1', 'Upload viewer CSV').webhookId}`;
	urls.reportPage = `${baseUrl}webhook/${nodeIn('report', 'Report page').parameters.path}`;
	const part1Settings = nodeIn('part1', 'Client settings').parameters.assignments.assignments;
	part1Settings.find((a) => a.name === 'engagementWebhookUrl').value = urls.engagementWebhook;

	const workflows = Object.keys(made).map((key) => {
		const found = existingFor(key);
		const body = { name: nameOf(key), nodes: made[key].nodes, connections: made[key].connections, settings: made[key].settings };
		return {
			key,
			name: nameOf(key),
			action: found ? 'update' : 'create',
			id: found ? found.id : '',
			wasPublished: Boolean(found && found.active),
			workflowObject: JSON.stringify(body),
		};
	});
	const updating = workflows.some((w) => w.action === 'update');
	return {
		refused: false,
		updating,
		client: {
			clientName: (known && known.clientName) || clientName,
			tablePrefix,
			crm,
			timeZone,
			tables: tablesOf(tablePrefix).join(', '),
			instagramWebhookUrl: urls.instagramWebhook,
			engagementWebhookUrl: urls.engagementWebhook,
			viewerFormUrl: urls.viewerForm,
			reportUrl: urls.reportPage,
		},
		workflows,
	};
}

/**
 * The form's answer once the workflows exist: links to each, the webhook URL for Meta, and what to do next.
 * saved: [{ key, id, name }]; client: planClient's client; setupOk: whether Set-up ran without error.
 */
function answerFor({ client, saved, baseUrl, updating, setupOk }) {
	const link = (w) => `${w.name}: ${baseUrl}workflow/${w.id}`;
	return [
		`${updating ? 'Updated' : 'Created'} the workflows of ${client.clientName} (tables ${client.tablePrefix}…):`,
		...saved.map(link),
		setupOk ? 'Set-up ran: the Data tables exist.' : 'Set-up did not finish: open it and run it once.',
		`Webhook URL to give Meta (Instagram webhook callback): ${client.instagramWebhookUrl}`,
		`Engagement webhook (Part 2): ${client.engagementWebhookUrl}`,
		`Viewer list form (Part 1): ${client.viewerFormUrl}`,
		`Report page: ${client.reportUrl}`,
		'Then publish Part 1, Part 2 and the Report.',
	].join('\n');
}

/**
 * The client list with each client's last activity: rows of the client list, and executions of their workflows
 * ({ workflowId, startedAt }). Returns one line per client, newest activity first.
 */
function clientListFor({ clients, executions }) {
	const last = {};
	for (const e of executions) {
		if (e.workflowId && e.startedAt && (!last[e.workflowId] || e.startedAt > last[e.workflowId])) last[e.workflowId] = e.startedAt;
	}
	const rows = clients.map((c) => {
		const ids = ['setup', 'part1', 'part2', 'report'].map((k) => c[`${k}WorkflowId`]).filter(Boolean);
		const lastActivityAt = ids.map((id) => last[id] || '').sort().pop() || '';
		return { ...c, lastActivityAt };
	});
	rows.sort((a, b) => (a.lastActivityAt < b.lastActivityAt ? 1 : a.lastActivityAt > b.lastActivityAt ? -1 : 0));
	return rows;
}

/** Text for a form's ending page (n8n shows it as HTML, keeping line breaks): escaped, with its URLs as links. */
function asHtml(text) {
	const escaped = String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
	return escaped.replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}" target="_blank">${url}</a>`);
}

module.exports = { planClient, answerFor, clientListFor, asHtml };
