// Template: Part 1 — story viewers to consented leads (webhook path, dispatcher path, CSV import path).
const { Template, assignment, setNode, switchRule, conditions, op, stableId, dataTable, condition } = require('./lib');
const { at, activeCampaignLayout, S, NOW, SETTINGS_COMMON, tableName, upsertRow, insertRows, readAll, READ_ONCE, dateOrNull, activeCampaignSteps, hubspotSteps } = require('./common');
const { leaseSteps, waitingSteps, releaseNode, fencedSendSteps, LEASE_SETTING, SEND_BUDGET_SETTING, BATCH_FITS_LEASE } = require('./lease');

const { DEFAULT_TABLE_PREFIX, TABLES } = require('./tables');

/** Event ids the CSV import remembers; far more than a segment window of imports holds. */
const HISTORY_SIZE = 200000;
/** Imported events per bulk insert: the execution shows a progress figure after each chunk. */
const IMPORT_CHUNK = 10000;
/** Import progress (one run per chunk): events stored by this and the earlier runs of Store imported events. */
const STORED_SO_FAR =
	"Array.from({ length: $runIndex + 1 }, (_, run) => $('Store imported events').first(0, run).json.insertedRows).reduce((sum, rows) => sum + rows, 0)";
/** Events still waiting in Import in chunks (its context; only the length crosses into the expression). */
const LEFT_TO_STORE = "$('Import in chunks').context.items.length";
/** Senders one reply round reads and answers: what one batch may send (capPerRun, and what fits in the lease). */
const REPLY_BATCH = `Math.min(${S('capPerRun')}, ${BATCH_FITS_LEASE})`;
const INBOUND_TYPES = ['story_reply', 'story_mention', 'message', 'postback'];
/** A read of more than one page (1,000 rows) fails when other runs add rows meanwhile: try again. */
const RETRY_READ = { retryOnFail: true, maxTries: 5, waitBetweenTries: 2000 };
/** A Not Sent item the Graph API may have delivered after all (DM node outcome "maybe sent"). */
const MAYBE_SENT = "['sent_unknown', 'maybe_sent'].includes($json.reason)";

/**
 * Status, reason, message id and sent-at time of a completed attempt. A refusal the DM node reports as maybe sent
 * (reason sent_unknown / maybe_sent: the Graph API may have delivered it) keeps its sent-at time, so it is never sent
 * again; any other refusal clears it, so a later run may try the key again (as a new row).
 */
function outcomeValues(status) {
	if (status === 'sent') {
		// A send of unknown outcome (DM node: Sent with sentUnknown, reason sent_unknown) counts as sent, never retried;
		// its reason stays in the log so the user knows which sends to check.
		return {
			status,
			reason: "={{ $json.sentUnknown ? 'sent_unknown' : null }}",
			messageId: '={{ $json.messageId || null }}',
			sentAt: `={{ ${NOW} }}`,
		};
	}
	return {
		status: `={{ ${MAYBE_SENT} ? 'sent_unknown' : 'not_sent' }}`,
		reason: '={{ $json.reason }}',
		messageId: '={{ null }}',
		sentAt: `={{ ${MAYBE_SENT} ? ${NOW} : null }}`,
	};
}

/** The send-log values that describe a DM (a claim writes these; the completion adds status, reason, message id). */
function describing(values) {
	const described = { ...values };
	for (const outcome of ['status', 'reason', 'messageId', 'sentAt']) delete described[outcome];
	return described;
}

function build(crm = 'activecampaign') {
	const hubspot = crm === 'hubspot';
	const t = new Template({
		id: hubspot ? 'StoryLeadsPart1HubSpt' : 'StoryLeadsPart1',
		name: `Story Leads — Part 1: story viewers to consented leads${hubspot ? ' (HubSpot)' : ''}`,
		description:
			'Instagram story replies, mentions and reactions (signed webhooks) and imported viewer lists become events; opt-outs are recorded at once; every 15 minutes the dispatcher segments viewers, checks consent and the 24 h window, sends the due DMs and adds the leads to the CRM.',
	});
	const crmName = hubspot ? 'HubSpot' : 'ActiveCampaign';

	// ---- notes
	t.sticky(
		'About this workflow',
		[
			`## Story Leads — Part 1: story viewers to consented leads${hubspot ? ' (HubSpot)' : ''}`,
			'**Webhook path** (top): Instagram sends story replies, mentions, reactions and DMs here (signature checked).',
			'Events are stored; STOP / START messages become consent records at once and get one confirmation DM;',
			'the time of each person\'s last message is kept (it opens Instagram\'s 24 h messaging window), and',
			'people who just wrote get the first message of the sequence at once (*replyImmediately*), through the same',
			'Consent Gate, caps and Cadence Scheduler as the dispatcher. Meta gets its 200 only once the delivery is',
			'stored (*Acknowledge Meta*): a failure before it answers 500 and Meta sends the delivery again.',
			'',
			'**Dispatcher** (middle): every 15 minutes (or *Run now*) it reads the events of the window, segments the',
			'viewers, checks consent, opt-outs, the 24 h window and the caps, asks the Cadence Scheduler what is due,',
			`sends the DMs, stores the new state and the send log, and upserts each lead into ${crmName} with its segment tags.`,
			'',
			'**CSV import** (bottom): a form to upload a viewer list exported by you or an approved vendor.',
			'The official API has **no per-viewer story list**; this workflow never scrapes.',
		].join('\n'),
		[-980, -560],
		{ width: 700, height: 480, color: 4 },
	);
	t.sticky(
		'Set-up steps',
		[
			'### Set-up steps',
			'1. Run the **Set-up** workflow once (it creates the Data tables).',
			'2. Credentials: **Instagram API** (token, account id, app secret, verify token) on the trigger and the DM nodes;',
			hubspot
				? '   **HubSpot private app** (scopes crm.objects.contacts.write/read) on the CRM node; create the contact properties named in Client settings.'
				: '   **ActiveCampaign account** (API URL and key) on the CRM nodes.',
			'   Optional: **Story Leads engagement webhook** (Header Auth) to forward events to Part 2.',
			'3. Edit **Client settings**.',
			'4. **Publish** the workflow. Copy the trigger\'s production URL into your Meta app\'s Instagram webhook',
			'   (verify token = the credential\'s) and subscribe the account to `messages`, `message_reactions`, `messaging_postbacks`.',
			'5. Test with *Run now*; the Schedule trigger then runs every 15 minutes.',
		].join('\n'),
		[-260, -560],
		{ width: 720, height: 300, color: 5 },
	);
	t.sticky(
		'What to change',
		[
			'### What to change',
			'Only **Client settings** for a new client: account id, time zone, table prefix, caps, sequence',
			'(storyReplyWindow, softDmFollowUp or nurture), tag names, email domain for Instagram-only leads, Part 2 URL.',
			'Message texts are in the **Cadence Scheduler** node (Message Overrides); the confirmation texts in',
			'**Record consent from messages**. Keep node names: expressions refer to *Client settings* by name.',
			'Leave **fixedNow** empty in production (set it only to replay a past run).',
			'Changed **tablePrefix**? Also rename the table in **Store imported events** (a bulk insert needs a fixed name).',
		].join('\n'),
		[480, -560],
		{ width: 620, height: 260, color: 6 },
	);

	// ---- triggers → Client settings → which path
	t.ours(
		'Instagram Story Trigger',
		'instagramStoryTrigger',
		[-940, 0],
		{
			// message_seen: read receipts of our DMs, stored with the other events for the report's DM open rate.
			events: ['story_reply', 'story_mention', 'reaction', 'message', 'postback', 'message_seen'],
			pseudonymise: false,
			// Meta gets its 200 only once the delivery is stored ("Acknowledge Meta"): a failure before it answers 500
			// and Meta redelivers (eventId upserts make that harmless).
			options: { acknowledge: 'afterStored' },
		},
		{
			credentials: { instagramApi: 'Instagram account' },
			webhookId: stableId(hubspot ? 'part1-hubspot' : 'part1', 'instagram-webhook'),
		},
	);
	t.node('Every 15 minutes', 'n8n-nodes-base.scheduleTrigger', 1.2, [-940, 420], {
		rule: { interval: [{ field: 'minutes', minutesInterval: 15 }] },
	});
	t.node('Run now', 'n8n-nodes-base.manualTrigger', 1, [-940, 600]);
	t.node(
		'Upload viewer CSV',
		'n8n-nodes-base.formTrigger',
		// 2.1: the last version that answers through a Respond to Webhook node. Later versions refuse any Respond to
		// Webhook node downstream, and "Acknowledge Meta" (webhook path) is downstream of every trigger here.
		2.1,
		[-940, 900],
		{
			// 2.1 asks for a path; the webhook id keeps the form's URL as it was (/form/<webhook id>).
			path: stableId(hubspot ? 'part1-hubspot' : 'part1', 'csv-form'),
			responseMode: 'responseNode',
			formTitle: 'Import story viewers',
			formDescription:
				'Upload a CSV of story viewers exported by you or an approved vendor (columns such as handle, first_seen, story_id, context).',
			formFields: {
				values: [
					{ fieldLabel: 'Viewer list', fieldType: 'file', multipleFiles: false, acceptFileTypes: '.csv', requiredField: true },
				],
			},
			options: {},
		},
		{ webhookId: stableId(hubspot ? 'part1-hubspot' : 'part1', 'csv-form') },
	);

	t.node(
		'Client settings',
		'n8n-nodes-base.set',
		3.4,
		[-700, 420],
		setNode(
			[
				assignment('instagramAccountId', ''),
				assignment('timeZone', 'UTC'),
				...SETTINGS_COMMON,
				assignment('segmentWindowDays', 7, 'number'),
				assignment('requireOptIn', false, 'boolean'),
				assignment('capPerRun', 25, 'number'),
				assignment('capPerHour', 50, 'number'),
				assignment('capPerDay', 200, 'number'),
				assignment('sequence', 'storyReplyWindow'),
				assignment('replyImmediately', true, 'boolean'),
				// First-party click tracking (off): DM links go through Part 2's Click redirect (its Production URL
				// without /:token); the Cadence Scheduler then needs the Story Leads privacy pepper credential.
				assignment('trackClicks', false, 'boolean'),
				assignment('clickRedirectUrl', ''),
				LEASE_SETTING,
				SEND_BUDGET_SETTING,
				assignment('leadTag', 'instagram-story-lead'),
				assignment('segmentTagPrefix', 'ig-'),
				assignment('emailDomainForInstagramOnly', 'instagram-lead.invalid'),
				...(hubspot
					? [assignment('hubspotTagsProperty', 'story_leads_segments'), assignment('hubspotKeyProperty', 'instagram_scoped_id')]
					: []),
				assignment('engagementWebhookUrl', 'http://localhost:5678/webhook/story-leads-engagement'),
			],
			{ includeOtherFields: true },
		),
		{ notes: 'Edit me: one node with everything that changes per client.', notesInFlow: true },
	);
	for (const trigger of ['Instagram Story Trigger', 'Every 15 minutes', 'Run now', 'Upload viewer CSV']) {
		t.connect(trigger, 'Client settings');
	}
	t.node('Which path?', 'n8n-nodes-base.switch', 3.2, [-480, 420], {
		rules: {
			values: [
				switchRule('Instagram webhook', "={{ $('Instagram Story Trigger').isExecuted }}"),
				switchRule('Dispatcher', "={{ $('Every 15 minutes').isExecuted || $('Run now').isExecuted }}"),
				switchRule('CSV import', "={{ $('Upload viewer CSV').isExecuted }}"),
			],
		},
		options: {},
	});
	t.connect('Client settings', 'Which path?');

	// ---- webhook path
	const eventValues = {
		eventId: '={{ $json.eventId }}',
		viewerKey: '={{ $json.viewerKey }}',
		viewerKeyType: '={{ $json.viewerKeyType }}',
		storyId: '={{ $json.storyId || null }}',
		type: '={{ $json.type }}',
		occurredAt: '={{ $json.occurredAt }}',
		ingestedAt: '={{ $json.ingestedAt }}',
		source: '={{ $json.source }}',
		sourceTool: '={{ $json.sourceTool }}',
		context: '={{ $json.context || null }}',
		keyword: '={{ $json.keyword || null }}',
		locale: '={{ $json.locale || null }}',
		followerCount:
			"={{ $json.extra && $json.extra.follower_count !== undefined && $json.extra.follower_count !== '' ? Number($json.extra.follower_count) : null }}",
	};
	t.node('Store events', 'n8n-nodes-base.dataTable', 1.1, [-240, 0], upsertRow('events', 'eventId', eventValues), {
		notes: 'Upsert on eventId: Meta\'s redeliveries and re-runs do not duplicate rows.',
	});
	t.connect('Which path?', 'Store events', { from: 0 });
	// Only a message with a keyword can change consent (the Record consent node's keywordOf: the trigger's detected
	// keyword, or the kept text when the trigger keeps it). Every other delivery skips the consent read: one Data
	// table call less per reply (issue 24).
	t.node(
		'May hold a keyword?',
		'n8n-nodes-base.filter',
		2.2,
		[-240, 180],
		{
			conditions: conditions([['={{ !!$json.keyword || $json.text !== undefined }}', op.isTrue]]),
			options: {},
		},
		{
			notes:
				'Messages with a detected keyword (STOP, START, HELP…), or any kept text (then Record consent from messages decides with its own keyword lists).',
		},
	);
	t.connect('Which path?', 'May hold a keyword?', { from: 0 });
	t.node(
		'Consent so far',
		'n8n-nodes-base.dataTable',
		1.1,
		[-240, 180],
		readAll('consent', [{ keyName: 'subjectKey', condition: 'eq', keyValue: "={{ $('Which path?').item.json.viewerKey }}" }]),
		{ alwaysOutputData: true, notes: 'Stored consent of the people in this delivery (per event).' },
	);
	t.connect('May hold a keyword?', 'Consent so far');
	t.ours(
		'Record consent from messages',
		'consentGate',
		[40, 60],
		{
			operation: 'recordFromMessage',
			now: `={{ ${NOW} }}`,
			channel: 'instagram_dm',
			purpose: 'marketing',
			confirmationReply: true,
			options: {},
		},
	);
	t.connect('May hold a keyword?', 'Record consent from messages');
	t.connect('Consent so far', 'Record consent from messages', { to: 1 });
	const consentValues = {
		recordId: '={{ $json.recordId }}',
		subjectKey: '={{ $json.subjectKey }}',
		channel: '={{ $json.channel }}',
		purpose: '={{ $json.purpose }}',
		status: '={{ $json.status }}',
		lawfulBasis: '={{ $json.lawfulBasis }}',
		recordedAt: '={{ $json.recordedAt }}',
		source: '={{ $json.source }}',
		evidence: '={{ $json.evidence || "" }}',
		evidenceRef: '={{ $json.evidenceRef || null }}',
		wordingVersion: '={{ $json.wordingVersion || null }}',
		expiresAt: dateOrNull('$json.expiresAt'),
	};
	t.node('Store consent', 'n8n-nodes-base.dataTable', 1.1, [300, -60], upsertRow('consent', 'recordId', consentValues), {
		notes: 'Append-only history: upsert on the content-derived recordId.',
	});
	t.connect('Record consent from messages', 'Store consent', { from: 0 });
	t.ours(
		'Send confirmation',
		'instagramDm',
		[300, 100],
		{
			operation: 'sendMessage',
			recipientId: '={{ $json.viewerKey }}',
			text: '={{ $json.text }}',
			idempotencyKey: '={{ $json.replyId }}',
			options: {},
		},
		{ credentials: { instagramApi: 'Instagram account' }, notes: 'One confirmation per change (STOP, START, HELP).' },
	);
	// The confirmation goes out under the send lease, after the consent record is stored: a run that read consent
	// before the STOP has finished sending by then, and every later run reads the opt-out.
	t.node('Lease stayed busy', 'n8n-nodes-base.stopAndError', 1, [560, 360], {
		errorMessage: 'The send lease stayed busy for 150 s: the confirmation was not sent. Check for a stuck run holding it.',
	});
	// Acknowledge after storing: the consent records (above) and the events and last-message times (below) are stored
	// before "Acknowledge Meta" answers; the confirmations and the immediate reply, which can wait for the send lease,
	// come after it. v1 order: "Consent so far" sits above "Store events", so the consent steps run first.
	t.node(
		'Confirm after acknowledging',
		'n8n-nodes-base.merge',
		3.2,
		[40, 200],
		{ mode: 'chooseBranch', chooseBranchMode: 'waitForAll', output: 'specifiedInput', useDataOfInput: 1 },
		{ notes: 'The confirmations wait until Meta has its answer: sending them can wait for the send lease.' },
	);
	t.connect('Record consent from messages', 'Confirm after acknowledging', { from: 1 });
	const confirmations = leaseSteps(t, {
		suffix: ' (confirmation)',
		from: ['Confirm after acknowledging'],
		x: 40,
		y: 300,
		retries: 150,
		giveUp: 'Lease stayed busy',
		why: 'Confirmations are sent under the send lease (queue mode: see docs/queue-mode.md).',
	});
	const confirmationLog = (status) => ({
		contactId: '={{ $json.viewerKey }}',
		channel: 'instagram_dm',
		kind: 'confirmation',
		step: '={{ 0 }}',
		variant: '={{ $json.keyword }}',
		...outcomeValues(status),
	});
	const confirmationClaim = describing(confirmationLog('claimed'));
	const claimedConfirmations = fencedSendSteps(t, {
		suffix: ' (confirmation)',
		from: [confirmations],
		takes: ['Take send lease (confirmation)'],
		x: 300,
		y: 300,
		key: '($json.idempotencyKey || $json.replyId)',
		dm: 'Send confirmation',
		claim: confirmationClaim,
		sent: ['Log confirmation', confirmationLog('sent')],
		failed: ['Log failed confirmation', confirmationLog('not_sent')],
	});
	t.connect(claimedConfirmations, 'Send confirmation');

	t.node(
		'Messages only',
		'n8n-nodes-base.filter',
		2.2,
		[40, -160],
		{
			conditions: conditions([
				[`={{ ${JSON.stringify(INBOUND_TYPES)}.includes($('Which path?').item.json.type) }}`, op.isTrue],
			]),
			options: {},
		},
		{ notes: 'Replies, mentions, DMs and postbacks open the 24 h window; reactions do not.' },
	);
	t.connect('Store events', 'Messages only');
	t.node(
		'Remember last message time',
		'n8n-nodes-base.dataTable',
		1.1,
		[300, -220],
		upsertRow('cadence', 'contactId', {
			contactId: "={{ $('Which path?').item.json.viewerKey }}",
			lastInboundAt: "={{ $('Which path?').item.json.occurredAt }}",
			// Waiting for an immediate reply, unless replies wait for the dispatcher or this delivery holds their STOP.
			replyPending: `={{ ${S('replyImmediately')} && !$('Which path?').all().some(e => e.json.viewerKey === $('Which path?').item.json.viewerKey && e.json.keyword === 'opt_out') ? $('Which path?').item.json.eventId : '' }}`,
		}),
		{
			notes:
				'The contact state the Consent Gate and Cadence Scheduler read (lastInboundAt), and replyPending: the message waits for its immediate reply.',
		},
	);
	t.connect('Messages only', 'Remember last message time');
	t.node(
		'Acknowledge Meta',
		'n8n-nodes-base.respondToWebhook',
		1,
		[560, -360],
		{ respondWith: 'text', responseBody: 'EVENT_RECEIVED', options: {} },
		{
			executeOnce: true,
			notes:
				'Answers Meta 200 once events, consent records and last-message times are stored (trigger option Acknowledge Deliveries). Deliveries without messages are answered when the run ends.',
		},
	);
	t.connect('Remember last message time', 'Acknowledge Meta');
	t.connect('Acknowledge Meta', 'Confirm after acknowledging', { to: 1 });
	// Immediate reply: the people who just wrote go through the same gate, scheduler and DM steps as the dispatcher,
	// at once. Chained after "Remember last message time" so their fresh lastInboundAt is what the gate reads.
	t.node(
		'Reply at once?',
		'n8n-nodes-base.filter',
		2.2,
		[560, -220],
		{
			conditions: conditions([['={{ $json.replyPending }}', op.notEmpty]]),
			options: {},
		},
		{
			notes:
				'Senders marked waiting by "Remember last message time": not when replyImmediately is off (the dispatcher sends the first message on its next run), nor when the same delivery holds their STOP.',
		},
	);
	t.connect('Remember last message time', 'Reply at once?');
	t.node('One per sender', 'n8n-nodes-base.removeDuplicates', 2, [780, -220], {
		operation: 'removeDuplicateInputItems',
		compare: 'selectedFields',
		fieldsToCompare: 'contactId',
		options: {},
	});
	t.connect('Reply at once?', 'One per sender');
	t.node('Left to the lease holder', 'n8n-nodes-base.noOp', 1, [1000, -60], {}, {
		notes:
			'The lease is busy: the run holding it answers this sender. It releases after the sender was marked waiting, and every release reads who is still waiting ("Anyone waiting?").',
	});
	// Whoever holds the lease answers every sender waiting (replyPending), not only its own: a burst of deliveries
	// is answered in a few rounds instead of one lease turn per delivery. A run that finds the lease busy ends at
	// once (under a burst, polling was most of n8n's work): the holder's release comes after its sender was marked,
	// and after every release "Anyone waiting?" reads who still waits and goes round again with them.
	const senders = leaseSteps(t, {
		suffix: ' (reply)',
		from: ['One per sender'],
		x: 1000,
		y: -220,
		retries: 0,
		giveUp: 'Left to the lease holder',
		why: 'The immediate reply decides and sends under the send lease, like the dispatcher.',
	});
	t.node(
		'Take up the reply',
		'n8n-nodes-base.dataTable',
		1.1,
		[1000, -60],
		dataTable.update(tableName('cadence'), TABLES.cadence.columns, { replyPending: '' }, [
			condition('contactId', 'eq', '={{ $json.contactId }}'),
			condition('replyPending', 'eq', '={{ $json.replyPending }}'),
		]),
		{
			notes:
				'Clears replyPending before deciding, so no other run answers the same message. A newer message (another eventId) keeps waiting. Outputs the contact state.',
		},
	);
	t.connect(senders, 'Take up the reply');
	t.node(
		'Sender to check',
		'n8n-nodes-base.set',
		3.4,
		[1000, -220],
		setNode([assignment('viewerKey', '={{ $json.contactId }}')]),
		{ notes: 'Joins the dispatcher path: contact state, Consent Gate, Cadence Scheduler, DM, send log, CRM.' },
	);
	t.connect('Take up the reply', 'Sender to check');

	t.node(
		'Forward to Part 2?',
		'n8n-nodes-base.if',
		2.2,
		[-240, -200],
		{ conditions: conditions([[`={{ ${S('engagementWebhookUrl')} }}`, op.notEmpty]]), options: {} },
		{ executeOnce: true },
	);
	t.connect('Which path?', 'Forward to Part 2?', { from: 0 });
	t.node(
		'Forward events to Part 2',
		'n8n-nodes-base.httpRequest',
		4.2,
		[40, -360],
		{
			method: 'POST',
			url: `={{ ${S('engagementWebhookUrl')} }}`,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpHeaderAuth',
			sendBody: true,
			specifyBody: 'json',
			jsonBody: `={{ JSON.stringify({ events: $('Which path?').all().map(i => ({ eventId: i.json.eventId, viewerKey: i.json.viewerKey, viewerKeyType: i.json.viewerKeyType, storyId: i.json.storyId, type: i.json.type, keyword: i.json.keyword, occurredAt: i.json.occurredAt, ingestedAt: i.json.ingestedAt, source: i.json.source, sourceTool: i.json.sourceTool })) }) }}`,
			options: {},
		},
		{
			credentials: { httpHeaderAuth: 'Story Leads engagement webhook' },
			onError: 'continueRegularOutput',
			notes: 'Part 2 counts these interactions as engagement. Empty engagementWebhookUrl = off.',
		},
	);
	t.connect('Forward to Part 2?', 'Forward events to Part 2');

	// ---- dispatcher path
	t.node(
		'Read events of the window',
		'n8n-nodes-base.dataTable',
		1.1,
		[-240, 420],
		readAll('events', [
			{
				keyName: 'occurredAt',
				condition: 'gt',
				keyValue: `={{ DateTime.fromISO(${NOW}).minus({ days: ${S('segmentWindowDays')} }).toUTC().toISO() }}`,
			},
		]),
		{ executeOnce: true, ...RETRY_READ },
	);
	// A cheap look first: while another run holds the lease, this run ends before reading and segmenting every event.
	t.node(
		'Is the lease free?',
		'n8n-nodes-base.dataTable',
		1.1,
		[-240, 420],
		readAll('lease', [
			{ keyName: 'lease', condition: 'eq', keyValue: 'send' },
			{ keyName: 'lockedUntil', condition: 'lt', keyValue: '={{ $now.toUTC().toISO() }}' },
		]),
		{ ...READ_ONCE, notes: 'Only a hint: "Take send lease" below is what takes it.' },
	);
	t.connect('Which path?', 'Is the lease free?', { from: 1 });
	t.node('Lease looks free?', 'n8n-nodes-base.if', 2.2, [-20, 420], { conditions: conditions([['={{ $json.lease }}', op.notEmpty]]), options: {} });
	t.connect('Is the lease free?', 'Lease looks free?');
	t.connect('Lease looks free?', 'Read events of the window');
	// Two concurrent deliveries of one event can both insert it (an upsert is update-else-insert): keep the first copy.
	t.node('Copies per event', 'n8n-nodes-base.summarize', 1.1, [0, 600], {
		fieldsToSummarize: { values: [{ aggregation: 'min', field: 'id' }, { aggregation: 'count', field: 'id' }] },
		fieldsToSplitBy: 'eventId',
		options: {},
	});
	t.connect('Read events of the window', 'Copies per event');
	t.node('Stored twice', 'n8n-nodes-base.filter', 2.2, [220, 600], {
		conditions: conditions([['={{ $json.count_id }}', op.numberGt, 1]]),
		options: {},
	});
	t.connect('Copies per event', 'Stored twice');
	t.node(
		'Delete the extra copies',
		'n8n-nodes-base.dataTable',
		1.1,
		[440, 600],
		dataTable.deleteRows(`={{ ${S('tablePrefix')} }}events`, [
			condition('eventId', 'eq', '={{ $json.eventId }}'),
			condition('id', 'gt', '={{ $json.min_id }}'),
		]),
		{ notes: 'Deletes only rows after the first copy, so concurrent clean-ups never delete every copy.' },
	);
	t.connect('Stored twice', 'Delete the extra copies');
	t.ours('Segment viewers', 'viewerSegment', [200, 420], {
		asOf: `={{ ${NOW} }}`,
		windowDays: `={{ ${S('segmentWindowDays')} }}`,
		possibleBotOptions: { maxFollowers: 0, minSignals: 1, signals: ['noFollowers'] },
		outputMode: 'tag',
	}, { notes: 'Possible bot: a viewer list that gives follower_count 0. Bots get no other segment and no DM.' });
	t.connect('Read events of the window', 'Segment viewers');
	// Segmenting needs no lease; deciding and sending do.
	t.node('Another run is sending', 'n8n-nodes-base.noOp', 1, [-240, 760], {}, {
		notes: 'The send lease is held by another run: this run ends; the next one picks up what is due.',
	});
	t.connect('Lease looks free?', 'Another run is sending', { from: 1 });
	const viewers = leaseSteps(t, {
		from: ['Segment viewers'],
		x: 420,
		y: 420,
		retries: 0,
		giveUp: 'Another run is sending',
		why: 'One dispatcher at a time per send lease (table prefix): see docs/queue-mode.md.',
	});
	// After every release (the reply path's, the dispatcher's, a confirmation's): anyone still waiting is answered in
	// another round, as a reply holder.
	// A confirmation's release goes round only when the delivery has no immediate reply of its own: that reply path
	// runs later in this execution, answers its own senders first and then goes round within the cap per run.
	t.node(
		'No reply of its own?',
		'n8n-nodes-base.if',
		2.2,
		[1220, 100],
		{
			conditions: conditions([
				["={{ !$('Remember last message time').isExecuted || !$('Remember last message time').all().some((row) => !!row.json.replyPending) }}", op.isTrue],
			]),
			options: {},
		},
		{ executeOnce: true, notes: 'The reply path of this delivery reads who still waits after its own round.' },
	);
	t.connect('Release send lease (confirmation)', 'No reply of its own?');
	waitingSteps(t, {
		releases: ['Release send lease (reply)', 'Release send lease', 'No reply of its own?'],
		loopTo: [['Take send lease (reply)'], ['Under the lease (reply)', 0]],
		position: [1220, -60],
		sent: 'Send DM',
		cap: S('capPerRun'),
		waiting: [
			{ ...readAll('cadence', [{ keyName: 'replyPending', condition: 'isNotEmpty' }]), returnAll: false, limit: `={{ ${REPLY_BATCH} }}` },
			'Who still waits for an immediate reply, after this run released the lease: one batch (capPerRun, and what fits in the lease) per round.',
		],
	});
	// A read of more than one page (1,000 rows) fails when rows are added meanwhile ("result count changed during
	// pagination"), which other runs keep doing in queue mode: the full reads retry.
	// Only contacts who wrote in the last 25 h: a DM needs Instagram's 24 h window, and the Consent Gate blocks anyone
	// without a recent lastInboundAt as outside_window, stored state or not. So the dispatcher loads the few who can
	// be messaged, not every stored contact (and its Merge with the viewers stays small).
	t.node(
		'Read contact state',
		'n8n-nodes-base.dataTable',
		1.1,
		[220, 580],
		readAll('cadence', [
			{
				keyName: 'lastInboundAt',
				condition: 'gt',
				keyValue: `={{ DateTime.fromISO(${NOW}).minus({ hours: 25 }).toUTC().toISO() }}`,
			},
		]),
		{ ...READ_ONCE, ...RETRY_READ, notes: 'Contacts with a message in the last 25 h: only they can be messaged (24 h window).' },
	);
	t.connect(viewers, 'Read contact state');
	// A delivery reads only the waiting senders' rows ("Take up the reply" outputs them), so its cost does not grow
	// with the number of stored contacts; the dispatcher reads every contact once.
	t.node('Add contact state', 'n8n-nodes-base.merge', 3.2, [440, 420], {
		mode: 'combine',
		combineBy: 'combineByFields',
		advanced: true,
		mergeByFields: { values: [{ field1: 'viewerKey', field2: 'contactId' }] },
		joinMode: 'enrichInput1',
		options: {},
	});
	t.connect(viewers, 'Add contact state');
	t.connect('Sender to check', 'Add contact state');
	t.connect('Read contact state', 'Add contact state', { to: 1 });
	t.connect('Take up the reply', 'Add contact state', { to: 1 });
	t.node(
		'Contacts to check',
		'n8n-nodes-base.set',
		3.4,
		[660, 420],
		setNode(
			[
				assignment('channel', 'instagram_dm'),
				assignment('accountId', `={{ ${S('instagramAccountId')} }}`),
				assignment('possibleBot', "={{ ($json.segments || []).includes('possibleBot') }}", 'boolean'),
				assignment('lastSeenAt', '={{ ($json.stats || {}).lastSeen }}'),
			],
			{ includeOtherFields: true },
		),
	);
	t.connect('Add contact state', 'Contacts to check');
	t.node('Read consent', 'n8n-nodes-base.dataTable', 1.1, [880, 600], readAll('consent'), READ_ONCE);
	t.node(
		'Read sends of the last day',
		'n8n-nodes-base.dataTable',
		1.1,
		[880, 760],
		readAll('sends', [
			{ keyName: 'sentAt', condition: 'gt', keyValue: `={{ DateTime.fromISO(${NOW}).minus({ days: 1 }).toUTC().toISO() }}` },
		]),
		READ_ONCE,
	);
	// The dispatcher reads every consent record once; an immediate reply only its senders' records, so a delivery's
	// work does not grow with the consent table either.
	t.connect(viewers, 'Read consent');
	t.connect('Contacts to check', 'Read sends of the last day');
	t.node('Consent and send log', 'n8n-nodes-base.merge', 3.2, [1100, 680], { mode: 'append', options: {} });
	t.connect('Read consent', 'Consent and send log');
	t.node(
		'Read sender consent',
		'n8n-nodes-base.dataTable',
		1.1,
		[880, 440],
		readAll('consent', [{ keyName: 'subjectKey', condition: 'eq', keyValue: '={{ $json.contactId }}' }]),
		{ alwaysOutputData: true, notes: 'Consent records of the senders taken up (per sender).' },
	);
	t.connect('Take up the reply', 'Read sender consent');
	t.connect('Read sender consent', 'Consent and send log');
	t.connect('Read sends of the last day', 'Consent and send log', { to: 1 });
	t.ours(
		'Consent Gate',
		'consentGate',
		[1320, 420],
		{
			operation: 'check',
			now: `={{ ${NOW} }}`,
			channel: 'instagram_dm',
			purpose: 'marketing',
			requireOptIn: `={{ ${S('requireOptIn')} }}`,
			capPerRun: 0,
			capPerHour: 0,
			capPerDay: 0,
			options: {},
		},
		{ notes: 'Who may be messaged at all: opt-outs, consent, the 24 h window, retention, bots. Caps come after the Cadence Scheduler.' },
	);
	t.connect('Contacts to check', 'Consent Gate');
	t.connect('Consent and send log', 'Consent Gate', { to: 1 });
	t.node('Not messaged', 'n8n-nodes-base.noOp', 1, [1540, 620], {}, { notes: 'Blocked: see each item\'s reason.' });
	t.connect('Consent Gate', 'Not messaged', { from: 1 });
	t.ours(
		'Cadence Scheduler',
		'cadenceScheduler',
		[1540, 420],
		{
			sequence: `={{ ${S('sequence')} }}`,
			now: `={{ ${NOW} }}`,
			autoEnrol: true,
			defaultTimeZone: `={{ ${S('timeZone')} }}`,
			trackClicks: `={{ ${S('trackClicks')} }}`,
			clickRedirectUrl: `={{ ${S('clickRedirectUrl')} }}`,
			options: {},
		},
		{
			notes:
				'Sequence and click tracking from Client settings. storyReplyWindow (default): answer now, +2 h and +20 h, all inside the 24 h window. Track clicks: select the Story Leads privacy pepper credential here too.',
		},
	);
	t.connect('Consent Gate', 'Cadence Scheduler');
	t.ours(
		'Send DM',
		'instagramDm',
		[1780, 300],
		{
			operation: 'sendMessage',
			recipientId: '={{ $json.recipientId }}',
			text: '={{ $json.message }}',
			idempotencyKey: '={{ $json.idempotencyKey }}',
			options: {},
		},
		{ credentials: { instagramApi: 'Instagram account' } },
	);
	t.ours(
		'Send caps',
		'consentGate',
		[1780, 180],
		{
			operation: 'check',
			now: `={{ ${NOW} }}`,
			channel: 'instagram_dm',
			purpose: 'marketing',
			requireOptIn: `={{ ${S('requireOptIn')} }}`,
			capPerRun: `={{ Math.min(${S('capPerRun')}, ${BATCH_FITS_LEASE}) }}`,
			capPerHour: `={{ ${S('capPerHour')} }}`,
			capPerDay: `={{ ${S('capPerDay')} }}`,
			options: { lastInboundAtField: 'state.lastInboundAt', accountField: 'accountId', idempotencyKeyField: 'idempotencyKey' },
		},
		{
			notes:
				'The caps count real sends: the due messages of this run plus the send log. Re-checks consent at send time and refuses an idempotencyKey the send log holds as sent (already_sent). Held-back contacts are due again next run.',
		},
	);
	t.connect('Cadence Scheduler', 'Send caps', { from: 0 });
	t.connect('Consent and send log', 'Send caps', { to: 1 });
	t.node('Held back by the caps', 'n8n-nodes-base.noOp', 1, [2040, 0], {}, { notes: 'rate_limited: sent in a later run.' });
	t.connect('Send caps', 'Held back by the caps', { from: 1 });
	/** The cadence-state row from the Cadence Scheduler's `state` on the items at `source`. */
	const stateValues = (source) => {
		const v = (field) => `={{ ${source}.state.${field} }}`;
		const d = (field) => dateOrNull(`${source}.state.${field}`);
		return {
			contactId: v('contactId'),
			sequence: v('sequence'),
			status: v('status'),
			currentStep: v('currentStep'),
			sentCount: v('sentCount'),
			enrolledAt: d('enrolledAt'),
			lastSentAt: d('lastSentAt'),
			nextDueAt: d('nextDueAt'),
			lastStepId: v('lastStepId'),
			lastVariant: v('lastVariant'),
			lastInboundAt: d('lastInboundAt'),
			repliedAt: d('repliedAt'),
			optedOutAt: d('optedOutAt'),
			convertedAt: d('convertedAt'),
			stoppedAt: d('stoppedAt'),
			doneReason: v('doneReason'),
			doneAt: d('doneAt'),
			timeZone: v('timeZone'),
			language: v('language'),
			// Not `segments`: the stored row is merged into the next run's viewers, whose segments must win.
			leadSegments: "={{ ($('Contacts to check').item.json.segments || []).join(',') }}",
		};
	};
	t.node('Save state', 'n8n-nodes-base.dataTable', 1.1, [2040, 440], upsertRow('cadence', 'contactId', stateValues('$json')), {
		notes: 'Contacts waiting or done.',
	});
	t.connect('Cadence Scheduler', 'Save state', { from: 1 });
	t.connect('Cadence Scheduler', 'Save state', { from: 2 });
	const sendLog = (status) => ({
		contactId: '={{ $json.contactId }}',
		channel: '={{ $json.channel }}',
		kind: 'cadence',
		step: '={{ $json.step }}',
		variant: '={{ $json.variant }}',
		...outcomeValues(status),
		sequence: '={{ $json.sequence }}',
		stepId: '={{ $json.stepId }}',
		utmCampaign: '={{ $json.utmCampaign || null }}',
		utmContent: '={{ $json.utmContent || null }}',
	});
	const sendClaim = describing(sendLog('claimed'));
	// Write-ahead: every DM of the batch is claimed in the send log, then the lease is re-checked (the fence), then
	// the batch goes out; each attempt row is completed with the message id or the refusal (lease.js). Sent: log
	// first, then the state, then the CRM, one after the other, so a failing later step never loses the log entry.
	const claimedSends = fencedSendSteps(t, {
		from: ['Send caps', 0],
		takes: ['Take send lease', 'Take send lease (reply)'],
		x: 1780,
		y: 300,
		dm: 'Send DM',
		claim: sendClaim,
		sent: ['Log send', sendLog('sent')],
		failed: ['Log failed send', sendLog('not_sent')],
		completionNotes: {
			sent: 'Completes this attempt\'s claim with the message id: first step after a send, a later failure (state, CRM) cannot lose it.',
			failed: 'Not Sent: outside window, unavailable, blocked… with the reason. The claim stops counting as sent.',
		},
	});
	t.connect(claimedSends, 'Send DM');
	t.node(
		'Save state after send',
		'n8n-nodes-base.dataTable',
		1.1,
		[2300, 200],
		upsertRow('cadence', 'contactId', stateValues("$('Send DM').item.json")),
	);
	t.connect('Log send', 'Save state after send');

	// CRM: each lead that got a DM, with its segment tags.
	t.node(
		'Lead for CRM',
		'n8n-nodes-base.set',
		3.4,
		[2300, 200],
		setNode([
			assignment('contactKey', "={{ $('Send DM').item.json.contactId }}"),
			assignment(
				'email',
				`={{ 'ig-' + $('Send DM').item.json.contactId + '@' + ${S('emailDomainForInstagramOnly')} }}`,
			),
			assignment('firstName', "={{ $('Contacts to check').item.json.name || '' }}"),
			assignment(
				'tagsToAdd',
				`={{ [${S('leadTag')}].concat(($('Contacts to check').item.json.segments || []).map(s => ${S('segmentTagPrefix')} + s.replace(/[A-Z]/g, c => '-' + c.toLowerCase()))) }}`,
				'array',
			),
			assignment('tagsToRemove', '={{ [] }}', 'array'),
		]),
		{ notes: 'Instagram-only leads have no email: a placeholder on a reserved domain that never receives mail.' },
	);
	// Once the DM is logged and the state saved, the lease is released before the CRM calls: "Save state after
	// send" runs its upper child first (see lease.js), and "Log failed send" sits above "Log send" so failures are
	// logged before that too.
	// The immediate reply keeps the lease through its CRM calls and releases it once per round, at the end (its
	// release is followed by "Anyone waiting?").
	t.node(
		'Dispatcher run?',
		'n8n-nodes-base.if',
		2.2,
		[2300, 0],
		{ conditions: conditions([["={{ $('Take send lease').isExecuted }}", op.isTrue]]), options: {} },
		{ executeOnce: true, notes: 'The dispatcher releases before its CRM calls; an immediate reply releases at its end.' },
	);
	t.connect('Save state after send', 'Dispatcher run?');
	releaseNode(
		t,
		'Release send lease after sending',
		[2520, 0],
		'Above Lead for CRM: the slow CRM calls run without the lease.',
		['Take send lease'],
	);
	t.connect('Dispatcher run?', 'Release send lease after sending');
	t.connect('Save state after send', 'Lead for CRM');
	if (hubspot) {
		hubspotSteps(t, 'Lead for CRM', {
			x: 2520,
			y: 200,
			propertyExpression: "={{ $json.tagsToAdd.join(';') }}",
		});
	} else {
		activeCampaignSteps(t, 'Lead for CRM', { x: 2520, y: 200 });
	}

	// ---- CSV import path
	t.ours(
		'Ingest viewer CSV',
		'storyViewerIngest',
		[-240, 900],
		{
			operation: 'csv',
			inputType: 'binary',
			binaryPropertyName: 'Viewer_list',
			// Table rows: the events table's columns, followerCount read from the extra field (no expression per row).
			options: { sourceTool: 'csv_upload', extraFields: 'follower_count', outputFormat: 'tableRow' },
		},
	);
	t.connect('Which path?', 'Ingest viewer CSV', { from: 2 });
	// A viewer list has thousands of rows: row-by-row upserts ran at ~14 rows/s. Events already imported are
	// dropped first (n8n's own deduplication history, keyed on the deterministic eventId), then the new ones go
	// in with one bulk insert. Bulk insert needs a fixed table name: keep it equal to tablePrefix + 'events'.
	t.node(
		'New events only',
		'n8n-nodes-base.removeDuplicates',
		2,
		[40, 840],
		{
			operation: 'removeItemsSeenInPreviousExecutions',
			dedupeValue: '={{ $json.eventId }}',
			options: { historySize: HISTORY_SIZE },
		},
		{ notes: `Drops events imported before (history of the last ${HISTORY_SIZE.toLocaleString('en-US')} event ids).` },
	);
	t.connect('Ingest viewer CSV', 'New events only', { from: 0 });
	// Large lists go in chunks, each one bulk insert, so the execution shows how far an import got (Import
	// progress: one run per chunk). Every expression here runs once per chunk, not per row: the rows come out of
	// Story Viewer Ingest as table rows already (Output Format "Events Table Row").
	t.node(
		'Import in chunks',
		'n8n-nodes-base.splitInBatches',
		3,
		[260, 840],
		{ batchSize: IMPORT_CHUNK, options: {} },
		{ notes: `${IMPORT_CHUNK.toLocaleString('en-US')} events per chunk; "done" answers the form once all are stored.` },
	);
	t.connect('New events only', 'Import in chunks');
	t.node(
		'Store imported events',
		'n8n-nodes-base.dataTable',
		1.1,
		[480, 840],
		insertRows('events', { optimizeBulk: true }),
		{ notes: `One bulk insert per chunk. The table name is fixed (bulk insert needs it): ${DEFAULT_TABLE_PREFIX}events unless you changed tablePrefix.` },
	);
	t.connect('Import in chunks', 'Store imported events', { from: 1 });
	t.node(
		'Import progress',
		'n8n-nodes-base.set',
		3.4,
		[700, 840],
		setNode([
			assignment('stored', `={{ ${STORED_SO_FAR} }}`, 'number'),
			assignment('of', `={{ ${STORED_SO_FAR} + ${LEFT_TO_STORE} }}`, 'number'),
			assignment('percent', `={{ Math.floor((100 * ${STORED_SO_FAR}) / (${STORED_SO_FAR} + ${LEFT_TO_STORE})) }}`, 'number'),
		]),
		{ notes: 'One run per chunk: events stored so far, of how many, and the percentage.' },
	);
	t.connect('Store imported events', 'Import progress');
	t.connect('Import progress', 'Import in chunks');
	t.node(
		'Viewer list stored',
		'n8n-nodes-base.respondToWebhook',
		1,
		[920, 840],
		{
			respondWith: 'text',
			responseBody: "={{ 'Viewer list stored: ' + $input.last().json.stored + ' new events.' }}",
			options: {},
		},
		{ executeOnce: true, notes: 'The form answers once the events are stored (a failure before shows an error).' },
	);
	t.connect('Import in chunks', 'Viewer list stored', { from: 0 });
	t.node('Rejected rows', 'n8n-nodes-base.noOp', 1, [40, 1000], {}, { notes: 'Invalid rows with their row number and reason.' });
	t.connect('Ingest viewer CSV', 'Rejected rows', { from: 1 });
	t.place({
		'About this workflow': [-980, -860],
		'Set-up steps': [-260, -860],
		'What to change': [480, -860],
		'Instagram Story Trigger': at(0, -60),
		'Every 15 minutes': at(0, 420),
		'Run now': at(0, 580),
		'Upload viewer CSV': at(0, 1260),
		'Client settings': at(1, 420),
		'Which path?': at(2, 420),
		'Forward to Part 2?': at(3, 100),
		'Forward events to Part 2': at(4, 100),
		'Acknowledge Meta': at(6, -420),
		'Confirm after acknowledging': at(7, -420),
		'Store events': at(3, -260),
		'Messages only': at(4, -260),
		'Remember last message time': at(5, -260),
		'Reply at once?': at(6, -260),
		'One per sender': at(7, -260),
		'Sender to check': at(8, -260),
		'May hold a keyword?': at(3, -620),
		'Consent so far': at(4, -700),
		'Record consent from messages': at(5, -620),
		'Store consent': at(6, -700),
		'Send confirmation': at(5, 60),
		'Log confirmation': at(6, 0),
		'Log failed confirmation': at(6, 160),
		'Read contact state': at(6, 600),
		'Add contact state': at(7, 420),
		'Contacts to check': at(8, 420),
		'Read consent': at(9, 600),
		'Read sender consent': at(14, -120),
		'Read sends of the last day': at(9, 760),
		'Consent and send log': at(10, 680),
		'Consent Gate': at(11, 420),
		'Not messaged': at(12, 600),
		'Cadence Scheduler': at(12, 420),
		'Send caps': at(13, 420),
		'Held back by the caps': at(14, 620),
		'Send DM': at(14, 420),
		'Log send': at(15, 260),
		'Save state after send': at(16, 260),
		'Save state': at(15, 440),
		'Log failed send': at(15, 620),
		'Lead for CRM': at(8, 1060),
		...(hubspot ? { 'CRM: upsert HubSpot contact': at(9, 1060) } : activeCampaignLayout(9, 1060)),
		'Ingest viewer CSV': at(3, 1260),
		'New events only': at(4, 1180),
		'Import in chunks': at(5, 1180),
		'Store imported events': at(6, 1100),
		'Import progress': at(7, 1100),
		'Viewer list stored': at(6, 1260),
		'Rejected rows': at(4, 1340),
	});
	// Room for the send lease: the lower half moves down, the dispatcher after Segment viewers five columns right.
	for (const node of t.nodes) {
		const [x, y] = node.position;
		if (node.type === 'n8n-nodes-base.stickyNote' || y < 400) continue;
		node.position = [x >= at(6, 0)[0] ? x + 1200 : x, y + 300];
	}
	// Under each "Lease taken?", the release stays below "Under the lease": it must run last (see lease.js).
	t.place({
		'Take send lease (reply)': at(8, -260),
		'Lease taken? (reply)': at(9, -260),
		'Under the lease (reply)': at(10, -260),
		'Release send lease (reply)': at(10, -120),
		'Anyone waiting?': at(11, -120),
		'Answer them now?': at(12, -120),
		'No reply of its own?': at(8, 340),
		'Left to the lease holder': at(10, -440),
		'Take up the reply': at(11, -260),
		'Sender to check': at(12, -260),
		'Take send lease (confirmation)': at(5, 200),
		'Lease taken? (confirmation)': at(6, 200),
		'Under the lease (confirmation)': at(7, 200),
		'Release send lease (confirmation)': at(7, 340),
		'Try again? (confirmation)': at(6, 480),
		'Wait for the lease (confirmation)': at(5, 480),
		'Lease stayed busy': at(7, 480),
		'Claim the sends (confirmation)': at(8, 200),
		'Hold the lease (confirmation)': at(9, 200),
		'Lease still held? (confirmation)': at(10, 200),
		'Claimed under the lease (confirmation)': at(11, 140),
		'Lease lost (confirmation)': at(11, 340),
		'Give up the claims (confirmation)': at(12, 340),
		'Send confirmation': at(12, 140),
		'Log confirmation': at(13, 60),
		'Log failed confirmation': at(13, 220),
		'Save state': at(18, 560),
		'Send caps': at(18, 720),
		'Held back by the caps': at(19, 1200),
		'Claim the sends': at(19, 880),
		'Hold the lease': at(20, 880),
		'Lease still held?': at(21, 880),
		'Claimed under the lease': at(22, 720),
		'Lease lost': at(22, 1040),
		'Give up the claims': at(23, 1040),
		'Send DM': at(23, 720),
		'Log failed send': at(24, 560),
		'Log send': at(24, 720),
		'Save state after send': at(25, 720),
		'Dispatcher run?': at(26, 600),
		'Release send lease after sending': at(27, 600),
		'Is the lease free?': at(3, 720),
		'Lease looks free?': at(4, 720),
		'Read events of the window': at(5, 720),
		'Segment viewers': at(6, 720),
		'Take send lease': at(7, 720),
		'Lease taken?': at(8, 720),
		'Under the lease': at(9, 720),
		'Release send lease': at(9, 880),
		'Another run is sending': at(8, 1040),
		'Copies per event': at(6, 1040),
		'Stored twice': at(7, 1040),
		'Delete the extra copies': at(8, 1200),
	});
	return t;
}

module.exports = {
	variants: () => [
		{ file: 'story-viewers-to-consented-leads.json', template: build('activecampaign') },
		{ file: 'story-viewers-to-consented-leads-hubspot.json', template: build('hubspot') },
	],
};
