import type { INodeProperties } from 'n8n-workflow';
import { hideInTool } from '../shared/tool';

const CHANNEL_OPTIONS = [
	{ name: 'Email', value: 'email' },
	{ name: 'Instagram DM', value: 'instagram_dm' },
	{ name: 'Messenger', value: 'messenger' },
	{ name: 'SMS', value: 'sms' },
	{ name: 'WhatsApp', value: 'whatsapp' },
];

const showPresets = { show: { sequence: ['softDmFollowUp', 'nurture'] } };
const showAnyPreset = { show: { sequence: ['storyReplyWindow', 'softDmFollowUp', 'nurture'] } };
const showCustom = { show: { sequence: ['custom'] } };

const sequenceProperties: INodeProperties[] = [
	{
		displayName: 'Sequence',
		name: 'sequence',
		type: 'options',
		// An expression is allowed (an agency's "Client settings" node can pick the sequence); it is read once.
		options: [
			{
				name: 'Story Reply — Instagram DM Inside the Window',
				value: 'storyReplyWindow',
				description:
					'Immediate answer, +2 h and +20 h follow-ups, all inside the 24 h window; then hand over',
			},
			{
				name: 'Soft DM + One Follow-Up',
				value: 'softDmFollowUp',
				description: 'Day-1 soft message, one follow-up after 48–72 h, stop after two non-replies',
			},
			{
				name: 'Nurture',
				value: 'nurture',
				description:
					'Immediate → value after 24–48 h → final reminder after 3–7 days → move to nurture',
			},
			{ name: 'Custom', value: 'custom', description: 'Define your own steps' },
		],
		default: 'storyReplyWindow',
		description:
			'From an expression: storyReplyWindow, softDmFollowUp, nurture or custom (read once, from the first item)',
	},
	{
		displayName: 'Channel',
		name: 'presetChannel',
		type: 'options',
		options: [{ name: 'Preset Default', value: 'presetDefault' }, ...CHANNEL_OPTIONS],
		default: 'presetDefault',
		description:
			'Channel of every step. Preset default: Instagram DM for Soft DM (its 48–72 h follow-up cannot be sent inside the 24 h window, so the contact is handed over), Email for Nurture.',
		displayOptions: showPresets,
	},
	{
		displayName: 'Handoff Channel',
		name: 'handoffChannel',
		type: 'options',
		options: [
			{ name: 'Preset Default', value: 'presetDefault' },
			{ name: 'None', value: 'none' },
			...CHANNEL_OPTIONS,
		],
		default: 'presetDefault',
		description:
			'Channel named in Done items with reason window_closed, for the next consented channel (preset default: Email for the DM presets, none for Nurture)',
		displayOptions: showAnyPreset,
	},
	{
		displayName: 'Message Overrides',
		name: 'messageOverrides',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Message',
		default: {},
		description:
			'Replace a preset message. Tokens: {{name}}, {{storyTopic}}, any state field; fallback {{name|there}}.',
		displayOptions: showAnyPreset,
		options: [
			{
				name: 'message',
				displayName: 'Message',
				values: [
					{
						displayName: 'Step',
						name: 'step',
						type: 'number',
						default: 1,
						typeOptions: { minValue: 1 },
					},
					{
						displayName: 'Variant',
						name: 'variant',
						type: 'options',
						options: [
							{ name: 'A', value: 'A' },
							{ name: 'B', value: 'B' },
							{ name: 'C', value: 'C' },
						],
						default: 'A',
					},
					{
						displayName: 'Template',
						name: 'template',
						type: 'string',
						typeOptions: { rows: 3 },
						default: '',
					},
				],
			},
		],
	},
	{
		displayName: 'Sequence ID',
		name: 'sequenceId',
		type: 'string',
		default: 'custom',
		description:
			'Machine name stored in the state and in idempotency keys (letters, digits, _ - .)',
		displayOptions: showCustom,
	},
	{
		displayName: 'Steps',
		name: 'steps',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Step',
		default: {},
		displayOptions: showCustom,
		options: [
			{
				name: 'step',
				displayName: 'Step',
				values: [
					{
						displayName: 'Allow Earlier Inside Window',
						name: 'allowEarlier',
						type: 'boolean',
						default: true,
						description:
							'Whether a step that would land after the channel window closes is sent earlier inside it (else the contact is Done with window_closed)',
					},
					{
						displayName: 'Channel',
						name: 'channel',
						type: 'options',
						default: '',
					},
					{
						displayName: 'Delay',
						name: 'delayMin',
						type: 'number',
						default: 0,
						typeOptions: { minValue: 0, maxValue: 10_000 },
						description: 'Delay after the previous send (after enrolment for the first step)',
					},
					{
						displayName: 'Delay Unit',
						name: 'delayUnit',
						type: 'options',
						options: [
							{
								name: 'Minutes',
								value: 'minutes',
							},
							{
								name: 'Hours',
								value: 'hours',
							},
							{
								name: 'Days (Calendar Days in the Contact’s Zone)',
								value: 'days',
							},
						],
						default: 'hours',
					},
					{
						displayName: 'Delay Up To',
						name: 'delayMax',
						type: 'number',
						default: 0,
						typeOptions: { minValue: 0, maxValue: 10_000 },
						description:
							'Upper bound of a range (each contact gets a stable value in it);	0	=	fixed delay',
					},
					{
						displayName: 'Message',
						name: 'template',
						type: 'string',
						default: '',
						placeholder: 'Hi	{{name|there}}, thanks for your interest in	{{storyTopic}}!',
					},
					{
						displayName: 'Message Variant B',
						name: 'templateB',
						type: 'string',
						default: '',
						description: 'Optional A/B variant;	each contact gets a stable variant per step',
					},
					{
						displayName: 'Message Variant C',
						name: 'templateC',
						type: 'string',
						default: '',
					},
					{
						displayName: 'Respect Quiet Hours',
						name: 'quietHours',
						type: 'boolean',
						default: true,
						description: 'Whether quiet hours and business days apply to this step',
					},
				],
			},
		],
	},
	{
		displayName: 'Complete After (Hours)',
		name: 'completeAfterHours',
		type: 'number',
		default: 24,
		typeOptions: { minValue: 0, maxValue: 8_760 },
		description: 'Wait after the last send before the contact is Done with reason exhausted',
		displayOptions: showCustom,
	},
	{
		displayName: 'Custom Handoff Channel',
		name: 'customHandoffChannel',
		type: 'options',
		options: [{ name: 'None', value: 'none' }, ...CHANNEL_OPTIONS],
		default: 'none',
		description: 'Channel named in Done items with reason window_closed',
		displayOptions: showCustom,
	},
	{
		displayName: 'Move To When Exhausted',
		name: 'moveTo',
		type: 'string',
		default: '',
		placeholder: 'e.g. nurture',
		description: 'Returned as moveTo on Done items with reason exhausted',
		displayOptions: showCustom,
	},
	{
		displayName: 'Stop on Conversion',
		name: 'stopOnConversion',
		type: 'boolean',
		default: true,
		description: 'Whether a contact with convertedAt set is Done with reason converted',
		displayOptions: showCustom,
	},
];

const scheduleProperties: INodeProperties[] = [
	{
		displayName: 'Quiet Hours',
		name: 'quietHours',
		type: 'boolean',
		default: true,
		description:
			'Whether to hold sends during quiet hours in the contact’s time zone (they go out when quiet hours end)',
	},
	{
		displayName: 'Quiet From',
		name: 'quietStart',
		type: 'string',
		default: '21:00',
		placeholder: 'HH:MM',
		displayOptions: { show: { quietHours: [true] } },
	},
	{
		displayName: 'Quiet Until',
		name: 'quietEnd',
		type: 'string',
		default: '08:00',
		placeholder: 'HH:MM',
		displayOptions: { show: { quietHours: [true] } },
	},
	{
		displayName: 'Business Days Only',
		name: 'businessDaysOnly',
		type: 'boolean',
		default: false,
		description:
			'Whether to hold sends on other days until the next business day (later steps shift, none is skipped)',
	},
	{
		displayName: 'Business Days',
		name: 'businessDays',
		type: 'multiOptions',
		options: [
			{ name: 'Friday', value: 5 },
			{ name: 'Monday', value: 1 },
			{ name: 'Saturday', value: 6 },
			{ name: 'Sunday', value: 0 },
			{ name: 'Thursday', value: 4 },
			{ name: 'Tuesday', value: 2 },
			{ name: 'Wednesday', value: 3 },
		],
		default: [1, 2, 3, 4, 5],
		displayOptions: { show: { businessDaysOnly: [true] } },
	},
	{
		displayName: 'Default Time Zone',
		name: 'defaultTimeZone',
		type: 'string',
		default: '',
		placeholder: 'e.g. Europe/Paris',
		description:
			'IANA zone for contacts without a (known) timeZone. Empty = the workflow’s time zone.',
	},
	{
		displayName: 'Auto-Enrol',
		name: 'autoEnrol',
		type: 'boolean',
		default: false,
		description:
			'Whether a contact without state (no enrolledAt) starts the sequence now. Off: such an item is an error.',
	},
	{
		displayName: 'Append Opt-Out Sentence',
		name: 'appendOptOut',
		type: 'boolean',
		default: true,
		description:
			'Whether to append the opt-out sentence in the contact’s language when a message has none',
	},
	{
		displayName: 'Opt-Out Sentences',
		name: 'optOutSentences',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Language',
		default: {},
		description: 'Per language; replaces the built-in sentence (en, fr, de, es, it, pt, nl)',
		displayOptions: { show: { appendOptOut: [true] } },
		options: [
			{
				name: 'sentence',
				displayName: 'Sentence',
				values: [
					{
						displayName: 'Language',
						name: 'language',
						type: 'string',
						default: 'en',
						placeholder: 'e.g. fr',
					},
					{ displayName: 'Text', name: 'text', type: 'string', default: 'Reply STOP to opt out.' },
				],
			},
		],
	},
	{
		displayName: 'Max Sends per Run',
		name: 'perRunCap',
		type: 'number',
		default: 0,
		typeOptions: { minValue: 0, maxValue: 1_000_000, numberPrecision: 0 },
		description:
			'0 = no cap. Contacts over the cap wait (waitReason run_cap) for the next run. The Consent Gate applies its own daily and per-contact caps after this node.',
	},
	{
		displayName: 'Track Links (UTM)',
		name: 'trackLinks',
		type: 'boolean',
		default: true,
		description:
			'Whether to add UTM parameters to every http(s) link of a message, so visits and orders can be traced to the sequence, step and variant. Links that already carry utm_* parameters and skipped hosts are left alone.',
	},
	{
		displayName: 'UTM Parameters',
		name: 'utm',
		type: 'collection',
		placeholder: 'Override a Value',
		default: {},
		displayOptions: { show: { trackLinks: [true] } },
		description: 'Values may use {sequence}, {step} (the step ID) and {variant}',
		options: [
			{
				displayName: 'Campaign',
				name: 'campaign',
				type: 'string',
				default: '{sequence}',
				description: 'Utm_campaign; default the sequence ID',
			},
			{
				displayName: 'Content',
				name: 'content',
				type: 'string',
				default: '{step}-{variant}',
				description: 'Utm_content; default step ID and A/B variant, e.g. step2-B',
			},
			{
				displayName: 'Hosts to Skip',
				name: 'skipHosts',
				type: 'string',
				default: '',
				placeholder: 'e.g. wa.me, calendly.com',
				description: 'Comma-separated hosts whose links are left as written (subdomains included)',
			},
			{
				displayName: 'Medium',
				name: 'medium',
				type: 'string',
				default: 'story_dm',
				description: 'Utm_medium',
			},
			{
				displayName: 'Source',
				name: 'source',
				type: 'string',
				default: 'instagram',
				description: 'Utm_source',
			},
		],
	},
	{
		displayName: 'Track Clicks',
		name: 'trackClicks',
		type: 'boolean',
		default: false,
		displayOptions: { show: { trackLinks: [true] } },
		description:
			'Whether each tagged link goes through your own click redirect (Part 2’s Click redirect webhook), which stores a link_click for the contact and the message and answers 302 to the link. Links are signed with the pepper of the Story Leads Privacy API credential, so the redirect only ever leads to links your messages contained.',
	},
	{
		displayName: 'Track Clicks Through',
		name: 'clickRedirectUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://n8n.example.com/webhook/1a2b3c/r',
		displayOptions: { show: { trackLinks: [true], trackClicks: [true] } },
		description:
			'Production URL of the Click redirect webhook without its last part (/:token). Each link becomes this URL, a slash and its signed token.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Contact ID Field',
				name: 'contactIdField',
				type: 'string',
				default: 'viewerKey',
				description:
					'Item field holding the contact’s ID (falls back to contactId, then recipientId)',
			},
			{
				displayName: 'Default Language',
				name: 'defaultLanguage',
				type: 'string',
				default: 'en',
				description: 'Language of the opt-out sentence for contacts without a language',
			},
			{
				displayName: 'Jitter (Minutes)',
				name: 'jitterMinutes',
				type: 'number',
				default: 15,
				typeOptions: { minValue: 0, maxValue: 1_440 },
				description:
					'Upper bound of the stable per-contact delay added to delayed or deferred steps, so sends do not go out in bursts',
			},
			{
				displayName: 'Keep Input Fields',
				name: 'keepInputFields',
				type: 'boolean',
				default: false,
				description:
					'Whether Send Now, Wait and Done items also carry every field of the input item (e.g. email, name for the CRM step); the decision’s fields win on a name clash. Off: only the decision and the state, so contact data goes no further than needed.',
			},
			{
				displayName: 'State Field',
				name: 'stateField',
				type: 'string',
				default: '',
				placeholder: 'e.g. cadence',
				description:
					'Item field holding the stored state object. Empty = the state fields are on the item itself (a Data table row).',
			},
			{
				displayName: 'Variables Field',
				name: 'variablesField',
				type: 'string',
				default: 'variables',
				description:
					'Item field holding template variables (name, storyTopic…); item fields are variables too',
			},
			{
				displayName: 'Window Margin (Minutes)',
				name: 'windowMarginMinutes',
				type: 'number',
				default: 30,
				typeOptions: { minValue: 0, maxValue: 1_440 },
				description:
					'A step is planned at least this long before a channel window closes, so a polling run does not miss it',
			},
		],
	},
];

/**
 * Every parameter of the node, in UI order. The tool variant shows only a notice: every setting decides what is
 * sent and when, so the node refuses to run as an AI tool (actions/router.ts) and offers no setting there.
 */
export const cadenceSchedulerProperties: INodeProperties[] = [
	{
		displayName:
			'As an AI tool this node does not run: its settings decide what is sent and when, which an agent may not change. Schedule follow-ups in a regular workflow.',
		name: 'toolNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { '@tool': [true] } },
	},
	...[
		{
			displayName: 'Now',
			name: 'now',
			type: 'dateTime',
			default: '',
			description:
				'The time decisions are made for. Empty = the current time; set it for reproducible runs.',
		} satisfies INodeProperties,
		...sequenceProperties,
		...scheduleProperties,
	].map(hideInTool),
];
