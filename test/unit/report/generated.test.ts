// Generated data sets (deterministic PRNG): the report's invariants on 40 random months of rows each — the credit
// does not depend on Trend (Weeks), the funnel is nested, revenue is net of refunds and reconciles with an
// independent sum, and the ROI figures follow their definitions.
import { buildFunnelReport, type ReportOptions } from '../../../nodes/core/report';
import { rng } from '../../helpers/random';

const DAY = 86_400_000;
const AS_OF = Date.parse('2026-05-20T09:30:00.000Z'); // a Wednesday
const iso = (ms: number) => new Date(ms).toISOString();
const base: ReportOptions = {
	asOfMs: AS_OF,
	periodDays: 7,
	trendWeeks: 0,
	timeZone: 'Europe/Paris',
	weekStartsOn: 1,
	cost: 300,
	currency: 'EUR',
	attributionDays: 3,
	minSamplePerArm: 5,
	minBuyersPerArm: 2,
	alpha: 0.05,
};

function dataSet(seed: number) {
	const r = rng(seed);
	const pick = <T>(list: readonly T[]) => list[Math.floor(r() * list.length)];
	const at = () => AS_OF - Math.floor(r() * 40 * DAY) - 1; // the 40 days before as of
	const people = Array.from({ length: 40 }, (_, i) => `p${i}`);
	const events: Array<Record<string, unknown>> = [];
	const sendLog: Array<Record<string, unknown>> = [];
	const conversions: Array<Record<string, unknown>> = [];
	const contacts: Array<Record<string, unknown>> = [];
	for (const person of people) {
		for (let k = Math.floor(r() * 6); k > 0; k--) {
			const type = pick(['view', 'story_reply', 'reaction', 'message', 'comment', 'link_click', 'email_open']);
			events.push({
				viewerKey: person,
				type,
				occurredAt: iso(at()),
				...(type === 'message' && r() < 0.3 ? { keyword: 'opt_out' } : {}),
			});
		}
		if (r() < 0.7) contacts.push({ contactId: person, enrolledAt: iso(at()), segments: pick(['hot', 'warm', '']) });
		for (let step = 1; step <= 2; step++) {
			if (r() < 0.5) continue;
			const variant = pick(['A', 'B']);
			const stepId = `s${step}`;
			sendLog.push({
				contactId: person,
				kind: 'cadence',
				status: 'sent',
				sequence: 'seq',
				step,
				stepId,
				variant,
				sentAt: iso(at()),
				utmCampaign: 'seq',
				utmContent: `${stepId}-${variant}`,
			});
		}
	}
	let order = 0;
	for (let k = 0; k < 30; k++) {
		const orderId = `o${order++}`;
		const value = 10 + Math.floor(r() * 90);
		const occurredAt = at();
		const byUtm = r() < 0.4;
		conversions.push({
			orderId,
			value,
			currency: 'EUR',
			occurredAt: iso(occurredAt),
			...(byUtm
				? { email: `shop${k}@example.com`, utmCampaign: 'seq', utmContent: `${pick(['s1', 's2'])}-${pick(['A', 'B'])}` }
				: { contactKey: pick(people) }),
		});
		const refund = r();
		if (refund < 0.15) conversions.push({ orderId, type: 'refund', value: Math.floor(value / 2), currency: 'EUR', occurredAt: iso(occurredAt + DAY) });
		else if (refund < 0.25) conversions.push({ orderId, value: 0, currency: 'EUR', occurredAt: iso(occurredAt + DAY), contactKey: 'x' });
		else if (refund < 0.3) conversions.push({ orderId, value: -(value + 5), currency: 'EUR', occurredAt: iso(occurredAt + DAY) });
	}
	return { events, sendLog, conversions, contacts };
}

/** Net revenue of the orders placed in [from, to), computed directly from the generated rows. */
function netRevenue(conversions: Array<Record<string, unknown>>, from: number, to: number): number {
	const orders = new Map<string, { at: number; value: number }>();
	for (const c of conversions) {
		const at = Date.parse(String(c.occurredAt));
		if (at >= to) continue;
		const id = String(c.orderId);
		const value = Number(c.value);
		const existing = orders.get(id);
		if (!existing) orders.set(id, { at, value });
		else if (c.type === 'refund') existing.value -= Math.min(existing.value, value);
		else if (value < 0) existing.value -= Math.min(existing.value, -value);
		else if (value === 0) existing.value = 0;
	}
	let sum = 0;
	for (const o of orders.values()) if (o.at >= from && o.at < to) sum += o.value;
	return Math.round(sum * 100) / 100;
}

describe.each(Array.from({ length: 25 }, (_, i) => i + 1))('generated data set %i', (seed) => {
	const inputs = { ...dataSet(seed) };
	const reports = [0, 1, 3, 6].map((trendWeeks) => buildFunnelReport(inputs, { ...base, trendWeeks }).report);
	const r = reports[0];

	it('credits the same outcomes whatever Trend (Weeks): the period figures do not change', () => {
		// Everything but the trend itself and the row counts (more weeks read more rows).
		const periodFigures = (x: typeof r) =>
			JSON.stringify({ ...x, trend: undefined, rows: undefined });
		for (const other of reports.slice(1)) expect(periodFigures(other)).toBe(periodFigures(r));
	});

	it('has a nested funnel: each stage at most the one above, its rate the share of the base', () => {
		const shown = r.funnel.filter((s) => s.count !== null);
		for (let i = 1; i < shown.length; i++) {
			expect(shown[i].count!).toBeLessThanOrEqual(shown[i - 1].count!);
			expect(shown[i].base).toBe(shown[i - 1].count);
			if (shown[i].base! > 0) expect(shown[i].rate).toBeCloseTo(shown[i].count! / shown[i].base!, 4);
		}
		for (const n of [r.responses.replied, r.responses.clicked, r.responses.opened ?? 0])
			expect(n).toBeLessThanOrEqual(r.responses.base);
	});

	it('nets refunds by orderId and reconciles revenue, credited revenue and both ROIs', () => {
		const from = AS_OF - 7 * DAY;
		expect(r.conversions.revenue).toBeCloseTo(netRevenue(inputs.conversions, from, AS_OF), 2);
		expect(r.conversions.attributedRevenue).toBeLessThanOrEqual(r.conversions.revenue + 1e-9);
		expect(r.campaignRoi).toBeCloseTo((r.conversions.attributedRevenue - 300) / 300, 4);
		expect(r.roiAllRevenue).toBeCloseTo((r.conversions.revenue - 300) / 300, 4);
	});
});
