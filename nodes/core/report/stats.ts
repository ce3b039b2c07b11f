/**
 * The statistics behind the A/B table. Rates: a two-sided two-proportion z-test (pooled) when every arm expects at
 * least 5 successes and 5 failures under the null hypothesis, else Fisher's exact test (two-sided), whose p-value
 * needs no normal approximation. Revenue per recipient: a two-sided z-test on the difference of means (Welch's
 * standard error), computed in whole cents so equal order values give a variance of exactly 0, and only once each
 * arm has a minimum number of buyers (a mean carried by 1 to 4 orders is not a verdict).
 */

/** erfc(x), Numerical Recipes' Chebyshev fit: fractional error below 1.2e-7 everywhere. */
export function erfc(x: number): number {
	const z = Math.abs(x);
	const t = 1 / (1 + 0.5 * z);
	const poly =
		-z * z -
		1.26551223 +
		t *
			(1.00002368 +
				t *
					(0.37409196 +
						t *
							(0.09678418 +
								t *
									(-0.18628806 +
										t *
											(0.27886807 +
												t *
													(-1.13520398 +
														t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
	const value = t * Math.exp(poly);
	return x >= 0 ? value : 2 - value;
}

/** Standard normal cumulative distribution Φ(z). */
export function normalCdf(z: number): number {
	return 0.5 * erfc(-z / Math.SQRT2);
}

/** Two-sided p-value of a z statistic. */
export function twoSidedP(z: number): number {
	return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

export interface ZTest {
	/** Positive when the treatment is higher than the control; null when the test has no z (Fisher, zero variance). */
	z: number | null;
	pValue: number;
	/** Sign of treatment − control: 1 higher, −1 lower, 0 equal. */
	direction: -1 | 0 | 1;
	method: TestMethod;
}

export type TestMethod = 'z_test' | 'fisher_exact' | 'welch_z_test' | 'exact';

const sign = (x: number): -1 | 0 | 1 => (x > 0 ? 1 : x < 0 ? -1 : 0);

/** Pooled two-proportion z-test of treatment (x2 of n2) against control (x1 of n1). */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number): ZTest {
	// Cross-multiplied so equal rates (3/7 vs 6/14) compare exactly.
	const direction = sign(x2 * n1 - x1 * n2);
	if (n1 <= 0 || n2 <= 0) return { z: 0, pValue: 1, direction: 0, method: 'z_test' };
	const pooled = (x1 + x2) / (n1 + n2);
	const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
	if (se === 0 || direction === 0) return { z: 0, pValue: 1, direction, method: 'z_test' };
	const z = (x2 / n2 - x1 / n1) / se;
	return { z, pValue: twoSidedP(z), direction, method: 'z_test' };
}

/** ln(k!) for k = 0 … n (exact sums of logarithms: n is a number of recipients, so this stays small). */
function logFactorials(n: number): Float64Array {
	const table = new Float64Array(n + 1);
	for (let k = 2; k <= n; k++) table[k] = table[k - 1] + Math.log(k);
	return table;
}

/**
 * Fisher's exact test, two-sided, of x1/n1 against x2/n2: the probability, with the margins fixed (hypergeometric),
 * of every table at most as likely as the one observed (the usual definition, as in R's fisher.test, with the same
 * relative tolerance of 1e-7 for ties).
 */
export function fisherExactTest(x1: number, n1: number, x2: number, n2: number): ZTest {
	const direction = sign(x2 * n1 - x1 * n2);
	if (n1 <= 0 || n2 <= 0) return { z: null, pValue: 1, direction: 0, method: 'fisher_exact' };
	const successes = x1 + x2;
	const total = n1 + n2;
	const lf = logFactorials(total);
	const logChoose = (n: number, k: number) => lf[n] - lf[k] - lf[n - k];
	const logP = (a: number) =>
		logChoose(n1, a) + logChoose(n2, successes - a) - logChoose(total, successes);
	const observed = logP(x1);
	let p = 0;
	for (let a = Math.max(0, successes - n2); a <= Math.min(n1, successes); a++) {
		const l = logP(a);
		if (l <= observed + 1e-7) p += Math.exp(l);
	}
	return { z: null, pValue: Math.min(1, p), direction, method: 'fisher_exact' };
}

/** Whether every cell of the 2×2 table expects at least 5 under the null hypothesis (the z-test's condition). */
export function normalApproximationHolds(x1: number, n1: number, x2: number, n2: number): boolean {
	const total = n1 + n2;
	if (n1 <= 0 || n2 <= 0) return false;
	const pooled = (x1 + x2) / total;
	return [n1, n2].every((n) => n * pooled >= 5 && n * (1 - pooled) >= 5);
}

/** The conversion-rate test: the z-test when its approximation holds in every arm, else Fisher's exact test. */
export function compareProportions(x1: number, n1: number, x2: number, n2: number): ZTest {
	return normalApproximationHolds(x1, n1, x2, n2)
		? twoProportionZTest(x1, n1, x2, n2)
		: fisherExactTest(x1, n1, x2, n2);
}

export interface Sample {
	n: number;
	mean: number;
	/** Sample variance (n − 1 in the denominator); 0 for n < 2, and exactly 0 when all values are equal. */
	variance: number;
	/** Sum of the values in whole cents (exact), to compare means without binary noise. */
	sumCents: number;
	/** Values above 0 (buyers, when the values are revenue per recipient). */
	positives: number;
}

/**
 * Mean and sample variance of money values (the zeros of recipients who did not buy included), in whole cents:
 * integer sums are exact, so equal values give a variance of exactly 0, not 1e-30.
 */
export function describe(values: readonly number[]): Sample {
	const n = values.length;
	let sum = 0;
	let squares = 0;
	let positives = 0;
	for (const v of values) {
		const cents = Math.round(v * 100);
		sum += cents;
		squares += cents * cents;
		if (cents > 0) positives += 1;
	}
	if (n === 0) return { n, mean: 0, variance: 0, sumCents: 0, positives };
	// n·Σx² − (Σx)² is an exact integer while it stays below 2^53 (about 10^6 recipients of 10^4 EUR each).
	const spread = n * squares - sum * sum;
	const variance = n > 1 ? spread / (n * (n - 1)) / 10000 : 0;
	return { n, mean: sum / n / 100, variance: Math.max(0, variance), sumCents: sum, positives };
}

/**
 * z-test of the difference of two means with Welch's standard error (large samples). With both variances 0 the
 * difference is exact: equal means give p = 1, different means p = 0 (and no z).
 */
export function meanDifferenceZTest(control: Sample, treatment: Sample): ZTest {
	const direction = sign(treatment.sumCents * control.n - control.sumCents * treatment.n);
	if (control.n === 0 || treatment.n === 0)
		return { z: 0, pValue: 1, direction: 0, method: 'welch_z_test' };
	const se = Math.sqrt(control.variance / control.n + treatment.variance / treatment.n);
	if (se === 0) return { z: null, pValue: direction === 0 ? 1 : 0, direction, method: 'exact' };
	if (direction === 0) return { z: 0, pValue: 1, direction, method: 'welch_z_test' };
	const z = (treatment.mean - control.mean) / se;
	return { z, pValue: twoSidedP(z), direction, method: 'welch_z_test' };
}

export type Verdict = 'control' | 'insufficient_sample' | 'better' | 'worse' | 'no_difference';

export interface ComparisonRule {
	/** Recipients each arm needs before any verdict (default 100). */
	minSamplePerArm: number;
	/** Family-wise significance level (default 0.05), split over the comparisons (Bonferroni). */
	alpha: number;
	/** Number of treatment arms compared with the control. */
	comparisons: number;
}

/**
 * The verdict for one treatment arm: `insufficient_sample` below the minimum number of recipients in either arm
 * (or, when `minBuyers` is given, of buyers), whatever the p-value; else better / worse / no difference at the
 * Bonferroni-split level.
 */
export function verdictFor(
	test: ZTest,
	control: { n: number; buyers?: number },
	treatment: { n: number; buyers?: number },
	rule: ComparisonRule & { minBuyers?: number },
): Verdict {
	if (control.n < rule.minSamplePerArm || treatment.n < rule.minSamplePerArm)
		return 'insufficient_sample';
	if (
		rule.minBuyers !== undefined &&
		((control.buyers ?? 0) < rule.minBuyers || (treatment.buyers ?? 0) < rule.minBuyers)
	)
		return 'insufficient_sample';
	const level = rule.alpha / Math.max(1, rule.comparisons);
	if (test.pValue >= level || test.direction === 0) return 'no_difference';
	return test.direction > 0 ? 'better' : 'worse';
}

/**
 * Recipients per arm a two-sided z-test at `alpha` needs to detect rates p1 vs p2 with the given power (the usual
 * normal-approximation formula); null when the rates are equal or outside (0, 1).
 */
export function sampleSizePerArm(p1: number, p2: number, alpha: number, power = 0.8): number | null {
	if (!(p1 > 0 && p1 < 1 && p2 > 0 && p2 < 1) || p1 === p2) return null;
	const zAlpha = normalQuantile(1 - alpha / 2);
	const zBeta = normalQuantile(power);
	const mean = (p1 + p2) / 2;
	const n =
		(zAlpha * Math.sqrt(2 * mean * (1 - mean)) + zBeta * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 /
		(p1 - p2) ** 2;
	return Math.ceil(n);
}

/** Φ⁻¹(q) by bisection on normalCdf (accurate to its 1.2e-7; only used for the sample-size hint). */
export function normalQuantile(q: number): number {
	let lo = -10;
	let hi = 10;
	for (let i = 0; i < 100; i++) {
		const mid = (lo + hi) / 2;
		if (normalCdf(mid) < q) lo = mid;
		else hi = mid;
	}
	return (lo + hi) / 2;
}
