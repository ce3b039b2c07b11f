import { cmp } from './attribution';
import { measure, money, ratio, type ReportData } from './measure';
import type { SendRow } from './rows';
import {
	describe,
	meanDifferenceZTest,
	twoProportionZTest,
	verdictFor,
	type Verdict,
	type ZTest,
} from './stats';

export interface TestResult {
	z: number;
	pValue: number;
	verdict: Verdict;
}

/** One arm of an A/B test: the recipients of one variant of one step in the period. */
export interface VariantRow {
	sequence: string;
	stepId: string;
	step: number;
	variant: string;
	control: boolean;
	recipients: number;
	replied: number;
	clicked: number;
	converted: number;
	replyRate: number | null;
	clickRate: number | null;
	conversionRate: number | null;
	revenue: number;
	revenuePerRecipient: number | null;
	/** Against the control; null for the control itself. */
	conversionTest: TestResult | null;
	revenueTest: TestResult | null;
	/** The verdict in words, stating the minimum sample when it is not reached. */
	summary: string;
}

export interface GroupRow {
	sequence: string;
	stepId?: string;
	step?: number;
	recipients: number;
	opened: number;
	replied: number;
	clicked: number;
	converted: number;
	replyRate: number | null;
	clickRate: number | null;
	conversionRate: number | null;
	revenue: number;
}

export interface VariantRule {
	minSamplePerArm: number;
	alpha: number;
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

function groups<K>(sends: readonly SendRow[], key: (s: SendRow) => K, id: (k: K) => string): K[] {
	const seen = new Map<string, K>();
	for (const send of sends) {
		const k = key(send);
		if (!seen.has(id(k))) seen.set(id(k), k);
	}
	return [...seen.entries()].sort((a, b) => cmp(a[0], b[0])).map(([, k]) => k);
}

type StepKey = { sequence: string; stepId: string; step: number };

/** The sends of the period [from, to). */
function sendsIn(data: ReportData, from: number, to: number) {
	return data.sends.filter((s) => s.at >= from && s.at < to);
}

/** The distinct steps of `sends` in sequence and step order (`byStep` false: one key per sequence). */
function stepKeys(sends: readonly SendRow[], byStep: boolean): StepKey[] {
	return groups<StepKey>(
		sends,
		(s) => ({ sequence: s.sequence, stepId: byStep ? s.stepId : '', step: byStep ? s.step : 0 }),
		(k) => `${k.sequence}\u0000${String(k.step).padStart(4, '0')}\u0000${k.stepId}`,
	);
}

/** Per sequence and per step: the cohort of the period's sends and what it led to. */
export function splitBySends(
	data: ReportData,
	from: number,
	to: number,
	byStep: boolean,
): GroupRow[] {
	const keys = stepKeys(sendsIn(data, from, to), byStep);
	return keys.map((k) => {
		const m = measure(
			data,
			from,
			to,
			(s) => s.sequence === k.sequence && (!byStep || (s.stepId === k.stepId && s.step === k.step)),
		);
		return {
			sequence: k.sequence,
			...(byStep ? { stepId: k.stepId, step: k.step } : {}),
			recipients: m.messaged.size,
			opened: m.opened.size,
			replied: m.replied.size,
			clicked: m.clicked.size,
			converted: m.converted.size,
			replyRate: ratio(m.replied.size, m.messaged.size),
			clickRate: ratio(m.clicked.size, m.messaged.size),
			conversionRate: ratio(m.converted.size, m.messaged.size),
			revenue: money(m.attributedRevenue),
		};
	});
}

const VERDICT_TEXT: Record<Verdict, string> = {
	control: 'Control',
	insufficient_sample: 'Not enough data yet',
	better: 'Better than control',
	worse: 'Worse than control',
	no_difference: 'No significant difference',
};

/**
 * The A/B table: per sequence step, each variant against the control (variant A, else the first label), on the
 * conversion rate (two-proportion z-test) and on revenue per recipient (z-test of means). With k variants each
 * comparison uses alpha / (k − 1) (Bonferroni). No verdict below `minSamplePerArm` recipients in either arm.
 */
export function variantTable(
	data: ReportData,
	from: number,
	to: number,
	rule: VariantRule,
): VariantRow[] {
	const periodSends = sendsIn(data, from, to);
	const steps = stepKeys(periodSends, true);
	const rows: VariantRow[] = [];
	for (const step of steps) {
		const inStep = periodSends.filter(
			(s) => s.sequence === step.sequence && s.stepId === step.stepId && s.step === step.step,
		);
		const labels = [...new Set(inStep.map((s) => s.variant))].sort(cmp);
		const controlLabel = labels.includes('A') ? 'A' : labels[0];
		const arms = labels.map((variant) => {
			const m = measure(
				data,
				from,
				to,
				(s) =>
					s.sequence === step.sequence &&
					s.stepId === step.stepId &&
					s.step === step.step &&
					s.variant === variant,
			);
			const perRecipient = [...m.messaged].sort(cmp).map((c) => m.revenueByContact.get(c) ?? 0);
			return { variant, m, sample: describe(perRecipient) };
		});
		const control = arms.find((a) => a.variant === controlLabel)!;
		const comparisons = labels.length - 1;
		for (const arm of arms) {
			const n = arm.m.messaged.size;
			const isControl = arm === control;
			let conversionTest: TestResult | null = null;
			let revenueTest: TestResult | null = null;
			if (!isControl) {
				const c = { n: control.m.messaged.size, successes: control.m.converted.size };
				const t = { n, successes: arm.m.converted.size };
				const conv = twoProportionZTest(c.successes, c.n, t.successes, t.n);
				conversionTest = result(conv, verdictFor(conv, c, t, { ...rule, comparisons }));
				const rev = meanDifferenceZTest(control.sample, arm.sample);
				revenueTest = result(rev, verdictFor(rev, { n: c.n }, { n }, { ...rule, comparisons }));
			}
			rows.push({
				sequence: step.sequence,
				stepId: step.stepId,
				step: step.step,
				variant: arm.variant,
				control: isControl,
				recipients: n,
				replied: arm.m.replied.size,
				clicked: arm.m.clicked.size,
				converted: arm.m.converted.size,
				replyRate: ratio(arm.m.replied.size, n),
				clickRate: ratio(arm.m.clicked.size, n),
				conversionRate: ratio(arm.m.converted.size, n),
				revenue: money(arm.m.attributedRevenue),
				revenuePerRecipient: n > 0 ? money(arm.sample.mean) : null,
				conversionTest,
				revenueTest,
				summary: summarise(
					isControl,
					conversionTest,
					revenueTest,
					rule,
					n,
					control.m.messaged.size,
					controlLabel,
				),
			});
		}
	}
	return rows;
}

function result(test: ZTest, verdict: Verdict): TestResult {
	return { z: round(test.z, 4), pValue: round(test.pValue, 6), verdict };
}

function summarise(
	isControl: boolean,
	conversion: TestResult | null,
	revenue: TestResult | null,
	rule: VariantRule,
	n: number,
	controlN: number,
	controlLabel: string,
): string {
	if (isControl || !conversion || !revenue) return `Control (variant ${controlLabel})`;
	if (conversion.verdict === 'insufficient_sample') {
		const need = Math.max(0, rule.minSamplePerArm - Math.min(n, controlN));
		return need > 0
			? `${VERDICT_TEXT.insufficient_sample}: each variant needs ${rule.minSamplePerArm} recipients (${need} more)`
			: `${VERDICT_TEXT.insufficient_sample}: too few conversions for the test (at least 5 needed)`;
	}
	const parts = [
		`Conversion: ${VERDICT_TEXT[conversion.verdict]} (p = ${conversion.pValue.toFixed(4)})`,
	];
	if (revenue.verdict !== 'insufficient_sample') {
		parts.push(
			`revenue per recipient: ${VERDICT_TEXT[revenue.verdict]} (p = ${revenue.pValue.toFixed(4)})`,
		);
	}
	return parts.join('; ');
}
