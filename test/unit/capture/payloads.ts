// Webhook bodies in the shapes of ../shared/reference/meta-instagram-platform.md §3.1.
export const IG_ID = '17841453247170088';
export const IGSID = '3603717463085785';

export function envelope(messaging: unknown[], time = 1700000000000): Record<string, unknown> {
	return { object: 'instagram', entry: [{ id: IG_ID, time, messaging }] };
}

export function messageText(text: string, mid = 'aWdfmid-text', timestamp = 1700000000000) {
	return {
		sender: { id: IGSID },
		recipient: { id: IG_ID },
		timestamp,
		message: { mid, text },
	};
}

export const storyReply = {
	object: 'instagram',
	entry: [
		{
			time: 1663580825767,
			id: IG_ID,
			messaging: [
				{
					sender: { id: IGSID },
					recipient: { id: IG_ID },
					timestamp: 1663580825282,
					message: {
						mid: 'aWdfreply',
						text: 'Hello story',
						reply_to: {
							story: {
								url: 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=18040775032372871&signature=abc',
								id: '18040775032372871',
							},
						},
					},
				},
			],
		},
	],
};

export const storyMention = {
	object: 'instagram',
	entry: [
		{
			id: IG_ID,
			time: 1569262486134,
			messaging: [
				{
					sender: { id: IGSID },
					recipient: { id: IG_ID },
					timestamp: 1569262485349,
					message: {
						mid: 'aWdfmention',
						attachments: [{ type: 'story_mention', payload: { url: 'https://cdn.example/story' } }],
					},
				},
			],
		},
	],
};

export function reaction(action: 'react' | 'unreact', mid = 'aWdfreacted') {
	return envelope([
		{
			sender: { id: IGSID },
			recipient: { id: IG_ID },
			timestamp: 1700000000000,
			reaction:
				action === 'react'
					? { mid, action, reaction: 'love', emoji: '\u2764\ufe0f' }
					: { mid, action },
		},
	]);
}

export const quickReply = envelope([
	{
		sender: { id: IGSID },
		recipient: { id: IG_ID },
		timestamp: 1700000001000,
		message: { mid: 'aWdfquick', text: 'Yes', quick_reply: { payload: 'OPT_IN' } },
	},
]);

export const postback = envelope([
	{
		sender: { id: IGSID },
		recipient: { id: IG_ID },
		timestamp: 1700000002000,
		postback: { mid: 'aWdfpostback', title: 'Stop', payload: 'UNSUBSCRIBE_BUTTON' },
	},
]);

export const echo = envelope([
	{
		sender: { id: IG_ID },
		recipient: { id: IGSID },
		timestamp: 1700000003000,
		message: { mid: 'aWdfecho', text: 'Thanks for your reply!', is_echo: true },
	},
]);

export const storyInsights = {
	object: 'instagram',
	entry: [
		{
			id: '0',
			time: 1519399312,
			changes: [
				{
					field: 'story_insights',
					value: {
						media_id: '17887498072083520',
						exits: 3,
						replies: -1,
						reach: 44,
						taps_forward: 4,
						taps_back: 3,
						impressions: 444,
					},
				},
			],
		},
	],
};

const commentValue = {
	id: '17865799348089039',
	from: { id: IGSID, username: 'Alice.Shop' },
	text: 'Price please?',
	media: { id: '18040775032372871', media_product_type: 'STORY' },
};

/** Facebook Login style: entry[].changes[]. */
export const commentChanges = {
	object: 'instagram',
	entry: [{ id: IG_ID, time: 1700000005, changes: [{ field: 'comments', value: commentValue }] }],
};

/** Instagram Login style: flat entry[].field/value. */
export const commentFlat = {
	object: 'instagram',
	entry: [{ id: IG_ID, time: 1700000005, field: 'comments', value: commentValue }],
};

/**
 * Read receipt (`messaging_seen`): the person saw the account's message `mid`. Shape of Meta's "Messaging seen"
 * example (https://developers.facebook.com/docs/instagram-platform/webhooks/examples).
 */
export function seen(mid = 'aWdfOURmid', timestamp = 1700000060000) {
	return envelope([{ sender: { id: IGSID }, recipient: { id: IG_ID }, timestamp, read: { mid } }], timestamp);
}
