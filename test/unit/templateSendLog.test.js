// Part 1's send path: the send log is checked before the DM, each DM is claimed in the send log before it goes out
// (write-ahead), the log is append-only (one row per attempt), and the result is written before anything else can fail.
const path = require('path');

const FILES = ['story-viewers-to-consented-leads.json', 'story-viewers-to-consented-leads-hubspot.json'];
const load = (file) => require(path.join(__dirname, '../../workflows', file));
const targets = (wf, from, output = 0) => ((wf.connections[from] || {}).main || [])[output]?.map((c) => c.node) ?? [];
/** [source, output, input] of every connection into `name`. */
const sources = (wf, name) =>
	Object.entries(wf.connections).flatMap(([source, { main }]) =>
		main.flatMap((targetsOfOutput, output) =>
			(targetsOfOutput || []).filter((c) => c.node === name).map((c) => [source, output, c.index]),
		),
	);
const isSendsTable = (node) =>
	node.type === 'n8n-nodes-base.dataTable' && /sends$/.test(String(node.parameters.dataTableId?.value ?? ''));

const NOW = '2026-03-10T10:00:00.000Z';
/** Evaluates a `={{ … }}` column expression for an item, with Client settings { fixedNow: NOW }. */
function evaluate(expression, json) {
	const body = String(expression).replace(/^=\{\{ | \}\}$/g, '');
	const settings = () => ({ first: () => ({ json: { fixedNow: NOW } }) });
	return new Function('$', '$json', `return ${body};`)(settings, json);
}

// The two send paths: [DM node, suffix of its write-ahead steps, its sent / failed completions].
const PATHS = [
	['Send DM', '', 'Log send', 'Log failed send'],
	['Send confirmation', ' (confirmation)', 'Log confirmation', 'Log failed confirmation'],
];

describe.each(FILES)('%s', (file) => {
	const wf = load(file);
	const node = (name) => wf.nodes.find((n) => n.name === name);

	it('the Send caps gate refuses an idempotencyKey the send log holds as sent, and reads the send log', () => {
		expect(node('Send caps').parameters.options.idempotencyKeyField).toBe('idempotencyKey');
		expect(targets(wf, 'Read sends of the last day')).toEqual(['Consent and send log']);
		expect(targets(wf, 'Consent and send log')).toContain('Send caps');
		// The allowed items go to the write-ahead steps only; the DM node is reached through them.
		expect(targets(wf, 'Send caps').sort()).toEqual(['Claim the sends', 'Claimed under the lease', 'Lease lost']);
	});

	it('a sent DM is logged first; state and CRM follow in one chain, so neither can lose the log entry', () => {
		expect(targets(wf, 'Send DM', 0)).toEqual(['Log send']);
		expect(targets(wf, 'Log send')).toEqual(['Save state after send']);
		// Besides the CRM, only the dispatcher's send lease release (queue mode, docs/queue-mode.md) follows the state.
		expect(targets(wf, 'Save state after send').filter((n) => n !== 'Dispatcher run?')).toEqual(['Lead for CRM']);
		expect(targets(wf, 'Dispatcher run?')).toEqual(['Release send lease after sending']);
		expect(node('Save state after send').parameters.columns.value.contactId).toBe("={{ $('Send DM').item.json.state.contactId }}");
	});

	describe.each(PATHS)('%s: write-ahead', (dm, suffix, logSent, logFailed) => {
		const claim = node(`Claim the sends${suffix}`);
		const under = `Claimed under the lease${suffix}`;

		it('is reached only through "Claimed under the lease", which waits for the claims and the fence', () => {
			expect(sources(wf, dm)).toEqual([[under, 0, 0]]);
			expect(node(under).parameters).toEqual(
				expect.objectContaining({ mode: 'chooseBranch', chooseBranchMode: 'waitForAll', useDataOfInput: 1 }),
			);
			// Input 2 of the Merge: the fence's "still held" branch, which runs after the claims are inserted.
			const [[held, heldOutput]] = sources(wf, under).filter(([, , input]) => input === 1);
			expect([held, heldOutput]).toEqual([`Lease still held?${suffix}`, 0]);
			expect(sources(wf, held).map(([s]) => s)).toEqual([`Hold the lease${suffix}`]);
			expect(sources(wf, `Hold the lease${suffix}`).map(([s]) => s)).toEqual([`Claim the sends${suffix}`]);
		});

		it('claims one send-log row per DM before it goes out: an insert, status claimed, with a sent-at time', () => {
			expect(isSendsTable(claim)).toBe(true);
			expect(claim.parameters.operation).toBe('insert');
			expect(claim.executeOnce).toBeUndefined(); // one row per item
			const v = claim.parameters.columns.value;
			expect(v.status).toBe('claimed');
			// The Consent Gate counts a row with a sentAt as sent: a claim never completed is never sent again.
			expect(v.sentAt).toMatch(/fixedNow/);
			expect(v.claimedAt).toBe(v.sentAt);
			expect(v.attemptId).toMatch(/\+ ':' \+/);
			expect(v.holder).toBe("={{ ($execution.id + '/" + (dm === 'Send confirmation' ? 'confirmation' : 'send') + "') }}");
		});

		it('completes the attempt row it claimed (by attemptId), with the message id or the refusal', () => {
			const attemptId = claim.parameters.columns.value.attemptId;
			for (const name of [logSent, logFailed]) {
				const p = node(name).parameters;
				expect(p.operation).toBe('upsert');
				expect(p.filters.conditions).toEqual([{ keyName: 'attemptId', condition: 'eq', keyValue: attemptId }]);
				expect(p.columns.value.attemptId).toBe(attemptId);
			}
			const sentRow = node(logSent).parameters.columns.value;
			expect(sentRow.status).toBe('sent');
			expect(sentRow.messageId).toMatch(/messageId/);
			expect(evaluate(sentRow.sentAt, {})).toBe(NOW);
			// A refused DM was not sent: its row stops counting as sent, so the next run may try again (a new row).
			const failedRow = node(logFailed).parameters.columns.value;
			const refused = { reason: 'outside_window' };
			expect([evaluate(failedRow.status, refused), evaluate(failedRow.sentAt, refused)]).toEqual(['not_sent', null]);
			// Maybe sent (the Graph API may have delivered it): it keeps counting as sent, never sent again.
			for (const reason of ['sent_unknown', 'maybe_sent']) {
				expect([evaluate(failedRow.status, { reason }), evaluate(failedRow.sentAt, { reason })]).toEqual(['sent_unknown', NOW]);
			}
			expect(sources(wf, logSent)).toEqual([[dm, 0, 0]]);
			expect(sources(wf, logFailed)).toEqual([[dm, 1, 0]]);
		});

		it('a lost lease sends nothing and gives the claims up as not sent (lease_lost)', () => {
			const lost = `Lease lost${suffix}`;
			expect(sources(wf, lost).filter(([, , input]) => input === 1)).toEqual([[`Lease still held?${suffix}`, 1, 1]]);
			expect(targets(wf, lost)).toEqual([`Give up the claims${suffix}`]);
			const giveUp = node(`Give up the claims${suffix}`).parameters;
			expect(giveUp.filters.conditions.map((c) => c.keyName)).toEqual(['attemptId']);
			expect(giveUp.columns.value).toEqual(
				expect.objectContaining({ status: 'not_sent', reason: 'lease_lost', sentAt: '={{ null }}' }),
			);
		});
	});

	it('the send log is append-only: no step writes it keyed on the idempotency key (a second attempt is a second row)', () => {
		const writers = wf.nodes.filter((n) => isSendsTable(n) && ['upsert', 'update', 'insert'].includes(n.parameters.operation));
		expect(writers.length).toBeGreaterThanOrEqual(8);
		for (const writer of writers) {
			const keys = (writer.parameters.filters?.conditions ?? []).map((c) => c.keyName);
			expect({ writer: writer.name, keys }).toEqual({
				writer: writer.name,
				keys: writer.parameters.operation === 'insert' ? [] : ['attemptId'],
			});
		}
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
