import { cmp } from './attribution';
import { measure, money, ratio, type ReportData } from './measure';
import type { SendRow } from './rows';
import {
	compareProportions,
	describe,
	meanDifferenceZTest,
	sampleSizePerArm,
	verdictFor,
	type TestMethod,
	type Verdict,
	type ZTest,
} from './stats';

export interface TestResult {
	/** null when the test has no z statistic (Fisher's exact test, or two zero-variance arms). */
	z: number | null;
	pValue: number;
	method: TestMethod;
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
	/** Recipients with a person-credited order (the sample of the revenue test). */
	buyers: number;
	/** Against the control; null for the control itself. */
	conversionTest: TestResult | null;
	revenueTest: TestResult | null;
	/** The verdict in words, stating the minimum sample when it is not reached. */
	summary: string;
	/**
	 * Recipients per arm a test at alpha would need to detect the difference in conversion rate seen here with 80 %
	 * power (null for the control, or when the rates are equal or 0).
	 */
	sampleSizeNeeded: number | null;
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
	minBuyersPerArm: number;
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
			const sampleSizeNeeded = isControl
				? null
				: sampleSizePerArm(
						control.m.converted.size / Math.max(1, control.m.messaged.size),
						arm.m.converted.size / Math.max(1, n),
						rule.alpha / Math.max(1, comparisons),
					);
			let conversionTest: TestResult | null = null;
			let revenueTest: TestResult | null = null;
			if (!isControl) {
				const c = { n: control.m.messaged.size, buyers: control.sample.positives };
				const t = { n, buyers: arm.sample.positives };
				const conv = compareProportions(
					control.m.converted.size,
					c.n,
					arm.m.converted.size,
					t.n,
				);
				conversionTest = result(conv, verdictFor(conv, c, t, { ...rule, comparisons }));
				const rev = meanDifferenceZTest(control.sample, arm.sample);
				revenueTest = result(
					rev,
					verdictFor(rev, c, t, { ...rule, comparisons, minBuyers: rule.minBuyersPerArm }),
				);
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
				buyers: arm.sample.positives,
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
					sampleSizeNeeded,
				),
				sampleSizeNeeded,
			});
		}
	}
	return rows;
}

function result(test: ZTest, verdict: Verdict): TestResult {
	return {
		z: test.z === null ? null : round(test.z, 4),
		pValue: round(test.pValue, 6),
		method: test.method,
		verdict,
	};
}

function summarise(
	isControl: boolean,
	conversion: TestResult | null,
	revenue: TestResult | null,
	rule: VariantRule,
	n: number,
	controlN: number,
	controlLabel: string,
	sampleSizeNeeded: number | null,
): string {
	if (isControl || !conversion || !revenue) return `Control (variant ${controlLabel})`;
	if (conversion.verdict === 'insufficient_sample') {
		const need = Math.max(0, rule.minSamplePerArm - Math.min(n, controlN));
		return `${VERDICT_TEXT.insufficient_sample}: each variant needs ${rule.minSamplePerArm} recipients (${need} more)`;
	}
	const test = conversion.method === 'fisher_exact' ? "Fisher's exact test" : 'z-test';
	const parts = [
		`Conversion: ${VERDICT_TEXT[conversion.verdict]} (${test}, p = ${conversion.pValue.toFixed(4)})`,
	];
	// "No difference" on a small test is not "no effect": say how large a test would see the difference observed.
	if (conversion.verdict === 'no_difference' && sampleSizeNeeded !== null && sampleSizeNeeded > Math.min(n, controlN))
		parts[0] += ` — about ${sampleSizeNeeded} recipients per variant would detect a difference this size`;
	parts.push(
		revenue.verdict === 'insufficient_sample'
			? `revenue per recipient: ${VERDICT_TEXT.insufficient_sample} (each variant needs ${rule.minBuyersPerArm} buyers)`
			: `revenue per recipient: ${VERDICT_TEXT[revenue.verdict]} (p = ${revenue.pValue.toFixed(4)})`,
	);
	return parts.join('; ');
}
