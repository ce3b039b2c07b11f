/**
 * Post-build steps for `npm run build` (after `n8n-node build`, which runs tsc and copies icons).
 *
 * date-fns and @date-fns/tz are not on n8n's allowed-import list and a verified community node may not have
 * runtime dependencies, so every use goes through one module, nodes/core/time/dateFns.ts, and this step
 * replaces its compiled file with an esbuild bundle that contains the code we use. `test/unit/dist.test.js`
 * then fails if any file in dist/ still requires a module outside the allowed list.
 */
const { src, dest, series } = require('gulp');
const esbuild = require('esbuild');
const path = require('path');

const VENDOR_ENTRIES = ['dist/nodes/core/time/dateFns.js'];

async function bundleVendoredModules() {
	for (const entry of VENDOR_ENTRIES) {
		const file = path.resolve(__dirname, entry);
		await esbuild.build({
			entryPoints: [file],
			outfile: file,
			allowOverwrite: true,
			bundle: true,
			platform: 'node',
			format: 'cjs',
			target: 'node20',
			legalComments: 'none',
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
