// The send lease of Part 1 (docs/queue-mode.md). In queue mode several executions run at once on several workers:
// the webhook path's immediate reply, STOP confirmations and the dispatcher could all decide a contact's send from
// the same stale reads. So every path that sends first takes the lease — one row of the lease table, taken with a
// conditional update (Postgres runs `UPDATE … WHERE lockedUntil < now RETURNING`, so two runs cannot both get it),
// then reads the send state, decides, sends and writes, then releases it.
// Release order: n8n's v1 order runs a node's children depth-first, top one first, so the release — the lowest child
// of "Lease taken?" — runs after everything below "Under the lease". A crashed holder's lease expires after
// `sendLeaseSeconds`.
const { assignment, dataTable, condition, conditions, op, stableId } = require('./lib');
const { S, tableName } = require('./common');
const { TABLES } = require('./tables');

const LEASE = 'send';
const EPOCH = '1970-01-01T00:00:00.000Z';
const leaseTable = tableName('lease');
const columns = TABLES.lease.columns;

/** Client settings field: how long a lease holds when its run never releases it (a crash). */
const LEASE_SETTING = assignment('sendLeaseSeconds', 120, 'number');

/**
 * Adds take → taken? → (under the lease | wait and retry | give up) and the release, for one path.
 *   suffix     appended to the node names (' (reply)')
 *   from       [node, output] whose items go on under the lease
 *   x, y       position of "Take send lease"; the rest is laid out to its right and below
 *   retries    attempts after the first, `waitSeconds` apart (0: give up at once)
 *   waitSeconds  the pause before each new attempt (1 s)
 *   recheck    optional [name, parameters]: a node run after each pause; an attempt is made only for the items
 *              it outputs (the reply path stops waiting once another run has answered its senders)
 *   giveUp     name of an existing node that gets the item when the lease stayed busy
 * Returns the name of the node whose output are `from`'s items, under the lease.
 */
function leaseSteps(t, { suffix = '', from, x, y, retries, waitSeconds = 1, recheck, giveUp, why }) {
	const [source, output = 0] = from;
	const take = `Take send lease${suffix}`;
	const taken = `Lease taken?${suffix}`;
	const under = `Under the lease${suffix}`;
	const release = `Release send lease${suffix}`;
	t.node(
		take,
		'n8n-nodes-base.dataTable',
		1.1,
		[x, y],
		dataTable.update(
			leaseTable,
			columns,
			{
				holder: '={{ $execution.id }}',
				lockedUntil: `={{ $now.plus({ seconds: ${S('sendLeaseSeconds')} }).toUTC().toISO() }}`,
			},
			[
				condition('lease', 'eq', LEASE),
				condition('lockedUntil', 'lt', '={{ $now.toUTC().toISO() }}'),
			],
		),
		{ executeOnce: true, alwaysOutputData: true, notes: why },
	);
	t.connect(source, take, { from: output });
	t.node(taken, 'n8n-nodes-base.if', 2.2, [x + 220, y], {
		conditions: conditions([['={{ $json.holder }}', op.equals, '={{ $execution.id }}']]),
		options: {},
	});
	t.connect(take, taken);
	// chooseBranch waits for both inputs: the items go on only once this run holds the lease.
	t.node(under, 'n8n-nodes-base.merge', 3.2, [x + 440, y], {
		mode: 'chooseBranch',
		chooseBranchMode: 'waitForAll',
		output: 'specifiedInput',
		useDataOfInput: 1,
	});
	t.connect(source, under, { from: output });
	t.connect(taken, under, { to: 1 });
	releaseNode(
		t,
		release,
		[x + 440, y + 160],
		'Runs after every node under the lease (the lowest child of "Lease taken?").',
	);
	t.connect(taken, release);
	if (retries > 0) {
		const again = `Try again?${suffix}`;
		const wait = `Wait for the lease${suffix}`;
		t.node(again, 'n8n-nodes-base.if', 2.2, [x + 440, y + 320], {
			conditions: conditions([[`={{ $runIndex < ${retries} }}`, op.isTrue]]),
			options: {},
		});
		t.connect(taken, again, { from: 1 });
		t.node(
			wait,
			'n8n-nodes-base.wait',
			1.1,
			[x + 660, y + 320],
			{ amount: waitSeconds, unit: 'seconds' },
			{ webhookId: stableId(t.meta.id, wait) },
		);
		t.connect(again, wait);
		if (recheck) {
			const [name, parameters, options] = recheck;
			t.node(name, 'n8n-nodes-base.dataTable', 1.1, [x + 880, y + 320], parameters, options);
			t.connect(wait, name);
			t.connect(name, take);
		} else {
			t.connect(wait, take);
		}
		t.connect(again, giveUp, { from: 1 });
	} else {
		t.connect(taken, giveUp, { from: 1 });
	}
	return under;
}

/** Frees the lease if this execution holds it (so releasing twice is harmless). */
function releaseNode(t, name, position, notes) {
	t.node(
		name,
		'n8n-nodes-base.dataTable',
		1.1,
		position,
		dataTable.update(leaseTable, columns, { lockedUntil: EPOCH }, [
			condition('lease', 'eq', LEASE),
			condition('holder', 'eq', '={{ $execution.id }}'),
		]),
		{ executeOnce: true, notes },
	);
	return name;
}

/** Set-up: creates the lease row once (free: locked until 1970). */
function leaseRow(t, from, [x, y]) {
	t.node(
		'Send lease missing?',
		'n8n-nodes-base.dataTable',
		1.1,
		[x, y],
		dataTable.rowNotExists(leaseTable, [condition('lease', 'eq', LEASE)]),
	);
	t.connect(from, 'Send lease missing?');
	t.node(
		'Create the send lease',
		'n8n-nodes-base.dataTable',
		1.1,
		[x + 220, y],
		dataTable.insert(leaseTable, columns, { lease: LEASE, holder: '', lockedUntil: EPOCH }),
	);
	t.connect('Send lease missing?', 'Create the send lease');
}

module.exports = { leaseSteps, leaseRow, releaseNode, LEASE_SETTING };
