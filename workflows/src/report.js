// Template: the Report — the Funnel Report node over the Data tables of Part 1 and Part 2, served as an HTML page
// (Webhook with basic auth → Respond to Webhook) and sent as a weekly summary (email node, disabled until set up).
const { Template, assignment, setNode, stableId, conditions, op } = require('./lib');
const { at, S, NOW, SETTINGS_COMMON, readAll, READ_ONCE } = require('./common');

const REPORT_PATH = 'story-leads-report';

function build() {
	const t = new Template({
		id: 'StoryLeadsReport',
		name: 'Story Leads — Report',
		description:
			'The funnel from story viewers to revenue, the A/B table of the sequence variants and a weekly trend: an HTML page behind a login, and a weekly email summary.',
	});

	t.sticky(
		'About this workflow',
		[
			'## Story Leads — Report',
			'Reads the Data tables of Part 1 and Part 2 (events, send log, conversions, contact state) and builds',
			'a **nested funnel** viewers ⊇ captured ⊇ eligible ⊇ messaged ⊇ converted (each a share of the stage above),',
			'reply and click rates, revenue (all orders and credited to messages, net of refunds), **campaign ROI**,',
			'splits by segment, source and step, the **A/B table** (no winner below the minimum sample; Fisher\'s exact',
			'test for small counts) and a **weekly trend** in calendar weeks.',
			'',
			'**Report page** (top): open the webhook URL in a browser (basic auth) to see the page.',
			'**Weekly summary** (bottom): every Monday at 07:00 an email with the same figures (enable the email node first).',
		].join('\n'),
		[-980, -560],
		{ width: 700, height: 320, color: 4 },
	);
	t.sticky(
		'Set-up steps',
		[
			'### Set-up steps',
			'1. Run the **Set-up** workflow (it creates the conversions table too) and use the same table prefix here.',
			'2. Credentials: **Story Leads report login** (Basic Auth: a user and a long password) on *Report page*.',
			'3. Edit **Client settings**: period, cost of the period (empty = not set), currency, time zone. To take the cost',
			'   from your Meta ads: set **metaAdAccountId** (and optionally metaAdCampaigns) and a **Meta Marketing API**',
			'   credential (Facebook Graph API, a token with ads_read) on *Meta ad spend*.',
			'4. **Publish**, then open `<your n8n>/webhook/story-leads-report`.',
			'5. Optional: set an SMTP credential and the addresses on *Email summary*, then enable it.',
		].join('\n'),
		[-260, -560],
		{ width: 720, height: 240, color: 5 },
	);
	t.sticky(
		'What to change',
		[
			'### What to change',
			'**Client settings**: periodDays, trendWeeks, costPerPeriod (what the period cost you: ads, tools, time;',
			'empty = not set, shown as "—"), currency (other currencies are listed, not summed), timeZone of the',
			'calendar weeks (empty = the workflow\'s), weekStartsOn (1 Monday, 0 Sunday), the report title. The A/B',
			'rules (minimum recipients and buyers per variant, significance, attribution window) are options of *Funnel report*.',
			'Leave **fixedNow** empty in production (set it to see the report as of a past moment).',
		].join('\n'),
		[480, -560],
		{ width: 640, height: 220, color: 6 },
	);

	t.node(
		'Report page',
		'n8n-nodes-base.webhook',
		2,
		[-940, 0],
		{ httpMethod: 'GET', path: REPORT_PATH, authentication: 'basicAuth', responseMode: 'responseNode', options: {} },
		{ credentials: { httpBasicAuth: 'Story Leads report login' }, webhookId: stableId('report', 'report-page') },
	);
	t.node('Every Monday at 07:00', 'n8n-nodes-base.scheduleTrigger', 1.2, [-940, 300], {
		rule: { interval: [{ field: 'weeks', triggerAtDay: [1], triggerAtHour: 7 }] },
	});
	t.node('Send summary now', 'n8n-nodes-base.manualTrigger', 1, [-940, 460]);

	t.node(
		'Client settings',
		'n8n-nodes-base.set',
		3.4,
		[-700, 200],
		setNode(
			[
				...SETTINGS_COMMON,
				assignment('periodDays', 7, 'number'),
				assignment('trendWeeks', 8, 'number'),
				// Empty = not set: the page shows "—" for cost, cost per lead and ROI, never 0.00.
				assignment('costPerPeriod', ''),
				// Set an ad account id to take the period's cost from the Meta Marketing API instead (ad spend).
				assignment('metaAdAccountId', ''),
				assignment('metaAdCampaigns', ''),
				assignment('metaGraphUrl', 'https://graph.facebook.com'),
				assignment('timeZone', ''),
				assignment('weekStartsOn', 1, 'number'),
				assignment('currency', 'EUR'),
				assignment('reportTitle', 'Story Leads — Report'),
				assignment('summaryFrom', 'reports@example.com'),
				assignment('summaryTo', 'you@example.com'),
			],
			{ includeOtherFields: true },
		),
		{ notes: 'Edit me: one node with everything that changes per client.', notesInFlow: true },
	);
	for (const trigger of ['Report page', 'Every Monday at 07:00', 'Send summary now']) t.connect(trigger, 'Client settings');

	// ---- cost of the period: the Meta ad spend of the period's days (Ads Insights, `spend` per campaign) or the
	// manual figure. A failed Marketing API call stops the run: a report must not show an ROI without its cost.
	const AD_ACCOUNT = `String(${S('metaAdAccountId')} ?? '').trim().replace(/^act_/, '')`;
	t.node(
		'Spend from Meta?',
		'n8n-nodes-base.if',
		2.2,
		[-700, -120],
		{ conditions: conditions([[`={{ ${AD_ACCOUNT} !== '' }}`, op.isTrue]]), options: {} },
		{ notes: 'metaAdAccountId set: the cost is the ad spend of the period; else costPerPeriod.' },
	);
	t.connect('Client settings', 'Spend from Meta?');
	// Meta counts whole days in the ad account's time zone: the period's first day up to the day of As Of.
	const day = (expr) => `DateTime.fromISO(${NOW}).${expr}.toFormat('yyyy-MM-dd')`;
	t.node(
		'Meta ad spend',
		'n8n-nodes-base.httpRequest',
		4.2,
		[-480, -220],
		{
			method: 'GET',
			url: `={{ ${S('metaGraphUrl')} }}/v25.0/act_{{ ${AD_ACCOUNT} }}/insights`,
			authentication: 'predefinedCredentialType',
			nodeCredentialType: 'facebookGraphApi',
			sendQuery: true,
			queryParameters: {
				parameters: [
					{ name: 'fields', value: 'campaign_id,campaign_name,spend' },
					{ name: 'level', value: 'campaign' },
					{ name: 'limit', value: '500' },
					{
						name: 'time_range',
						value: `={{ JSON.stringify({ since: ${day(`minus({ days: ${S('periodDays')} })`)}, until: ${day('minus({ milliseconds: 1 })')} }) }}`,
					},
				],
			},
			options: {},
		},
		{
			credentials: { facebookGraphApi: 'Meta Marketing API' },
			// Off until the user has a Marketing API credential: n8n refuses to run (and publish) a workflow with an
			// enabled node whose credential is not set, which would break the report for everyone without Meta ads.
			disabled: true,
			notes: 'Enable this node and select a Meta Marketing API credential when you set metaAdAccountId. Ads Insights of the ad account, one row per campaign (needs ads_read).',
		},
	);
	t.connect('Spend from Meta?', 'Meta ad spend', { from: 0 });
	const CAMPAIGNS = `String(${S('metaAdCampaigns')} ?? '').split(',').map(n => n.trim()).filter(n => n !== '')`;
	// A disabled Meta ad spend passes its input through (no `data`): refuse rather than report a cost of 0.
	const SPEND_ROWS = `(Array.isArray($json.data) ? $json.data : (() => { throw new Error('metaAdAccountId is set, but the Meta ad spend node is disabled: enable it and select a Meta Marketing API credential, or clear metaAdAccountId'); })()).filter(c => ${CAMPAIGNS}.length === 0 || ${CAMPAIGNS}.includes(c.campaign_name) || ${CAMPAIGNS}.includes(c.campaign_id))`;
	t.node(
		'Cost of the period',
		'n8n-nodes-base.set',
		3.4,
		[-260, -120],
		setNode([
			assignment(
				'cost',
				`={{ ${AD_ACCOUNT} !== '' ? Math.round(${SPEND_ROWS}.reduce((sum, c) => sum + Number(c.spend), 0) * 100) / 100 : ${S('costPerPeriod')} }}`,
			),
			assignment(
				'costSource',
				`={{ ${AD_ACCOUNT} !== '' ? 'Meta ad spend of ' + ${SPEND_ROWS}.length + ' campaign(s)' : 'Client settings' }}`,
			),
		]),
		{ notes: 'Meta: the sum of `spend` of the chosen campaigns (metaAdCampaigns, names or ids; empty = all).' },
	);
	t.connect('Meta ad spend', 'Cost of the period');
	t.connect('Spend from Meta?', 'Cost of the period', { from: 1 });

	const since = `={{ DateTime.fromISO(${NOW}).minus({ days: Math.max(${S('periodDays')}, ${S('trendWeeks')} * 7) }).toUTC().toISO() }}`;
	t.node('Read events', 'n8n-nodes-base.dataTable', 1.1, [-460, 0], readAll('events', [{ keyName: 'occurredAt', condition: 'gt', keyValue: since }]), READ_ONCE);
	t.node('Read send log', 'n8n-nodes-base.dataTable', 1.1, [-460, 160], readAll('sends', [{ keyName: 'sentAt', condition: 'gt', keyValue: since }]), READ_ONCE);
	t.node(
		'Read conversions',
		'n8n-nodes-base.dataTable',
		1.1,
		[-460, 320],
		readAll('conversions', [{ keyName: 'occurredAt', condition: 'gt', keyValue: since }]),
		READ_ONCE,
	);
	t.node('Read contact state', 'n8n-nodes-base.dataTable', 1.1, [-460, 480], readAll('cadence'), READ_ONCE);
	const reads = ['Read events', 'Read send log', 'Read conversions', 'Read contact state'];
	for (const read of reads) t.connect('Cost of the period', read);

	t.ours(
		'Funnel report',
		'funnelReport',
		[-200, 200],
		{
			operation: 'report',
			asOf: `={{ ${NOW} }}`,
			periodDays: `={{ ${S('periodDays')} }}`,
			cost: "={{ $('Cost of the period').first().json.cost }}",
			currency: `={{ ${S('currency')} }}`,
			options: {
				trendWeeks: `={{ ${S('trendWeeks')} }}`,
				timeZone: `={{ ${S('timeZone')} }}`,
				weekStartsOn: `={{ ${S('weekStartsOn')} }}`,
				title: `={{ ${S('reportTitle')} }}`,
			},
		},
		{ notes: 'Report: one item with the figures, `html` and `text`. Not counted: rows left out, with the reason.' },
	);
	reads.forEach((read, index) => t.connect(read, 'Funnel report', { to: index }));
	t.node('Rows not counted', 'n8n-nodes-base.noOp', 1, [60, 380], {}, { notes: 'Malformed rows and rows outside the period, with the reason.' });
	t.connect('Funnel report', 'Rows not counted', { from: 1 });

	t.node(
		'Page or email?',
		'n8n-nodes-base.if',
		2.2,
		[60, 200],
		{ conditions: conditions([["={{ $('Report page').isExecuted }}", op.isTrue]]), options: {} },
	);
	t.connect('Funnel report', 'Page or email?');
	t.node('Show the page', 'n8n-nodes-base.respondToWebhook', 1.1, [300, 100], {
		respondWith: 'text',
		responseBody: '={{ $json.html }}',
		options: {
			responseHeaders: {
				entries: [
					{ name: 'Content-Type', value: 'text/html; charset=utf-8' },
					{ name: 'Cache-Control', value: 'no-store' },
				],
			},
		},
	});
	t.connect('Page or email?', 'Show the page');
	t.node(
		'Email summary',
		'n8n-nodes-base.emailSend',
		2.1,
		[300, 300],
		{
			fromEmail: `={{ ${S('summaryFrom')} }}`,
			toEmail: `={{ ${S('summaryTo')} }}`,
			subject: `={{ ${S('reportTitle')} + ' — week to ' + $json.period.to.slice(0, 10) }}`,
			emailFormat: 'both',
			text: '={{ $json.text }}',
			html: '={{ $json.html }}',
			options: {},
		},
		{
			credentials: { smtp: 'SMTP account' },
			disabled: true,
			notes: 'Disabled until you set an SMTP credential and the addresses in Client settings.',
		},
	);
	t.connect('Page or email?', 'Email summary', { from: 1 });

	t.place({
		'About this workflow': [-980, -600],
		'Set-up steps': [-260, -600],
		'What to change': [480, -600],
		'Report page': at(0, 0),
		'Every Monday at 07:00': at(0, 300),
		'Send summary now': at(0, 460),
		'Client settings': at(1, 200),
		'Read events': at(2, -40),
		'Read send log': at(2, 120),
		'Read conversions': at(2, 280),
		'Read contact state': at(2, 440),
		'Funnel report': at(3, 200),
		'Rows not counted': at(4, 400),
		'Page or email?': at(4, 200),
		'Show the page': at(5, 100),
		'Email summary': at(5, 300),
	});
	return t;
}

module.exports = { file: 'story-leads-report.json', build, REPORT_PATH };
