// A small, hand-checked week of rows for the Funnel Report tests (unit and workflow): 4 viewers in the period,
// 3 captured leads, 3 enrolled and messaged, 1 reply and 1 click, 2 buyers, and one bad row of every kind.
import type { ReportInputs, ReportOptions } from '../../nodes/core/report';

export const AS_OF = Date.parse('2026-03-16T12:00:00.000Z');
export const options: ReportOptions = {
	asOfMs: AS_OF,
	periodDays: 7,
	trendWeeks: 2,
	timeZone: 'UTC',
	weekStartsOn: 1,
	cost: 60,
	currency: 'EUR',
	attributionDays: 7,
	minSamplePerArm: 100,
	minBuyersPerArm: 10,
	alpha: 0.05,
};
const ev = (viewerKey: string, type: string, occurredAt: string, sourceTool = 'webhook') => ({
	viewerKey,
	type,
	occurredAt,
	sourceTool,
});
export const send = (
	contactId: string,
	step: number,
	stepId: string,
	variant: string,
	sentAt: string,
	extra = {},
) => ({
	idempotencyKey: `${contactId}:${step}`,
	contactId,
	kind: 'cadence',
	status: 'sent',
	sequence: 'storyReplyWindow',
	step,
	stepId,
	variant,
	sentAt,
	utmCampaign: 'storyReplyWindow',
	utmContent: `${stepId}-${variant}`,
	...extra,
});

export const inputs: ReportInputs = {
	events: [
		ev('v1', 'view', '2026-03-10T09:00:00Z', 'csv_upload'),
		ev('v1', 'story_reply', '2026-03-10T10:00:00Z'),
		ev('v2', 'view', '2026-03-11T09:00:00Z', 'csv_upload'),
		ev('v3', 'view', '2026-03-11T08:00:00Z', 'csv_upload'),
		ev('v3', 'reaction', '2026-03-11T09:00:00Z'),
		ev('v4', 'story_reply', '2026-03-12T08:00:00Z'),
		ev('v1', 'message', '2026-03-10T14:00:00Z'),
		ev('v1', 'link_click', '2026-03-10T15:00:00Z'),
		ev('v5', 'view', '2026-03-08T09:00:00Z', 'csv_upload'), // Sunday before the trend's first (Monday) week
		ev('v6', 'view', '2026-02-01T09:00:00Z'), // before the range
		ev('v7', 'view', '2026-03-17T09:00:00Z'), // after as of
		{ type: 'view', occurredAt: '2026-03-10T09:00:00Z' }, // no viewerKey
		ev('v8', 'like', '2026-03-10T09:00:00Z'),
		ev('v9', 'view', 'yesterday'),
	],
	sendLog: [
		send('v1', 1, 'thanks', 'A', '2026-03-10T12:00:00Z'),
		send('v3', 1, 'thanks', 'B', '2026-03-11T12:00:00Z'),
		send('v4', 1, 'thanks', 'A', '2026-03-12T12:00:00Z'),
		send('v1', 2, 'followUp', 'A', '2026-03-11T10:00:00Z'),
		{ ...send('v2', 0, 'x', 'opt_out', '2026-03-11T12:00:00Z'), kind: 'confirmation' },
		{
			...send('v2', 1, 'thanks', 'A', '2026-03-11T12:00:00Z'),
			status: 'not_sent',
			reason: 'outside_window',
		},
	],
	conversions: [
		{
			orderId: 'o1',
			contactKey: 'v1',
			value: 100,
			currency: 'EUR',
			occurredAt: '2026-03-11T12:00:00Z',
		},
		{
			orderId: 'o1',
			contactKey: 'v1',
			value: 100,
			currency: 'EUR',
			occurredAt: '2026-03-11T13:00:00Z',
		},
		{
			orderId: 'o2',
			contactKey: 'v3',
			value: '50.00',
			currency: 'eur',
			occurredAt: '2026-03-12T12:00:00Z',
		},
		{
			orderId: 'o3',
			email: 'someone@example.com',
			value: 30,
			currency: 'EUR',
			occurredAt: '2026-03-13T12:00:00Z',
			utmCampaign: 'storyReplyWindow',
			utmContent: 'thanks-A',
		},
		{
			orderId: 'o4',
			contactKey: 'v4',
			value: 20,
			currency: 'USD',
			occurredAt: '2026-03-13T12:00:00Z',
		},
		{
			orderId: 'o5',
			contactKey: 'v4',
			value: 20,
			currency: 'EUR',
			occurredAt: '2026-03-01T12:00:00Z',
		},
		{
			orderId: 'o6',
			contactKey: 'v4',
			value: -3,
			currency: 'EUR',
			occurredAt: '2026-03-13T12:00:00Z',
		}, // a refund of an order never recorded

	],
	contacts: [
		{ contactId: 'v1', enrolledAt: '2026-03-10T11:00:00Z', segments: 'hotLead' },
		{ contactId: 'v3', enrolledAt: '2026-03-11T11:00:00Z', segments: 'repeatViewer,hotLead' },
		{ contactId: 'v4', enrolledAt: '2026-03-12T11:00:00Z', segments: '' },
		{ contactId: 'vx', lastInboundAt: '2026-03-12T11:00:00Z' },
		{ lastInboundAt: '2026-03-12T11:00:00Z' },
	],
};
