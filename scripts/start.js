#!/usr/bin/env node
// `npm start`: builds the package and runs a local n8n 2.x on http://localhost:5678 with the package installed
// as a community package and the workflow templates imported (SQLite, n8n's embedded default).
// n8n and Node 24 come from the npm registry into a cache folder outside the repo (as in the e2e harness);
// the n8n user folder persists in that cache too, one per checkout, so your owner account, credentials and data
// survive restarts and two clones do not share them.
//   npm start                        start on 127.0.0.1 (imports the templates on the first start only)
//   npm start -- --reset             start from an empty n8n user folder
//   npm start -- --port 5679         another port (without it: 5678, or the next free one)
//   npm start -- --host 0.0.0.0      listen on every interface (anyone on the network can reach the editor)
const fs = require('fs');
const path = require('path');
const { execFileSync, spawn } = require('child_process');
const { ensureN8n, packPackage, ROOT } = require('./n8n/harness');
const { cacheRoot: defaultCacheRoot } = require('./n8n/install');
const { parseStartArgs, userFolderFor, choosePort, startEnv, isLoopback } = require('./n8n/localStart');
const { WHY_LAZY_ACQUIRE, WHY_CONCURRENCY_LIMIT } = require('./n8n/settings');
const { npmSync } = require('./lib/npm');

const cacheRoot = defaultCacheRoot();
// STORY_LEADS_USER_FOLDER lets the e2e smoke test start a throw-away instance.
const userFolder = process.env.STORY_LEADS_USER_FOLDER || userFolderFor(cacheRoot, ROOT);
const log = (...a) => console.log('[start]', ...a);
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(0)} s`;

function npm(npmArgs, npmOptions = {}) {
	npmSync(npmArgs, { stdio: ['ignore', 'inherit', 'inherit'], ...npmOptions });
}

async function main() {
	const options = parseStartArgs(process.argv.slice(2));
	// Before the slow steps: a port that is taken should not cost a build and an install first.
	const { port, note } = await choosePort({ requested: options.port, host: options.host });
	if (note) log(note);
	let since = Date.now();
	log('1/4 building the package');
	npm(['run', 'build', '--silent'], { cwd: ROOT });
	log(`    built in ${seconds(since)}`);
	since = Date.now();
	log('2/4 n8n 2.41.1 and Node 24 (the first time: download and sqlite3 build, 5–10 minutes; progress below)');
	const install = ensureN8n();
	log(`    ready in ${seconds(since)}: ${install.dir}`);
	if (options.reset) fs.rmSync(userFolder, { recursive: true, force: true });
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	if (!fs.existsSync(path.join(nodesDir, 'package.json'))) {
		fs.writeFileSync(path.join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true }));
	}
	log('3/4 installing the package into this checkout\'s n8n user folder', userFolder);
	const tarball = packPackage();
	npm(['install', tarball, '--ignore-scripts', '--legacy-peer-deps', '--no-audit', '--no-fund', '--loglevel=error'], {
		cwd: nodesDir,
	});
	fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
	const env = startEnv({ baseEnv: process.env, binDir: install.binDir, userFolder, port, host: options.host });
	const n8n = (cliArgs, cliOptions = {}) =>
		execFileSync(install.node, [install.n8nBin, ...cliArgs], { env, cwd: userFolder, ...cliOptions });
	const marker = path.join(userFolder, '.templates-imported');
	if (!fs.existsSync(marker)) {
		log('    importing the workflow templates (about 10 s each)');
		const files = fs.readdirSync(path.join(ROOT, 'workflows')).filter((f) => f.endsWith('.json'));
		for (const file of files) {
			n8n(['import:workflow', `--input=${path.join(ROOT, 'workflows', file)}`], { stdio: ['ignore', 'ignore', 'inherit'] });
			log('    imported', file);
		}
		fs.writeFileSync(marker, new Date().toISOString() + '\n');
	}
	log(`n8n setting ${WHY_LAZY_ACQUIRE}`);
	log(`n8n setting ${WHY_CONCURRENCY_LIMIT}`);
	if (!isLoopback(options.host)) {
		log(
			`WARNING: listening on ${options.host}: anyone who can reach this computer can open the editor, and before the ` +
				'owner account exists, claim it. Create the owner account now.',
		);
	}
	log(`4/4 starting n8n on http://localhost:${port}, listening on ${options.host} (it keeps running: Ctrl+C stops it)`);
	console.log(
		[
			'',
			'  From here to a live funnel:',
			`  1. Open http://localhost:${port}, create the owner account, open "Story Leads — Set-up" and click Execute workflow.`,
			'  2. Add credentials: Instagram API, ActiveCampaign (or HubSpot), and Header Auth for the engagement webhook;',
			'     select them in Part 1 and Part 2 and edit each "Client settings" node.',
			'  3. Publish Part 1 and Part 2, and give Meta the Instagram trigger\'s production URL',
			'     (it must be public HTTPS: set WEBHOOK_URL to your tunnel or domain before `npm start`).',
			'  Run other commands (npm test, npm run demo) in a second terminal.',
			'',
		].join('\n'),
	);
	const child = spawn(install.node, [install.n8nBin, 'start'], { env, cwd: userFolder, stdio: 'inherit' });
	const stop = (signal) => child.kill(signal);
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
	child.on('exit', (code) => process.exit(code === null ? 0 : code));
}

main().catch((error) => {
	console.error(`[start] ${error.message}`);
	process.exit(1);
});
