// n8n-core writes an encryption-key file under N8N_USER_FOLDER; keep it in a throw-away folder per test worker.
// Test helpers are plain JS where they need process/fs, because `n8n-node lint` bans those globals in every .ts file.
const os = require('os');
const path = require('path');
const fs = require('fs');

if (!process.env.N8N_USER_FOLDER || !process.env.N8N_USER_FOLDER.includes('story-leads-jest')) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'story-leads-jest-'));
	process.env.N8N_USER_FOLDER = dir;
}
process.env.TZ = process.env.TZ || 'UTC';

// Seeded property suites (test/unit/safety): STORY_LEADS_SEED=<n> replays a failing run; the seed is printed on failure.
globalThis.storyLeadsSeed = /^\d+$/.test(process.env.STORY_LEADS_SEED || '') ? Number(process.env.STORY_LEADS_SEED) : 20260310;
