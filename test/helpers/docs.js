// Reads a documentation page of the repo (for tests that check code and docs agree; .ts tests may not use fs).
const fs = require('fs');
const path = require('path');

/** The text of a file under the repo root, white space collapsed to single spaces. */
function readDoc(relativePath) {
	return fs.readFileSync(path.join(__dirname, '../..', relativePath), 'utf8').replace(/\s+/g, ' ');
}

module.exports = { readDoc };
