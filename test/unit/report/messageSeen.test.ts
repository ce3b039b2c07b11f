// Instagram DMs have an open signal: Meta's messaging_seen webhook becomes message_seen events, which the
// Funnel Report's open rate counts like email opens (credited to the DM the person saw, within attribution).
import { buildFunnelReport } from '../../../nodes/core/report';
import { options, send } from '../../helpers/reportFixture';

const seen = (viewerKey: string, occurredAt: string) => ({ viewerKey, type: 'message_seen', occurredAt, sourceTool: 'instagram_webhook' });

describe('DM open rate from message_seen', () => {
	const sendLog = [
		send('v1', 1, 'thanks', 'A', '2026-03-10T12:00:00Z'),
		send('v2', 1, 'thanks', 'A', '2026-03-11T12:00:00Z'),
		send('v3', 1, 'thanks', 'B', '2026-03-12T12:00:00Z'),
		send('v4', 1, 'thanks', 'B', '2026-03-12T13:00:00Z'),
	];
	const events = [
		// The funnel is nested (messaged ⊆ captured): all four answered a story before their DM.
		...['v1', 'v2', 'v3', 'v4'].map((viewerKey) => ({ viewerKey, type: 'story_reply', occurredAt: '2026-03-10T10:00:00Z', sourceTool: 'instagram_webhook' })),
		seen('v1', '2026-03-10T12:05:00Z'),
		seen('v1', '2026-03-10T12:06:00Z'), // seen twice: one person opened
		seen('v3', '2026-03-12T18:00:00Z'),
		seen('v4', '2026-03-12T12:00:00Z'), // before the DM was sent: not an open of it
	];

	it('counts the people who saw a DM sent to them as opened', () => {
		const { report } = buildFunnelReport({ events, sendLog, conversions: [], contacts: null }, options);
		expect(report.rates.open).toBe(0.5);
	});

	it('is not shown without read receipts (nothing tracks opens)', () => {
		const { report } = buildFunnelReport({ events: events.filter((e) => e.type !== 'message_seen'), sendLog, conversions: [], contacts: null }, options);
		expect(report.rates.open).toBeNull();
	});
});
