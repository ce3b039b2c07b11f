// Template: Part 2 — engagement tagging (record engagement as it happens; re-evaluate the tiers daily).
const { Template, assignment, setNode, switchRule, stableId, conditions, op } = require('./lib');
const { at, activeCampaignLayout, S, NOW, SETTINGS_COMMON, upsertRow, readAll, READ_ONCE, dateOrNull, activeCampaignSteps, hubspotSteps } = require('./common');

function build(crm = 'activecampaign') {
	const hubspot = crm === 'hubspot';
	const t = new Template({
		id: hubspot ? 'StoryLeadsPart2HubSpt' : 'StoryLeadsPart2',
		name: `Story Leads — Part 2: engagement tagging${hubspot ? ' (HubSpot)' : ''}`,
		description:
			'Engaged / Recent Activity / Disengaged / Inactive tags kept up to date: every engagement restarts the clock at once, a daily run moves the tags as days pass.',
	});
	const crmName = hubspot ? 'HubSpot' : 'ActiveCampaign';
	const webhookPath = hubspot ? 'story-leads-engagement-hubspot' : 'story-leads-engagement';

	t.sticky(
		'About this workflow',
		[
			`## Story Leads — Part 2: engagement tagging${hubspot ? ' (HubSpot)' : ''}`,
			'The two-part engagement-tagging recipe as one workflow.',
			'',
			'**Record engagement** (top): every story reply, mention, reaction or DM (from Part 1, which forwards them,',
			'or from this workflow\'s own Instagram trigger) and every email open/click or site visit posted to the',
			'*Engagement webhook* restarts the contact\'s clock: Engaged + Recent Activity.',
			'',
			'**Daily re-evaluation** (bottom): every morning the tiers move with the days since the last engagement',
			'(defaults: Recent Activity < 7 days, Engaged < 21, Disengaged 21–29, Inactive from 30). Only contacts',
			`whose tags really change reach ${crmName}.`,
		].join('\n'),
		[-980, -600],
		{ width: 700, height: 380, color: 4 },
	);
	t.sticky(
		'Set-up steps',
		[
			'### Set-up steps',
			'1. Run the **Set-up** workflow once (it creates the Data tables).',
			'2. Credentials: **Story Leads engagement webhook** (Header Auth: a header name such as `X-Story-Leads-Key`',
			'   and a long random value) on the *Engagement webhook*; use the same credential in Part 1\'s forward step.',
			hubspot
				? '   **HubSpot private app** on the CRM node; create a multi-checkbox contact property for the tags.'
				: `   **ActiveCampaign account** on the CRM nodes.`,
			'   **Instagram API** on the Instagram trigger (only needed when this workflow receives Meta\'s webhooks itself:',
			'   Meta sends an app\'s webhooks to **one** callback URL, normally Part 1\'s).',
			'3. Edit **Client settings** (same table prefix as Part 1).',
			'4. **Publish**. Post email/site events to the webhook as `{ "events": [ { "email" or "viewerKey",',
			'   "type": "email_open" | "email_click" | "site_visit" | …, "occurredAt": ISO time } ] }`.',
		].join('\n'),
		[-260, -600],
		{ width: 760, height: 400, color: 5 },
	);
	t.sticky(
		'What to change',
		[
			'### What to change',
			'Tag names and the table prefix in **Client settings**; the thresholds preset (elapsed 7/21/30 days or the',
			'recipe\'s consecutive waits 7/28/58) and which event types count in the two **Engagement Tagger** nodes.',
			'The daily time in *Every day at 06:00* (workflow time zone). Leave **fixedNow** empty in production.',
		].join('\n'),
		[520, -600],
		{ width: 620, height: 200, color: 6 },
	);

	t.ours(
		'Instagram Story Trigger',
		'instagramStoryTrigger',
		[-940, -60],
		{ events: ['story_reply', 'story_mention', 'reaction', 'message', 'postback'], pseudonymise: false, options: {} },
		{
			credentials: { instagramApi: 'Instagram account' },
			webhookId: stableId(hubspot ? 'part2-hubspot' : 'part2', 'instagram-webhook'),
		},
	);
	t.node(
		'Engagement webhook',
		'n8n-nodes-base.webhook',
		2,
		[-940, 120],
		{ httpMethod: 'POST', path: webhookPath, authentication: 'headerAuth', responseMode: 'onReceived', options: {} },
		{
			credentials: { httpHeaderAuth: 'Story Leads engagement webhook' },
			webhookId: stableId(hubspot ? 'part2-hubspot' : 'part2', 'engagement-webhook'),
		},
	);
	// First-party click tracking: the Cadence Scheduler (Track Clicks) sends links as <this URL>/<signed token>.
	t.node(
		'Click redirect',
		'n8n-nodes-base.webhook',
		2,
		[-940, 280],
		{ httpMethod: 'GET', path: 'r/:token', responseMode: 'responseNode', options: {} },
		{
			webhookId: stableId(hubspot ? 'part2-hubspot' : 'part2', 'click-redirect'),
			// Opt-in, like the Shopify trigger: n8n refuses to publish a workflow whose enabled node lacks its
			// credential, so an enabled Record click would stop everyone without a privacy credential from publishing.
			disabled: true,
			notes: 'Enable with Record click (and its Story Leads Privacy API credential) to track clicks. Public on purpose: a link only redirects when its token was signed with your privacy pepper.',
		},
	);
	// Orders straight from the shop (disabled until a Shopify credential is set: publishing would register the webhook).
	t.node(
		'Shopify order',
		'n8n-nodes-base.shopifyTrigger',
		1,
		[-940, -240],
		{ authentication: 'accessToken', topic: 'orders/create' },
		{
			credentials: { shopifyAccessTokenApi: 'Shopify shop' },
			webhookId: stableId(hubspot ? 'part2-hubspot' : 'part2', 'shopify-order'),
			disabled: true,
			notes: 'Enable after setting the Shopify credential (access token and the app secret that signs webhooks).',
		},
	);
	t.node('Every day at 06:00', 'n8n-nodes-base.scheduleTrigger', 1.2, [-940, 420], {
		rule: { interval: [{ field: 'days', triggerAtHour: 6 }] },
	});
	t.node('Re-evaluate now', 'n8n-nodes-base.manualTrigger', 1, [-940, 600]);

	t.node(
		'Client settings',
		'n8n-nodes-base.set',
		3.4,
		[-700, 260],
		setNode(
			[
				...SETTINGS_COMMON,
				assignment('engagedTag', 'Engaged'),
				assignment('recentActivityTag', 'Recent Activity'),
				assignment('disengagedTag', 'Disengaged'),
				assignment('inactiveTag', 'Inactive'),
				assignment('emailDomainForInstagramOnly', 'instagram-lead.invalid'),
				...(hubspot
					? [
							assignment('hubspotTagsProperty', 'story_leads_engagement'),
							assignment('hubspotKeyProperty', 'instagram_scoped_id'),
							assignment('hubspotRevenueProperty', 'story_leads_revenue'),
						]
					: [assignment('dealPipelineId', '1'), assignment('dealStageId', '1')]),
			],
			{ includeOtherFields: true },
		),
		{ notes: 'Edit me: one node with everything that changes per client.', notesInFlow: true },
	);
	// Not the click redirect: n8n refuses a Webhook node (the Engagement webhook) with a Respond to Webhook node
	// downstream unless it responds through it, so the click path has its own branch (Click settings below).
	for (const trigger of ['Instagram Story Trigger', 'Engagement webhook', 'Shopify order', 'Every day at 06:00', 'Re-evaluate now']) {
		t.connect(trigger, 'Client settings');
	}
	t.node('Which path?', 'n8n-nodes-base.switch', 3.2, [-480, 260], {
		rules: {
			values: [
				switchRule('Instagram events', "={{ $('Instagram Story Trigger').isExecuted }}"),
				switchRule('Webhook events', "={{ $('Engagement webhook').isExecuted }}"),
				switchRule('Daily re-evaluation', "={{ $('Every day at 06:00').isExecuted || $('Re-evaluate now').isExecuted }}"),
				switchRule('Shop orders', "={{ $('Shopify order').isExecuted }}"),
			],
		},
		options: {},
	});
	t.connect('Client settings', 'Which path?');

	const tagOptions = {
		engagedTag: `={{ ${S('engagedTag')} }}`,
		recentActivityTag: `={{ ${S('recentActivityTag')} }}`,
		disengagedTag: `={{ ${S('disengagedTag')} }}`,
		inactiveTag: `={{ ${S('inactiveTag')} }}`,
	};

	// ---- record engagement
	t.node('Events in request', 'n8n-nodes-base.splitOut', 1, [-240, 120], {
		fieldToSplitOut: 'body.events',
		include: 'noOtherFields',
		options: {},
	});
	t.connect('Which path?', 'Events in request', { from: 1 });
	t.node(
		'Order from Shopify',
		'n8n-nodes-base.set',
		3.4,
		[-240, -240],
		setNode([assignment('type', 'conversion'), assignment('shopifyOrder', '={{ $json }}', 'object')]),
		{ notes: 'Record conversion reads the order: UTM values from its landing page or cart attributes, the buyer by email.' },
	);
	t.connect('Which path?', 'Order from Shopify', { from: 3 });
	t.node(
		'Conversion?',
		'n8n-nodes-base.if',
		2.2,
		[-20, 120],
		{ conditions: conditions([["={{ $json.type === 'conversion' || $json.type === 'refund' }}", op.isTrue]]), options: {} },
		{ notes: 'Orders, sign-ups and refunds go to the conversion steps; every other event is engagement.' },
	);
	t.connect('Events in request', 'Conversion?');
	t.connect('Order from Shopify', 'Conversion?');
	t.node(
		'Engagement events',
		'n8n-nodes-base.set',
		3.4,
		[0, 0],
		setNode([
			assignment('contactKey', '={{ $json.contactKey || $json.viewerKey || $json.email }}'),
			assignment('type', '={{ $json.type }}'),
			assignment('occurredAt', '={{ $json.occurredAt }}'),
			assignment('keyword', '={{ $json.keyword || null }}'),
			assignment('email', '={{ $json.email || null }}'),
		]),
		{ notes: 'Instagram events and posted email/site events in one shape. keyword: a STOP is not engagement.' },
	);
	t.connect('Which path?', 'Engagement events', { from: 0 });
	t.connect('Conversion?', 'Engagement events', { from: 1 });
	// Posted opens, clicks and visits of Instagram contacts (with their viewerKey) are kept as events for the Funnel
	// Report. Instagram events forwarded by Part 1 carry an eventId and are stored there already; email-only signals
	// have no Instagram key to join on.
	t.node(
		'Posted signals only',
		'n8n-nodes-base.filter',
		2.2,
		[220, 320],
		{
			conditions: conditions([
				['={{ $json.eventId }}', op.isEmpty],
				['={{ $json.viewerKey }}', op.notEmpty],
			]),
			options: {},
		},
	);
	t.connect('Conversion?', 'Posted signals only', { from: 1 });
	t.node(
		'Store posted signals',
		'n8n-nodes-base.dataTable',
		1.1,
		[440, 320],
		upsertRow('events', 'eventId', {
			eventId: "={{ $json.type + ':' + $json.viewerKey + ':' + $json.occurredAt }}",
			viewerKey: '={{ $json.viewerKey }}',
			viewerKeyType: 'igsid',
			type: '={{ $json.type }}',
			occurredAt: '={{ $json.occurredAt }}',
			ingestedAt: `={{ ${NOW} }}`,
			source: 'items',
			sourceTool: 'engagement_webhook',
			context: '={{ $json.utmContent || null }}',
		}),
		{ notes: 'Upsert on a key made of type, contact and time: a repeated post is stored once.' },
	);
	t.connect('Posted signals only', 'Store posted signals');
	t.node('Read engagement state', 'n8n-nodes-base.dataTable', 1.1, [220, 160], readAll('engagement'), READ_ONCE);
	t.connect('Engagement events', 'Read engagement state');
	t.node('Add stored engagement', 'n8n-nodes-base.merge', 3.2, [440, 0], {
		mode: 'combine',
		combineBy: 'combineByFields',
		advanced: true,
		mergeByFields: { values: [{ field1: 'contactKey', field2: 'contactKey' }] },
		joinMode: 'enrichInput1',
		options: { multipleMatches: 'first' },
	});
	t.connect('Engagement events', 'Add stored engagement');
	t.connect('Read engagement state', 'Add stored engagement', { to: 1 });
	t.ours(
		'Record engagement',
		'engagementTagger',
		[660, 0],
		{ operation: 'recordEngagement', asOf: `={{ ${NOW} }}`, preset: 'elapsed', options: tagOptions },
		{ notes: 'lastEngagedAt never moves backwards (replays and old events are safe).' },
	);
	t.connect('Add stored engagement', 'Record engagement');
	const engagementValues = {
		contactKey: '={{ $json.contactKey }}',
		lastEngagedAt: dateOrNull('$json.lastEngagedAt'),
		tags: "={{ ($json.tags || []).join(',') }}",
		email: '={{ $json.email || null }}',
	};
	t.node(
		'Save engagement',
		'n8n-nodes-base.dataTable',
		1.1,
		[900, 100],
		upsertRow('engagement', 'contactKey', engagementValues),
		{ notes: 'Changed and Unchanged: a newer engagement moves lastEngagedAt even when the tags stay.' },
	);
	t.connect('Record engagement', 'Save engagement', { from: 0 });
	t.connect('Record engagement', 'Save engagement', { from: 1 });
	t.node('Events not counted', 'n8n-nodes-base.noOp', 1, [900, 260], {}, { notes: 'Skipped events, with the reason.' });
	t.connect('Record engagement', 'Events not counted', { from: 2 });

	// ---- link clicks: verify the signed token, answer 302 at once, store the link_click after answering. Client
	// settings' values are read from its parameters (it does not run on this path: see the trigger loop above).
	const CLIENT_SETTING = (name) => `$('Client settings').params.assignments.assignments.find(a => a.name === '${name}').value`;
	t.node(
		'Click settings',
		'n8n-nodes-base.set',
		3.4,
		[-480, 800],
		setNode(
			[
				assignment('tablePrefix', `={{ ${CLIENT_SETTING('tablePrefix')} }}`),
				assignment('asOf', `={{ ${CLIENT_SETTING('fixedNow')} || $now.toUTC().toISO() }}`),
			],
			{ includeOtherFields: true },
		),
		{ notes: 'The table prefix and fixedNow of Client settings, read from its parameters.' },
	);
	t.connect('Click redirect', 'Click settings');
	t.ours(
		'Record click',
		'funnelReport',
		[-240, 800],
		{ operation: 'recordClick', asOf: '={{ $json.asOf }}', linkCode: '={{ $json.params.token }}' },
		{
			credentials: { storyLeadsPrivacyApi: 'Story Leads privacy pepper' },
			disabled: true,
			notes: 'Enable with Click redirect to track clicks. No table read: the signed token holds the link, the contact and the message.',
		},
	);
	t.connect('Click settings', 'Record click');
	t.node('Redirect to the link', 'n8n-nodes-base.respondToWebhook', 1.1, [0, 740], {
		respondWith: 'redirect',
		redirectURL: '={{ $json.url }}',
		options: {
			responseCode: 302,
			responseHeaders: {
				entries: [
					{ name: 'Cache-Control', value: 'no-store' },
					{ name: 'Referrer-Policy', value: 'no-referrer' },
				],
			},
		},
	});
	t.connect('Record click', 'Redirect to the link', { from: 0 });
	t.node(
		'Store click',
		'n8n-nodes-base.dataTable',
		1.1,
		[240, 740],
		upsertRow('events', 'eventId', {
			eventId: '={{ $json.eventId }}',
			viewerKey: '={{ $json.viewerKey }}',
			type: '={{ $json.type }}',
			occurredAt: '={{ $json.occurredAt }}',
			ingestedAt: '={{ $json.ingestedAt }}',
			source: '={{ $json.source }}',
			sourceTool: '={{ $json.sourceTool }}',
			context: '={{ $json.context }}',
		}, `={{ $('Click settings').first().json.tablePrefix }}events`),
		{ notes: 'After the answer: the person is already on the page. The Funnel Report counts it as a DM click.' },
	);
	t.connect('Redirect to the link', 'Store click');
	t.node('Link not found', 'n8n-nodes-base.respondToWebhook', 1.1, [0, 900], {
		respondWith: 'text',
		responseBody: '<!doctype html><meta charset="utf-8"><title>Link not found</title><p>This link is not valid.</p>',
		options: {
			responseCode: 404,
			responseHeaders: {
				entries: [
					{ name: 'Content-Type', value: 'text/html; charset=utf-8' },
					{ name: 'Cache-Control', value: 'no-store' },
				],
			},
		},
	}, { notes: 'A token not signed with your pepper: never a redirect.' });
	t.connect('Record click', 'Link not found', { from: 1 });

	// ---- daily re-evaluation
	t.node('Read contacts', 'n8n-nodes-base.dataTable', 1.1, [-240, 500], readAll('engagement'), { executeOnce: true });
	t.connect('Which path?', 'Read contacts', { from: 2 });
	t.ours(
		'Re-evaluate tiers',
		'engagementTagger',
		[0, 500],
		{ operation: 'reEvaluate', asOf: `={{ ${NOW} }}`, preset: 'elapsed', options: tagOptions },
		{ notes: 'Changed: contacts whose tags must change today. Unchanged: nothing to do.' },
	);
	t.connect('Read contacts', 'Re-evaluate tiers');
	t.node('Save new tags', 'n8n-nodes-base.dataTable', 1.1, [240, 420], upsertRow('engagement', 'contactKey', engagementValues));
	t.connect('Re-evaluate tiers', 'Save new tags', { from: 0 });
	t.node('No change today', 'n8n-nodes-base.noOp', 1, [240, 620]);
	t.connect('Re-evaluate tiers', 'No change today', { from: 1 });

	// ---- conversions: once per orderId → conversions table, convertedAt (the cadence stops), CRM revenue
	t.node('Read conversions', 'n8n-nodes-base.dataTable', 1.1, [220, -420], readAll('conversions'), READ_ONCE);
	t.connect('Conversion?', 'Read conversions');
	t.ours(
		'Record conversion',
		'funnelReport',
		[440, -560],
		{ operation: 'recordConversion', asOf: `={{ ${NOW} }}` },
		{ notes: 'New: first time this orderId is seen. Duplicate: already recorded. Invalid: with the reason.' },
	);
	t.connect('Conversion?', 'Record conversion');
	t.connect('Read conversions', 'Record conversion', { to: 1 });
	t.node('Conversions not recorded', 'n8n-nodes-base.noOp', 1, [660, -420], {}, { notes: 'Duplicates and invalid events, with the reason.' });
	t.connect('Record conversion', 'Conversions not recorded', { from: 1 });
	t.connect('Record conversion', 'Conversions not recorded', { from: 2 });
	const RC = "$('Record conversion').item.json";
	const conversionRow = {
		orderId: '={{ $json.orderId }}',
		contactKey: '={{ $json.contactKey }}',
		email: '={{ $json.email }}',
		value: '={{ $json.value }}',
		currency: '={{ $json.currency }}',
		occurredAt: '={{ $json.occurredAt }}',
		receivedAt: '={{ $json.receivedAt }}',
		utmCampaign: '={{ $json.utmCampaign }}',
		utmContent: '={{ $json.utmContent }}',
	};
	// A refund is its own row (negative value, the order's orderId): the report nets it into the order. It neither
	// marks the contact converted nor makes a CRM deal.
	t.node(
		'Refund?',
		'n8n-nodes-base.if',
		2.2,
		[550, -700],
		{ conditions: conditions([['={{ $json.refund === true }}', op.isTrue]]), options: {} },
	);
	t.connect('Record conversion', 'Refund?', { from: 0 });
	t.node(
		'Store refund',
		'n8n-nodes-base.dataTable',
		1.1,
		[660, -800],
		upsertRow('conversions', ['orderId', 'occurredAt'], conversionRow),
		{ notes: 'One row per refund (orderId and time): a retried refund is stored once.' },
	);
	t.connect('Refund?', 'Store refund', { from: 0 });
	// Keyed on orderId and time, like refunds: an order and its refund posted in one request are two rows, whichever
	// is written first (Record conversion has already refused repeats of an order).
	t.node('Store conversion', 'n8n-nodes-base.dataTable', 1.1, [660, -600], upsertRow('conversions', ['orderId', 'occurredAt'], conversionRow));
	t.connect('Refund?', 'Store conversion', { from: 1 });
	t.node(
		'Mark converted',
		'n8n-nodes-base.dataTable',
		1.1,
		[880, -600],
		upsertRow('cadence', 'contactId', {
			contactId: `={{ ${RC}.contactKey }}`,
			convertedAt: `={{ ${RC}.occurredAt }}`,
		}),
		{ notes: 'convertedAt on the contact state: the Cadence Scheduler stops the sequence (Done converted).' },
	);
	t.connect('Store conversion', 'Mark converted');
	t.node(
		'Conversion for CRM',
		'n8n-nodes-base.set',
		3.4,
		[1100, -600],
		setNode([
			assignment('contactKey', `={{ ${RC}.contactKey }}`),
			assignment('email', `={{ ${RC}.email || ('ig-' + ${RC}.contactKey + '@' + ${S('emailDomainForInstagramOnly')}) }}`),
			assignment('orderId', `={{ ${RC}.orderId }}`),
			assignment('value', `={{ ${RC}.value }}`, 'number'),
			assignment('currency', `={{ ${RC}.currency }}`),
			assignment('contactRevenue', `={{ ${RC}.contactRevenue }}`, 'number'),
		]),
	);
	t.connect('Mark converted', 'Conversion for CRM');
	if (hubspot) {
		t.node(
			'CRM: HubSpot revenue',
			'n8n-nodes-base.hubspot',
			2.2,
			[1320, -600],
			{
				authentication: 'appToken',
				resource: 'contact',
				operation: 'upsert',
				email: '={{ $json.email }}',
				additionalFields: {
					customPropertiesUi: {
						customPropertiesValues: [{ property: `={{ ${S('hubspotRevenueProperty')} }}`, value: '={{ $json.contactRevenue }}' }],
					},
				},
				options: {},
			},
			{
				credentials: { hubspotAppToken: 'HubSpot private app' },
				notes: "Writes the contact's total revenue to a number property (create it first; name in Client settings).",
			},
		);
		t.connect('Conversion for CRM', 'CRM: HubSpot revenue');
	} else {
		const cred = { credentials: { activeCampaignApi: 'ActiveCampaign account' } };
		t.node(
			'CRM: buyer contact',
			'n8n-nodes-base.activeCampaign',
			1,
			[1320, -600],
			{ resource: 'contact', operation: 'create', email: '={{ $json.email }}', updateIfExists: true, additionalFields: {} },
			cred,
		);
		t.connect('Conversion for CRM', 'CRM: buyer contact');
		t.node(
			'CRM: deal for the order',
			'n8n-nodes-base.activeCampaign',
			1,
			[1540, -600],
			{
				resource: 'deal',
				operation: 'create',
				title: "={{ 'Order ' + $('Conversion for CRM').item.json.orderId }}",
				contact: '={{ $json.id }}',
				value: "={{ Math.round($('Conversion for CRM').item.json.value * 100) }}",
				currency: "={{ $('Conversion for CRM').item.json.currency.toLowerCase() }}",
				group: `={{ ${S('dealPipelineId')} }}`,
				stage: `={{ ${S('dealStageId')} }}`,
				owner: '',
				additionalFields: { status: 1 },
			},
			{ ...cred, notes: 'One won deal per order; ActiveCampaign keeps deal values in cents.' },
		);
		t.connect('CRM: buyer contact', 'CRM: deal for the order');
	}

	// ---- CRM: only contacts whose tags changed (from both paths)
	t.node(
		'Tag changes for CRM',
		'n8n-nodes-base.set',
		3.4,
		[1180, 260],
		setNode([
			assignment('contactKey', '={{ $json.contactKey }}'),
			assignment(
				'email',
				`={{ $json.email || ('ig-' + $json.contactKey + '@' + ${S('emailDomainForInstagramOnly')}) }}`,
			),
			assignment('firstName', ''),
			assignment('tags', '={{ $json.tags || [] }}', 'array'),
			assignment('tagsToAdd', '={{ $json.tagsToAdd || [] }}', 'array'),
			assignment('tagsToRemove', '={{ $json.tagsToRemove || [] }}', 'array'),
		]),
	);
	t.node(
		'Tags changed?',
		'n8n-nodes-base.filter',
		2.2,
		[940, -160],
		{
			conditions: conditions([
				['={{ ($json.tagsToAdd || []).length + ($json.tagsToRemove || []).length > 0 }}', op.isTrue],
			]),
			options: {},
		},
		{ notes: 'Changed also means a newer lastEngagedAt with the same tags: saved, but nothing to tell the CRM.' },
	);
	t.connect('Record engagement', 'Tags changed?', { from: 0 });
	t.connect('Tags changed?', 'Tag changes for CRM');
	t.connect('Re-evaluate tiers', 'Tag changes for CRM', { from: 0 });
	if (hubspot) {
		hubspotSteps(t, 'Tag changes for CRM', { x: 1400, y: 260, propertyExpression: "={{ $json.tags.join(';') }}" });
	} else {
		activeCampaignSteps(t, 'Tag changes for CRM', { x: 1400, y: 260 });
	}
	t.place({
		'About this workflow': [-980, -720],
		'Set-up steps': [-260, -720],
		'What to change': [520, -720],
		'Instagram Story Trigger': at(0, -60),
		'Engagement webhook': at(0, 120),
		'Click redirect': at(0, 820),
		'Shopify order': at(0, -240),
		'Order from Shopify': at(3, -100),
		'Every day at 06:00': at(0, 500),
		'Re-evaluate now': at(0, 660),
		'Client settings': at(1, 260),
		'Which path?': at(2, 260),
		'Events in request': at(3, 120),
		'Conversion?': at(4, 120),
		'Posted signals only': at(5, 280),
		'Store posted signals': at(6, 280),
		'Read conversions': at(5, 1060),
		'Record conversion': at(6, 900),
		'Conversions not recorded': at(7, 1060),
		'Store conversion': at(7, 900),
		'Mark converted': at(8, 900),
		'Conversion for CRM': at(9, 900),
		...(hubspot
			? { 'CRM: HubSpot revenue': at(10, 900) }
			: { 'CRM: buyer contact': at(10, 900), 'CRM: deal for the order': at(11, 900) }),
		'Engagement events': at(5, -40),
		'Read engagement state': at(6, 120),
		'Add stored engagement': at(7, -40),
		'Record engagement': at(8, -40),
		'Save engagement': at(9, -160),
		'Tags changed?': at(9, -320),
		'Events not counted': at(9, 100),
		'Read contacts': at(3, 580),
		'Re-evaluate tiers': at(4, 580),
		'Save new tags': at(5, 500),
		'No change today': at(5, 660),
		'Click settings': at(2, 820),
		'Record click': at(3, 820),
		'Redirect to the link': at(4, 780),
		'Store click': at(5, 780),
		'Link not found': at(4, 940),
		'Tag changes for CRM': at(10, 260),
		...(hubspot ? { 'CRM: upsert HubSpot contact': at(11, 260) } : activeCampaignLayout(11, 260)),
	});
	return t;
}

module.exports = {
	variants: () => [
		{ file: 'engagement-tagging.json', template: build('activecampaign') },
		{ file: 'engagement-tagging-hubspot.json', template: build('hubspot') },
	],
};
