// reports/demo.html: the demo funnel as one self-contained page (inline SVG and CSS, no external assets).
const esc = (value) =>
	String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

function funnelSvg(stages) {
	const width = 760;
	const barHeight = 44;
	const gap = 14;
	const labelWidth = 230;
	const max = Math.max(1, ...stages.map((s) => s.value));
	const height = stages.length * (barHeight + gap) + gap;
	const colors = ['#4f46e5', '#6366f1', '#0ea5e9', '#10b981', '#f59e0b', '#ef4444', '#8b5cf6'];
	const rows = stages.map((stage, i) => {
		const y = gap + i * (barHeight + gap);
		const w = Math.max(2, Math.round(((width - labelWidth - 90) * stage.value) / max));
		const x = labelWidth + (width - labelWidth - 90 - w) / 2;
		return [
			`<text x="${labelWidth - 12}" y="${y + barHeight / 2 + 5}" text-anchor="end" class="label">${esc(stage.label)}</text>`,
			`<rect x="${x}" y="${y}" width="${w}" height="${barHeight}" rx="6" fill="${colors[i % colors.length]}"/>`,
			`<text x="${width - 10}" y="${y + barHeight / 2 + 5}" text-anchor="end" class="value">${esc(stage.value.toLocaleString('en-US'))}</text>`,
		].join('');
	});
	return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Funnel">${rows.join('')}</svg>`;
}

function table(title, entries) {
	if (entries.length === 0) return '';
	const rows = entries.map(([k, v]) => `<tr><td>${esc(k)}</td><td class="n">${esc(v)}</td></tr>`).join('');
	return `<section><h2>${esc(title)}</h2><table>${rows}</table></section>`;
}

function renderReport(f) {
	const tierOrder = ['Recent Activity', 'Engaged', 'Disengaged', 'Inactive'];
	const stages = [
		{ label: 'Viewers (7 days)', value: f.viewers },
		{ label: 'In a segment (not bots)', value: f.segmentedViewers },
		{ label: 'Allowed to message', value: f.allowed },
		{ label: 'DMs sent', value: f.dmsSent },
		{ label: 'Replies', value: f.replies },
	];
	const tierStages = tierOrder.filter((t) => f.tiers[t] !== undefined).map((t) => ({ label: `Tag: ${t}`, value: f.tiers[t] }));
	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Story Leads demo funnel</title>
<style>
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:32px auto;max-width:820px;color:#1f2937}
h1{font-size:24px;margin-bottom:4px}h2{font-size:17px;margin:28px 0 8px}.muted{color:#6b7280}
svg .label{font-size:14px;fill:#374151}svg .value{font-size:14px;font-weight:600;fill:#111827}
table{border-collapse:collapse;min-width:360px}td{border-bottom:1px solid #e5e7eb;padding:4px 12px 4px 0}td.n{text-align:right;font-variant-numeric:tabular-nums}
</style></head><body>
<h1>Story Leads demo funnel</h1>
<p class="muted">As of ${esc(f.generatedFor)} · a seeded week of ${esc(f.sample.viewers)} viewers run through the templates in a real n8n 2.x against local fake Instagram and ActiveCampaign APIs.</p>
${funnelSvg(stages)}
<h2>Engagement tiers after 10 days</h2>
${funnelSvg(tierStages)}
${table('Segments', Object.entries(f.segments).sort((a, b) => b[1] - a[1]))}
${table('Not messaged, by reason', Object.entries(f.blocked).sort((a, b) => b[1] - a[1]))}
${table('Messages', [
	['DMs sent (first step of the sequence)', f.dmsSent],
	['… of which at once, on the reply (webhook path)', f.sentOnReply],
	['STOP / START confirmations', f.confirmations],
	['Replies to the DMs', f.replies],
])}
${table('CRM (fake ActiveCampaign)', [['Contacts', f.crm.contacts], ...Object.entries(f.crm.tags).sort((a, b) => b[1] - a[1]).map(([t, n]) => [`Tag ${t}`, n])])}
${table('Sample', Object.entries(f.sample))}
${table('Data tables', Object.entries(f.tables))}
</body></html>
`;
}

module.exports = { renderReport, funnelSvg };
