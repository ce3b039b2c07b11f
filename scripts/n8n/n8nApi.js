// A small client for a running n8n 2.x (`instance.start()` from harness.js): owner account set-up, the editor's
// REST API (manual runs, publish/unpublish, executions, Data tables), as the editor itself calls it.
// Used by the template e2e test, `npm start`, `npm run demo` and the screenshot script.
const path = require('path');
const { ensureN8n } = require('./harness');

const OWNER = {
	email: 'owner@story-leads.test',
	firstName: 'Story',
	lastName: 'Leads',
	// Local-only account of a throw-away instance (n8n requires 8+ chars, a digit and an upper-case letter).
	password: 'StoryLeads1',
};

function flatted() {
	// n8n stores run data in the `flatted` format; use n8n's own copy of the parser.
	return require(path.join(ensureN8n().dir, 'node_modules/flatted'));
}

class N8nApi {
	constructor(baseUrl) {
		this.baseUrl = baseUrl.replace(/\/$/, '');
		this.cookie = '';
	}

	async request(method, urlPath, body, { allowStatus = [] } = {}) {
		const res = await fetch(`${this.baseUrl}/rest${urlPath}`, {
			method,
			headers: {
				'content-type': 'application/json',
				...(this.cookie ? { cookie: this.cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = res.headers.get('set-cookie');
		if (setCookie && /n8n-auth=/.test(setCookie)) this.cookie = /n8n-auth=[^;]+/.exec(setCookie)[0];
		const text = await res.text();
		let json;
		try {
			json = text ? JSON.parse(text) : undefined;
		} catch {
			json = text;
		}
		if (!res.ok && !allowStatus.includes(res.status)) {
			throw new Error(`n8n ${method} /rest${urlPath} answered ${res.status}: ${text.slice(0, 500)}`);
		}
		return json && typeof json === 'object' && 'data' in json ? json.data : json;
	}

	/** Creates the owner account on a fresh instance, or logs in when it exists. */
	async ensureOwner(owner = OWNER) {
		const settings = await this.request('GET', '/settings');
		const needsSetup = settings && settings.userManagement && settings.userManagement.showSetupOnFirstLoad;
		if (needsSetup) await this.request('POST', '/owner/setup', owner);
		else await this.request('POST', '/login', { emailOrLdapLoginId: owner.email, password: owner.password });
		return owner;
	}

	/**
	 * Creates a public-API key for the logged-in owner with every scope the role allows (what *Settings → n8n API →
	 * Create an API key* does); returns the raw key (shown once).
	 */
	async createApiKey(label = 'Story Leads e2e') {
		const scopes = await this.request('GET', '/api-keys/scopes');
		const created = await this.request('POST', '/api-keys', { label, scopes, expiresAt: null });
		return created.rawApiKey;
	}

	/** Creates a credential (n8n encrypts `data`); returns its id. */
	async createCredential(name, type, data) {
		const created = await this.request('POST', '/credentials', { name, type, data });
		return created.id;
	}

	/** Every workflow of the instance: [{ id, name, active, versionId }]. */
	async workflows() {
		const list = await this.request('GET', '/workflows?take=500&skip=0');
		return Array.isArray(list) ? list : (list && list.data) || [];
	}

	async getWorkflow(id) {
		return await this.request('GET', `/workflows/${id}`);
	}

	/** Publishes (activates) a workflow: its triggers and production webhooks go live. */
	async publish(id) {
		const wf = await this.getWorkflow(id);
		return await this.request('POST', `/workflows/${id}/activate`, { versionId: wf.versionId });
	}

	async unpublish(id) {
		return await this.request('POST', `/workflows/${id}/deactivate`, {});
	}

	/**
	 * Runs a workflow from the named trigger (a Manual Trigger) as the editor's "Execute workflow" button does,
	 * waits for the end and returns the execution with parsed run data.
	 */
	async runManually(id, triggerName, { timeoutMs = 300000 } = {}) {
		const result = await this.request('POST', `/workflows/${id}/run`, { triggerToStartFrom: { name: triggerName } });
		if (!result || !result.executionId) {
			throw new Error(`manual run of ${id} from "${triggerName}" did not start: ${JSON.stringify(result)}`);
		}
		return await this.waitForExecution(result.executionId, { timeoutMs });
	}

	/** Polls an execution until it is finished; returns { id, status, mode, runData, error }. */
	async waitForExecution(executionId, { timeoutMs = 300000 } = {}) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			let execution;
			try {
				execution = await this.request('GET', `/executions/${executionId}`, undefined, { allowStatus: [404] });
			} catch (error) {
				// A long execution can keep n8n's event loop busy past fetch's timeouts: poll again.
				if (!/fetch failed|terminated|socket/i.test(String(error && error.message))) throw error;
			}
			if (execution && execution.status && !['new', 'running', 'waiting'].includes(execution.status)) {
				return parseExecution(execution);
			}
			if (Date.now() > deadline) throw new Error(`execution ${executionId} did not finish in ${timeoutMs} ms`);
			await new Promise((r) => setTimeout(r, 300));
		}
	}

	/** Executions of a workflow, newest first (summaries). */
	async executions(workflowId) {
		const list = await this.request('GET', `/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}`);
		return (list && list.results) || [];
	}

	/** Waits until the workflow has `count` finished executions of the given mode (e.g. 'webhook'); returns them parsed. */
	async waitForExecutions(workflowId, count, { mode, timeoutMs = 120000 } = {}) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const list = (await this.executions(workflowId)).filter((e) => !mode || e.mode === mode);
			const done = list.filter((e) => e.status && !['new', 'running', 'waiting'].includes(e.status));
			if (done.length >= count) {
				const parsed = [];
				for (const e of done) parsed.push(await this.waitForExecution(e.id));
				return parsed.sort((a, b) => Number(a.id) - Number(b.id));
			}
			if (Date.now() > deadline) {
				throw new Error(`workflow ${workflowId}: ${done.length}/${count} ${mode || ''} executions after ${timeoutMs} ms`);
			}
			await new Promise((r) => setTimeout(r, 300));
		}
	}

	/** All Data tables visible to the owner: [{ id, name, projectId, columns }]. */
	async dataTables() {
		const list = await this.request('GET', '/data-tables-global?take=100&skip=0');
		return (list && list.data) || list || [];
	}

	/** Inserts rows into the named Data table (ISO strings for date columns), in chunks; returns how many. */
	async insertDataTableRows(name, rows) {
		const table = (await this.dataTables()).find((t) => t.name === name);
		if (!table) throw new Error(`no Data table named ${name}`);
		for (let i = 0; i < rows.length; i += 500) {
			await this.request('POST', `/projects/${table.projectId}/data-tables/${table.id}/insert`, {
				data: rows.slice(i, i + 500),
				returnType: 'count',
			});
		}
		return rows.length;
	}

	/** Every row of the named Data table (system columns included). */
	async dataTableRows(name) {
		const table = (await this.dataTables()).find((t) => t.name === name);
		if (!table) throw new Error(`no Data table named ${name}`);
		const rows = [];
		const pageSize = 250; // n8n's maximum page size
		for (let skip = 0; ; skip += pageSize) {
			const page = await this.request(
				'GET',
				`/projects/${table.projectId}/data-tables/${table.id}/rows?take=${pageSize}&skip=${skip}`,
			);
			const data = (page && page.data) || [];
			rows.push(...data);
			if (data.length < pageSize) break;
		}
		return rows;
	}
}

function parseExecution(execution) {
	let data = execution.data;
	if (typeof data === 'string') data = flatted().parse(data);
	const resultData = (data && data.resultData) || {};
	return {
		id: execution.id,
		status: execution.status,
		mode: execution.mode,
		finished: execution.finished,
		runData: resultData.runData || {},
		error: resultData.error,
		lastNodeExecuted: resultData.lastNodeExecuted,
	};
}

/** Items of one node in a parsed execution, per output index ([] when the node did not run). */
function outputsOf(execution, nodeName, runIndex = 0) {
	const task = execution.runData[nodeName] && execution.runData[nodeName][runIndex];
	if (!task || !task.data || !task.data.main) return [];
	return task.data.main.map((items) => (items || []).map((i) => i.json));
}

/** Items of one node across all its runs, per output index. */
function allOutputsOf(execution, nodeName) {
	const runs = execution.runData[nodeName] || [];
	const out = [];
	for (const task of runs) {
		const main = (task.data && task.data.main) || [];
		main.forEach((items, i) => {
			out[i] = (out[i] || []).concat((items || []).map((x) => x.json));
		});
	}
	return out;
}

/** Status plus the failing node and message of a parsed execution, so a failed run says why. */
const outcome = (run) => ({
	status: run.status,
	error: run.error ? `${run.error.node ? run.error.node.name + ': ' : ''}${run.error.message}` : undefined,
});
const SUCCESS = { status: 'success', error: undefined };

module.exports = { N8nApi, OWNER, outputsOf, allOutputsOf, parseExecution, outcome, SUCCESS };
