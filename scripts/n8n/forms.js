// n8n forms as a browser fills them in: a Form Trigger's production URL takes a POST whose fields are named
// field-0, field-1, … in the order of the form's fields (n8n-nodes-base Form/utils: prepareFormReturnItem). When a
// Form node (a "Form Ending") follows the trigger, n8n answers the POST with `{ formWaitingUrl }` and the browser
// then opens that URL, which shows the ending page once the run reaches it.

const { outcome, parseExecution } = require('./n8nApi');

/**
 * Posts `values` (in field order) to a form URL as multipart/form-data; returns { status, body }. `login`:
 * { user, password } for a form behind Basic Auth.
 */
async function submitForm(formUrl, values, { login } = {}) {
	const form = new FormData();
	values.forEach((value, index) => form.append(`field-${index}`, value === undefined ? '' : String(value)));
	const headers = login ? { authorization: `Basic ${Buffer.from(`${login.user}:${login.password}`).toString('base64')}` } : {};
	const res = await fetch(formUrl, { method: 'POST', body: form, headers });
	const text = await res.text();
	let body;
	try {
		body = JSON.parse(text);
	} catch {
		body = text;
	}
	return { status: res.status, body };
}

/** The visible text of an HTML page (links kept inline, other tags dropped, entities of the ending page decoded). */
function pageText(html) {
	return html
		.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/gi, '')
		.replace(/<\/?a\b[^>]*>/gi, '')
		.replace(/<[^>]+>/g, ' ')
		.replace(/&quot;/g, '"')
		.replace(/&#39;|&#x27;/g, "'")
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&amp;/g, '&');
}

/**
 * The ending page of a submitted form. n8n holds a request for the waiting URL while the run is still working, so
 * this first waits (editor REST API, `api` an N8nApi logged in as the owner) until the run reaches its ending page
 * (status waiting) or ends; a run that failed throws with its error. Returns the page's text.
 */
async function formAnswer(api, formWaitingUrl, { timeoutMs = 600000 } = {}) {
	const executionId = /\/form-waiting\/(\d+)/.exec(formWaitingUrl)[1];
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		let execution;
		try {
			execution = await api.request('GET', `/executions/${executionId}`, undefined, { allowStatus: [404] });
		} catch (error) {
			if (!/fetch failed|terminated|socket/i.test(String(error && error.message))) throw error;
		}
		const status = execution && execution.status;
		if (['error', 'crashed', 'canceled'].includes(status)) {
			throw new Error(`form run ${executionId} ended with ${JSON.stringify(outcome(parseExecution(execution)))}`);
		}
		if (status === 'waiting' || status === 'success') break;
		if (Date.now() > deadline) throw new Error(`form run ${executionId} did not reach its ending page in ${timeoutMs} ms`);
		await new Promise((r) => setTimeout(r, 1000));
	}
	const res = await fetch(formWaitingUrl, { signal: AbortSignal.timeout(120000) });
	return pageText(await res.text());
}

module.exports = { submitForm, formAnswer, pageText };
