// A real headless Chromium (Debian's `chromium` package, installed by install-chromium.sh when missing) driven by
// playwright-core, with a fresh profile and no background traffic: for the report's browser test and screenshots.
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** Installs Chromium when missing (apt, as root); returns its path. */
function ensureChromium() {
	const out = execFileSync('bash', [path.join(__dirname, 'install-chromium.sh')], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	return out.trim().split('\n').pop();
}

/**
 * Starts Chromium with a throw-away --user-data-dir. Returns { context, close }: a persistent context (the fresh
 * profile) with the given options (e.g. httpCredentials, viewport).
 */
async function launchChromium(contextOptions = {}) {
	const { chromium } = require('playwright-core');
	const executablePath = ensureChromium();
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'story-leads-chromium-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath,
		headless: true,
		args: FLAGS,
		...contextOptions,
	});
	return {
		context,
		async close() {
			await context.close();
			fs.rmSync(profile, { recursive: true, force: true });
		},
	};
}

module.exports = { ensureChromium, launchChromium, FLAGS };
