// What every fake server does with a request first: read the whole body, parse it as JSON when it is JSON.
/**
 * Calls `onRequest({ url, body, record })` once the body of `req` has arrived. `record` is the entry a fake keeps
 * in its request log: method, path, query and body (the parsed JSON, or the raw text when it is not JSON).
 */
function readRequest(req, base, onRequest) {
	const chunks = [];
	req.on('data', (c) => chunks.push(c));
	req.on('end', () => {
		const url = new URL(req.url, base);
		const raw = Buffer.concat(chunks).toString('utf8');
		let body;
		try {
			body = raw ? JSON.parse(raw) : undefined;
		} catch {
			body = raw;
		}
		const record = { method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams.entries()), body };
		onRequest({ url, body, record });
	});
}

module.exports = { readRequest };
