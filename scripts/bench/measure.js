// Shared measuring for bench files: ns per unit and peak heap, sampled while the work runs.
function measure(label, units, fn) {
	if (global.gc) global.gc();
	const heapBefore = process.memoryUsage().heapUsed;
	let peak = heapBefore;
	const sample = () => {
		const used = process.memoryUsage().heapUsed;
		if (used > peak) peak = used;
	};
	const start = process.hrtime.bigint();
	const result = fn(sample);
	const elapsedNs = Number(process.hrtime.bigint() - start);
	sample();
	const row = {
		label,
		units,
		nsPerUnit: elapsedNs / units,
		peakHeapMiB: (peak - heapBefore) / 1048576,
	};
	console.log(
		`${label.padEnd(48)} ${units.toLocaleString('en-US').padStart(10)} units  ${row.nsPerUnit.toFixed(1).padStart(9)} ns/unit  peak heap +${row.peakHeapMiB.toFixed(1)} MiB`,
	);
	return { ...row, result };
}

function ratio(label, subject, floor, target) {
	const r = subject.nsPerUnit / floor.nsPerUnit;
	console.log(`${label.padEnd(48)} ${r.toFixed(2)}x the floor (target <= ${target}x) ${r <= target ? 'OK' : 'OVER TARGET'}`);
	return r;
}

module.exports = { measure, ratio };
