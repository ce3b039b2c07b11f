// n8n settings this package ships with, in one place: `npm start`, `npm run queue` (scripts/queue/env.js), the
// production compose file (docker-compose.queue.yml, kept in step by test/unit/n8nSettings.test.js) and
// `npm run bench:n8n` (which also runs n8n without them, side by side).

/** n8n 2.40–2.41 opens a second expression isolate per request for every trigger but its own Webhook; lazy
 * acquisition opens one only when an expression is evaluated (n8n marks the gate transitional until it is the default). */
const RECOMMENDED_N8N_ENV = Object.freeze({
	N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true',
	// n8n's own concurrency control (docs.n8n.io/hosting/scaling/concurrency-control/, "too many concurrent
	// executions thrash the event loop"; its example value): production runs beyond it wait in n8n's queue.
	N8N_CONCURRENCY_PRODUCTION_LIMIT: '20',
});

/** The one-sentence reason printed by `npm start` and quoted in the docs. */
const WHY_LAZY_ACQUIRE =
	"N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true: n8n 2.41 otherwise opens a second expression isolate for every request to a trigger other than its own Webhook (ours included), which costs about a third of the webhook path's throughput.";

/** Why the production concurrency limit, in one sentence (printed by `npm start`, quoted in the docs). */
const WHY_CONCURRENCY_LIMIT =
	'N8N_CONCURRENCY_PRODUCTION_LIMIT=20: each running execution holds its own expression isolate, and without a limit a burst of 300 story replies had 300 executions running at once and n8n grew past 20 GB of memory (bench:n8n), where with the limit the rest wait in n8n\'s queue and n8n stays under 2 GB.';

module.exports = { RECOMMENDED_N8N_ENV, WHY_LAZY_ACQUIRE, WHY_CONCURRENCY_LIMIT };
