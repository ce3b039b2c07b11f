// The seed of the property suites (test/unit/safety): STORY_LEADS_SEED=<n> replays a run (test/setup-env.js reads it).
// Plain JS because `n8n-node lint` bans globalThis/process in .ts files.
module.exports = { SEED: typeof globalThis.storyLeadsSeed === 'number' ? globalThis.storyLeadsSeed : 20260310 };
