// The published tarball as npm builds it: its file list (`npm pack --dry-run --json`) and an unpacked copy.
// Both need `npm run build` first (the tarball ships dist/ only).
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { npmSync } = require('../lib/npm');

/** Paths inside the tarball (relative, forward slashes), sorted. */
function packedFiles(root) {
	const out = npmSync(['pack', '--dry-run', '--json', '--ignore-scripts', '--loglevel=error'], {
		cwd: root,
		encoding: 'utf8',
		maxBuffer: 1 << 26,
	});
	const [report] = JSON.parse(out);
	return report.files.map((f) => f.path).sort();
}

/** Packs `root` into `workDir` and unpacks it there; returns the unpacked package folder. */
function packAndUnpack(root, workDir) {
	const out = npmSync(
		['pack', '--json', '--ignore-scripts', '--loglevel=error', '--pack-destination', workDir],
		{
			cwd: root,
			encoding: 'utf8',
			maxBuffer: 1 << 26,
		},
	);
	const [{ filename }] = JSON.parse(out);
	const packageDir = path.join(workDir, 'package');
	fs.mkdirSync(packageDir, { recursive: true });
	// tar ships with Linux, macOS and Windows 10+; the scanner itself unpacks the same way.
	execFileSync('tar', ['-xzf', filename, '-C', 'package', '--strip-components=1'], {
		cwd: workDir,
	});
	return packageDir;
}

module.exports = { packedFiles, packAndUnpack };
