// The Data tables both template parts use, with their columns. Column names are the field names our nodes read
// and write (camelCase), so rows read back with the Data table node feed straight into the next node.
// Every table name is `<tablePrefix><suffix>`; the prefix lives in each workflow's Client settings node.

const DEFAULT_TABLE_PREFIX = 'story_leads_';

const TABLES = {
	events: {
		suffix: 'events',
		description: 'Canonical story events (replies, mentions, reactions, messages, imported viewers). Upsert on eventId.',
		columns: [
			{ name: 'eventId', type: 'string' },
			{ name: 'viewerKey', type: 'string' },
			{ name: 'viewerKeyType', type: 'string' },
			{ name: 'storyId', type: 'string' },
			{ name: 'type', type: 'string' },
			{ name: 'occurredAt', type: 'date' },
			{ name: 'ingestedAt', type: 'date' },
			{ name: 'source', type: 'string' },
			{ name: 'sourceTool', type: 'string' },
			{ name: 'context', type: 'string' },
			{ name: 'keyword', type: 'string' },
			{ name: 'locale', type: 'string' },
			{ name: 'followerCount', type: 'number' },
		],
	},
	consent: {
		suffix: 'consent',
		description: 'Append-only consent records (opt-in / opt-out). Upsert on recordId, never edited.',
		columns: [
			{ name: 'recordId', type: 'string' },
			{ name: 'subjectKey', type: 'string' },
			{ name: 'channel', type: 'string' },
			{ name: 'purpose', type: 'string' },
			{ name: 'status', type: 'string' },
			{ name: 'lawfulBasis', type: 'string' },
			{ name: 'recordedAt', type: 'date' },
			{ name: 'source', type: 'string' },
			{ name: 'evidence', type: 'string' },
			{ name: 'evidenceRef', type: 'string' },
			{ name: 'wordingVersion', type: 'string' },
			{ name: 'expiresAt', type: 'date' },
		],
	},
	cadence: {
		suffix: 'cadence',
		description: 'Cadence state, one row per contact and sequence. Upsert on contactId.',
		columns: [
			{ name: 'contactId', type: 'string' },
			{ name: 'sequence', type: 'string' },
			{ name: 'status', type: 'string' },
			{ name: 'currentStep', type: 'number' },
			{ name: 'sentCount', type: 'number' },
			{ name: 'enrolledAt', type: 'date' },
			{ name: 'lastSentAt', type: 'date' },
			{ name: 'nextDueAt', type: 'date' },
			{ name: 'lastStepId', type: 'string' },
			{ name: 'lastVariant', type: 'string' },
			{ name: 'lastInboundAt', type: 'date' },
			{ name: 'repliedAt', type: 'date' },
			{ name: 'optedOutAt', type: 'date' },
			{ name: 'convertedAt', type: 'date' },
			{ name: 'stoppedAt', type: 'date' },
			{ name: 'doneReason', type: 'string' },
			{ name: 'doneAt', type: 'date' },
			{ name: 'timeZone', type: 'string' },
			{ name: 'language', type: 'string' },
			{ name: 'leadSegments', type: 'string' },
			// The eventId of a message still waiting for its immediate reply ('' once a run has taken it up).
			{ name: 'replyPending', type: 'string' },
		],
	},
	sends: {
		suffix: 'sends',
		description:
			'Send log, append-only: one row per DM attempt (attemptId), claimed before the send and completed with the message id or the refusal. A second attempt at the same idempotency key is a second row.',
		columns: [
			{ name: 'idempotencyKey', type: 'string' },
			{ name: 'contactId', type: 'string' },
			{ name: 'channel', type: 'string' },
			{ name: 'kind', type: 'string' },
			{ name: 'step', type: 'number' },
			{ name: 'variant', type: 'string' },
			{ name: 'status', type: 'string' },
			{ name: 'reason', type: 'string' },
			{ name: 'messageId', type: 'string' },
			{ name: 'sentAt', type: 'date' },
			{ name: 'sequence', type: 'string' },
			{ name: 'stepId', type: 'string' },
			{ name: 'utmCampaign', type: 'string' },
			{ name: 'utmContent', type: 'string' },
			// Write-ahead sends (docs/queue-mode.md): the attempt's own key (lease token + idempotency key), the lease
			// token of the run that claimed it, and when it was claimed. status: claimed → sent | not_sent.
			{ name: 'attemptId', type: 'string' },
			{ name: 'holder', type: 'string' },
			{ name: 'claimedAt', type: 'date' },
		],
	},
	conversions: {
		suffix: 'conversions',
		description: 'Conversion events (orders, sign-ups) posted to Part 2, once per orderId. Upsert on orderId.',
		columns: [
			{ name: 'orderId', type: 'string' },
			{ name: 'contactKey', type: 'string' },
			{ name: 'email', type: 'string' },
			{ name: 'value', type: 'number' },
			{ name: 'currency', type: 'string' },
			{ name: 'occurredAt', type: 'date' },
			{ name: 'receivedAt', type: 'date' },
			{ name: 'utmCampaign', type: 'string' },
			{ name: 'utmContent', type: 'string' },
		],
	},
	lease: {
		suffix: 'lease',
		description:
			'The send lease: one row. The run holding it is the only one reading the send state and sending DMs (queue mode: several workers).',
		columns: [
			{ name: 'lease', type: 'string' },
			{ name: 'holder', type: 'string' },
			{ name: 'lockedUntil', type: 'date' },
		],
	},
	engagement: {
		suffix: 'engagement',
		description: 'Engagement state per contact for Part 2: last engagement and current tier tags. Upsert on contactKey.',
		columns: [
			{ name: 'contactKey', type: 'string' },
			{ name: 'lastEngagedAt', type: 'date' },
			{ name: 'tags', type: 'string' },
			{ name: 'email', type: 'string' },
		],
	},
};

module.exports = { TABLES, DEFAULT_TABLE_PREFIX };
