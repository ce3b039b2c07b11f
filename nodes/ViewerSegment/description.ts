import type { INodeProperties } from 'n8n-workflow';
import type { EventType } from '../core/events/schema';
import { DEFAULT_WEIGHTS } from '../core/segment/types';

/** Score weight parameters: [event type, parameter name, label]; defaults are the core's DEFAULT_WEIGHTS. */
const WEIGHT_FIELDS: Array<[EventType, string, string]> = [
	['view', 'weightView', 'View'],
	['story_reply', 'weightStoryReply', 'Story Reply'],
	['story_mention', 'weightStoryMention', 'Story Mention'],
	['reaction', 'weightReaction', 'Reaction'],
	['message', 'weightMessage', 'Message'],
	['postback', 'weightPostback', 'Postback'],
	['comment', 'weightComment', 'Comment'],
	['profile_visit', 'weightProfileVisit', 'Profile Visit'],
	['link_click', 'weightLinkClick', 'Link Click'],
	['story_insights', 'weightStoryInsights', 'Story Insights'],
	['email_open', 'weightEmailOpen', 'Email Open'],
	['email_click', 'weightEmailClick', 'Email Click'],
	['site_visit', 'weightSiteVisit', 'Site Visit'],
];

const ENGAGEMENT_TYPE_OPTIONS = [
	{ name: 'Comment', value: 'comment' },
	{ name: 'Message', value: 'message' },
	{ name: 'Postback', value: 'postback' },
	{ name: 'Reaction', value: 'reaction' },
	{ name: 'Story Mention', value: 'story_mention' },
	{ name: 'Story Reply', value: 'story_reply' },
];

const showFor = (segment: string) => ({ show: { segments: [segment] } });

export const properties: INodeProperties[] = [
	{
		displayName: 'As Of',
		name: 'asOf',
		type: 'dateTime',
		default: '',
		description:
			'The moment the window ends (inclusive). Leave empty for now; set it (or an expression) for reproducible results.',
	},
	{
		displayName: 'Window (Days)',
		name: 'windowDays',
		type: 'number',
		default: 7,
		typeOptions: { minValue: 0, numberPrecision: 2 },
		description:
			'Events count when As Of minus the window < occurredAt ≤ As Of. An event exactly at the window start is outside.',
	},
	{
		displayName: 'Segments',
		name: 'segments',
		type: 'multiOptions',
		options: [
			{ name: 'High Engagement', value: 'highEngagement', description: 'Replied, reacted, mentioned, messaged or tapped a button' },
			{ name: 'Language or Place', value: 'languagePlace', description: 'Locale or a mapped field matches a list' },
			{ name: 'Possible Bot', value: 'possibleBot', description: 'Profile signals such as no followers and an empty bio; excluded from other segments' },
			{ name: 'Profile Visitor', value: 'profileVisitor', description: 'Visited the profile or clicked a link' },
			{ name: 'Repeat Viewer', value: 'repeatViewer', description: 'Saw at least N distinct stories' },
			{ name: 'Top Score', value: 'topScore', description: 'In the top X % by score' },
		],
		default: ['highEngagement', 'possibleBot', 'profileVisitor', 'repeatViewer', 'topScore'],
		description: 'Segments to compute. Custom segments are added below.',
	},
	{
		displayName: 'Language or Place Values',
		name: 'languagePlaceValues',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. de, fr-CH, at',
		description: 'Comma-separated values the locale (or the mapped field) must match',
		displayOptions: showFor('languagePlace'),
	},
	{
		displayName: 'Repeat Viewer Options',
		name: 'repeatViewerOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: showFor('repeatViewer'),
		options: [
			{
				displayName: 'Minimum Distinct Stories',
				name: 'minStories',
				type: 'number',
				default: 3,
				typeOptions: { minValue: 1 },
				description: 'Stories seen (view, reply or reaction with a storyId) in the window',
			},
		],
	},
	{
		displayName: 'Profile Visitor Options',
		name: 'profileVisitorOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: showFor('profileVisitor'),
		options: [
			{
				displayName: 'Count Link Clicks',
				name: 'countLinkClicks',
				type: 'boolean',
				default: true,
				description: 'Whether a link_click counts like a profile_visit',
			},
			{
				displayName: 'Minimum Visits',
				name: 'minVisits',
				type: 'number',
				default: 1,
				typeOptions: { minValue: 1 },
			},
		],
	},
	{
		displayName: 'High Engagement Options',
		name: 'highEngagementOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: showFor('highEngagement'),
		options: [
			{
				displayName: 'Event Types',
				name: 'eventTypes',
				type: 'multiOptions',
				options: ENGAGEMENT_TYPE_OPTIONS,
				default: ['message', 'postback', 'reaction', 'story_mention', 'story_reply'],
			},
			{
				displayName: 'Minimum Interactions',
				name: 'minInteractions',
				type: 'number',
				default: 1,
				typeOptions: { minValue: 1 },
			},
		],
	},
	{
		displayName: 'Language or Place Options',
		name: 'languagePlaceOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: showFor('languagePlace'),
		options: [
			{
				displayName: 'Field',
				name: 'field',
				type: 'string',
				default: 'locale',
				placeholder: 'e.g. extra.country',
				description: "Event path read for the match (the viewer's latest value)",
			},
			{
				displayName: 'Match',
				name: 'match',
				type: 'options',
				options: [
					{ name: 'Exact', value: 'exact', description: '"de-at" matches only "de_AT" / "de-AT"' },
					{ name: 'Language Prefix', value: 'prefix', description: '"de" matches "de", "de_DE" and "de-AT"' },
				],
				default: 'prefix',
			},
		],
	},
	{
		displayName: 'Top Score Options',
		name: 'topScoreOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: showFor('topScore'),
		options: [
			{
				displayName: 'Top Percent',
				name: 'topPercent',
				type: 'number',
				default: 10,
				typeOptions: { minValue: 0, maxValue: 100, numberPrecision: 2 },
				description: 'Share of scored viewers (not bots, score above 0) in the segment; the count is rounded up',
			},
		],
	},
	{
		displayName: 'Possible Bot Options',
		name: 'possibleBotOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: showFor('possibleBot'),
		options: [
			{
				displayName: 'Maximum Followers',
				name: 'maxFollowers',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0 },
				description: 'A follower count at or below this is the "no followers" signal',
			},
			{
				displayName: 'Minimum Signals',
				name: 'minSignals',
				type: 'number',
				default: 2,
				typeOptions: { minValue: 1 },
				description: 'How many of the chosen signals must be present',
			},
			{
				displayName: 'Signals',
				name: 'signals',
				type: 'multiOptions',
				options: [
					{ name: 'Empty Bio', value: 'emptyBio' },
					{ name: 'No Followers', value: 'noFollowers' },
					{ name: 'No Profile Picture', value: 'noProfilePic' },
				],
				default: ['emptyBio', 'noFollowers', 'noProfilePic'],
			},
		],
	},
	{
		displayName: 'Custom Segments',
		name: 'customSegments',
		type: 'fixedCollection',
		placeholder: 'Add condition',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		description: 'Conditions with the same segment name must all hold',
		options: [
			{
				displayName: 'Condition',
				name: 'conditions',
				values: [
					{
						displayName: 'Segment',
						name: 'segment',
						type: 'string',
						default: '',
						placeholder: 'e.g. berlinFans',
						description: 'Machine name of the segment (letters, digits, _)',
					},
					{
						displayName: 'Field',
						name: 'field',
						type: 'string',
						default: '',
						placeholder: 'e.g. extra.city, score, stats.distinctStories',
						description:
							'Score, rank, stats.&lt;name&gt; (stats.events.&lt;type&gt; for a count) or an event path (latest value)',
					},
					{
						displayName: 'Operation',
						name: 'operation',
						type: 'options',
						noDataExpression: true,
						options: [
							{ name: 'Contains', value: 'contains' },
							{ name: 'Does Not Contain', value: 'notContains' },
							{ name: 'Equals', value: 'equals' },
							{ name: 'Is Greater Than', value: 'gt' },
							{ name: 'Is Greater Than or Equal', value: 'gte' },
							{ name: 'Is Less Than', value: 'lt' },
							{ name: 'Is Less Than or Equal', value: 'lte' },
							{ name: 'Is Not Present', value: 'notExists' },
							{ name: 'Is One Of', value: 'oneOf' },
							{ name: 'Is Present', value: 'exists' },
							{ name: 'Not Equals', value: 'notEquals' },
							{ name: 'Starts With', value: 'startsWith' },
						],
						default: 'equals',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description: 'For "Is One Of", a comma-separated list',
						displayOptions: { hide: { operation: ['exists', 'notExists'] } },
					},
				],
			},
		],
	},
	{
		displayName: 'Score',
		name: 'scoreOptions',
		type: 'collection',
		placeholder: 'Add weight or half-life',
		default: {},
		description: 'Score = sum over in-window events of the weight of its type (× 0.5^(age / half-life) when set)',
		options: [
			{
				displayName: 'Recency Half-Life (Days)',
				name: 'halfLifeDays',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0, numberPrecision: 2 },
				description: 'An event this old counts half; 0 turns recency off',
			},
			...WEIGHT_FIELDS.map(
				([type, name, label]): INodeProperties => ({
					displayName: `Weight: ${label}`,
					name,
					type: 'number',
					default: DEFAULT_WEIGHTS[type],
					typeOptions: { numberPrecision: 2 },
				}),
			),
		],
	},
	{
		displayName: 'Output Mode',
		name: 'outputMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Route', value: 'route', description: 'One output per enabled segment, plus No Segment' },
			{ name: 'Tag', value: 'tag', description: 'One output; each viewer item lists its segments' },
		],
		default: 'tag',
	},
	{
		displayName: 'Route Match',
		name: 'routeMatch',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { outputMode: ['route'] } },
		options: [
			{ name: 'All Matches', value: 'all', description: 'A viewer goes to every output of its segments' },
			{ name: 'First Match', value: 'first', description: 'A viewer goes to the output of its first segment in priority order' },
		],
		default: 'first',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Case Sensitive Custom Conditions',
				name: 'caseSensitive',
				type: 'boolean',
				default: false,
				description: 'Whether custom text conditions compare letter case',
			},
			{
				displayName: 'Max Paired Items per Viewer',
				name: 'maxPairedItems',
				type: 'number',
				default: 100,
				typeOptions: { minValue: 1 },
				description: 'A viewer item links to at most this many of its input events (the first ones in input order)',
			},
		],
	},
];

export const WEIGHT_PARAMETERS = WEIGHT_FIELDS;
