// A loopback-only forward proxy that terminates TLS for the given hosts, for the e2e tests of n8n nodes that hard-code
// an https URL (n8n's HubSpot node calls https://api.hubapi.com, its Shopify Trigger https://<shop>.myshopify.com). n8n honours HTTPS_PROXY / NO_PROXY for node requests
// (@n8n/backend-network: EnvProxyHttpsAgent → https-proxy-agent sends `CONNECT host:443`), so with
//   HTTPS_PROXY=http://127.0.0.1:<port>  NO_PROXY=127.0.0.1,localhost  NODE_EXTRA_CA_CERTS=scripts/fakes/tls/ca.pem
// on the n8n process, its requests to those hosts reach their handler here, decrypted, and nothing reaches the
// internet: a CONNECT to any other host or port, and any plain-http proxy request, is refused with 403 and recorded.
//
//   const proxy = await startTlsInterceptProxy({ host: 'api.hubapi.com', handler: (req, res) => ... });
//   const proxy = await startTlsInterceptProxy({ hosts: { 'api.hubapi.com': hubspot.handler, [shop.host]: shop.handler } });
//   proxy.url -> 'http://127.0.0.1:<port>';  proxy.caFile -> path of the test CA
//   proxy.connects -> [{ target: 'api.hubapi.com:443', allowed: true }, ...]
//   await proxy.close()
//
// The certificates (api.hubapi.com, story-leads-test.myshopify.com) and their CA are test-only fixtures in ./tls
// (see ./tls/README.md).
const fs = require('fs');
const http = require('http');
const https = require('https');
const path = require('path');

const TLS_DIR = path.join(__dirname, 'tls');
const CA_FILE = path.join(TLS_DIR, 'ca.pem');
const CERTS = {
	'api.hubapi.com': { key: path.join(TLS_DIR, 'hubapi-key.pem'), cert: path.join(TLS_DIR, 'hubapi.pem') },
	'story-leads-test.myshopify.com': { key: path.join(TLS_DIR, 'shopify-key.pem'), cert: path.join(TLS_DIR, 'shopify.pem') },
};

/**
 * @param {{ host?: string, handler?: (req: http.IncomingMessage, res: http.ServerResponse) => void,
 *   hosts?: Record<string, (req: http.IncomingMessage, res: http.ServerResponse) => void> }} options
 */
async function startTlsInterceptProxy({ host, handler, hosts }) {
	const handlers = hosts || { [host]: handler };
	const connects = [];
	const sockets = new Set();
	// One TLS server per host; they never listen: the proxy hands each one its tunnelled sockets, and it does the TLS
	// handshake (with that host's certificate) and the HTTP parsing.
	const tlsServers = new Map();
	for (const [name, onRequest] of Object.entries(handlers)) {
		const files = CERTS[name];
		if (!files) throw new Error(`no test certificate for ${name}`);
		const server = https.createServer({ key: fs.readFileSync(files.key), cert: fs.readFileSync(files.cert) }, onRequest);
		server.on('tlsClientError', (error) => connects.push({ target: `${name}:443`, allowed: true, tlsError: error.message }));
		tlsServers.set(`${name}:443`, server);
	}
	const allowedList = [...tlsServers.keys()].join(', ');

	const proxy = http.createServer((req, res) => {
		// Plain-http proxy requests (absolute URL) and anything else: refused.
		connects.push({ target: req.url, allowed: false, method: req.method });
		res.writeHead(403, { 'content-type': 'text/plain' });
		res.end('test proxy: only CONNECT ' + allowedList + ' is allowed\n');
	});
	proxy.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	proxy.on('connect', (req, socket, head) => {
		const target = String(req.url || '');
		const tlsServer = tlsServers.get(target.toLowerCase());
		const allowed = tlsServer !== undefined;
		connects.push({ target, allowed });
		socket.on('error', () => {});
		if (!allowed) {
			socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
			return;
		}
		socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
		if (head && head.length > 0) socket.unshift(head);
		tlsServer.emit('connection', socket);
	});
	await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${proxy.address().port}`;
	return {
		url,
		caFile: CA_FILE,
		connects,
		/** Env for the process whose requests to the hosts must come here (loopback stays direct). */
		env() {
			return { HTTPS_PROXY: url, HTTP_PROXY: url, NO_PROXY: '127.0.0.1,localhost', NODE_EXTRA_CA_CERTS: CA_FILE };
		},
		async close() {
			for (const socket of sockets) socket.destroy();
			await new Promise((resolve) => proxy.close(() => resolve()));
		},
	};
}

module.exports = { startTlsInterceptProxy, CA_FILE };
