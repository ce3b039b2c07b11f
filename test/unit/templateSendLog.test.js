// Part 1's send path: the send log is checked before the DM and written before anything else can fail.
const path = require('path');

const FILES = ['story-viewers-to-consented-leads.json', 'story-viewers-to-consented-leads-hubspot.json'];
const load = (file) => require(path.join(__dirname, '../../workflows', file));
const targets = (wf, from, output = 0) => ((wf.connections[from] || {}).main || [])[output]?.map((c) => c.node) ?? [];

describe.each(FILES)('%s', (file) => {
	const wf = load(file);
	const node = (name) => wf.nodes.find((n) => n.name === name);

	it('the Send caps gate refuses an idempotencyKey the send log holds as sent, and reads the send log', () => {
		expect(node('Send caps').parameters.options.idempotencyKeyField).toBe('idempotencyKey');
		expect(targets(wf, 'Send caps')).toEqual(['Send DM']);
		expect(targets(wf, 'Read sends of the last day')).toEqual(['Consent and send log']);
		expect(targets(wf, 'Consent and send log')).toContain('Send caps');
	});

	it('a sent DM is logged first; state and CRM follow in one chain, so neither can lose the log entry', () => {
		expect(targets(wf, 'Send DM', 0)).toEqual(['Log send']);
		expect(targets(wf, 'Log send')).toEqual(['Save state after send']);
		// Besides the CRM, only the send lease's release (queue mode, docs/queue-mode.md) follows the state.
		expect(targets(wf, 'Save state after send').filter((n) => !n.startsWith('Release send lease'))).toEqual(['Lead for CRM']);
		expect(node('Save state after send').parameters.columns.value.contactId).toBe("={{ $('Send DM').item.json.state.contactId }}");
	});
});

// A send of unknown outcome (the DM node's Sent output with sentUnknown: true) is logged as sent with its
// reason, so the Send caps gate never sends that key again and the log shows which sends to check by hand.
describe.each(FILES)('%s: maybe-sent DMs', (file) => {
	const wf = load(file);
	const node = (name) => wf.nodes.find((n) => n.name === name);

	it.each(['Log send', 'Log confirmation'])('%s keeps reason sent_unknown for a maybe-sent item (null otherwise)', (name) => {
		const columns = node(name).parameters.columns.value;
		expect(columns.status).toBe('sent');
		expect(columns.sentAt).toBeTruthy();
		expect(columns.reason).toBe("={{ $json.sentUnknown ? 'sent_unknown' : null }}");
	});
});
