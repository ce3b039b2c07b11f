// Regenerates workflows/*.json from the template builders: `npm run templates`.
// test/unit/templates.test.js fails when a committed file differs from what this script writes.
const fs = require('fs');
const path = require('path');

const WORKFLOWS = path.resolve(__dirname, '..');
const BUILDERS = ['./setup', './part1', './part2', './report', './newClient'];

/** [{ file, json }] for every template, in a stable order. */
function buildAll() {
	return BUILDERS.flatMap((id) => {
		const mod = require(id);
		const variants = mod.variants ? mod.variants() : [{ file: mod.file, template: mod.build() }];
		return variants.map(({ file, template }) => ({ file, json: template.toJSON() }));
	});
}

function serialise(json) {
	return JSON.stringify(json, null, '\t') + '\n';
}

if (require.main === module) {
	fs.mkdirSync(WORKFLOWS, { recursive: true });
	for (const { file, json } of buildAll()) {
		fs.writeFileSync(path.join(WORKFLOWS, file), serialise(json));
		console.log(`wrote workflows/${file} (${json.nodes.length} nodes)`);
	}
}

module.exports = { buildAll, serialise, WORKFLOWS };
