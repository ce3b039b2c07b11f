// Issue 23: the figures a marketer acts on, each checked against a small hand-built data set. The expected value
// of every case is computed by hand in the comment above it.
import {
	buildFunnelReport,
	renderReportHtml,
	type ReportInputs,
	type ReportOptions,
} from '../../../nodes/core/report';
import { send } from '../../helpers/reportFixture';

const DAY = 86_400_000;
// Wednesday 18 March 2026, 12:00 UTC.
const AS_OF = Date.parse('2026-03-18T12:00:00.000Z');
const ago = (days: number) => new Date(AS_OF - days * DAY).toISOString();
const base: ReportOptions = {
	asOfMs: AS_OF,
	periodDays: 7,
	trendWeeks: 0,
	timeZone: 'UTC',
	weekStartsOn: 1,
	cost: null,
	currency: 'EUR',
	attributionDays: 7,
	minSamplePerArm: 100,
	minBuyersPerArm: 10,
	alpha: 0.05,
};
const order = (orderId: string, value: number, occurredAt: string, extra: Record<string, unknown> = {}) => ({
	orderId,
	value,
	currency: 'EUR',
	occurredAt,
	...extra,
});
const event = (viewerKey: string, type: string, occurredAt: string, extra: Record<string, unknown> = {}) => ({
	viewerKey,
	type,
	occurredAt,
	...extra,
});
const none: ReportInputs = { events: [], sendLog: [], conversions: [], contacts: null };
const build = (inputs: Partial<ReportInputs>, options: Partial<ReportOptions> = {}) =>
	buildFunnelReport({ ...none, ...inputs }, { ...base, ...options }).report;

describe('1. attribution: last touch within the window, for person- and UTM-keyed orders alike', () => {
	// Step "thanks", variant A, sent to u0 20 days ago (outside the 7-day period, inside an 8-week trend) and to
	// u1 3 days ago; 14 website orders of 50 that carry only the UTM values, 2 days ago. The last matching send
	// before them is u1's (1 day before): 14 · 50 = 700 credited, whatever the trend.
	const sendLog = [
		send('u0', 1, 'thanks', 'A', ago(20)),
		send('u1', 1, 'thanks', 'A', ago(3)),
	];
	const conversions = Array.from({ length: 14 }, (_, i) =>
		order(`w${i}`, 50, ago(2), {
			email: `shopper${i}@example.com`,
			utmCampaign: 'storyReplyWindow',
			utmContent: 'thanks-A',
		}),
	);

	it.each([0, 1, 8])('credits 700 to the period’s send with Trend (Weeks) = %p', (trendWeeks) => {
		const r = build({ sendLog, conversions }, { trendWeeks });
		expect(r.conversions).toMatchObject({ attributedCount: 14, attributedRevenue: 700 });
		expect(r.variants[0]).toMatchObject({ stepId: 'thanks', variant: 'A', revenue: 700 });
	});

	it('credits nothing outside the window: with 1 day, an order 1 day after the send counts, 2 days after not', () => {
		// With a 1-day window the orders (1 day after u1's send) are credited; moved to 2 days after, they are not.
		expect(build({ sendLog, conversions }, { attributionDays: 1 }).conversions.attributedRevenue).toBe(700);
		const late = conversions.map((c) => ({ ...c, occurredAt: ago(1) }));
		expect(build({ sendLog, conversions: late }, { attributionDays: 1 }).conversions.attributedRevenue).toBe(0);
	});

	it('credits a person’s order to their last message before it: step 2, not step 1', () => {
		// p1: step 1 five days ago, step 2 two days ago, an order of 80 one day ago → step 2 gets 80, step 1 0.
		const r = build({
			sendLog: [send('p1', 1, 'thanks', 'A', ago(5)), send('p1', 2, 'followUp', 'A', ago(2))],
			conversions: [order('p-o1', 80, ago(1), { contactKey: 'p1' })],
		});
		expect(r.byStep.map((s) => [s.stepId, s.converted, s.revenue])).toEqual([
			['thanks', 0, 0],
			['followUp', 1, 80],
		]);
	});

	it('states the rule in one sentence on the page', () => {
		const html = renderReportHtml(build({ sendLog, conversions }, { attributionDays: 3 }), { title: 'T' });
		expect(html).toContain(
			'data-figure="attribution-rule">Orders, replies and clicks are credited to the last sequence message sent before them within 3 days',
		);
	});
});

describe('2. headline figures that reconcile: ROI on credited revenue beside all revenue', () => {
	// 10 leads (c0…c9 reply to a story), cost 500. c0 and c1 are messaged and buy 100 each (credited: 200); 8
	// shoppers who were never messaged buy 100 each (800). All revenue 1,000.
	// Campaign ROI = (200 − 500) / 500 = −60 %; ROI on all revenue = (1000 − 500) / 500 = +100 %.
	// Revenue per lead: credited 200 / 10 = 20.00; all 1000 / 10 = 100.00. Cost per lead 500 / 10 = 50.00.
	const inputs: Partial<ReportInputs> = {
		events: Array.from({ length: 10 }, (_, i) => event(`c${i}`, 'story_reply', ago(6))),
		sendLog: [send('c0', 1, 'thanks', 'A', ago(5)), send('c1', 1, 'thanks', 'A', ago(5))],
		conversions: [
			order('m0', 100, ago(4), { contactKey: 'c0' }),
			order('m1', 100, ago(4), { contactKey: 'c1' }),
			...Array.from({ length: 8 }, (_, i) => order(`x${i}`, 100, ago(3), { email: `x${i}@example.com` })),
		],
	};
	const r = build(inputs, { cost: 500 });

	it('gives campaign ROI −60 % on credited revenue and +100 % on all revenue', () => {
		expect(r).toMatchObject({
			leads: 10,
			costPerLead: 50,
			campaignRoi: -0.6,
			roiAllRevenue: 1,
			creditedRevenuePerLead: 20,
			revenuePerLead: 100,
		});
		expect(r.conversions).toMatchObject({ count: 10, revenue: 1000, attributedCount: 2, attributedRevenue: 200 });
	});

	it('shows both on the page, each labelled with its base', () => {
		const html = renderReportHtml(r, { title: 'T' });
		expect(html).toContain('Campaign ROI (credited revenue)</div><div class="kpi-value" data-figure="campaign-roi">-60.0%<');
		expect(html).toContain('ROI on all revenue</div><div class="kpi-value" data-figure="roi-all-revenue">+100.0%<');
		expect(html).toContain('Revenue per lead (credited)</div><div class="kpi-value" data-figure="credited-revenue-per-lead">20.00 EUR<');
		expect(html).toContain('Revenue per lead (all orders)</div><div class="kpi-value" data-figure="revenue-per-lead">100.00 EUR<');
		expect(html).toContain('Revenue (all orders)</div><div class="kpi-value" data-figure="revenue">1,000.00 EUR<');
		expect(html).toContain('Revenue credited to messages</div><div class="kpi-value" data-figure="credited-revenue">200.00 EUR<');
		// One meaning per label: no bare "Revenue" heading anywhere.
		expect(html).not.toMatch(/<(th|div class="kpi-label")>Revenue<\//);
	});
});

describe('3. refunds by orderId are netted', () => {
	// r1 100 refunded 30 (type refund) → 70; r2 50 refunded by a row of −50 → fully refunded, no longer an order;
	// r3 40 re-posted later with value 0 → cancelled; r4 20 untouched. Revenue 70 + 20 = 90 from 2 orders;
	// refunded 30 + 50 + 40 = 120. c0 was messaged 5 days ago: r1 and r2 are c0's, so credited revenue is 70.
	const inputs: Partial<ReportInputs> = {
		sendLog: [send('c0', 1, 'thanks', 'A', ago(5))],
		conversions: [
			order('r1', 100, ago(4), { contactKey: 'c0' }),
			order('r1', 30, ago(2), { type: 'refund' }),
			order('r2', 50, ago(4), { contactKey: 'c0' }),
			order('r2', -50, ago(1), { contactKey: 'c0' }),
			order('r3', 40, ago(3), { contactKey: 'z' }),
			order('r3', 0, ago(1), { contactKey: 'z' }),
			order('r4', 20, ago(3), { contactKey: 'z' }),
		],
	};

	it('nets refunds, re-posts with value 0 and negative values into their order', () => {
		const { report, notCounted } = buildFunnelReport({ ...none, ...inputs }, base);
		expect(report.conversions).toEqual({
			count: 2,
			revenue: 90,
			refunded: 120,
			attributedCount: 1,
			attributedRevenue: 70,
		});
		expect(notCounted).toEqual([]);
		expect(renderReportHtml(report, { title: 'T' })).toContain('net of 120.00 EUR refunded');
	});

	it('counts a retried refund once, and sets aside a refund of an order it never read', () => {
		const { report, notCounted } = buildFunnelReport(
			{
				...none,
				...inputs,
				conversions: [
					...(inputs.conversions ?? []),
					order('r1', 30, ago(2), { type: 'refund' }),
					order('r9', -10, ago(1)),
				],
			},
			base,
		);
		expect(report.conversions.revenue).toBe(90);
		expect(notCounted.map((n) => [n.index, n.reason])).toEqual([
			[7, 'duplicate_order'],
			[8, 'refund_without_order'],
		]);
	});
});

describe('5. a nested cohort funnel', () => {
	// Eligible (enrolled, captured in the period): e1, e2, e3. e1, e2 and e3 get step 1 in the period; old1,
	// captured and enrolled a month ago, gets step 2 in the period: 4 people messaged, but only 3 of the funnel's
	// eligible. e1 answers STOP (an opt-out message), e2 comments publicly, e3 writes a real message: 1 reply.
	const inputs: Partial<ReportInputs> = {
		events: [
			event('e1', 'story_reply', ago(6)),
			event('e2', 'story_reply', ago(6)),
			event('e3', 'reaction', ago(6)),
			event('e4', 'view', ago(6)),
			event('e1', 'message', ago(4), { keyword: 'opt_out' }),
			event('e2', 'comment', ago(4)),
			event('e3', 'message', ago(4)),
		],
		sendLog: [
			send('e1', 1, 'thanks', 'A', ago(5)),
			send('e2', 1, 'thanks', 'A', ago(5)),
			send('e3', 1, 'thanks', 'A', ago(5)),
			send('old1', 2, 'followUp', 'A', ago(5)),
		],
		conversions: [order('n1', 10, ago(3), { contactKey: 'e3' })],
		contacts: [
			{ contactId: 'e1', enrolledAt: ago(6) },
			{ contactId: 'e2', enrolledAt: ago(6) },
			{ contactId: 'e3', enrolledAt: ago(6) },
			{ contactId: 'old1', enrolledAt: ago(30) },
		],
	};
	const r = build(inputs);

	it('keeps each stage a subset of the one above, as a share of it with the base', () => {
		// Viewers 4 (e1–e4); captured 3 of 4 = 75 %; eligible 3 of 3; messaged 3 of 3 (old1 is not in the
		// cohort); converted 1 (e3) of 3 = 33.3 %.
		expect(r.funnel.map((s) => [s.stage, s.count, s.rate, s.base])).toEqual([
			['viewers', 4, null, null],
			['captured', 3, 0.75, 4],
			['eligible', 3, 1, 3],
			['messaged', 3, 1, 3],
			['converted', 1, 0.3333, 3],
		]);
		for (let i = 1; i < r.funnel.length; i++)
			expect(r.funnel[i].count!).toBeLessThanOrEqual(r.funnel[i - 1].count!);
		const html = renderReportHtml(r, { title: 'T' });
		expect(html).toContain('data-figure="stage-messaged-share">100.0% of Eligible (enrolled) (3)<');
		expect(html).toContain('data-figure="stage-converted-share">33.3% of Messaged (3)<');
	});

	it('counts neither a STOP nor a comment as a reply: 1 of 3 replied', () => {
		expect(r.responses).toEqual({ base: 3, replied: 1, clicked: 0, opened: null });
		expect(r.rates.reply).toBe(0.3333);
	});

	it('prints no open rate when nothing tracks opens, and one when an open signal exists', () => {
		const html = renderReportHtml(r, { title: 'T' });
		expect(r.rates.open).toBeNull();
		expect(html).not.toMatch(/open rate|opened/i);
		expect(html).toContain('Opens are not tracked.');
		const withOpen = build({ ...inputs, events: [...(inputs.events ?? []), event('e2', 'email_open', ago(4))] });
		// e2 opened the message of 5 days ago: 1 of 3.
		expect(withOpen.rates.open).toBe(0.3333);
		expect(renderReportHtml(withOpen, { title: 'T' })).toContain('opened <span data-figure="opened">1</span>');
	});

	it('labels orders and people apart: "Orders (all)" beside "Conversion rate" (converted ÷ messaged)', () => {
		const html = renderReportHtml(r, { title: 'T' });
		expect(html).toContain('<div class="kpi-label">Orders (all)</div><div class="kpi-value" data-figure="orders">1<');
		expect(html).toContain('<div class="kpi-label">Conversion rate</div><div class="kpi-value" data-figure="conversion-rate">33.3%<');
		expect(html).not.toContain('>Conversions<');
	});
});

describe('6. calendar weeks in the report’s time zone', () => {
	// As of Wednesday 18 March 2026 15:00 UTC = Thursday 19 March 00:00 in Tokyo (UTC+9). Tokyo's Monday weeks:
	// 9 March (8 March 15:00 UTC → 15 March 15:00 UTC) and 16 March (15 March 15:00 UTC → as of).
	// A reply on 15 March 14:00 UTC (Sunday 23:00 in Tokyo) is in the week of 9 March; one at 16:00 UTC (Monday
	// 01:00 in Tokyo) in the week of 16 March.
	const asOfMs = Date.parse('2026-03-18T15:00:00.000Z');
	const events = [
		event('k1', 'story_reply', '2026-03-15T14:00:00Z'),
		event('k2', 'story_reply', '2026-03-15T16:00:00Z'),
	];
	const tokyo = { asOfMs, trendWeeks: 2, timeZone: 'Asia/Tokyo' };

	it('buckets by local Monday and labels the weeks with their Monday in that zone', () => {
		const r = build({ events }, tokyo);
		expect(r.trend.map((t) => [t.weekOf, t.weekStart, t.weekEnd, t.partial, t.captured])).toEqual([
			['2026-03-09', '2026-03-08T15:00:00.000Z', '2026-03-15T15:00:00.000Z', false, 1],
			['2026-03-16', '2026-03-15T15:00:00.000Z', '2026-03-18T15:00:00.000Z', true, 1],
		]);
		expect(renderReportHtml(r, { title: 'T' })).toContain('data-figure="trend-captured-2026-03-09">1<');
	});

	it('does not move a finished week when the page is opened later in the week', () => {
		const later = build({ events }, { ...tokyo, asOfMs: asOfMs + 2 * DAY });
		expect(later.trend[0]).toEqual(build({ events }, tokyo).trend[0]);
	});

	it('follows a DST change (Berlin, 29 March 2026) and a Sunday start when set', () => {
		// Berlin's week of 23 March starts at 22 March 23:00 UTC (UTC+1); the next, after the change to UTC+2, at
		// 29 March 22:00 UTC: that week is 167 hours long.
		const berlin = build({}, { asOfMs: Date.parse('2026-04-01T12:00:00Z'), trendWeeks: 2, timeZone: 'Europe/Berlin' });
		expect(berlin.trend.map((t) => [t.weekOf, t.weekStart])).toEqual([
			['2026-03-23', '2026-03-22T23:00:00.000Z'],
			['2026-03-30', '2026-03-29T22:00:00.000Z'],
		]);
		// Sunday weeks in UTC: as of Wednesday 18 March → the week of Sunday 15 March.
		const sunday = build({}, { trendWeeks: 1, weekStartsOn: 0 });
		expect(sunday.trend.map((t) => [t.weekOf, t.weekStart])).toEqual([['2026-03-15', '2026-03-15T00:00:00.000Z']]);
	});
});

describe('7. A/B rules that protect the user', () => {
	const arms = (buyersA: number, buyersB: number, perArm: number, value = 10) => {
		const sendLog: Array<Record<string, unknown>> = [];
		const conversions: Array<Record<string, unknown>> = [];
		for (const [variant, buyers] of [
			['A', buyersA],
			['B', buyersB],
		] as const) {
			for (let i = 0; i < perArm; i++) {
				const id = `${variant}${i}`;
				sendLog.push(send(id, 1, 'thanks', variant, ago(5)));
				if (i < buyers) conversions.push(order(`o-${id}`, value, ago(4), { contactKey: id }));
			}
		}
		return { sendLog, conversions };
	};

	it('0/150 vs 5/150 is no significant difference (Fisher p = 0.0604), not "better"', () => {
		// Expected buyers per arm 150 · 5/300 = 2.5 < 5 → Fisher's exact test, p = 0.0604 ≥ 0.05 (see stats.test).
		const b = build(arms(0, 5, 150)).variants[1];
		expect(b.conversionTest).toMatchObject({ method: 'fisher_exact', verdict: 'no_difference' });
		expect(b.conversionTest?.pValue).toBeCloseTo(0.06042, 5);
		expect(b.summary).toMatch(/^Conversion: No significant difference \(Fisher's exact test, p = 0\.0604\)/);
	});

	it('0/1000 vs 4/1000 buyers of 50: no revenue verdict below 10 buyers per arm', () => {
		// Welch: mean 0 vs 0.2, se = sqrt(0 + 9.97/1000) = 0.0998, z = 2.003, p = 0.045 — but arm A has 0 buyers.
		const b = build(arms(0, 4, 1000, 50)).variants[1];
		expect(b.revenueTest?.verdict).toBe('insufficient_sample');
		expect(b.buyers).toBe(4);
		expect(b.summary).toContain('revenue per recipient: Not enough data yet (each variant needs 10 buyers)');
	});

	it('says how many recipients would detect the difference seen when a test finds none: 3/100 vs 6/100 → 749', () => {
		// Expected buyers per arm 100 · 9/200 = 4.5 < 5 → Fisher, p = 0.4977 (exact sum). Sample size at α = 0.05,
		// 80 % power: (1.95996·sqrt(2·0.045·0.955) + 0.84162·sqrt(0.03·0.97 + 0.06·0.94))² / 0.03² = 748.4 → 749.
		const b = build(arms(3, 6, 100)).variants[1];
		expect(b.conversionTest?.pValue).toBeCloseTo(0.497689, 5);
		expect(b.sampleSizeNeeded).toBe(749);
		expect(b.summary).toMatch(
			/^Conversion: No significant difference \(Fisher's exact test, p = 0\.4977\) — about 749 recipients per variant would detect a difference this size;/,
		);
	});

	it('prints no p-value next to "Not enough data yet"', () => {
		// 30 recipients per arm < 100: not enough data; the p column shows "—".
		const html = renderReportHtml(build(arms(3, 9, 30)), { title: 'T' });
		expect(html).toContain('data-figure="variant-p-storyReplyWindow/thanks/B">—<');
		expect(html).toMatch(/data-figure="variant-verdict-storyReplyWindow\/thanks\/B">Not enough data yet: each variant needs 100 recipients \(70 more\)</);
	});
});
