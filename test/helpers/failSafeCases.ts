// One configuration fault per node and operation, shared by the in-process and real-n8n fail-safe tests.
import type { IDataObject } from 'n8n-workflow';

export const NOW = '2026-03-10T12:00:00.000Z';
const BAD_NOW = 'not a date';

export interface FailSafeCase {
	/** Test title: node / operation / fault. */
	name: string;
	/** Node name without the package prefix, e.g. consentGate. */
	node: string;
	parameters: IDataObject;
	/** Items per input. */
	inputs: IDataObject[][];
	/** Outputs the node has (without n8n's extra error output). */
	outputs: number;
	/** The "do nothing" output every item must reach. */
	safe: number;
	/** Inputs whose items must all reach the safe output (default [0]). */
	routedInputs?: number[];
	/** True where the safe output is the only output: its items then carry no input field. */
	bareItems?: boolean;
	/** Needs the Instagram API credential (and the fake Graph API). */
	graph?: boolean;
	/** The reason on the safe items (default 'error'; the DM names configuration faults invalid_configuration). */
	reason?: string;
}

const IGSID_1 = '17841400000000011';
const IGSID_2 = '17841400000000012';
const contacts = [
	{ viewerKey: 'a', channel: 'instagram_dm', lastInboundAt: '2026-03-10T11:00:00.000Z', idempotencyKey: 'a:1' },
	{ viewerKey: 'b', channel: 'instagram_dm', lastInboundAt: '2026-03-10T10:00:00.000Z', idempotencyKey: 'b:1' },
];
const optIns = contacts.map((c, i) => ({
	recordId: `cr_${i}`,
	subjectKey: c.viewerKey,
	channel: 'instagram_dm',
	purpose: 'marketing',
	status: 'opt_in',
	lawfulBasis: 'consent',
	recordedAt: '2026-03-01T00:00:00.000Z',
}));
const storedRows = [
	{ viewerKey: 'a', occurredAt: '2025-01-01T00:00:00.000Z' },
	{ subjectKey: 'b', updatedAt: '2025-02-01T00:00:00.000Z' },
];
const event = (viewerKey: string, type: string, text?: string) => ({
	eventId: `ev_${viewerKey}_${type}`,
	viewerKey,
	viewerKeyType: 'igsid',
	storyId: '18040000000000001',
	type,
	occurredAt: '2026-03-09T10:00:00.000Z',
	ingestedAt: '2026-03-09T10:00:01.000Z',
	source: 'webhook',
	sourceTool: 'instagram_webhook',
	...(text ? { keyword: text, text } : {}),
});
const events = [event(IGSID_1, 'story_reply', 'START'), event(IGSID_2, 'view')];
const dmItems = [
	{ viewerKey: IGSID_1, message: 'Hi', commentId: '17850000000000001' },
	{ viewerKey: IGSID_2, message: 'Hello', commentId: '17850000000000002' },
];

export const FAIL_SAFE_CASES: FailSafeCase[] = [
	{
		name: 'Consent Gate / Check / Now is not a date',
		node: 'consentGate',
		parameters: { operation: 'check', now: BAD_NOW, requireOptIn: true, options: {} },
		inputs: [contacts, optIns],
		outputs: 2,
		safe: 1,
	},
	{
		name: 'Consent Gate / Purge / Now is not a date',
		node: 'consentGate',
		parameters: { operation: 'purge', now: BAD_NOW, retentionDays: 30 },
		inputs: [storedRows],
		outputs: 2,
		safe: 1,
	},
	{
		name: 'Consent Gate / Subject Request (access) / empty Subject Key',
		node: 'consentGate',
		parameters: { operation: 'subjectRequest', now: NOW, subjectKey: '={{ "" }}', requestType: 'access' },
		inputs: [storedRows],
		outputs: 2,
		safe: 1,
	},
	{
		name: 'Consent Gate / Subject Request (erasure) / empty Subject Key',
		node: 'consentGate',
		parameters: { operation: 'subjectRequest', now: NOW, subjectKey: '  ', requestType: 'erasure' },
		inputs: [storedRows],
		outputs: 3,
		safe: 2,
	},
	{
		name: 'Consent Gate / Record Manual / Now is not a date',
		node: 'consentGate',
		parameters: {
			operation: 'recordManual',
			now: BAD_NOW,
			subjectKey: '={{ $json.subjectKey }}',
			channel: 'instagram_dm',
			status: 'opt_in',
			lawfulBasis: 'consent',
			source: 'form',
		},
		inputs: [optIns],
		outputs: 1,
		safe: 0,
		bareItems: true,
	},
	{
		name: 'Consent Gate / Record From Message / Now is not a date',
		node: 'consentGate',
		parameters: { operation: 'recordFromMessage', now: BAD_NOW, confirmationReply: true },
		inputs: [events],
		outputs: 3,
		safe: 2,
	},
	{
		// A setting that bounds sending, out of range through an expression: refused, never clamped (issue 22, class 9).
		name: 'Consent Gate / Check / negative Window Safety Margin',
		node: 'consentGate',
		parameters: { operation: 'check', now: NOW, requireOptIn: true, options: { windowMarginMinutes: '={{ -120 }}' } },
		inputs: [contacts, optIns],
		outputs: 2,
		safe: 1,
	},
	{
		name: 'Instagram DM / sendMessage / negative Max Total Retry Wait',
		node: 'instagramDm',
		parameters: {
			operation: 'sendMessage',
			recipientId: '={{ $json.viewerKey }}',
			text: '={{ $json.message }}',
			options: { now: NOW, maxRetryWait: '={{ -5 }}' },
		},
		inputs: [dmItems],
		outputs: 2,
		safe: 1,
		graph: true,
	},
	{
		name: 'Cadence Scheduler / Max Sends per Run is not a number',
		node: 'cadenceScheduler',
		parameters: { now: NOW, sequence: 'storyReplyWindow', autoEnrol: true, defaultTimeZone: 'UTC', perRunCap: '={{ "many" }}' },
		inputs: [contacts],
		outputs: 3,
		safe: 2,
	},
	...['sendMessage', 'sendPrivateReply', 'getProfile'].map(
		(operation): FailSafeCase => ({
			name: `Instagram DM / ${operation} / Now is not a date`,
			node: 'instagramDm',
			parameters: {
				operation,
				recipientId: '={{ $json.viewerKey }}',
				commentId: '={{ $json.commentId }}',
				text: '={{ $json.message }}',
				options: { now: BAD_NOW },
			},
			inputs: [dmItems],
			outputs: 2,
			safe: 1,
			graph: true,
			reason: 'invalid_configuration',
		}),
	),
	{
		name: 'Cadence Scheduler / Now is not a date',
		node: 'cadenceScheduler',
		parameters: { now: BAD_NOW, sequence: 'storyReplyWindow', autoEnrol: true, defaultTimeZone: 'UTC' },
		inputs: [contacts],
		outputs: 3,
		safe: 2,
	},
	{
		name: 'Cadence Scheduler / Default Time Zone unknown',
		node: 'cadenceScheduler',
		parameters: { now: NOW, sequence: 'storyReplyWindow', autoEnrol: true, defaultTimeZone: 'Mars/Olympus' },
		inputs: [contacts],
		outputs: 3,
		safe: 2,
	},
	{
		name: 'Viewer Segment / route / As Of is not a date',
		node: 'viewerSegment',
		parameters: { asOf: BAD_NOW, windowDays: 7, outputMode: 'route', segments: ['highEngagement', 'repeatViewer'] },
		inputs: [events],
		outputs: 3,
		safe: 2,
	},
	{
		name: 'Viewer Segment / tag / As Of is not a date',
		node: 'viewerSegment',
		parameters: { asOf: BAD_NOW, windowDays: 7, outputMode: 'tag', segments: ['highEngagement'] },
		inputs: [events],
		outputs: 1,
		safe: 0,
	},
	{
		name: 'Story Viewer Ingest / Items / Now is not a date',
		node: 'storyViewerIngest',
		parameters: { operation: 'items', asOf: BAD_NOW },
		inputs: [[{ username: 'carol', viewed_at: '2026-03-09T08:00:00Z', story_id: '55' }]],
		outputs: 2,
		safe: 1,
	},
	{
		name: 'Story Viewer Ingest / Webhook Payload / unknown time zone',
		node: 'storyViewerIngest',
		parameters: { operation: 'webhookPayload', asOf: NOW, options: { timeZone: 'Nowhere/Land' } },
		// The body as JSON text (the node parses it): a nested object would end the e2e Set node's expression early.
		inputs: [[{ body: JSON.stringify({ object: 'instagram', entry: [] }) }]],
		outputs: 2,
		safe: 1,
	},
	{
		name: 'Engagement Tagger / Re-evaluate / As Of is not a date',
		node: 'engagementTagger',
		parameters: { operation: 'reEvaluate', asOf: BAD_NOW },
		inputs: [[{ contactKey: 'a', lastEngagedAt: '2026-03-01T00:00:00Z', tags: [] }]],
		outputs: 2,
		safe: 1,
	},
	{
		name: 'Engagement Tagger / Record Engagement / As Of is not a date',
		node: 'engagementTagger',
		parameters: { operation: 'recordEngagement', asOf: BAD_NOW },
		inputs: [events],
		outputs: 3,
		safe: 2,
	},
	{
		name: 'Engagement Tagger / Back-fill / As Of is not a date',
		node: 'engagementTagger',
		parameters: { operation: 'backfill', asOf: BAD_NOW },
		inputs: [[{ contactKey: IGSID_1, tags: [] }], events],
		outputs: 3,
		safe: 2,
		routedInputs: [0, 1],
	},
	{
		name: 'Funnel Report / Build Report / currency is not an ISO code',
		node: 'funnelReport',
		parameters: { operation: 'report', asOf: NOW, currency: 'euro' },
		inputs: [events, [{ contactId: IGSID_1, kind: 'cadence', status: 'sent', step: 1, sentAt: NOW }]],
		outputs: 2,
		safe: 1,
		routedInputs: [0, 1],
	},
	{
		name: 'Funnel Report / Record Conversion / As Of is not a date',
		node: 'funnelReport',
		parameters: { operation: 'recordConversion', asOf: BAD_NOW },
		inputs: [
			[{ viewerKey: IGSID_1, type: 'conversion', value: 10, currency: 'EUR', occurredAt: NOW, orderId: 'o1' }],
			[{ orderId: 'o0', contactKey: IGSID_2, value: 5, currency: 'EUR', occurredAt: NOW }],
		],
		outputs: 3,
		safe: 2,
	},
];
