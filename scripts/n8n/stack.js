// The local stack the template e2e test, `npm start` and `npm run demo` share: fake Instagram Graph API and fake
// ActiveCampaign on 127.0.0.1, a real n8n 2.x with our package, credentials pointing at the fakes, the templates
// imported from workflows/ (only Client settings values may be overridden), n8n started, an owner account.
// With `crm: 'hubspot'`: the HubSpot variants instead, and a fake HubSpot behind a loopback TLS-terminating proxy
// (n8n's HubSpot node hard-codes https://api.hubapi.com; n8n reaches the fake through HTTPS_PROXY).
// With `shopify: {...}`: a fake Shopify shop behind the same proxy and the 'Shopify shop' credential (Part 2's
// Shopify order trigger registers its webhook at https://<shop>.myshopify.com when published).
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { createInstance } = require('./harness');
const { N8nApi } = require('./n8nApi');
const { startFakeActiveCampaign } = require('../fakes/activeCampaign');
const { startFakeHubSpot } = require('../fakes/hubspot');
const { startTlsInterceptProxy } = require('../fakes/tlsProxy');
const { startFakeShopify } = require('../fakes/shopify');
const { ACCOUNT_ID, deliver } = require('./meta');

const WORKFLOWS = path.resolve(__dirname, '../../workflows');
const FILES = {
	setup: 'setup-story-leads-data-tables.json',
	part1: 'story-viewers-to-consented-leads.json',
	part2: 'engagement-tagging.json',
	report: 'story-leads-report.json',
};
const HUBSPOT_FILES = {
	...FILES,
	part1: 'story-viewers-to-consented-leads-hubspot.json',
	part2: 'engagement-tagging-hubspot.json',
};

function loadTemplate(key, files = FILES) {
	return JSON.parse(fs.readFileSync(path.join(WORKFLOWS, files[key]), 'utf8'));
}

/** Sets Client settings values of a workflow object (the only edit the tests make to a template). */
function setClientSettings(workflow, values) {
	const node = workflow.nodes.find((n) => n.name === 'Client settings');
	if (!node) throw new Error(`${workflow.name} has no Client settings node`);
	for (const [name, value] of Object.entries(values)) {
		const entry = node.parameters.assignments.assignments.find((a) => a.name === name);
		if (!entry) throw new Error(`Client settings of ${workflow.name} has no field ${name}`);
		entry.value = value;
	}
	return workflow;
}

function clientSettings(workflow) {
	const node = workflow.nodes.find((n) => n.name === 'Client settings');
	return Object.fromEntries(node.parameters.assignments.assignments.map((a) => [a.name, a.value]));
}

/** Production URL of a webhook node: /webhook/<path> for the Webhook node, /webhook/<webhookId>/<path> for ours. */
function webhookUrl(baseUrl, workflow, nodeName) {
	const node = workflow.nodes.find((n) => n.name === nodeName);
	if (!node) throw new Error(`no node ${nodeName}`);
	if (node.type === 'n8n-nodes-base.webhook') return `${baseUrl}/webhook/${node.parameters.path}`;
	return `${baseUrl}/webhook/${node.webhookId}/webhook`;
}

/**
 * Starts everything. Options:
 *   settings: { part1: {...}, part2: {...}, setup: {...}, report: {...} } Client settings overrides applied before import, or a
 *             function ({ baseUrl, urls }) returning them (to point Part 1's forward step at this n8n's Part 2)
 *   graphApi: a started fake Graph API (required: { url, accessToken })
 *   port: fixed n8n port (npm start uses 5678); default random
 *   env: extra environment for the n8n process (the bench passes NODE_OPTIONS for --cpu-prof)
 *   crm: 'activeCampaign' (default) or 'hubspot' (the -hubspot templates, a fake HubSpot with `hubspotOptions`
 *        (see ../fakes/hubspot.js) reached through a TLS-terminating proxy that refuses every other host)
 *   configure: async (instance) => { webhookBaseUrl } run before anything is imported (e.g. queue mode's env);
 *              the webhook URLs then point at `webhookBaseUrl` (a webhook processor) instead of the main
 *   launch: async (instance) => server, replacing `instance.start()` (e.g. a main, workers and webhook processors)
 *   workflowEdits: { part1: (workflow) => void, ... } edits applied before import, after Client settings
 */
async function startStack({
	settings = {},
	graphApi,
	port,
	appSecret,
	webhookKey,
	reportLogin,
	acOptions,
	crm = 'activeCampaign',
	hubspotOptions,
	shopify: shopifyOptions,
	configure,
	launch,
	workflowEdits = {},
	env,
} = {}) {
	if (!graphApi) throw new Error('startStack needs a fake Graph API');
	const hubspot = crm === 'hubspot' ? await startFakeHubSpot(hubspotOptions) : undefined;
	const shop = shopifyOptions ? await startFakeShopify(shopifyOptions) : undefined;
	const intercepted = {
		...(hubspot ? { 'api.hubapi.com': hubspot.handler } : {}),
		...(shop ? { [shop.host]: shop.handler } : {}),
	};
	const proxy = Object.keys(intercepted).length > 0 ? await startTlsInterceptProxy({ hosts: intercepted }) : undefined;
	const ac = hubspot ? undefined : await startFakeActiveCampaign(acOptions);
	const files = hubspot ? HUBSPOT_FILES : FILES;
	const secret = appSecret || crypto.randomBytes(16).toString('hex');
	const headerValue = webhookKey || crypto.randomBytes(16).toString('hex');
	const login = reportLogin || { user: 'report', password: crypto.randomBytes(12).toString('hex') };
	// Signs the DM links that go through Part 2's click redirect (Cadence Scheduler, Track Clicks).
	const privacyPepper = crypto.randomBytes(16).toString('hex');
	const instance = await createInstance();
	// Only requests to api.hubapi.com and the shop go to the proxy; n8n's own URLs and the other fakes (127.0.0.1) stay direct.
	if (proxy) Object.assign(instance.env, proxy.env());
	if (env) Object.assign(instance.env, env); // e.g. NODE_OPTIONS=--cpu-prof from the bench
	if (port) {
		instance.env.N8N_PORT = String(port);
		instance.env.WEBHOOK_URL = `http://localhost:${port}/`;
		instance.env.N8N_LISTEN_ADDRESS = '127.0.0.1';
	}
	const configured = configure ? (await configure(instance)) || {} : {};
	const baseUrl = `http://127.0.0.1:${instance.env.N8N_PORT}`;
	const hookBase = configured.webhookBaseUrl || baseUrl;
	await instance.importCredentials([
		{
			id: 'slInstagram0001',
			name: 'Instagram account',
			type: 'instagramApi',
			data: {
				host: 'graph.instagram.com',
				apiVersion: 'v25.0',
				accessToken: graphApi.accessToken,
				accountId: ACCOUNT_ID,
				appSecret: secret,
				verifyToken: 'story-leads-verify',
				baseUrl: graphApi.url,
			},
		},
		hubspot
			? { id: 'slHubSpotApp001', name: 'HubSpot private app', type: 'hubspotAppToken', data: { appToken: hubspot.token } }
			: { id: 'slActiveCamp001', name: 'ActiveCampaign account', type: 'activeCampaignApi', data: { apiUrl: ac.url, apiKey: ac.apiKey } },
		{
			id: 'slEngagement001',
			name: 'Story Leads engagement webhook',
			type: 'httpHeaderAuth',
			data: { name: 'X-Story-Leads-Key', value: headerValue },
		},
		{ id: 'slReportLogin01', name: 'Story Leads report login', type: 'httpBasicAuth', data: login },
		{ id: 'slPrivacyPepper', name: 'Story Leads privacy pepper', type: 'storyLeadsPrivacyApi', data: { pepper: privacyPepper } },
		// The report's Meta ad spend (Marketing API, Ads Insights) from the same fake Graph API.
		{ id: 'slMetaAds000001', name: 'Meta Marketing API', type: 'facebookGraphApi', data: { accessToken: graphApi.accessToken } },
		...(shop
			? [
					{
						id: 'slShopifyShop01',
						name: 'Shopify shop',
						type: 'shopifyAccessTokenApi',
						data: { shopSubdomain: shop.shop, accessToken: shop.accessToken, appSecretKey: shop.appSecret },
					},
				]
			: []),
	]);
	const workflows = {};
	for (const key of Object.keys(files)) workflows[key] = loadTemplate(key, files);
	const urls = {
		instagramPart1: webhookUrl(hookBase, workflows.part1, 'Instagram Story Trigger'),
		instagramPart2: webhookUrl(hookBase, workflows.part2, 'Instagram Story Trigger'),
		engagement: webhookUrl(hookBase, workflows.part2, 'Engagement webhook'),
		// Where Part 2's Shopify Trigger asks the shop to post orders (its webhook path is 'webhook' under its webhookId).
		shopifyOrder: webhookUrl(hookBase, workflows.part2, 'Shopify order'),
		// <this>/<signed token>: the Webhook node's path is r/:token, served under its webhookId.
		clickRedirect: `${hookBase}/webhook/${workflows.part2.nodes.find((n) => n.name === 'Click redirect').webhookId}/r`,
		viewerForm: `${hookBase}/form/${workflows.part1.nodes.find((n) => n.name === 'Upload viewer CSV').webhookId}`,
		report: webhookUrl(hookBase, workflows.report, 'Report page'),
	};
	const overrides = typeof settings === 'function' ? settings({ baseUrl, urls }) : settings;
	for (const key of Object.keys(files)) {
		if (overrides[key]) setClientSettings(workflows[key], overrides[key]);
		if (workflowEdits[key]) workflowEdits[key](workflows[key]);
		await instance.importWorkflow(workflows[key]);
	}
	const server = launch ? await launch(instance) : await instance.start();
	const api = new N8nApi(baseUrl);
	await api.ensureOwner();
	return {
		instance,
		server,
		api,
		ac,
		hubspot,
		shop,
		proxy,
		graphApi,
		baseUrl,
		appSecret: secret,
		webhookHeader: { name: 'X-Story-Leads-Key', value: headerValue },
		reportLogin: login,
		privacyPepper,
		workflows,
		urls,
		/** Changes Client settings of an imported workflow in the running n8n (e.g. the fixed "now"). */
		async updateClientSettings(key, values) {
			const id = workflows[key].id;
			const current = await api.getWorkflow(id);
			setClientSettings(current, values);
			await api.request('PATCH', `/workflows/${id}`, {
				versionId: current.versionId,
				nodes: current.nodes,
				connections: current.connections,
			});
		},
		async stop() {
			await server.stop();
			if (ac) await ac.close();
			if (proxy) await proxy.close();
			instance.cleanup();
		},
	};
}

/**
 * Waits until no 15-minute boundary (Part 1's schedule) and no 06:00 UTC (Part 2's daily run) falls within the
 * next `windowMs`, so a workflow published for that long does not fire its Schedule trigger meanwhile.
 */
async function avoidScheduleBoundaries(windowMs = 120000) {
	for (;;) {
		const now = Date.now();
		const toQuarter = 15 * 60000 - (now % (15 * 60000));
		const d = new Date(now);
		const sixUtc = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 6);
		const toSix = sixUtc > now ? sixUtc - now : sixUtc + 86400000 - now;
		const wait = Math.max(toQuarter <= windowMs ? toQuarter + 2000 : 0, toSix <= windowMs ? toSix + 2000 : 0);
		if (wait === 0) return;
		await new Promise((r) => setTimeout(r, wait));
	}
}

/** Submits the Part 1 viewer-list form with a CSV file, as a browser does (multipart/form-data). */
async function uploadViewerCsv(formUrl, csvText, fileName = 'viewers.csv') {
	const form = new FormData();
	form.append('field-0', new Blob([csvText], { type: 'text/csv' }), fileName);
	const res = await fetch(formUrl, { method: 'POST', body: form });
	return { status: res.status, body: await res.text() };
}

/**
 * Delivers signed webhook payloads to Part 1 one after the other, each waiting for its Part 1 run and the Part 2
 * run it forwards to (the first-ever tag creation in a CRM is not safe under concurrency). `done` is how many
 * webhook runs each part already had; returns the new count.
 */
async function deliverInTurn(stack, payloads, { part1, part2, done = 0 }) {
	for (const payload of payloads) {
		const res = await deliver(stack.urls.instagramPart1, payload, stack.appSecret);
		if (res.status !== 200) throw new Error(`Part 1 webhook answered ${res.status}`);
		done += 1;
		await stack.api.waitForExecutions(part1, done, { mode: 'webhook' });
		await stack.api.waitForExecutions(part2, done, { mode: 'webhook' });
	}
	return done;
}

/** Posts email/site events to Part 2's Engagement webhook with the header credential; returns the HTTP status. */
/**
 * Waits until Part 2's click redirect answers (a token it did not sign gets its own 404 page, not n8n's "webhook not
 * registered" 404). Returns that refusal.
 */
async function waitForClickRedirect(stack, { timeoutMs = 120000 } = {}) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const res = await fetch(`${stack.urls.clickRedirect}/not.signed`, { redirect: 'manual' }).catch(() => undefined);
		const body = res ? await res.text() : '';
		if (res && body.includes('This link is not valid')) return { status: res.status, headers: res.headers, body };
		if (Date.now() > deadline) throw new Error(`click redirect ${stack.urls.clickRedirect} never answered`);
		await new Promise((r) => setTimeout(r, 500));
	}
}

async function postEngagementEvents(stack, events) {
	const res = await fetch(stack.urls.engagement, {
		method: 'POST',
		headers: { 'content-type': 'application/json', [stack.webhookHeader.name]: stack.webhookHeader.value },
		body: JSON.stringify({ events }),
	});
	return res.status;
}

module.exports = {
	deliverInTurn, postEngagementEvents, waitForClickRedirect, uploadViewerCsv, startStack, loadTemplate, setClientSettings, clientSettings, webhookUrl, avoidScheduleBoundaries, FILES };
