// Part 1's webhook path reads stored consent and records consent only for the messages that pass "May hold a keyword?"
// (issue 24: one Data table call less per reply). That filter must never drop a message Record consent from messages
// would record from (a STOP never missed): whenever keywordOf finds a keyword — with the default lists or with extra
// ones the user adds — the filter's expression lets the message through.
const fs = require('fs');
const path = require('path');
const { keywordOf } = require('../../nodes/core/consent/fromMessage');
const { KeywordMatcher, defaultKeywordMatcher } = require('../../nodes/core/consent/keywords');

const FILES = ['story-viewers-to-consented-leads.json', 'story-viewers-to-consented-leads-hubspot.json'];

/** The filter's condition as a function of `$json` (the expression between `={{` and `}}`). */
function filterOf(file) {
	const wf = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../workflows', file), 'utf8'));
	const node = wf.nodes.find((n) => n.name === 'May hold a keyword?');
	if (!node) throw new Error(`${file} has no "May hold a keyword?"`);
	const [condition] = node.parameters.conditions.conditions;
	const expression = /^=\{\{([\s\S]*)\}\}$/.exec(condition.leftValue);
	if (!expression) throw new Error(`not an expression: ${condition.leftValue}`);
	// The template's own expression, evaluated on plain objects (it reads only $json).
	return new Function('$json', `return (${expression[1]});`);
}

const TEXTS = [undefined, '', 'hi!', 'YES please', 'Stop!', 'stop', 'STOP ALL', 'START', 'yes', 'HELP', 'baja', 'Baja por favor'];
const KEYWORDS = [undefined, 'opt_out', 'opt_in', 'help'];
const TYPES = ['story_reply', 'message', 'postback', 'story_mention', 'reaction'];

function events() {
	const all = [];
	let n = 0;
	for (const text of TEXTS)
		for (const keyword of KEYWORDS)
			for (const type of TYPES) {
				n += 1;
				all.push({
					eventId: `ev_${n}`,
					viewerKey: '17841400000000001',
					viewerKeyType: 'igsid',
					type,
					occurredAt: '2026-03-10T10:00:00.000Z',
					ingestedAt: '2026-03-10T10:00:01.000Z',
					source: 'webhook',
					sourceTool: 'instagram_webhook',
					...(text === undefined ? {} : { text }),
					...(keyword === undefined ? {} : { keyword }),
				});
			}
	return all;
}

describe.each(FILES)('%s: "May hold a keyword?"', (file) => {
	const passes = filterOf(file);
	const matchers = {
		default: defaultKeywordMatcher,
		'extra opt-out keywords': new KeywordMatcher({ opt_out: ['BAJA', 'BAJA POR FAVOR'] }),
	};

	test.each(Object.entries(matchers))('lets through every message keywordOf records from (%s lists)', (_, matcher) => {
		const dropped = events().filter((event) => keywordOf(event, matcher) !== undefined && !passes(event));
		expect(dropped).toEqual([]);
	});

	test('drops a story reply whose text was not kept and that has no keyword: no consent read for it', () => {
		expect(passes({ type: 'story_reply' })).toBe(false);
		expect(passes({ type: 'story_reply', keyword: 'opt_out' })).toBe(true);
		expect(passes({ type: 'story_reply', text: 'hi!' })).toBe(true);
	});
});
