// Seeded rows for the Report template's browser test and its screenshot: four weeks of a designed funnel written
// straight into the Data tables (events, send log, contact state), plus the conversion events to post to Part 2.
// Every figure the report must show follows from the WEEKS table below, so a test can check the page against it.
const DAY = 24 * 3600000;
const WEEK = 7 * DAY;
const MIN = 60000;

/** The report's "as of": Monday noon UTC. */
const REPORT_AS_OF = Date.parse('2026-03-16T12:00:00.000Z');
const SEQUENCE = 'storyReplyWindow';
const STEP_ID = 'thanks';

/** Oldest week first; the last one is the reported period. A/B arms: [variant A, variant B]. */
const WEEKS = [
	{ viewers: 100, captured: 40, eligible: 35, messaged: [15, 15], replied: [2, 2], clicked: [1, 1], converted: [1, 0] },
	{ viewers: 200, captured: 80, eligible: 70, messaged: [30, 30], replied: [4, 4], clicked: [2, 2], converted: [2, 1] },
	{ viewers: 300, captured: 120, eligible: 110, messaged: [50, 50], replied: [8, 9], clicked: [4, 5], converted: [3, 3] },
	{ viewers: 600, captured: 260, eligible: 240, messaged: [110, 110], replied: [22, 33], clicked: [11, 22], converted: [5, 18] },
];

const iso = (ms) => new Date(ms).toISOString();
const orderValue = (i) => 40 + (i % 3) * 10;

/**
 * @returns {{ events, sends, contacts, conversions, expected }} rows for story_leads_events / _sends / _cadence,
 *   the conversion events to post, and the figures the report must show (from the design, not from the report).
 */
function buildReportSeed(asOf = REPORT_AS_OF) {
	const events = [];
	const sends = [];
	const contacts = [];
	const conversions = [];
	const expected = { weeks: [] };
	WEEKS.forEach((week, w) => {
		const weekStart = asOf - (WEEKS.length - w) * WEEK;
		let revenue = 0;
		for (let i = 0; i < week.viewers; i++) {
			const id = `17841${w}${String(i).padStart(5, '0')}`;
			const viewAt = weekStart + 2 * 3600000 + i * 2 * MIN;
			const event = (type, at, sourceTool) => ({
				eventId: `${type}:${id}:${at}`,
				viewerKey: id,
				viewerKeyType: 'igsid',
				type,
				occurredAt: iso(at),
				ingestedAt: iso(at),
				source: sourceTool === 'webhook' ? 'webhook' : 'csv',
				sourceTool,
			});
			events.push(event('view', viewAt, 'csv_upload'));
			if (i >= week.captured) continue;
			events.push(event('story_reply', viewAt + 30 * MIN, 'webhook'));
			if (i >= week.eligible) continue;
			const sentAt = viewAt + 60 * MIN;
			contacts.push({
				contactId: id,
				sequence: SEQUENCE,
				status: 'active',
				currentStep: 1,
				sentCount: 1,
				enrolledAt: iso(viewAt + 45 * MIN),
				lastSentAt: iso(sentAt),
				lastInboundAt: iso(viewAt + 30 * MIN),
				leadSegments: i % 2 === 0 ? 'hotLead' : 'repeatViewer',
			});
			const [nA, nB] = week.messaged;
			if (i >= nA + nB) continue;
			const arm = i < nA ? 0 : 1;
			const k = arm === 0 ? i : i - nA;
			const variant = arm === 0 ? 'A' : 'B';
			sends.push({
				idempotencyKey: `${id}:${SEQUENCE}:1`,
				contactId: id,
				channel: 'instagram_dm',
				kind: 'cadence',
				step: 1,
				variant,
				status: 'sent',
				messageId: `m_${id}`,
				sentAt: iso(sentAt),
				sequence: SEQUENCE,
				stepId: STEP_ID,
				utmCampaign: SEQUENCE,
				utmContent: `${STEP_ID}-${variant}`,
			});
			if (k < week.replied[arm]) events.push(event('message', sentAt + 2 * 3600000, 'webhook'));
			if (k < week.clicked[arm]) events.push(event('link_click', sentAt + 3 * 3600000, 'webhook'));
			if (k < week.converted[arm]) {
				const value = orderValue(i);
				revenue += value;
				conversions.push({
					viewerKey: id,
					type: 'conversion',
					value,
					currency: 'EUR',
					occurredAt: iso(sentAt + DAY),
					orderId: `ord-${w}-${i}`,
					utmCampaign: SEQUENCE,
					utmContent: `${STEP_ID}-${variant}`,
				});
			}
		}
		expected.weeks.push({
			weekStart: iso(weekStart),
			viewers: week.viewers,
			captured: week.captured,
			eligible: week.eligible,
			messaged: week.messaged[0] + week.messaged[1],
			replied: week.replied[0] + week.replied[1],
			clicked: week.clicked[0] + week.clicked[1],
			converted: week.converted[0] + week.converted[1],
			arms: { A: arm(week, 0), B: arm(week, 1) },
			revenue,
		});
	});
	return { events, sends, contacts, conversions, expected: { ...expected, period: expected.weeks[expected.weeks.length - 1] } };
}

function arm(week, index) {
	return { recipients: week.messaged[index], converted: week.converted[index], replied: week.replied[index], clicked: week.clicked[index] };
}

module.exports = { buildReportSeed, REPORT_AS_OF, WEEKS };
