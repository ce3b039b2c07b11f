// The "New client" template in a real n8n 2.x: two clients provisioned through its form (n8n's own API, with an API
// key made as the owner), then proof that they are kept apart — a STOP, a send cap, a conversion and a report of one
// client never show in the other — that a name whose table prefix is taken is refused, and that re-running the form
// for a client upgrades its workflows in place without touching its Data tables. One n8n instance for the file;
// each client has its own fake Graph API and fake ActiveCampaign (scripts/fakes).
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { createInstance, waitForWebhook } = require('../../scripts/n8n/harness');
const { N8nApi, allOutputsOf, outcome, SUCCESS } = require('../../scripts/n8n/n8nApi');
const { setClientSettings, clientSettings, avoidScheduleBoundaries } = require('../../scripts/n8n/stack');
const { submitForm, formAnswer } = require('../../scripts/n8n/forms');
const { envelope, events, deliver, ACCOUNT_ID } = require('../../scripts/n8n/meta');
const { startFakeGraphApi } = require('../../scripts/fakes/graphApi');
const { startFakeActiveCampaign } = require('../../scripts/fakes/activeCampaign');
const { FORM_FIELDS, FORM_PATH, LIST_PATH, CLIENTS_TABLE, file: NEW_CLIENT_FILE } = require('../../workflows/src/newClient');
const { TABLES } = require('../../workflows/src/tables');

jest.setTimeout(20 * 60 * 1000);

const T0 = Date.parse('2026-03-10T10:00:00.000Z'); // a Tuesday, 10:00 UTC: outside quiet hours
const MIN = 60000;
const iso = (ms) => new Date(ms).toISOString();
const SUFFIXES = Object.values(TABLES).map((t) => t.suffix);

// The same person (X) and three more follow both brands; X sends STOP to Alpha only.
const X = '3001';
const PEOPLE = ['3002', '3003', '3004'];

const AGENCY_LOGIN = { user: 'agency', password: crypto.randomBytes(12).toString('hex') };

/** The form's answer as field values in the form's order (empty fields as a browser sends them: ''). */
const formValues = (answers) => FORM_FIELDS.map((f) => (answers[f.fieldLabel] === undefined ? '' : answers[f.fieldLabel]));

describe('New client template: two clients through the form, kept apart, upgraded in place', () => {
	const clients = {};
	let instance;
	let server;
	let api;
	let baseUrl;
	let answers = {};
	let NEW_CLIENT_ID;

	/** Submits the New client form and returns the text of its ending page. */
	async function provision(values) {
		const { status, body } = await submitForm(`${baseUrl}/form/${FORM_PATH}`, formValues(values), { login: AGENCY_LOGIN });
		if (status !== 200 || !body.formWaitingUrl) throw new Error(`form answered ${status}: ${JSON.stringify(body)}`);
		return await formAnswer(api, body.formWaitingUrl);
	}

	const clientRows = async () => await api.dataTableRows(CLIENTS_TABLE);
	const rowOf = async (name) => (await clientRows()).find((r) => r.clientName === name);
	const rows = async (client, suffix) => await api.dataTableRows(`${client.prefix}${suffix}`);
	const dms = (client) => client.graph.requests.filter((r) => r.method === 'POST' && /\/messages$/.test(r.path));
	const recipients = (client) => dms(client).map((r) => r.body.recipient.id);

	async function updateSettings(id, values) {
		const current = await api.getWorkflow(id);
		setClientSettings(current, values);
		await api.request('PATCH', `/workflows/${id}`, { versionId: current.versionId, nodes: current.nodes, connections: current.connections });
	}

	async function disableSchedules(id) {
		const current = await api.getWorkflow(id);
		for (const node of current.nodes) if (node.type === 'n8n-nodes-base.scheduleTrigger') node.disabled = true;
		await api.request('PATCH', `/workflows/${id}`, { versionId: current.versionId, nodes: current.nodes, connections: current.connections });
	}

	beforeAll(async () => {
		for (const [key, name, form] of [
			['alpha', 'Alpha Shoes', { 'DMs per run': '1', 'Lead tag': 'alpha-lead' }],
			['beta', 'Beta Bakery', { 'Lead tag': 'beta-lead', 'Time zone': 'Europe/Berlin' }],
		]) {
			const token = `${key}-token-not-a-secret`;
			clients[key] = {
				name,
				form,
				graph: await startFakeGraphApi({ accessToken: token }),
				ac: await startFakeActiveCampaign(),
				appSecret: crypto.randomBytes(16).toString('hex'),
				token,
			};
		}
		instance = await createInstance();
		const header = { name: 'X-Story-Leads-Key', value: crypto.randomBytes(16).toString('hex') };
		clients.header = header;
		const credentials = [
			{ id: 'slEngagement001', name: 'Story Leads engagement webhook', type: 'httpHeaderAuth', data: header },
			{ id: 'slReportLogin01', name: 'Story Leads report login', type: 'httpBasicAuth', data: { user: 'report', password: 'not-a-secret-1' } },
			{ id: 'slAgencyLogin01', name: 'Story Leads agency login', type: 'httpBasicAuth', data: AGENCY_LOGIN },
		];
		for (const key of ['alpha', 'beta']) {
			const c = clients[key];
			c.instagramCredentialId = `sl${key}Instagram`;
			c.crmCredentialId = `sl${key}ActiveCamp`;
			credentials.push(
				{
					id: c.instagramCredentialId,
					name: `${c.name} Instagram`,
					type: 'instagramApi',
					data: {
						host: 'graph.instagram.com',
						apiVersion: 'v25.0',
						accessToken: c.token,
						accountId: ACCOUNT_ID,
						appSecret: c.appSecret,
						verifyToken: 'story-leads-verify',
						baseUrl: c.graph.url,
					},
				},
				{ id: c.crmCredentialId, name: `${c.name} ActiveCampaign`, type: 'activeCampaignApi', data: { apiUrl: c.ac.url, apiKey: c.ac.apiKey } },
			);
		}
		await instance.importCredentials(credentials);
		const template = JSON.parse(fs.readFileSync(path.join(__dirname, '../../workflows', NEW_CLIENT_FILE), 'utf8'));
		NEW_CLIENT_ID = template.id;
		await instance.importWorkflow(template);
		server = await instance.start();
		baseUrl = `http://127.0.0.1:${instance.port}`;
		api = new N8nApi(baseUrl);
		await api.ensureOwner();
		// The agency's one-time set-up: an API key and the "n8n API (this instance)" credential, then publish.
		const apiKey = await api.createApiKey('New client e2e');
		const n8nCredentialId = await api.createCredential('n8n API (this instance)', 'n8nApi', { apiKey, baseUrl: `${baseUrl}/api/v1` });
		const wf = await api.getWorkflow(template.id);
		for (const node of wf.nodes) if (node.credentials && node.credentials.n8nApi) node.credentials.n8nApi = { id: n8nCredentialId, name: 'n8n API (this instance)' };
		await api.request('PATCH', `/workflows/${template.id}`, { versionId: wf.versionId, nodes: wf.nodes, connections: wf.connections });
		await api.publish(template.id);
		await waitForWebhook(`${baseUrl}/form/${FORM_PATH}`);

		// Alpha names its credentials, Beta gives their ids: the form takes either.
		answers.alpha = await provision({
			'Client name': clients.alpha.name,
			'Instagram credential': `${clients.alpha.name} Instagram`,
			CRM: 'ActiveCampaign',
			'CRM credential': `${clients.alpha.name} ActiveCampaign`,
			...clients.alpha.form,
		});
		answers.beta = await provision({
			'Client name': clients.beta.name,
			'Instagram credential': clients.beta.instagramCredentialId,
			CRM: 'ActiveCampaign',
			'CRM credential': clients.beta.crmCredentialId,
			...clients.beta.form,
		});
		for (const key of ['alpha', 'beta']) {
			const c = clients[key];
			c.row = await rowOf(c.name);
			if (!c.row) throw new Error(`no client list row for ${c.name}; the form answered:\n${answers[key]}\n${server.log().slice(-3000)}`);
			c.prefix = c.row.tablePrefix;
			c.ids = { setup: c.row.setupWorkflowId, part1: c.row.part1WorkflowId, part2: c.row.part2WorkflowId, report: c.row.reportWorkflowId };
		}
	});

	afterAll(async () => {
		if (server) await server.stop();
		if (instance) instance.cleanup();
		for (const key of ['alpha', 'beta']) {
			if (clients[key] && clients[key].graph) await clients[key].graph.close();
			if (clients[key] && clients[key].ac) await clients[key].ac.close();
		}
	});

	test('the form answers with the links and the webhook URL for Meta, and lists each client once', async () => {
		for (const key of ['alpha', 'beta']) {
			const c = clients[key];
			expect(answers[key]).toContain(`Created the workflows of ${c.name}`);
			expect(answers[key]).toContain(`Webhook URL to give Meta (Instagram webhook callback): ${c.row.instagramWebhookUrl}`);
			for (const id of Object.values(c.ids)) expect(answers[key]).toContain(`${baseUrl}/workflow/${id}`);
			expect(answers[key]).toContain('Set-up ran: the Data tables exist.');
		}
		expect(clients.alpha.prefix).toBe('alpha_shoes_');
		expect(clients.beta.prefix).toBe('beta_bakery_');
		expect((await clientRows()).map((r) => r.clientName).sort()).toEqual(['Alpha Shoes', 'Beta Bakery']);
	});

	test("every created workflow carries its client's settings, credentials and webhook paths", async () => {
		const paths = { alpha: new Set(), beta: new Set() };
		for (const key of ['alpha', 'beta']) {
			const c = clients[key];
			for (const [part, id] of Object.entries(c.ids)) {
				const wf = await api.getWorkflow(id);
				expect(wf.name).toBe(`Story Leads [${c.name}] — ${{ setup: 'Set-up', part1: 'Part 1', part2: 'Part 2', report: 'Report' }[part]}`);
				expect(clientSettings(wf).tablePrefix).toBe(c.prefix);
				for (const node of wf.nodes) {
					const creds = node.credentials || {};
					if (creds.instagramApi) expect({ node: node.name, id: creds.instagramApi.id }).toEqual({ node: node.name, id: c.instagramCredentialId });
					if (creds.activeCampaignApi) expect({ node: node.name, id: creds.activeCampaignApi.id }).toEqual({ node: node.name, id: c.crmCredentialId });
					if (node.webhookId) paths[key].add(node.webhookId);
					// n8n serves a path with a route parameter (r/:token) under the node's webhook id.
					if (node.type === 'n8n-nodes-base.webhook') {
						const path = node.parameters.path;
						paths[key].add(path.includes(':') ? `${node.webhookId}/${path}` : path);
					}
				}
			}
			const part1 = clientSettings(await api.getWorkflow(c.ids.part1));
			expect(part1.leadTag).toBe(c.form['Lead tag']);
			expect(part1.engagementWebhookUrl).toBe(c.row.engagementWebhookUrl);
		}
		expect(clientSettings(await api.getWorkflow(clients.alpha.ids.part1))).toEqual(expect.objectContaining({ capPerRun: 1, timeZone: 'UTC' }));
		expect(clientSettings(await api.getWorkflow(clients.beta.ids.part1))).toEqual(expect.objectContaining({ capPerRun: 25, timeZone: 'Europe/Berlin' }));
		// Each client's webhook ids and paths are its own (Part 1 and Part 2 of both clients can be published at once).
		expect(paths.alpha.size).toBeGreaterThan(5);
		expect([...paths.alpha].filter((p) => paths.beta.has(p))).toEqual([]);
		expect(clients.alpha.row.instagramWebhookUrl).not.toBe(clients.beta.row.instagramWebhookUrl);
		expect(clients.alpha.row.engagementWebhookUrl).not.toBe(clients.beta.row.engagementWebhookUrl);
	});

	test('Set-up ran for each client: seven tables per prefix with the free send lease', async () => {
		const names = (await api.dataTables()).map((t) => t.name).sort();
		for (const key of ['alpha', 'beta']) {
			expect(names.filter((n) => n.startsWith(clients[key].prefix))).toEqual(SUFFIXES.map((s) => `${clients[key].prefix}${s}`).sort());
			expect(await rows(clients[key], 'lease')).toEqual([expect.objectContaining({ lease: 'send', lockedUntil: '1970-01-01T00:00:00.000Z' })]);
		}
	});

	test('the forms answer only the agency login', async () => {
		const before = (await api.workflows()).length;
		const anonymous = await submitForm(`${baseUrl}/form/${FORM_PATH}`, formValues({ 'Client name': 'Mallory', 'Instagram credential': 'x', CRM: 'ActiveCampaign', 'CRM credential': 'x' }));
		expect(anonymous.status).toBe(401);
		expect((await submitForm(`${baseUrl}/form/${LIST_PATH}`, [''])).status).toBe(401);
		const wrong = { user: AGENCY_LOGIN.user, password: 'guessed-1' };
		expect((await submitForm(`${baseUrl}/form/${LIST_PATH}`, [''], { login: wrong })).status).toBe(401);
		expect((await api.workflows()).length).toBe(before);
	});

	test('a name whose table prefix belongs to another client is refused, and nothing is created', async () => {
		const before = (await api.workflows()).length;
		const answer = await provision({
			'Client name': 'ALPHA shoes!',
			'Instagram credential': `${clients.beta.name} Instagram`,
			CRM: 'ActiveCampaign',
			'CRM credential': `${clients.beta.name} ActiveCampaign`,
		});
		expect(answer).toContain('Not created');
		expect(answer).toContain('The table prefix "alpha_shoes_" is already used by the client "Alpha Shoes"');
		expect((await api.workflows()).length).toBe(before);
		expect((await clientRows()).map((r) => r.clientName).sort()).toEqual(['Alpha Shoes', 'Beta Bakery']);
	});

	describe('isolation: a STOP, a send cap, a conversion and a report of one client', () => {
		const part1Runs = {};
		const reports = {};

		beforeAll(async () => {
			for (const key of ['alpha', 'beta']) {
				for (const part of ['part1', 'part2']) await updateSettings(clients[key].ids[part], { fixedNow: iso(T0) });
				// The report's period ends at its "now" (exclusive): an hour later, so the sends at T0 are in it.
				await updateSettings(clients[key].ids.report, { fixedNow: iso(T0 + 60 * MIN) });
				// Only the webhook paths are under test here: no schedule may fire while the parts are published.
				for (const part of ['part1', 'part2']) await disableSchedules(clients[key].ids[part]);
			}
			for (const key of ['alpha', 'beta']) {
				const c = clients[key];
				await api.publish(c.ids.part1);
				await api.publish(c.ids.part2);
				await waitForWebhook(c.row.instagramWebhookUrl, { method: 'POST' });
				await waitForWebhook(c.row.engagementWebhookUrl, { method: 'POST' });
			}
			// One delivery per client: X and three others reply to a story; X also writes STOP to Alpha.
			const deliveries = {
				alpha: envelope([
					events.storyReply(X, T0 - 6 * MIN, 'nice'),
					events.message(X, T0 - 5 * MIN, 'STOP'),
					...PEOPLE.map((p, i) => events.storyReply(p, T0 - (4 - i) * MIN, 'love it')),
				]),
				beta: envelope([events.storyReply(X, T0 - 6 * MIN, 'nice'), ...PEOPLE.map((p, i) => events.storyReply(p, T0 - (4 - i) * MIN, 'yum'))]),
			};
			for (const key of ['alpha', 'beta']) {
				const c = clients[key];
				expect((await deliver(c.row.instagramWebhookUrl, deliveries[key], c.appSecret)).status).toBe(200);
				[part1Runs[key]] = await api.waitForExecutions(c.ids.part1, 1, { mode: 'webhook', timeoutMs: 300000 });
				await api.waitForExecutions(c.ids.part2, 1, { mode: 'webhook', timeoutMs: 300000 });
			}
			// Alpha's shop reports an order by the first person.
			const order = { viewerKey: PEOPLE[0], type: 'conversion', value: 40, currency: 'EUR', occurredAt: iso(T0 - MIN), orderId: 'alpha-order-1' };
			const posted = await fetch(clients.alpha.row.engagementWebhookUrl, {
				method: 'POST',
				headers: { 'content-type': 'application/json', [clients.header.name]: clients.header.value },
				body: JSON.stringify({ events: [order] }),
			});
			expect(posted.status).toBe(200);
			await api.waitForExecutions(clients.alpha.ids.part2, 2, { mode: 'webhook', timeoutMs: 300000 });
			for (const key of ['alpha', 'beta']) {
				await api.unpublish(clients[key].ids.part1);
				await api.unpublish(clients[key].ids.part2);
				reports[key] = await api.runManually(clients[key].ids.report, 'Send summary now');
			}
		});

		test("the STOP sent to Alpha is in Alpha's consent records only: Beta still messages X", async () => {
			expect([part1Runs.alpha, part1Runs.beta].map(outcome)).toEqual([SUCCESS, SUCCESS]);
			expect((await rows(clients.alpha, 'consent')).filter((r) => r.subjectKey === X).map((r) => r.status)).toEqual(['opt_out']);
			expect((await rows(clients.beta, 'consent')).filter((r) => r.subjectKey === X)).toEqual([]);
			const toX = (client) => dms(client).filter((r) => r.body.recipient.id === X);
			expect(toX(clients.alpha)).toHaveLength(1); // the STOP confirmation, nothing more
			expect((await rows(clients.alpha, 'sends')).filter((r) => r.contactId === X).map((r) => r.kind)).toEqual(['confirmation']);
			expect(toX(clients.beta)).toHaveLength(1);
			expect((await rows(clients.beta, 'sends')).filter((r) => r.contactId === X).map((r) => r.kind)).toEqual(['cadence']);
		});

		test("Alpha's cap of one DM per run holds Alpha's other replies back; Beta's default cap sends all of its own", async () => {
			const alphaSent = recipients(clients.alpha).filter((id) => PEOPLE.includes(id));
			expect(alphaSent).toHaveLength(1);
			const [, held = []] = allOutputsOf(part1Runs.alpha, 'Send caps');
			expect(held.map((h) => h.reason)).toEqual(['rate_limited', 'rate_limited']);
			expect(recipients(clients.beta).sort()).toEqual([X, ...PEOPLE].sort());
			const [, betaHeld = []] = allOutputsOf(part1Runs.beta, 'Send caps');
			expect(betaHeld).toEqual([]);
		});

		test("Alpha's conversion is in Alpha's tables and CRM only", async () => {
			expect((await rows(clients.alpha, 'conversions')).map((r) => r.orderId)).toEqual(['alpha-order-1']);
			expect(await rows(clients.beta, 'conversions')).toEqual([]);
			const converted = async (client) => (await rows(client, 'cadence')).filter((r) => r.convertedAt).map((r) => r.contactId);
			expect(await converted(clients.alpha)).toEqual([PEOPLE[0]]);
			expect(await converted(clients.beta)).toEqual([]);
			expect(clients.alpha.ac.deals.size).toBe(1);
			expect(clients.beta.ac.deals.size).toBe(0);
			// Each CRM got its own client's lead tag only.
			expect(clients.beta.ac.tagNamesOf(`ig-${PEOPLE[0]}@instagram-lead.invalid`)).toContain('beta-lead');
			expect(clients.beta.ac.tagNamesOf(`ig-${PEOPLE[0]}@instagram-lead.invalid`)).not.toContain('alpha-lead');
		});

		test("each client's report counts its own messages and orders only", () => {
			const [alpha] = allOutputsOf(reports.alpha, 'Funnel report');
			const [beta] = allOutputsOf(reports.beta, 'Funnel report');
			expect([outcome(reports.alpha), outcome(reports.beta)]).toEqual([SUCCESS, SUCCESS]);
			const stage = (report, name) => report.funnel.find((s) => s.stage === name).count;
			expect({ messaged: stage(alpha[0], 'messaged'), orders: alpha[0].conversions.count, revenue: alpha[0].conversions.revenue }).toEqual({
				messaged: 1,
				orders: 1,
				revenue: 40,
			});
			expect({ messaged: stage(beta[0], 'messaged'), orders: beta[0].conversions.count, revenue: beta[0].conversions.revenue }).toEqual({
				messaged: 4,
				orders: 0,
				revenue: 0,
			});
		});

		test('the client list form shows both clients with their workflows, tables and last Part 1 run', async () => {
			const { body } = await submitForm(`${baseUrl}/form/${LIST_PATH}`, [''], { login: AGENCY_LOGIN });
			const text = await formAnswer(api, body.formWaitingUrl);
			for (const key of ['alpha', 'beta']) {
				const c = clients[key];
				expect(text).toContain(`${c.name} (activecampaign, tables ${c.prefix}…, last Part 1 run: `);
				expect(text).toContain(`part1: ${baseUrl}/workflow/${c.ids.part1}`);
				expect(text).toContain(`Meta webhook: ${c.row.instagramWebhookUrl}`);
			}
			expect(text).not.toMatch(/last Part 1 run: never/);
		});
	});

	describe('a newer release of the template, then the form again for Alpha: its workflows are upgraded in place', () => {
		let before;
		let after;
		let answer;

		const snapshot = async () => {
			const tables = {};
			for (const key of ['alpha', 'beta']) {
				for (const suffix of SUFFIXES) tables[`${clients[key].prefix}${suffix}`] = await rows(clients[key], suffix);
			}
			const workflows = Object.fromEntries((await api.workflows()).map((w) => [w.id, w]));
			return { tables, workflows };
		};

		/**
		 * A newer release of the New client workflow, as an agency imports it: its embedded Part 1 template has a new
		 * Client settings field and a changed node.
		 */
		async function installNewerRelease() {
			const wf = await api.getWorkflow(NEW_CLIENT_ID);
			const plan = wf.nodes.find((n) => n.name === "Plan the client's workflows");
			const lines = plan.parameters.jsCode.split('\n');
			const index = lines.findIndex((l) => l.startsWith('const TEMPLATES = '));
			const templates = JSON.parse(lines[index].slice('const TEMPLATES = '.length, -1));
			const part1 = templates.part1.activecampaign;
			part1.nodes.find((n) => n.name === 'Client settings').parameters.assignments.assignments.push({ id: 'release-2', name: 'releaseMarker', value: 'release 2', type: 'string' });
			part1.nodes.find((n) => n.name === 'Send DM').notes = 'Changed in release 2.';
			lines[index] = `const TEMPLATES = ${JSON.stringify(templates)};`;
			plan.parameters.jsCode = lines.join('\n');
			await api.request('PATCH', `/workflows/${NEW_CLIENT_ID}`, { versionId: wf.versionId, nodes: wf.nodes, connections: wf.connections });
			await api.publish(NEW_CLIENT_ID);
			await waitForWebhook(`${baseUrl}/form/${FORM_PATH}`);
		}

		beforeAll(async () => {
			await installNewerRelease();
			await avoidScheduleBoundaries(180000);
			await api.publish(clients.alpha.ids.part1); // a live client: the upgrade must keep it published
			before = await snapshot();
			answer = await provision({
				'Client name': 'Alpha Shoes',
				'Instagram credential': `${clients.alpha.name} Instagram`,
				CRM: 'ActiveCampaign',
				'CRM credential': `${clients.alpha.name} ActiveCampaign`,
				'DMs per run': '3',
				'Lead tag': 'alpha-lead-2',
			});
			after = await snapshot();
		});

		afterAll(async () => {
			await api.unpublish(clients.alpha.ids.part1);
		});

		test('the same four workflows get the new settings; the untouched settings stay', async () => {
			expect(answer).toContain('Updated the workflows of Alpha Shoes');
			expect(Object.keys(after.workflows).sort()).toEqual(Object.keys(before.workflows).sort());
			expect((await rowOf('Alpha Shoes')).part1WorkflowId).toBe(clients.alpha.ids.part1);
			// Part 1's settings changed, so it has a new version (n8n keeps the version of an update that changes nothing).
			expect(after.workflows[clients.alpha.ids.part1].versionId).not.toBe(before.workflows[clients.alpha.ids.part1].versionId);
			const settings = clientSettings(await api.getWorkflow(clients.alpha.ids.part1));
			expect(settings).toEqual(
				expect.objectContaining({ capPerRun: 3, leadTag: 'alpha-lead-2', tablePrefix: 'alpha_shoes_', fixedNow: iso(T0), engagementWebhookUrl: clients.alpha.row.engagementWebhookUrl }),
			);
			expect((await rowOf('Alpha Shoes')).instagramWebhookUrl).toBe(clients.alpha.row.instagramWebhookUrl);
		});

		test("the client's workflows now follow the newer templates: a new setting with its default, a changed node", async () => {
			const part1 = await api.getWorkflow(clients.alpha.ids.part1);
			expect(clientSettings(part1).releaseMarker).toBe('release 2');
			expect(part1.nodes.find((n) => n.name === 'Send DM').notes).toBe('Changed in release 2.');
			const beta = await api.getWorkflow(clients.beta.ids.part1);
			expect(clientSettings(beta).releaseMarker).toBeUndefined();
		});

		test('a published Part 1 stays published, now running the upgraded version', async () => {
			const wf = await api.getWorkflow(clients.alpha.ids.part1);
			expect(wf.activeVersionId).toBe(wf.versionId);
			expect(await waitForWebhook(clients.alpha.row.instagramWebhookUrl, { method: 'POST' })).not.toBe(404);
		});

		test("no row of any table changed, and Beta's workflows were not touched", () => {
			expect(after.tables).toEqual(before.tables);
			for (const id of Object.values(clients.beta.ids)) expect(after.workflows[id].versionId).toBe(before.workflows[id].versionId);
		});
	});
});
