// The demo's report: the Story Leads — Report template running in the demo's n8n, i.e. the Funnel Report node over
// the same Data tables a real installation fills. The figures come from the node (a manual run of the template's
// summary path) and the page is what its webhook serves, so the demo shows exactly what real use shows.
const { waitForWebhook } = require('../n8n/harness');
const { allOutputsOf } = require('../n8n/n8nApi');

const REPORT_WORKFLOW = 'StoryLeadsReport';

/** Runs the template's summary path (its email node is disabled) and returns the Funnel report item. */
async function reportFigures(api) {
	const run = await api.runManually(REPORT_WORKFLOW, 'Send summary now', { timeoutMs: 600000 });
	if (run.status !== 'success') throw new Error(`the report run failed: ${run.error ? run.error.message : run.status}`);
	const [[report] = [], notCounted = []] = allOutputsOf(run, 'Funnel report');
	if (!report) throw new Error('the Funnel report node gave no report');
	return { report, notCounted: notCounted.length };
}

/** The HTML page the published template serves, fetched with its basic-auth login. */
async function reportPage(stack) {
	await stack.api.publish(REPORT_WORKFLOW);
	try {
		await waitForWebhook(stack.urls.report);
		const { user, password } = stack.reportLogin;
		const res = await fetch(stack.urls.report, {
			headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` },
		});
		const html = await res.text();
		if (res.status !== 200) throw new Error(`the report page answered ${res.status}: ${html.slice(0, 300)}`);
		return html;
	} finally {
		await stack.api.unpublish(REPORT_WORKFLOW);
	}
}

module.exports = { reportFigures, reportPage, REPORT_WORKFLOW };
