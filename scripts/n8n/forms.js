// n8n forms as a browser fills them in: a Form Trigger's production URL takes a POST whose fields are named
// field-0, field-1, … in the order of the form's fields (n8n-nodes-base Form/utils: prepareFormReturnItem). When a
// Form node (a "Form Ending") follows the trigger, n8n answers the POST with `{ formWaitingUrl }` and the browser
// then opens that URL, which shows the ending page once the run reaches it.

/** Posts `values` (in field order) to a form URL as multipart/form-data; returns { status, body }. */
async function submitForm(formUrl, values) {
	const form = new FormData();
	values.forEach((value, index) => form.append(`field-${index}`, value === undefined ? '' : String(value)));
	const res = await fetch(formUrl, { method: 'POST', body: form });
	const text = await res.text();
	let body;
	try {
		body = JSON.parse(text);
	} catch {
		body = text;
	}
	return { status: res.status, body };
}

/** The visible text of an HTML page (tags dropped, entities of the completion page decoded). */
function pageText(html) {
	return html
		.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/gi, '')
		.replace(/<[^>]+>/g, ' ')
		.replace(/&quot;/g, '"')
		.replace(/&#39;|&#x27;/g, "'")
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&amp;/g, '&');
}

/**
 * Opens a form's waiting URL until it shows an ending page that `isAnswer(text)` accepts (the run may still be
 * working when the POST returns); returns the page text.
 */
async function readFormAnswer(formWaitingUrl, isAnswer, { timeoutMs = 300000 } = {}) {
	const deadline = Date.now() + timeoutMs;
	let last = '';
	for (;;) {
		try {
			const res = await fetch(formWaitingUrl);
			last = pageText(await res.text());
			if (isAnswer(last)) return last;
		} catch {
			// n8n busy: try again
		}
		if (Date.now() > deadline) throw new Error(`no form answer at ${formWaitingUrl} in ${timeoutMs} ms; last page:\n${last.slice(0, 2000)}`);
		await new Promise((r) => setTimeout(r, 1000));
	}
}

module.exports = { submitForm, readFormAnswer, pageText };
