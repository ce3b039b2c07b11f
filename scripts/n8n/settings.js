// n8n settings this package ships with, in one place: `npm start`, `npm run queue` (scripts/queue/env.js), the
// production compose file (docker-compose.queue.yml, kept in step by test/unit/n8nSettings.test.js) and
// `npm run bench:n8n` (which also runs n8n without them, side by side).

/** n8n 2.40–2.41 opens a second expression isolate per request for every trigger but its own Webhook; lazy
 * acquisition opens one only when an expression is evaluated (n8n marks the gate transitional until it is the default). */
const RECOMMENDED_N8N_ENV = Object.freeze({ N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' });

/** The one-sentence reason printed by `npm start` and quoted in the docs. */
const WHY_LAZY_ACQUIRE =
	"N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true: n8n 2.41 otherwise opens a second expression isolate for every request to a trigger other than its own Webhook (ours included), which costs about a third of the webhook path's throughput.";

module.exports = { RECOMMENDED_N8N_ENV, WHY_LAZY_ACQUIRE };
