// Deterministic PRNG (mulberry32) for the plain-JS scripts (benches, demo): same seed, same data on every run.
// The TypeScript tests use the same generator from test/helpers/random.ts.
function rng(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

module.exports = { rng };
