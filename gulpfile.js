/**
 * Post-build steps for `npm run build` (after `n8n-node build`, which runs tsc and copies icons).
 *
 * date-fns and @date-fns/tz are not on n8n's allowed-import list and a verified community node may not have
 * runtime dependencies, so every use goes through one module, nodes/core/time/dateFns.ts, and this step
 * replaces its compiled file with an esbuild bundle that contains the code we use. `test/unit/dist.test.js`
 * then fails if any file in dist/ still requires a module outside the allowed list.
 *
 * n8n's package scanner lints the published .js with `no-console` as an error and ignores eslint-disable
 * comments, so the bundle drops console calls (date-fns `parse` warns about protected tokens before it throws).
 */
const { src, dest, series } = require('gulp');
const esbuild = require('esbuild');
const path = require('path');

// Bundled from the TypeScript source: its ES `import`s resolve to date-fns' ES-module build, which esbuild
// tree-shakes (the compiled CommonJS file would pull in all of date-fns).
const VENDOR_ENTRIES = [{ source: 'nodes/core/time/dateFns.ts', output: 'dist/nodes/core/time/dateFns.js' }];

async function bundleVendoredModules() {
	for (const { source, output } of VENDOR_ENTRIES) {
		await esbuild.build({
			entryPoints: [path.resolve(__dirname, source)],
			outfile: path.resolve(__dirname, output),
			allowOverwrite: true,
			bundle: true,
			platform: 'node',
			format: 'cjs',
			target: 'node20',
			legalComments: 'none',
			drop: ['console'],
			logLevel: 'warning',
		});
	}
}

function copyIcons() {
	return src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	);
}

exports.bundle = series(bundleVendoredModules, copyIcons);
exports.default = exports.bundle;
