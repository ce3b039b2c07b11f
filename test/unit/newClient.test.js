// The "New client" template's rules (workflows/src/clientPlan.js) and the generated workflow: the prefix made from
// the name, the refusal of prefixes that would mix two clients' tables, and each created workflow carrying its
// client's settings, credentials and webhook paths. The real-n8n run is test/e2e/new-client.test.js.
const fs = require('fs');
const path = require('path');
const { planClient, answerFor, clientListFor, asHtml } = require('../../workflows/src/clientPlan');
const newClient = require('../../workflows/src/newClient');
const { TABLES, DEFAULT_TABLE_PREFIX } = require('../../workflows/src/tables');

const templates = newClient.currentTemplates();
const BASE = { templates, baseUrl: 'https://n8n.example.com/', tableSuffixes: Object.values(TABLES).map((t) => t.suffix), reservedTables: [newClient.CLIENTS_TABLE], defaultPrefix: DEFAULT_TABLE_PREFIX };
const FORM = {
	'Client name': 'Acme Shoes',
	'Instagram credential': 'Acme Instagram',
	CRM: 'ActiveCampaign',
	'CRM credential': 'acmeAcCredId',
};
const plan = (form, extra = {}) => planClient({ ...BASE, ...extra, form: { ...FORM, ...form } });
const workflowOf = (p, key) => JSON.parse(p.workflows.find((w) => w.key === key).workflowObject);
const settingsOf = (wf) => Object.fromEntries(wf.nodes.find((n) => n.name === 'Client settings').parameters.assignments.assignments.map((a) => [a.name, a.value]));
const client = (clientName, tablePrefix) => ({ clientName, tablePrefix });

describe('New client: table prefix from the name', () => {
	test.each([
		['Acme Shoes', 'acme_shoes_'],
		['  ACME   shoes ', 'acme_shoes_'],
		['Café Müller & Söhne', 'cafe_muller_sohne_'],
		['O’Neil-Fitness 24/7', 'o_neil_fitness_24_7_'],
		['A very long client name that goes on and on', 'a_very_long_client_name_that_g_'],
	])('%s → %s', (name, prefix) => {
		expect(plan({ 'Client name': name }).client.tablePrefix).toBe(prefix);
	});

	test('a name without letters or digits is refused', () => {
		expect(plan({ 'Client name': '!!! ???' })).toEqual({ refused: true, message: expect.stringContaining('no letters or digits') });
		expect(plan({ 'Client name': '' })).toEqual({ refused: true, message: 'The client name is empty.' });
	});
});

describe('New client: prefixes that would mix two clients are refused', () => {
	test('the same prefix under another name is refused, naming the client that has it', () => {
		const p = plan({ 'Client name': 'ACME-shoes!' }, { clients: [client('Acme Shoes', 'acme_shoes_')] });
		expect(p.refused).toBe(true);
		expect(p.message).toContain('"acme_shoes_" is already used by the client "Acme Shoes"');
	});

	test('the same client typed in another case is the same client (an update, not a refusal)', () => {
		const p = plan({ 'Client name': 'acme shoes' }, { clients: [client('Acme Shoes', 'acme_shoes_')] });
		expect(p.refused).toBe(false);
		expect(p.client.clientName).toBe('Acme Shoes');
	});

	test.each([
		['Shoes', 'Acme Shoes', 'acme_shoes_'], // shoes_events is part of acme_shoes_events
		['Acme Shoes Outlet', 'Shoes Outlet', 'shoes_outlet_'],
		['ab c', 'abxc', 'abxc_'], // "_" matches any character in n8n's name search
	])('%s overlaps %s', (name, otherName, otherPrefix) => {
		const p = plan({ 'Client name': name }, { clients: [client(otherName, otherPrefix)] });
		expect(p.refused).toBe(true);
		expect(p.message).toContain(`overlaps "${otherPrefix}" of the client "${otherName}"`);
	});

	test.each(['Story Leads', 'Leads', 'S'])('%s would mix with the single-client tables', (name) => {
		const p = plan({ 'Client name': name });
		expect(p.refused).toBe(true);
		expect(p.message).toContain(DEFAULT_TABLE_PREFIX);
	});

	test('distinct names pass', () => {
		expect(plan({ 'Client name': 'Bcme Shoes' }, { clients: [client('Acme Shoes', 'acme_shoes_'), client('Zeta', 'zeta_')] }).refused).toBe(false);
	});

	test('caps must be whole numbers; credentials must be given', () => {
		expect(plan({ 'DMs per day': 'ten' }).message).toContain('DMs per day must be a whole number');
		expect(plan({ 'CRM credential': ' ' }).message).toContain('CRM credential');
		expect(plan({ 'Instagram credential': '' }).message).toContain('Instagram credential');
	});
});

describe("New client: every created workflow carries its client's settings", () => {
	const acme = plan({ 'DMs per run': '5', 'DMs per day': '0', 'Time zone': 'Europe/Berlin', 'Lead tag': 'acme-lead', 'Inactive tag': 'Gone', 'Instagram account id': '1784' });
	const other = plan({ 'Client name': 'Bcme Shoes' });

	test('four workflows, named after the client, all to be created', () => {
		expect(acme.workflows.map((w) => [w.key, w.action, w.name])).toEqual([
			['setup', 'create', 'Story Leads [Acme Shoes] — Set-up'],
			['part1', 'create', 'Story Leads [Acme Shoes] — Part 1'],
			['part2', 'create', 'Story Leads [Acme Shoes] — Part 2'],
			['report', 'create', 'Story Leads [Acme Shoes] — Report'],
		]);
		for (const w of acme.workflows) expect(Object.keys(JSON.parse(w.workflowObject)).sort()).toEqual(['connections', 'name', 'nodes', 'settings']);
	});

	test.each(['setup', 'part1', 'part2', 'report'])('%s: the table prefix, and no Data table outside it', (key) => {
		const wf = workflowOf(acme, key);
		expect(settingsOf(wf).tablePrefix).toBe('acme_shoes_');
		for (const node of wf.nodes.filter((n) => n.type === 'n8n-nodes-base.dataTable')) {
			const name = node.parameters.dataTableId ? node.parameters.dataTableId.value : node.parameters.tableName;
			// Click settings (Part 2's click redirect) reads the prefix from Client settings' parameters.
			const ok =
				name.includes("$('Client settings').first().json.tablePrefix") ||
				name.includes("$('Click settings').first().json.tablePrefix") ||
				name.startsWith('acme_shoes_');
			expect({ node: node.name, name, ok }).toEqual({ node: node.name, name, ok: true });
		}
	});

	test('Part 1 and Part 2 get the form values; empty fields keep the template values', () => {
		expect(settingsOf(workflowOf(acme, 'part1'))).toEqual(
			expect.objectContaining({ capPerRun: 5, capPerHour: 50, capPerDay: 0, timeZone: 'Europe/Berlin', leadTag: 'acme-lead', segmentTagPrefix: 'ig-', instagramAccountId: '1784', engagementWebhookUrl: acme.client.engagementWebhookUrl }),
		);
		expect(settingsOf(workflowOf(acme, 'part2'))).toEqual(expect.objectContaining({ inactiveTag: 'Gone', engagedTag: 'Engaged' }));
		expect(settingsOf(workflowOf(other, 'part1')).timeZone).toBe('UTC');
	});

	test("the client's credentials (name or id) on every Instagram and CRM node; shared ones by name as shipped", () => {
		for (const key of ['part1', 'part2']) {
			for (const node of workflowOf(acme, key).nodes) {
				const creds = node.credentials || {};
				if (creds.instagramApi) expect(creds.instagramApi).toEqual({ id: 'Acme Instagram', name: 'Acme Instagram' });
				if (creds.activeCampaignApi) expect(creds.activeCampaignApi).toEqual({ id: 'acmeAcCredId', name: 'acmeAcCredId' });
				if (creds.httpHeaderAuth) expect(creds.httpHeaderAuth).toEqual({ id: null, name: 'Story Leads engagement webhook' });
			}
		}
		const hubspot = plan({ CRM: 'HubSpot', 'CRM credential': 'Acme HubSpot' });
		const types = workflowOf(hubspot, 'part1').nodes.flatMap((n) => Object.entries(n.credentials || {}));
		expect(types.filter(([type]) => type === 'hubspotAppToken').map(([, ref]) => ref.name)).toEqual(expect.arrayContaining(['Acme HubSpot']));
		expect(types.filter(([type]) => type === 'activeCampaignApi')).toEqual([]);
	});

	test('webhook ids and paths are per client, and the same on every run', () => {
		const hooks = (p) =>
			p.workflows.flatMap((w) =>
				JSON.parse(w.workflowObject)
					.nodes.flatMap((n) => {
						// Other triggers with a path (Part 1's CSV form, v2.1) are served under it: it must be the client's too.
						if (n.type !== 'n8n-nodes-base.webhook') return [n.webhookId, n.parameters && n.parameters.path];
						// A path with a parameter is served under the node's webhookId: /webhook/<webhookId>/r/:token.
						const dynamic = /(^|\/):/.test(n.parameters.path);
						return [n.webhookId, dynamic ? `${n.webhookId}/${n.parameters.path}` : n.parameters.path];
					})
					.filter(Boolean),
			);
		const shipped = new Set(Object.values(templates).flatMap((t) => (t.nodes ? [t] : Object.values(t))).flatMap((t) => t.nodes.map((n) => n.webhookId).filter(Boolean)));
		const acmeHooks = hooks(acme);
		expect(acmeHooks.length).toBeGreaterThan(5);
		expect(acmeHooks.filter((h) => shipped.has(h))).toEqual([]);
		expect(acmeHooks.filter((h) => hooks(other).includes(h))).toEqual([]);
		expect(hooks(plan({ 'DMs per run': '5' }))).toEqual(acmeHooks);
		// The click redirect keeps its parameter name (the Record click node reads params.token).
		expect(workflowOf(acme, 'part2').nodes.find((n) => n.name === 'Click redirect').parameters.path).toBe('r/:token');
		expect(acme.client).toEqual(
			expect.objectContaining({
				instagramWebhookUrl: expect.stringMatching(/^https:\/\/n8n\.example\.com\/webhook\/[0-9a-f-]{36}\/webhook$/),
				engagementWebhookUrl: 'https://n8n.example.com/webhook/story-leads-engagement-acme-shoes',
				reportUrl: 'https://n8n.example.com/webhook/story-leads-report-acme-shoes',
			}),
		);
	});
});

describe('New client: a re-run updates the same workflows in place', () => {
	const first = plan({ 'DMs per run': '5' });
	// The workflows as n8n lists them, one by the client list's id, the others by name; Part 1 published and hand-edited.
	const existing = first.workflows.map((w, i) => {
		const wf = JSON.parse(w.workflowObject);
		if (w.key === 'part1') wf.nodes.find((n) => n.name === 'Client settings').parameters.assignments.assignments.find((a) => a.name === 'requireOptIn').value = true;
		return { id: `wf${i}`, name: i === 0 ? 'renamed by hand' : w.name, active: w.key === 'part1', nodes: wf.nodes };
	});
	const again = plan({ 'DMs per day': '20' }, { clients: [{ ...client('Acme Shoes', 'acme_shoes_'), setupWorkflowId: 'wf0' }], existing });

	test('each workflow is an update of its id; a published one is published again', () => {
		expect(again.updating).toBe(true);
		expect(again.workflows.map((w) => [w.key, w.action, w.id, w.wasPublished])).toEqual([
			['setup', 'update', 'wf0', false],
			['part1', 'update', 'wf1', true],
			['part2', 'update', 'wf2', false],
			['report', 'update', 'wf3', false],
		]);
	});

	test('an archived workflow (deleted in the editor) is replaced by a new one', () => {
		const archived = existing.map((w) => (w.id === 'wf2' ? { ...w, isArchived: true } : w));
		const p = plan({}, { clients: [client('Acme Shoes', 'acme_shoes_')], existing: archived });
		expect(p.workflows.map((w) => [w.key, w.action])).toEqual([
			['setup', 'create'],
			['part1', 'update'],
			['part2', 'create'],
			['report', 'update'],
		]);
	});

	test("the client's earlier values stay (form and hand edits); the new form value applies; URLs unchanged", () => {
		expect(settingsOf(workflowOf(again, 'part1'))).toEqual(expect.objectContaining({ capPerRun: 5, capPerDay: 20, requireOptIn: true }));
		expect(settingsOf(workflowOf(again, 'part1')).runStartedAt).toBe(settingsOf(templates.part1.activecampaign).runStartedAt);
		expect(again.client.instagramWebhookUrl).toBe(first.client.instagramWebhookUrl);
	});
});

describe('New client: the generated workflow', () => {
	const wf = JSON.parse(fs.readFileSync(path.join(__dirname, '../../workflows', newClient.file), 'utf8'));
	const node = (name) => wf.nodes.find((n) => n.name === name);

	test('embeds the current templates, built by their builders', () => {
		const code = node("Plan the client's workflows").parameters.jsCode;
		const line = code.split('\n').find((l) => l.startsWith('const TEMPLATES = '));
		expect(JSON.parse(line.slice('const TEMPLATES = '.length, -1))).toEqual(templates);
	});

	test("its Code nodes run on their own: the plan from a form answer, the answer, the client list", () => {
		const form = { ...FORM };
		const $ = (name) => {
			const items = {
				'New client form': [{ json: form }],
				'Client settings': [{ json: { clientListTable: newClient.CLIENTS_TABLE, n8nAddress: '' } }],
				'Read client list': [{ json: {} }],
				'Workflows in this n8n': [{ json: {} }],
			}[name];
			return { first: () => items[0], all: () => items };
		};
		const $execution = { resumeUrl: 'https://n8n.example.com/webhook-waiting/42' };
		const run = (code, scope) => new Function(...Object.keys(scope), code)(...Object.values(scope));
		const [{ json: p }] = run(node("Plan the client's workflows").parameters.jsCode, { $, $execution });
		expect(p.client.tablePrefix).toBe('acme_shoes_');
		expect(p.client.instagramWebhookUrl.startsWith('https://n8n.example.com/webhook/')).toBe(true);

		const saved = p.workflows.map((w, i) => ({ json: { id: `id${i}`, name: w.name } }));
		const $2 = (name) => {
			const items = {
				"Plan the client's workflows": [{ json: p }],
				'Saved workflows': saved,
				'Run Set-up': [{ json: {} }],
				'Client settings': [{ json: { n8nAddress: '' } }],
			}[name];
			return { first: () => items[0], all: () => items };
		};
		const $now = { toUTC: () => ({ toISO: () => '2026-03-10T10:00:00.000Z' }) };
		const [{ json: record }] = run(node('Client record').parameters.jsCode, { $: $2, $execution, $now });
		expect(record).toEqual(expect.objectContaining({ tablePrefix: 'acme_shoes_', setupWorkflowId: 'id0', part1WorkflowId: 'id1', reportWorkflowId: 'id3' }));
		expect(record.answer).toContain('<a href="https://n8n.example.com/workflow/id1" target="_blank">');
		for (const column of newClient.CLIENT_COLUMNS) expect(record).toHaveProperty(column.name);
	});

	test('both forms ask for the agency login (Basic Auth)', () => {
		for (const name of ['New client form', 'Client list form']) {
			expect(node(name).parameters.authentication).toBe('basicAuth');
			expect(node(name).credentials).toEqual({ httpBasicAuth: { id: null, name: 'Story Leads agency login' } });
		}
	});

	test('the form fields are the ones the plan reads, in the documented order', () => {
		expect(node('New client form').parameters.formFields.values.map((f) => f.fieldLabel)).toEqual(newClient.FORM_FIELDS.map((f) => f.fieldLabel));
		const planned = plan(Object.fromEntries(newClient.FORM_FIELDS.map((f) => [f.fieldLabel, f.fieldType === 'dropdown' ? 'HubSpot' : '7'])));
		expect(planned.refused).toBe(false);
		expect(settingsOf(workflowOf(planned, 'part2')).engagedTag).toBe('7');
	});
});

describe('New client: answers and the client list', () => {
	test('the answer escapes what the agency typed and links the URLs', () => {
		const html = asHtml(answerFor({
			client: { clientName: '<b>Acme</b>', tablePrefix: 'acme_', instagramWebhookUrl: 'https://x/webhook/1/webhook', engagementWebhookUrl: 'https://x/e', viewerFormUrl: 'https://x/f', reportUrl: 'https://x/r' },
			saved: [{ name: 'Story Leads [<b>Acme</b>] — Part 1', id: '7' }],
			baseUrl: 'https://x/',
			updating: false,
			setupOk: false,
		}));
		expect(html).not.toContain('<b>');
		expect(html).toContain('&lt;b&gt;Acme&lt;/b&gt;');
		expect(html).toContain('<a href="https://x/workflow/7" target="_blank">https://x/workflow/7</a>');
		expect(html).toContain('Set-up did not finish');
	});

	test("clients are listed newest activity first, with their last run's time", () => {
		const list = clientListFor({
			clients: [
				{ clientName: 'A', part1WorkflowId: '1' },
				{ clientName: 'B', part1WorkflowId: '2' },
				{ clientName: 'C', part1WorkflowId: '3' },
			],
			executions: [
				{ workflowId: '1', startedAt: '2026-03-01T00:00:00.000Z' },
				{ workflowId: '2', startedAt: '2026-03-02T00:00:00.000Z' },
			],
		});
		expect(list.map((c) => [c.clientName, c.lastActivityAt])).toEqual([
			['B', '2026-03-02T00:00:00.000Z'],
			['A', '2026-03-01T00:00:00.000Z'],
			['C', ''],
		]);
	});
});
