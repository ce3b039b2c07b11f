import {
	compareProportions,
	describe as sample,
	fisherExactTest,
	meanDifferenceZTest,
	normalCdf,
	sampleSizePerArm,
	twoProportionZTest,
	verdictFor,
	type ZTest,
} from '../../../nodes/core/report';

// Reference values: standard normal tables, and Python's math.erfc for the p-values of the worked examples
// (z = (p2 − p1) / sqrt(p(1 − p)(1/n1 + 1/n2)), p-value = erfc(|z| / √2)).
describe('normal distribution', () => {
	it.each([
		[0, 0.5],
		[1.959963984540054, 0.975],
		[-1, 0.158655254],
		[3, 0.998650102],
		[-2.575829303549, 0.005],
	])('Φ(%p) = %p', (z, expected) => {
		expect(normalCdf(z)).toBeCloseTo(expected, 6);
	});
});

describe('two-proportion z-test', () => {
	it('200/1000 vs 250/1000: z = 2.6774, p = 0.00742', () => {
		const t = twoProportionZTest(200, 1000, 250, 1000);
		expect(t.z).toBeCloseTo(2.677397763, 6);
		expect(t.pValue).toBeCloseTo(0.007419649, 6);
	});

	it('30/300 vs 45/300: z = 1.8516, p = 0.0641 (not significant at 0.05)', () => {
		const t = twoProportionZTest(30, 300, 45, 300);
		expect(t.z).toBeCloseTo(1.8516402, 6);
		expect(t.pValue).toBeCloseTo(0.0640775, 6);
	});

	it('is antisymmetric and safe with empty or degenerate arms', () => {
		expect(twoProportionZTest(250, 1000, 200, 1000).z).toBeCloseTo(-2.677397763, 6);
		expect(twoProportionZTest(0, 0, 1, 10)).toMatchObject({ z: 0, pValue: 1 });
		expect(twoProportionZTest(0, 100, 0, 100)).toMatchObject({ z: 0, pValue: 1 });
	});
});

describe('z-test of means (revenue per recipient)', () => {
	it('matches the worked example: means 8 vs 20, variances 306.67 vs 888.89, z = 1.0975, p = 0.2724', () => {
		const a = sample([0, 0, 0, 0, 0, 0, 0, 0, 50, 30]);
		const b = sample([0, 0, 0, 0, 0, 0, 40, 60, 20, 80]);
		expect(a.mean).toBe(8);
		expect(a.variance).toBeCloseTo(306.6666667, 6);
		expect(b.variance).toBeCloseTo(888.8888889, 6);
		const t = meanDifferenceZTest(a, b);
		expect(t.z).toBeCloseTo(1.0974793695, 6);
		expect(t.pValue).toBeCloseTo(0.2724318944, 6);
	});
});

describe('Fisher\'s exact test where the normal approximation is poor', () => {
	// Two-sided p = Σ of the hypergeometric probabilities P(a) = C(n1, a)·C(n2, K − a) / C(N, K) of every table
	// no more likely than the one observed (R's fisher.test). 0/150 vs 5/150: K = 5, N = 300; P(0) = P(5) =
	// (150·149·148·147·146)/(300·299·298·297·296) = 0.0302101, P(1..4) are larger, so p = 2 · 0.0302101 = 0.0604203.
	it('0/150 vs 5/150: p = 0.0604, where the z-test would say 0.024', () => {
		const t = fisherExactTest(0, 150, 5, 150);
		expect(t.pValue).toBeCloseTo(0.0604203, 6);
		expect(t).toMatchObject({ z: null, direction: 1, method: 'fisher_exact' });
		// Expected buyers per arm under the null: 150 · 5/300 = 2.5 < 5, so the comparison uses Fisher.
		expect(compareProportions(0, 150, 5, 150)).toEqual(t);
		// The z-test it replaces: z = (5/150) / sqrt(5/300 · 295/300 · 2/150) = 2.2549, p = 0.0241.
		expect(twoProportionZTest(0, 150, 5, 150).pValue).toBeCloseTo(0.0241372, 6);
	});

	it('matches hand-computed tables: 2/20 vs 9/20 p = 0.030950; 1/10 vs 6/10 p = 0.057276', () => {
		// 2/20 vs 9/20: K = 11, N = 40; the tables a ≤ 2 and a ≥ 9 sum to 0.0309503 (exact fractions).
		expect(fisherExactTest(2, 20, 9, 20).pValue).toBeCloseTo(0.0309503, 6);
		expect(fisherExactTest(9, 20, 2, 20)).toMatchObject({ direction: -1 });
		// 1/10 vs 6/10: K = 7, N = 20; tables a ≤ 1 and a ≥ 6: 0.0572755.
		expect(fisherExactTest(1, 10, 6, 10).pValue).toBeCloseTo(0.0572755, 6);
	});

	it('keeps the z-test when every arm expects at least 5 buyers and 5 non-buyers', () => {
		// 30/300 vs 45/300: pooled 0.125, expected 37.5 buyers and 262.5 non-buyers per arm.
		expect(compareProportions(30, 300, 45, 300)).toEqual(twoProportionZTest(30, 300, 45, 300));
	});
});

describe('revenue per recipient in whole cents', () => {
	it('gives a variance of exactly 0 for equal values: 11 × 29.90 vs 12 × 29.90 is no difference (p = 1)', () => {
		// In floating point the 11 values average to 29.9 and the 12 to 29.899999999999995, with a variance of
		// 1.4e-29: the old z was −3.3166 (p = 0.0009, "worse"). In cents: 32890 / 11 = 2990 = 35880 / 12 exactly.
		const control = sample(Array<number>(11).fill(29.9));
		const treatment = sample(Array<number>(12).fill(29.9));
		expect([control.variance, treatment.variance]).toEqual([0, 0]);
		const t = meanDifferenceZTest(control, treatment);
		expect(t).toMatchObject({ pValue: 1, direction: 0 });
		const rule = { minSamplePerArm: 1, alpha: 0.05, comparisons: 1, minBuyers: 1 };
		expect(verdictFor(t, { n: 11, buyers: 11 }, { n: 12, buyers: 12 }, rule)).toBe('no_difference');
	});

	it('handles zero-variance arms with different means exactly (p = 0, no z)', () => {
		const t = meanDifferenceZTest(sample([10, 10, 10]), sample([20, 20]));
		expect(t).toEqual({ z: null, pValue: 0, direction: 1, method: 'exact' });
	});
});

describe('sample size needed', () => {
	it('10% vs 15% at α = 0.05 and 80% power: 686 recipients per arm', () => {
		// n = (1.95996·sqrt(2·0.125·0.875) + 0.84162·sqrt(0.1·0.9 + 0.15·0.85))² / 0.05² = 685.6 → 686.
		expect(sampleSizePerArm(0.1, 0.15, 0.05)).toBe(686);
		expect(sampleSizePerArm(0.1, 0.1, 0.05)).toBeNull();
		expect(sampleSizePerArm(0, 0.1, 0.05)).toBeNull();
	});
});

describe('verdicts', () => {
	const rule = { minSamplePerArm: 100, alpha: 0.05, comparisons: 1 };
	const significant = twoProportionZTest(200, 1000, 250, 1000);
	const test = (z: number, pValue: number): ZTest => ({
		z,
		pValue,
		direction: z > 0 ? 1 : -1,
		method: 'z_test',
	});

	it('declares a winner only with the minimum sample in both arms', () => {
		expect(verdictFor(significant, { n: 1000 }, { n: 1000 }, rule)).toBe('better');
		expect(verdictFor(significant, { n: 99 }, { n: 1000 }, rule)).toBe('insufficient_sample');
	});

	it('needs the minimum number of buyers in each arm for a revenue verdict, whatever the p-value', () => {
		const withBuyers = { ...rule, minBuyers: 10 };
		expect(verdictFor(test(5, 1e-9), { n: 1000, buyers: 0 }, { n: 1000, buyers: 4 }, withBuyers)).toBe(
			'insufficient_sample',
		);
		expect(verdictFor(test(5, 1e-9), { n: 1000, buyers: 10 }, { n: 1000, buyers: 40 }, withBuyers)).toBe(
			'better',
		);
	});

	it('splits alpha over the comparisons (Bonferroni) and says worse or no difference', () => {
		const p03 = test(2.17, 0.03);
		const arm = { n: 500 };
		expect(verdictFor(p03, arm, arm, rule)).toBe('better');
		expect(verdictFor(p03, arm, arm, { ...rule, comparisons: 2 })).toBe('no_difference');
		expect(verdictFor(test(-3, 0.0027), arm, arm, rule)).toBe('worse');
	});
});
