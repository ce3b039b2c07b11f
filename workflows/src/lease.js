// The send lease of Part 1 (docs/queue-mode.md). In queue mode several executions run at once on several workers:
// the webhook path's immediate reply, STOP confirmations and the dispatcher could all decide a contact's send from
// the same stale reads. So every path that sends first takes the lease — one row of the lease table, taken with a
// conditional update (Postgres runs `UPDATE … WHERE lockedUntil < now RETURNING`, so two runs cannot both get it),
// then reads the send state, decides, sends and writes, then releases it.
// Release order: n8n's v1 order runs a node's children depth-first, top one first, so the release — the lowest child
// of "Lease taken?" — runs after everything below "Under the lease". A crashed holder's lease expires after
// `sendLeaseSeconds`.
//
// Fencing and write-ahead sends (docs/queue-mode.md, "Crash safety"): the lease's holder is a token, the execution
// id plus the send path (`<execution id>/send`, `<execution id>/confirmation`), so another run — or the same
// workflow re-run after its worker died, which is a new execution — never shares it. The token is computed, not read
// back from the take: a path may take more than once in one execution (retries, rounds), and an expression reading
// the take's output may see a busy attempt's empty item (an undefined token then matched the fence and let every run
// send). Before a batch of
// DMs goes out, each DM's attempt row is
// inserted into the send log (status `claimed`, with a sent-at time, so every later reading counts it as sent);
// then the holder re-checks the lease with a conditional update that only the current token can win (`UPDATE … WHERE
// holder = token RETURNING`), extending it to cover the batch. Only then does the batch go out. A run whose lease
// was taken over cannot send, and a run that reads the send log after taking the lease sees every claim made by
// the previous holder: a claim never completed (a crash mid-send) reads as *maybe sent* and is never re-sent.
const { assignment, dataTable, condition, conditions, op, stableId } = require('./lib');
const { S, NOW, tableName } = require('./common');
const { TABLES } = require('./tables');

const LEASE = 'send';
const EPOCH = '1970-01-01T00:00:00.000Z';
const leaseTable = tableName('lease');
const columns = TABLES.lease.columns;

/** Client settings field: how long a lease holds when its run never releases it (a crash). */
const LEASE_SETTING = assignment('sendLeaseSeconds', 120, 'number');
/**
 * Client settings field: the time one DM may take (Graph API call with its retries). A batch holds at most
 * sendLeaseSeconds / sendBudgetSeconds DMs, so it fits in the lease it extends.
 */
const SEND_BUDGET_SETTING = assignment('sendBudgetSeconds', 4, 'number');
/** The most DMs one batch may hold: what fits in the lease (at least one). */
const BATCH_FITS_LEASE = `Math.max(1, Math.floor(${S('sendLeaseSeconds')} / Math.max(0.001, ${S('sendBudgetSeconds')})))`;

/** The send path a "Take send lease…" node takes the lease for: confirmations, or cadence sends (dispatcher or reply). */
const pathOf = (take) => (take.includes('(confirmation)') ? 'confirmation' : 'send');

/** Expression (no `={{ }}`): this execution's holder token for the path of the given "Take send lease…" nodes. */
function tokenOf(takes) {
	const paths = [...new Set(takes.map(pathOf))];
	if (paths.length !== 1) throw new Error(`takes of more than one send path: ${takes.join(', ')}`);
	return `($execution.id + '/${paths[0]}')`;
}

/** True for the row a take returned when this execution won the lease for the path of `takes`. */
const takenBy = (takes) => `={{ typeof $json.holder === 'string' && $json.holder === ${tokenOf(takes)} }}`;

/**
 * Adds take → taken? → (under the lease | wait and retry | give up) and the release, for one path.
 *   suffix     appended to the node names (' (reply)')
 *   from       [node, output] whose items go on under the lease
 *   x, y       position of "Take send lease"; the rest is laid out to its right and below
 *   retries    attempts after the first, `waitSeconds` apart (0: give up at once)
 *   waitSeconds  the pause before each new attempt (1 s)
 *   giveUp     name of an existing node that gets the item when the lease stayed busy
 * Returns the name of the node whose output are `from`'s items, under the lease.
 */
function leaseSteps(t, { suffix = '', from, x, y, retries, waitSeconds = 1, giveUp, why }) {
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
				holder: `={{ ${tokenOf([take])} }}`,
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
	// The take (an update with alwaysOutputData) returns the row only when it won; a busy lease gives an empty item,
	// which must never pass (the holder is compared with the computed token, not with the take's own output).
	t.node(taken, 'n8n-nodes-base.if', 2.2, [x + 220, y], {
		conditions: conditions([[takenBy([take]), op.isTrue]]),
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
	// The release is the lowest child of "Lease taken?": it runs after every node under the lease.
	releaseNode(t, release, [x + 440, y + 160], 'Runs after every node under the lease (the lowest child of "Lease taken?").', [take]);
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
		t.connect(wait, take);
		t.connect(again, giveUp, { from: 1 });
	} else {
		t.connect(taken, giveUp, { from: 1 });
	}
	return under;
}

/**
 * After every release: read who is still waiting for an immediate reply (one batch), and when anyone is, go round
 * again into `loopTo` ([node, input] pairs: the reply take and its "Under the lease" merge) with them as the items.
 * A run that found the lease busy does not poll: the run holding the lease at that moment releases after the
 * sender was marked waiting, so this read finds the sender (docs/queue-mode.md). At most `rounds` rounds per
 * execution, and only while it has sent fewer than `cap` DMs (node `sent`, all its runs): the cap per run holds for
 * the whole execution. Past that, the next holder (or the dispatcher) answers them.
 */
function waitingSteps(t, { releases, loopTo, position: [x, y], waiting, rounds = 100, sent, cap }) {
	const read = 'Anyone waiting?';
	const again = 'Answer them now?';
	const [parameters, notes] = waiting;
	t.node(read, 'n8n-nodes-base.dataTable', 1.1, [x, y], parameters, { executeOnce: true, notes });
	for (const release of releases) t.connect(release, read);
	t.node(
		again,
		'n8n-nodes-base.if',
		2.2,
		[x + 220, y],
		// The cap per run holds for the whole execution, rounds included: the DMs `sent` by every earlier run of that
		// node count (a run that does not exist counts 0).
		{
			conditions: conditions([
				[
					`={{ $runIndex < ${rounds} && Array.from({ length: $runIndex + 2 }, (_, run) => { try { return $('${sent}').all(0, run).length; } catch (error) { return 0; } }).reduce((sum, n) => sum + n, 0) < ${cap} }}`,
					op.isTrue,
				],
			]),
			options: {},
		},
		{
			notes: `Another round as the reply holder, for everyone still waiting, while this execution has sent fewer DMs than capPerRun (up to ${rounds} rounds).`,
		},
	);
	t.connect(read, again);
	for (const [node, input = 0] of loopTo) t.connect(again, node, { to: input });
	return again;
}

/** Frees the lease if this execution's latest take (through `takes`) still holds it: releasing twice is harmless. */
function releaseNode(t, name, position, notes, takes) {
	t.node(
		name,
		'n8n-nodes-base.dataTable',
		1.1,
		position,
		dataTable.update(leaseTable, columns, { lockedUntil: EPOCH }, [
			condition('lease', 'eq', LEASE),
			condition('holder', 'eq', `={{ ${tokenOf(takes)} }}`),
		]),
		{ executeOnce: true, notes },
	);
	return name;
}

/**
 * Write-ahead, fenced sends for one DM node. Adds, between `from` and the DM node:
 *   Claim the sends   one send-log row per DM (insert: status claimed, sentAt now, attemptId = token:key)
 *   Hold the lease    the conditional claim: extends the lease where the holder is still this run's token
 *   Lease still held? → Claimed under the lease (Merge: the items go on once claimed and fenced) → DM node
 *                     ✗ → Lease lost (Merge) → Give up the claims (status not_sent, reason lease_lost; nothing sent)
 * and the two completions after the DM node: `sent` / `failed` upsert the attempt row (by attemptId) with the message
 * id or the refusal. A row is never keyed on the idempotency key, so a second attempt is a second row.
 *   suffix       node-name suffix (' (confirmation)')
 *   from         [node, output] with the items to send
 *   key          expression (no braces) of an item's idempotency key ($json.idempotencyKey)
 *   takes        the "Take send lease…" nodes this path can hold the lease through
 *   dm           name of the DM node (added by the caller); its outputs go to sent (0) and failed (1)
 *   claim        send-log values written with the claim (the columns that describe the DM)
 *   sent, failed [name, values]: completion rows (values merged over the attempt's keys)
 * Returns nothing; the caller adds the DM node and connects from `Claimed under the lease${suffix}`.
 */
function fencedSendSteps(t, { suffix = '', from, takes, x, y, key = '$json.idempotencyKey', claim, sent, failed, dm, completionNotes = {} }) {
	const [source, output = 0] = from;
	const names = {
		claim: `Claim the sends${suffix}`,
		hold: `Hold the lease${suffix}`,
		held: `Lease still held?${suffix}`,
		under: `Claimed under the lease${suffix}`,
		lost: `Lease lost${suffix}`,
		giveUp: `Give up the claims${suffix}`,
	};
	const token = tokenOf(takes);
	const attemptId = `={{ ${token} + ':' + ${key} }}`;
	const sends = TABLES.sends.columns;
	const sendsTable = tableName('sends');
	const keyed = (values) => ({ ...values, attemptId, holder: `={{ ${token} }}`, idempotencyKey: `={{ ${key} }}` });
	t.node(
		names.claim,
		'n8n-nodes-base.dataTable',
		1.1,
		[x, y - 160],
		dataTable.insert(sendsTable, sends, keyed({ ...claim, status: 'claimed', claimedAt: `={{ ${NOW} }}`, sentAt: `={{ ${NOW} }}` })),
		{
			notes:
				'Write-ahead: one attempt row per DM before anything is sent. With its sentAt, every later run counts it as sent (or maybe sent) and never sends it again.',
		},
	);
	t.connect(source, names.claim, { from: output });
	t.node(
		names.hold,
		'n8n-nodes-base.dataTable',
		1.1,
		[x + 220, y - 160],
		dataTable.update(
			leaseTable,
			columns,
			{ lockedUntil: `={{ $now.plus({ seconds: ${S('sendLeaseSeconds')} }).toUTC().toISO() }}` },
			[condition('lease', 'eq', LEASE), condition('holder', 'eq', `={{ ${token} }}`)],
		),
		{
			executeOnce: true,
			alwaysOutputData: true,
			notes:
				'The fence: only the token that took the lease can extend it. A run whose lease expired and was taken over gets no row and sends nothing.',
		},
	);
	t.connect(names.claim, names.hold);
	t.node(names.held, 'n8n-nodes-base.if', 2.2, [x + 440, y - 160], {
		// An empty item (no row: the lease was taken over) never passes.
		conditions: conditions([[takenBy(takes), op.isTrue]]),
		options: {},
	});
	t.connect(names.hold, names.held);
	const chooseItems = { mode: 'chooseBranch', chooseBranchMode: 'waitForAll', output: 'specifiedInput', useDataOfInput: 1 };
	t.node(names.under, 'n8n-nodes-base.merge', 3.2, [x + 660, y], chooseItems);
	t.connect(source, names.under, { from: output });
	t.connect(names.held, names.under, { to: 1 });
	t.node(names.lost, 'n8n-nodes-base.merge', 3.2, [x + 660, y - 320], chooseItems, {
		notes: 'The lease was taken over (it expired): nothing of this batch is sent; the next run decides again.',
	});
	t.connect(source, names.lost, { from: output });
	t.connect(names.held, names.lost, { from: 1, to: 1 });
	t.node(
		names.giveUp,
		'n8n-nodes-base.dataTable',
		1.1,
		[x + 880, y - 320],
		dataTable.upsert(sendsTable, sends, keyed({ ...claim, status: 'not_sent', reason: 'lease_lost', sentAt: '={{ null }}' }), [
			condition('attemptId', 'eq', attemptId),
		]),
		{ notes: 'Certain: these DMs never left. The claims stop counting as sent.' },
	);
	t.connect(names.lost, names.giveUp);
	const [sentName, sentValues] = sent;
	const [failedName, failedValues] = failed;
	t.node(
		failedName,
		'n8n-nodes-base.dataTable',
		1.1,
		[x + 1100, y + 160],
		dataTable.upsert(sendsTable, sends, keyed(failedValues), [condition('attemptId', 'eq', attemptId)]),
		completionNotes.failed ? { notes: completionNotes.failed } : {},
	);
	t.connect(dm, failedName, { from: 1 });
	t.node(
		sentName,
		'n8n-nodes-base.dataTable',
		1.1,
		[x + 1100, y],
		dataTable.upsert(sendsTable, sends, keyed(sentValues), [condition('attemptId', 'eq', attemptId)]),
		completionNotes.sent ? { notes: completionNotes.sent } : {},
	);
	t.connect(dm, sentName, { from: 0 });
	return names.under;
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

module.exports = { leaseSteps, waitingSteps, leaseRow, releaseNode, fencedSendSteps, tokenOf, LEASE_SETTING, SEND_BUDGET_SETTING, BATCH_FITS_LEASE };
