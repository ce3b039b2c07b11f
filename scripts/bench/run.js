#!/usr/bin/env node
// `npm run bench`: runs every scripts/bench/*.bench.js against the built dist/ and prints its figures.
// Each bench file exports `run()`, which prints lines; nothing here asserts on time.
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const only = process.argv[2];
const files = fs
	.readdirSync(__dirname)
	.filter((f) => f.endsWith('.bench.js') && (!only || f.includes(only)))
	.sort();
for (const file of files) {
	// A fresh process per bench keeps each peak-heap figure its own.
	execFileSync(process.execPath, ['--expose-gc', path.join(__dirname, file)], { stdio: 'inherit' });
}
