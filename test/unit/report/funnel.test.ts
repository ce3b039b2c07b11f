import { buildFunnelReport, type ReportInputs, type ReportOptions } from '../../../nodes/core/report';

const AS_OF = Date.parse('2026-03-16T12:00:00.000Z');
const options: ReportOptions = {
	asOfMs: AS_OF,
	periodDays: 7,
	trendWeeks: 2,
	cost: 60,
	currency: 'EUR',
	attributionDays: 7,
	minSamplePerArm: 100,
	alpha: 0.05,
};
const ev = (viewerKey: string, type: string, occurredAt: string, sourceTool = 'webhook') => ({ viewerKey, type, occurredAt, sourceTool });
const send = (contactId: string, step: number, stepId: string, variant: string, sentAt: string, extra = {}) => ({
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

/** A small week: 4 viewers in the period, 3 leads, 3 enrolled and messaged, 1 reply and click, 2 buyers. */
const inputs: ReportInputs = {
	events: [
		ev('v1', 'view', '2026-03-10T09:00:00Z', 'csv_upload'),
		ev('v1', 'story_reply', '2026-03-10T10:00:00Z'),
		ev('v2', 'view', '2026-03-11T09:00:00Z', 'csv_upload'),
		ev('v3', 'view', '2026-03-11T08:00:00Z', 'csv_upload'),
		ev('v3', 'reaction', '2026-03-11T09:00:00Z'),
		ev('v4', 'story_reply', '2026-03-12T08:00:00Z'),
		ev('v1', 'message', '2026-03-10T14:00:00Z'),
		ev('v1', 'link_click', '2026-03-10T15:00:00Z'),
		ev('v5', 'view', '2026-03-08T09:00:00Z', 'csv_upload'), // previous week: trend only
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
		{ ...send('v2', 1, 'thanks', 'A', '2026-03-11T12:00:00Z'), status: 'not_sent', reason: 'outside_window' },
	],
	conversions: [
		{ orderId: 'o1', contactKey: 'v1', value: 100, currency: 'EUR', occurredAt: '2026-03-11T12:00:00Z' },
		{ orderId: 'o1', contactKey: 'v1', value: 100, currency: 'EUR', occurredAt: '2026-03-11T13:00:00Z' },
		{ orderId: 'o2', contactKey: 'v3', value: '50.00', currency: 'eur', occurredAt: '2026-03-12T12:00:00Z' },
		{ orderId: 'o3', email: 'someone@example.com', value: 30, currency: 'EUR', occurredAt: '2026-03-13T12:00:00Z', utmCampaign: 'storyReplyWindow', utmContent: 'thanks-A' },
		{ orderId: 'o4', contactKey: 'v4', value: 20, currency: 'USD', occurredAt: '2026-03-13T12:00:00Z' },
		{ orderId: 'o5', contactKey: 'v4', value: 20, currency: 'EUR', occurredAt: '2026-03-01T12:00:00Z' },
		{ orderId: 'o6', contactKey: 'v4', value: -3, currency: 'EUR', occurredAt: '2026-03-13T12:00:00Z' },
	],
	contacts: [
		{ contactId: 'v1', enrolledAt: '2026-03-10T11:00:00Z', segments: 'hotLead' },
		{ contactId: 'v3', enrolledAt: '2026-03-11T11:00:00Z', segments: 'repeatViewer,hotLead' },
		{ contactId: 'v4', enrolledAt: '2026-03-12T11:00:00Z', segments: '' },
		{ contactId: 'vx', lastInboundAt: '2026-03-12T11:00:00Z' },
		{ lastInboundAt: '2026-03-12T11:00:00Z' },
	],
};

describe('buildFunnelReport', () => {
	const { report, notCounted, counted } = buildFunnelReport(inputs, options);

	it('counts the funnel viewers → captured → eligible → messaged → replied → clicked → converted', () => {
		expect(report.period).toEqual({ from: '2026-03-09T12:00:00.000Z', to: '2026-03-16T12:00:00.000Z', days: 7 });
		expect(report.funnel.map((s) => [s.stage, s.count, s.rate, s.rateOf])).toEqual([
			['viewers', 4, null, null],
			['captured', 3, 0.75, 'viewers'],
			['eligible', 3, 1, 'captured'],
			['messaged', 3, 1, 'eligible'],
			['replied', 1, 0.3333, 'messaged'],
			['clicked', 1, 0.3333, 'messaged'],
			['converted', 2, 0.6667, 'messaged'],
		]);
		expect(report.rates).toMatchObject({ capture: 0.75, reply: 0.3333, click: 0.3333, conversion: 0.6667, viewerToConversion: 0.5 });
	});

	it('sums revenue once per order in the report currency; cost and revenue per lead; ROI', () => {
		expect(report.conversions).toEqual({ count: 3, revenue: 180, attributedCount: 3, attributedRevenue: 180 });
		expect(report).toMatchObject({ leads: 3, cost: 60, costPerLead: 20, revenuePerLead: 60, roi: 2 });
	});

	it('puts every row it does not count in Not counted with the reason; the counts add up', () => {
		const reasons = notCounted.map((n) => `${n.input}#${n.index}:${n.reason}`);
		expect(reasons).toEqual([
			'contacts#4:missing_field',
			'conversions#1:duplicate_order',
			'conversions#4:currency_mismatch',
			'conversions#5:before_period',
			'conversions#6:bad_value',
			'events#9:before_period',
			'events#10:after_as_of',
			'events#11:missing_field',
			'events#12:unknown_type',
			'events#13:bad_time',
			'sendLog#4:not_a_cadence_send',
			'sendLog#5:not_sent',
		]);
		for (const input of ['events', 'sendLog', 'conversions', 'contacts'] as const) {
			const total = (inputs[input] ?? []).length;
			expect(counted[input].length + notCounted.filter((n) => n.input === input).length).toBe(total);
			expect(report.rows[input]).toEqual({ counted: counted[input].length, notCounted: total - counted[input].length });
		}
	});

	it('compares variants per step against A, and declares nothing below the minimum sample', () => {
		const rows = report.variants.map((v) => [v.stepId, v.variant, v.recipients, v.replied, v.clicked, v.converted, v.revenue]);
		expect(rows).toEqual([
			['thanks', 'A', 2, 1, 1, 0, 30],
			['thanks', 'B', 1, 0, 0, 1, 50],
			['followUp', 'A', 1, 0, 0, 1, 100],
		]);
		const b = report.variants[1];
		expect(b.conversionTest?.verdict).toBe('insufficient_sample');
		expect(b.summary).toBe('Not enough data yet: each variant needs 100 recipients (99 more)');
		expect(report.variants[0]).toMatchObject({ control: true, conversionTest: null, summary: 'Control (variant A)' });
	});

	it('splits by segment, source, sequence and step', () => {
		const seg = Object.fromEntries(report.bySegment.map((r) => [r.key, [r.viewers, r.captured, r.eligible, r.messaged, r.converted, r.revenue]]));
		expect(seg).toEqual({ hotLead: [2, 2, 2, 2, 2, 150], none: [2, 1, 1, 1, 0, 0], repeatViewer: [1, 1, 1, 1, 1, 50] });
		expect(report.bySource.map((r) => [r.key, r.viewers, r.captured])).toEqual([
			['csv_upload', 3, 2],
			['webhook', 1, 1],
		]);
		expect(report.bySequence).toEqual([
			expect.objectContaining({ sequence: 'storyReplyWindow', recipients: 3, replied: 1, converted: 2, revenue: 180 }),
		]);
		expect(report.byStep.map((r) => [r.step, r.stepId, r.recipients, r.converted])).toEqual([
			[1, 'thanks', 3, 1],
			[2, 'followUp', 1, 1],
		]);
	});

	it('gives a weekly trend ending at as of, with the cost per lead of each week', () => {
		expect(report.trend).toEqual([
			{ weekStart: '2026-03-02T12:00:00.000Z', weekEnd: '2026-03-09T12:00:00.000Z', viewers: 1, captured: 0, messaged: 0, converted: 0, conversions: 0, revenue: 0, costPerLead: null },
			{ weekStart: '2026-03-09T12:00:00.000Z', weekEnd: '2026-03-16T12:00:00.000Z', viewers: 4, captured: 3, messaged: 3, converted: 2, conversions: 3, revenue: 180, costPerLead: 20 },
		]);
	});

	it('is the same report for the same rows in any order', () => {
		const reversed: ReportInputs = {
			events: [...inputs.events].reverse(),
			sendLog: [...inputs.sendLog].reverse(),
			conversions: [...inputs.conversions].reverse(),
			contacts: [...(inputs.contacts ?? [])].reverse(),
		};
		expect(JSON.stringify(buildFunnelReport(reversed, options).report)).toBe(JSON.stringify(report));
	});

	it('leaves Eligible unknown without contact state, and cost per lead unknown without a cost', () => {
		const r = buildFunnelReport({ ...inputs, contacts: null }, { ...options, cost: null }).report;
		expect(r.funnel[2]).toMatchObject({ stage: 'eligible', count: null, rate: null });
		expect(r.funnel[3]).toMatchObject({ stage: 'messaged', count: 3, rate: 1, rateOf: 'captured' });
		expect(r).toMatchObject({ costPerLead: null, roi: null, revenuePerLead: 60 });
	});
});

describe('A/B verdicts on a large enough sample', () => {
	it('declares B better on conversion when 300 recipients per arm give 30 vs 60 buyers', () => {
		const sends: Array<Record<string, unknown>> = [];
		const conversions: Array<Record<string, unknown>> = [];
		for (let i = 0; i < 600; i++) {
			const variant = i % 2 === 0 ? 'A' : 'B';
			const id = `c${i}`;
			sends.push(send(id, 1, 'thanks', variant, '2026-03-12T12:00:00Z'));
			const k = Math.floor(i / 2);
			if ((variant === 'A' && k < 30) || (variant === 'B' && k < 60)) {
				conversions.push({ orderId: `o${i}`, contactKey: id, value: 10, currency: 'EUR', occurredAt: '2026-03-13T12:00:00Z' });
			}
		}
		const { report } = buildFunnelReport({ events: [], sendLog: sends, conversions, contacts: null }, options);
		const [a, b] = report.variants;
		expect([a.recipients, a.converted, b.recipients, b.converted]).toEqual([300, 30, 300, 60]);
		// 30/300 vs 60/300: pooled p = 0.15, z = 0.1 / sqrt(0.15 · 0.85 · 2/300) = 3.4300
		expect(b.conversionTest?.z).toBeCloseTo(3.43, 3);
		expect(b.conversionTest?.verdict).toBe('better');
		expect(b.revenueTest?.verdict).toBe('better');
		expect(b.summary).toMatch(/^Conversion: Better than control \(p = 0\.0006\)/);
	});
});
