/**
 * The statistics behind the A/B table: a two-sided two-proportion z-test (pooled) for rates, and a two-sided
 * z-test on the difference of means (Welch's standard error) for revenue per recipient. Both rely on the normal
 * approximation, which is why the report refuses to call a winner below a minimum sample.
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
	/** Positive when the treatment is higher than the control. */
	z: number;
	pValue: number;
}

/** Pooled two-proportion z-test of treatment (x2 of n2) against control (x1 of n1). */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number): ZTest {
	if (n1 <= 0 || n2 <= 0) return { z: 0, pValue: 1 };
	const pooled = (x1 + x2) / (n1 + n2);
	const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
	if (se === 0) return { z: 0, pValue: 1 };
	const z = (x2 / n2 - x1 / n1) / se;
	return { z, pValue: twoSidedP(z) };
}

export interface Sample {
	n: number;
	mean: number;
	/** Sample variance (n − 1 in the denominator); 0 for n < 2. */
	variance: number;
}

/** Mean and sample variance of values (the zeros of recipients who did not buy included). */
export function describe(values: readonly number[]): Sample {
	const n = values.length;
	if (n === 0) return { n, mean: 0, variance: 0 };
	let sum = 0;
	for (const v of values) sum += v;
	const mean = sum / n;
	let squares = 0;
	for (const v of values) squares += (v - mean) * (v - mean);
	return { n, mean, variance: n > 1 ? squares / (n - 1) : 0 };
}

/** z-test of the difference of two means with Welch's standard error (large samples). */
export function meanDifferenceZTest(control: Sample, treatment: Sample): ZTest {
	if (control.n === 0 || treatment.n === 0) return { z: 0, pValue: 1 };
	const se = Math.sqrt(control.variance / control.n + treatment.variance / treatment.n);
	if (se === 0) return { z: 0, pValue: 1 };
	const z = (treatment.mean - control.mean) / se;
	return { z, pValue: twoSidedP(z) };
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
 * The verdict for one treatment arm. Below the minimum sample, or with fewer than 5 successes or 5 failures
 * in the pooled data (the normal approximation does not hold), it is `insufficient_sample`, whatever the p-value.
 */
export function verdictFor(
	test: ZTest,
	control: { n: number; successes?: number },
	treatment: { n: number; successes?: number },
	rule: ComparisonRule,
): Verdict {
	if (control.n < rule.minSamplePerArm || treatment.n < rule.minSamplePerArm)
		return 'insufficient_sample';
	if (control.successes !== undefined && treatment.successes !== undefined) {
		const successes = control.successes + treatment.successes;
		const failures = control.n + treatment.n - successes;
		if (successes < 5 || failures < 5) return 'insufficient_sample';
	}
	const level = rule.alpha / Math.max(1, rule.comparisons);
	if (test.pValue >= level) return 'no_difference';
	return test.z > 0 ? 'better' : 'worse';
}
