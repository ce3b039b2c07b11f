#!/usr/bin/env node
// `npm start`: builds the package and runs a local n8n 2.x on http://localhost:5678 with the package installed
// as a community package and the workflow templates imported (SQLite, n8n's embedded default).
// n8n and Node 24 come from the npm registry into a cache folder outside the repo (as in the e2e harness);
// the n8n user folder persists in that cache too, so your owner account, credentials and data survive restarts.
//   npm start                 start (imports the templates on the first start only)
//   npm start -- --reset      start from an empty n8n user folder
//   npm start -- --port 5679  another port
const fs = require('fs');
const path = require('path');
const { execFileSync, spawn } = require('child_process');
const { ensureN8n, packPackage, ROOT } = require('./n8n/harness');
const { cacheRoot: defaultCacheRoot } = require('./n8n/install');
const { startEnv } = require('./n8n/localStart');
const { WHY_LAZY_ACQUIRE } = require('./n8n/settings');
const { npmSync } = require('./lib/npm');

const args = process.argv.slice(2);
const portArg = args.indexOf('--port');
const port = portArg >= 0 ? Number(args[portArg + 1]) : 5678;
if (!Number.isInteger(port) || port <= 0) throw new Error('--port needs a number');
const cacheRoot = defaultCacheRoot();
// STORY_LEADS_USER_FOLDER lets the e2e smoke test start a throw-away instance.
const userFolder = process.env.STORY_LEADS_USER_FOLDER || path.join(cacheRoot, 'local-n8n');
const log = (...a) => console.log('[start]', ...a);

function npm(npmArgs, options = {}) {
	npmSync(npmArgs, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
}

function main() {
	log('building the package');
	npm(['run', 'build', '--silent'], { cwd: ROOT });
	const install = ensureN8n();
	if (args.includes('--reset')) fs.rmSync(userFolder, { recursive: true, force: true });
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	if (!fs.existsSync(path.join(nodesDir, 'package.json'))) {
		fs.writeFileSync(path.join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true }));
	}
	log('installing the package into', nodesDir);
	const tarball = packPackage();
	npm(['install', tarball, '--ignore-scripts', '--legacy-peer-deps', '--no-audit', '--no-fund', '--loglevel=error'], {
		cwd: nodesDir,
	});
	fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
	const env = startEnv({ baseEnv: process.env, binDir: install.binDir, userFolder, port });
	const n8n = (cliArgs, options = {}) => execFileSync(install.node, [install.n8nBin, ...cliArgs], { env, cwd: userFolder, ...options });
	const marker = path.join(userFolder, '.templates-imported');
	if (!fs.existsSync(marker)) {
		log('importing the workflow templates');
		const files = fs.readdirSync(path.join(ROOT, 'workflows')).filter((f) => f.endsWith('.json'));
		for (const file of files) {
			n8n(['import:workflow', `--input=${path.join(ROOT, 'workflows', file)}`], { stdio: ['ignore', 'ignore', 'inherit'] });
			log('  imported', file);
		}
		fs.writeFileSync(marker, new Date().toISOString() + '\n');
	}
	log(`n8n setting ${WHY_LAZY_ACQUIRE}`);
	log(`starting n8n on http://localhost:${port} (Ctrl+C stops it)`);
	console.log(
		[
			'',
			'  From here to a live funnel:',
			`  1. Open http://localhost:${port}, create the owner account, open "Story Leads — Set-up" and click Execute workflow.`,
			'  2. Add credentials: Instagram API, ActiveCampaign (or HubSpot), and Header Auth for the engagement webhook;',
			'     select them in Part 1 and Part 2 and edit each "Client settings" node.',
			'  3. Publish Part 1 and Part 2, and give Meta the Instagram trigger\'s production URL',
			'     (it must be public HTTPS: set WEBHOOK_URL to your tunnel or domain before `npm start`).',
			'',
		].join('\n'),
	);
	const child = spawn(install.node, [install.n8nBin, 'start'], { env, cwd: userFolder, stdio: 'inherit' });
	const stop = (signal) => child.kill(signal);
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
	child.on('exit', (code) => process.exit(code === null ? 0 : code));
}

main();
