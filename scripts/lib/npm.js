// Runs npm the same way on every platform. Under `npm run`/`npm test`/`npm start` npm exports its own CLI
// script as npm_execpath, which we run with the current Node (no shell, so paths with spaces are safe).
// Otherwise we call `npm` from PATH; on Windows that is npm.cmd, which Node only spawns through a shell.
const { execFileSync, spawn } = require('child_process');

function npmInvocation(args) {
	const cli = process.env.npm_execpath;
	if (cli && /\.[cm]?js$/.test(cli))
		return { command: process.execPath, args: [cli, ...args], shell: false };
	const windows = process.platform === 'win32';
	return { command: windows ? 'npm.cmd' : 'npm', args, shell: windows };
}

/** execFileSync for npm; returns its stdout (string when options.encoding is set). */
function npmSync(args, options = {}) {
	const call = npmInvocation(args);
	return execFileSync(call.command, call.args, { ...options, shell: call.shell });
}

/** spawn for npm (asynchronous, for installs whose output we stream). */
function npmSpawn(args, options = {}) {
	const call = npmInvocation(args);
	return spawn(call.command, call.args, { ...options, shell: call.shell });
}

module.exports = { npmSync, npmSpawn, npmInvocation };
