import { buildFunnelReport, type ReportInputs } from '../../../nodes/core/report';
import { inputs, options, send } from '../../helpers/reportFixture';

describe('buildFunnelReport', () => {
	const { report, notCounted, counted } = buildFunnelReport(inputs, options);

	it('counts the nested funnel viewers ⊇ captured ⊇ eligible ⊇ messaged ⊇ converted, each a share of the stage above', () => {
		expect(report.period).toEqual({
			from: '2026-03-09T12:00:00.000Z',
			to: '2026-03-16T12:00:00.000Z',
			days: 7,
		});
		expect(report.funnel.map((s) => [s.stage, s.count, s.rate, s.rateOf, s.base])).toEqual([
			['viewers', 4, null, null, null],
			['captured', 3, 0.75, 'viewers', 4],
			['eligible', 3, 1, 'captured', 3],
			['messaged', 3, 1, 'eligible', 3],
			['converted', 2, 0.6667, 'messaged', 3],
		]);
		// v1's message at 14:00 answers the send of 12:00; v4's story reply came before v4's message. No open
		// signal was read, so there is no open rate.
		expect(report.responses).toEqual({ base: 3, replied: 1, clicked: 1, opened: null });
		expect(report.rates).toMatchObject({
			capture: 0.75,
			reply: 0.3333,
			click: 0.3333,
			conversion: 0.6667,
			viewerToConversion: 0.5,
		});
	});

	it('sums revenue once per order in the report currency; cost and revenue per lead; ROI', () => {
		// o1 100 + o2 50 + o3 30 (o3 by UTM thanks-A: the last such send before it is v4's of 12 March).
		expect(report.conversions).toEqual({
			count: 3,
			revenue: 180,
			refunded: 0,
			attributedCount: 3,
			attributedRevenue: 180,
		});
		// 60 / 3 leads = 20; 180 / 3 = 60; (180 − 60) / 60 = 2 on both bases (every order is credited here).
		expect(report).toMatchObject({
			leads: 3,
			cost: 60,
			costPerLead: 20,
			revenuePerLead: 60,
			creditedRevenuePerLead: 60,
			campaignRoi: 2,
			roiAllRevenue: 2,
		});
	});

	it('puts every row it does not count in Not counted with the reason; the counts add up', () => {
		const reasons = notCounted.map((n) => `${n.input}#${n.index}:${n.reason}`);
		expect(reasons).toEqual([
			'contacts#4:missing_field',
			'conversions#1:duplicate_order',
			'conversions#4:currency_mismatch',
			'conversions#5:before_period',
			'conversions#6:refund_without_order',
			'events#8:before_period',
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
			expect(counted[input].length + notCounted.filter((n) => n.input === input).length).toBe(
				total,
			);
			expect(report.rows[input]).toEqual({
				counted: counted[input].length,
				notCounted: total - counted[input].length,
			});
		}
	});

	it('compares variants per step against A, and declares nothing below the minimum sample', () => {
		const rows = report.variants.map((v) => [
			v.stepId,
			v.variant,
			v.recipients,
			v.replied,
			v.clicked,
			v.converted,
			v.revenue,
		]);
		expect(rows).toEqual([
			['thanks', 'A', 2, 1, 1, 0, 30],
			['thanks', 'B', 1, 0, 0, 1, 50],
			['followUp', 'A', 1, 0, 0, 1, 100],
		]);
		const b = report.variants[1];
		expect(b.conversionTest?.verdict).toBe('insufficient_sample');
		expect(b.summary).toBe('Not enough data yet: each variant needs 100 recipients (99 more)');
		expect(report.variants[0]).toMatchObject({
			control: true,
			conversionTest: null,
			summary: 'Control (variant A)',
		});
	});

	it('splits by segment, source, sequence and step', () => {
		const seg = Object.fromEntries(
			report.bySegment.map((r) => [
				r.key,
				[r.viewers, r.captured, r.eligible, r.messaged, r.converted, r.revenue],
			]),
		);
		expect(seg).toEqual({
			hotLead: [2, 2, 2, 2, 2, 150],
			none: [2, 1, 1, 1, 0, 0],
			repeatViewer: [1, 1, 1, 1, 1, 50],
		});
		expect(report.bySource.map((r) => [r.key, r.viewers, r.captured])).toEqual([
			['csv_upload', 3, 2],
			['webhook', 1, 1],
		]);
		expect(report.bySequence).toEqual([
			expect.objectContaining({
				sequence: 'storyReplyWindow',
				recipients: 3,
				replied: 1,
				converted: 2,
				revenue: 180,
			}),
		]);
		expect(report.byStep.map((r) => [r.step, r.stepId, r.recipients, r.converted])).toEqual([
			[1, 'thanks', 3, 1],
			[2, 'followUp', 1, 1],
		]);
	});

	it('gives calendar weeks (Monday start, UTC here), the last one to as of, with the cost per lead of each', () => {
		// As of is Monday 16 March 12:00 UTC: week of 9 March (Mon 00:00 → Mon 00:00) and the week of 16 March to
		// 12:00. The cost 60 over 7 days is 60 for a whole week: 60 / 3 leads = 20.
		expect(report.trend).toEqual([
			{
				weekStart: '2026-03-09T00:00:00.000Z',
				weekEnd: '2026-03-16T00:00:00.000Z',
				weekOf: '2026-03-09',
				partial: false,
				viewers: 4,
				captured: 3,
				messaged: 3,
				converted: 2,
				conversions: 3,
				revenue: 180,
				creditedRevenue: 180,
				costPerLead: 20,
			},
			{
				weekStart: '2026-03-16T00:00:00.000Z',
				weekEnd: '2026-03-16T12:00:00.000Z',
				weekOf: '2026-03-16',
				partial: true,
				viewers: 0,
				captured: 0,
				messaged: 0,
				converted: 0,
				conversions: 0,
				revenue: 0,
				creditedRevenue: 0,
				costPerLead: null,
			},
		]);
	});

	it('is the same report for the same rows in any order', () => {
		const reversed: ReportInputs = {
			events: [...inputs.events].reverse(),
			sendLog: [...inputs.sendLog].reverse(),
			conversions: [...inputs.conversions].reverse(),
			contacts: [...(inputs.contacts ?? [])].reverse(),
		};
		expect(JSON.stringify(buildFunnelReport(reversed, options).report)).toBe(
			JSON.stringify(report),
		);
	});

	it('reads the templates\' leadSegments column as the contact\'s segments', () => {
		const contacts = (inputs.contacts ?? []).map((c) => {
			const { segments, ...rest } = c as Record<string, unknown>;
			return segments === undefined ? rest : { ...rest, leadSegments: segments };
		});
		expect(buildFunnelReport({ ...inputs, contacts }, options).report.bySegment).toEqual(report.bySegment);
	});

	it('leaves Eligible unknown without contact state, and cost per lead unknown without a cost', () => {
		const r = buildFunnelReport({ ...inputs, contacts: null }, { ...options, cost: null }).report;
		expect(r.funnel[2]).toMatchObject({ stage: 'eligible', count: null, rate: null });
		expect(r.funnel[3]).toMatchObject({ stage: 'messaged', count: 3, rate: 1, rateOf: 'captured', base: 3 });
		expect(r).toMatchObject({
			cost: null,
			costPerLead: null,
			campaignRoi: null,
			roiAllRevenue: null,
			revenuePerLead: 60,
		});
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
				conversions.push({
					orderId: `o${i}`,
					contactKey: id,
					value: 10,
					currency: 'EUR',
					occurredAt: '2026-03-13T12:00:00Z',
				});
			}
		}
		const { report } = buildFunnelReport(
			{ events: [], sendLog: sends, conversions, contacts: null },
			options,
		);
		const [a, b] = report.variants;
		expect([a.recipients, a.converted, b.recipients, b.converted]).toEqual([300, 30, 300, 60]);
		// 30/300 vs 60/300: pooled p = 0.15, z = 0.1 / sqrt(0.15 · 0.85 · 2/300) = 3.4300
		expect(b.conversionTest?.z).toBeCloseTo(3.43, 3);
		expect(b.conversionTest?.verdict).toBe('better');
		expect(b.revenueTest?.verdict).toBe('better');
		expect(b.conversionTest?.method).toBe('z_test');
		expect(b.summary).toMatch(/^Conversion: Better than control \(z-test, p = 0\.0006\)/);
	});
});
