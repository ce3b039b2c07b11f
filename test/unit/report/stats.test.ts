import {
	describe as sample,
	meanDifferenceZTest,
	normalCdf,
	twoProportionZTest,
	verdictFor,
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
		expect(twoProportionZTest(0, 0, 1, 10)).toEqual({ z: 0, pValue: 1 });
		expect(twoProportionZTest(0, 100, 0, 100)).toEqual({ z: 0, pValue: 1 });
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

describe('verdicts', () => {
	const rule = { minSamplePerArm: 100, alpha: 0.05, comparisons: 1 };
	const significant = twoProportionZTest(200, 1000, 250, 1000);

	it('declares a winner only with the minimum sample in both arms', () => {
		expect(
			verdictFor(significant, { n: 1000, successes: 200 }, { n: 1000, successes: 250 }, rule),
		).toBe('better');
		expect(
			verdictFor(significant, { n: 99, successes: 20 }, { n: 1000, successes: 250 }, rule),
		).toBe('insufficient_sample');
	});

	it('needs 5 successes and 5 failures pooled, even with a tiny p-value', () => {
		const t = twoProportionZTest(0, 200, 4, 200);
		expect(
			verdictFor({ z: 5, pValue: 1e-9 }, { n: 200, successes: 0 }, { n: 200, successes: 4 }, rule),
		).toBe('insufficient_sample');
		expect(t.z).toBeGreaterThan(0);
	});

	it('splits alpha over the comparisons (Bonferroni) and says worse or no difference', () => {
		const p03 = { z: 2.17, pValue: 0.03 };
		const arm = { n: 500, successes: 50 };
		expect(verdictFor(p03, arm, arm, rule)).toBe('better');
		expect(verdictFor(p03, arm, arm, { ...rule, comparisons: 2 })).toBe('no_difference');
		expect(verdictFor({ z: -3, pValue: 0.0027 }, arm, arm, rule)).toBe('worse');
	});
});
