// The core holds the business rules and stays framework-free: no file under nodes/core imports n8n.
const fs = require('fs');
const path = require('path');

const core = path.resolve(__dirname, '../../nodes/core');

function tsFiles(dir) {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
		const full = path.join(dir, e.name);
		return e.isDirectory() ? tsFiles(full) : e.name.endsWith('.ts') ? [full] : [];
	});
}

describe('core/adapter split', () => {
	it('no core file imports n8n-workflow, n8n-core or a node/shared adapter', () => {
		const offences = [];
		for (const file of tsFiles(core)) {
			const source = fs.readFileSync(file, 'utf8');
			const imports = [...source.matchAll(/from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
				(m) => m[1] || m[2],
			);
			for (const name of imports) {
				const resolved = name.startsWith('.') ? path.resolve(path.dirname(file), name) : name;
				if (/^n8n-/.test(name) || (name.startsWith('.') && !resolved.startsWith(core))) {
					offences.push(`${path.relative(core, file)} imports ${name}`);
				}
			}
		}
		expect(offences).toEqual([]);
	});
});
