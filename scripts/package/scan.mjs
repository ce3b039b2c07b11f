#!/usr/bin/env node
// Runs n8n's community-package scanner (@n8n/scan-community-package) on both of its legs, offline:
// the source (package.json + nodes/credentials sources) and the unpacked tarball (compiled .js + package.json),
// with the scanner's own file patterns and lint config. Its provenance and download steps (npm + GitHub)
// are not called: we scan the working tree and a tarball packed from it.
//   node scripts/package/scan.mjs                         packs this repo (after `npm run build`) and scans it
//   node scripts/package/scan.mjs <sourceDir> <tarDir>    scans a source folder and an unpacked tarball
// Prints one JSON object { source, tarball, passed } and exits 1 unless both legs pass.
import { createRequire } from 'module';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { fileURLToPath } from 'url';

const require = createRequire(import.meta.url);
const { packAndUnpack } = require('./tarball.js');

// eslint-plugin-n8n-nodes-base switches to a test mode (fixture file names) under NODE_ENV=test, which jest
// sets; n8n's scan never runs that way.
if (process.env.NODE_ENV === 'test') delete process.env.NODE_ENV;
// The scanner makes a temp folder (for downloads we do not use) when it loads; let its `tmp` remove it on exit.
createRequire(require.resolve('@n8n/scan-community-package/package.json'))(
	'tmp',
).setGracefulCleanup();
const { SOURCE_FILE_PATTERNS, analyzePackage } = await import(
	'@n8n/scan-community-package/scanner/scanner.mjs'
);

// The scanner's tarball leg (analyzePackageByName): compiled JavaScript and the published package.json.
export const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

export async function scanLegs(sourceDir, tarballDir) {
	const source = await analyzePackage(sourceDir, SOURCE_FILE_PATTERNS);
	const tarball = await analyzePackage(tarballDir, TARBALL_FILE_PATTERNS);
	const leg = (r) => ({ passed: r.passed, message: r.message, details: r.details });
	return { passed: source.passed && tarball.passed, source: leg(source), tarball: leg(tarball) };
}

async function main() {
	const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
	let [sourceDir, tarballDir] = process.argv.slice(2);
	let cleanup = () => {};
	if (!sourceDir) {
		const work = fs.mkdtempSync(path.join(os.tmpdir(), 'story-leads-scan-'));
		cleanup = () => fs.rmSync(work, { recursive: true, force: true });
		sourceDir = root;
		tarballDir = packAndUnpack(root, work);
	}
	try {
		const result = await scanLegs(path.resolve(sourceDir), path.resolve(tarballDir));
		process.stdout.write(JSON.stringify(result, null, 2) + '\n');
		process.exitCode = result.passed ? 0 : 1;
	} finally {
		cleanup();
	}
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url))
	await main();
