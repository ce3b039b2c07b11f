import type { FunnelReport, SplitRow, StageRow, TrendRow } from './funnel';
import type { GroupRow, VariantRow } from './variants';

/**
 * The report as one self-contained HTML page: inline CSS and SVG, no script, no external asset, so it can be
 * served by a Respond to Webhook node, mailed, or saved. Figures carry `data-figure` attributes for tests.
 */

const esc = (value: unknown): string =>
	String(value).replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
	);

/** 12345 → "12,345" without locale data (the same text on every host). */
export function formatCount(n: number): string {
	const sign = n < 0 ? '-' : '';
	return sign + String(Math.round(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function formatMoney(n: number | null, currency: string): string {
	if (n === null) return '—';
	const cents = Math.round(Math.abs(n) * 100);
	const whole = formatCount(Math.floor(cents / 100));
	return `${n < 0 ? '-' : ''}${whole}.${String(cents % 100).padStart(2, '0')} ${currency}`;
}

export function formatRate(r: number | null): string {
	return r === null ? '—' : `${(Math.round(r * 1000) / 10).toFixed(1)}%`;
}

const COLORS = ['#4f46e5', '#6366f1', '#0ea5e9', '#10b981', '#f59e0b', '#ef4444', '#8b5cf6'];

function funnelSvg(stages: StageRow[]): string {
	const shown = stages.filter((s) => s.count !== null);
	const width = 760;
	const bar = 40;
	const gap = 12;
	const labelWidth = 190;
	const valueWidth = 150;
	const span = width - labelWidth - valueWidth;
	const max = Math.max(1, ...shown.map((s) => s.count as number));
	const height = shown.length * (bar + gap) + gap;
	const rows = shown.map((stage, i) => {
		const y = gap + i * (bar + gap);
		const w = Math.max(2, Math.round((span * (stage.count as number)) / max));
		const x = labelWidth + (span - w) / 2;
		const rate = stage.rate === null ? '' : ` · ${formatRate(stage.rate)}`;
		return (
			`<text x="${labelWidth - 12}" y="${y + bar / 2 + 5}" text-anchor="end" class="label">${esc(stage.label)}</text>` +
			`<rect x="${x}" y="${y}" width="${w}" height="${bar}" rx="6" fill="${COLORS[i % COLORS.length]}"/>` +
			`<text x="${width - 8}" y="${y + bar / 2 + 5}" text-anchor="end" class="value"><tspan data-figure="stage-${stage.stage}">${formatCount(stage.count as number)}</tspan><tspan class="muted">${esc(rate)}</tspan></text>`
		);
	});
	return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Funnel">${rows.join('')}</svg>`;
}

/** Weekly bars of captured leads with a line of conversions, one column per week. */
function trendSvg(trend: TrendRow[]): string {
	if (trend.length === 0) return '<p class="muted">No trend requested.</p>';
	const width = 760;
	const height = 220;
	const left = 40;
	const bottom = 40;
	const plotH = height - bottom - 20;
	const col = (width - left) / trend.length;
	const max = Math.max(1, ...trend.map((t) => Math.max(t.captured, t.messaged, t.converted)));
	const y = (v: number) => 20 + plotH - (plotH * v) / max;
	const bars = trend.map((t, i) => {
		const x = left + i * col;
		const bw = Math.max(4, col * 0.28);
		const label = t.weekStart.slice(5, 10);
		return (
			`<rect x="${x + col * 0.18}" y="${y(t.captured)}" width="${bw}" height="${20 + plotH - y(t.captured)}" fill="#0ea5e9"><title>${esc(label)}: ${t.captured} captured</title></rect>` +
			`<rect x="${x + col * 0.18 + bw + 2}" y="${y(t.messaged)}" width="${bw}" height="${20 + plotH - y(t.messaged)}" fill="#10b981"><title>${esc(label)}: ${t.messaged} messaged</title></rect>` +
			`<text x="${x + col / 2}" y="${height - 18}" text-anchor="middle" class="axis">${esc(label)}</text>`
		);
	});
	const points = trend
		.map((t, i) => `${(left + i * col + col / 2).toFixed(1)},${y(t.converted).toFixed(1)}`)
		.join(' ');
	const dots = trend.map(
		(t, i) =>
			`<circle cx="${(left + i * col + col / 2).toFixed(1)}" cy="${y(t.converted).toFixed(1)}" r="4" fill="#ef4444"><title>${t.converted} converted</title></circle>`,
	);
	return (
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Weekly trend">` +
		`<line x1="${left}" y1="${20 + plotH}" x2="${width}" y2="${20 + plotH}" stroke="#d1d5db"/>` +
		`<text x="${left - 6}" y="${y(max) + 4}" text-anchor="end" class="axis">${max}</text>` +
		bars.join('') +
		`<polyline points="${points}" fill="none" stroke="#ef4444" stroke-width="2"/>${dots.join('')}` +
		`<g class="legend"><rect x="${left}" y="${height - 12}" width="10" height="10" fill="#0ea5e9"/><text x="${left + 14}" y="${height - 3}" class="axis">captured</text>` +
		`<rect x="${left + 90}" y="${height - 12}" width="10" height="10" fill="#10b981"/><text x="${left + 104}" y="${height - 3}" class="axis">messaged</text>` +
		`<circle cx="${left + 185}" cy="${height - 7}" r="4" fill="#ef4444"/><text x="${left + 194}" y="${height - 3}" class="axis">converted</text></g></svg>`
	);
}

function table(head: string[], rows: string[][], attrs = ''): string {
	const th = head.map((h) => `<th>${esc(h)}</th>`).join('');
	const body = rows.map((r) => `<tr>${r.join('')}</tr>`).join('');
	return `<table${attrs}><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

const td = (value: string, figure?: string, cls = 'n') =>
	`<td class="${cls}"${figure ? ` data-figure="${esc(figure)}"` : ''}>${esc(value)}</td>`;

function variantRows(variants: VariantRow[], currency: string): string[][] {
	return variants.map((v) => {
		const id = `${v.sequence}/${v.stepId}/${v.variant}`;
		const verdict = v.conversionTest?.verdict ?? 'control';
		return [
			td(v.sequence, undefined, ''),
			td(`${v.step} · ${v.stepId}`, undefined, ''),
			td(v.variant, undefined, ''),
			td(formatCount(v.recipients), `variant-recipients-${id}`),
			td(formatRate(v.replyRate)),
			td(formatRate(v.clickRate)),
			td(formatCount(v.converted), `variant-converted-${id}`),
			td(formatRate(v.conversionRate), `variant-rate-${id}`),
			td(formatMoney(v.revenuePerRecipient, currency)),
			td(v.conversionTest ? v.conversionTest.pValue.toFixed(4) : '—', `variant-p-${id}`),
			`<td class="verdict ${esc(verdict)}" data-figure="variant-verdict-${esc(id)}">${esc(v.summary)}</td>`,
		];
	});
}

function splitTable(title: string, keyLabel: string, rows: SplitRow[], currency: string): string {
	if (rows.length === 0) return '';
	return `<h2>${esc(title)}</h2>${table(
		[
			keyLabel,
			'Viewers',
			'Captured',
			'Eligible',
			'Messaged',
			'Replied',
			'Clicked',
			'Converted',
			'Conversion',
			'Revenue',
		],
		rows.map((r) => [
			td(r.key, undefined, ''),
			...(
				['viewers', 'captured', 'eligible', 'messaged', 'replied', 'clicked', 'converted'] as const
			).map((k) => td(r[k] === null ? '—' : formatCount(r[k] as number))),
			td(formatRate(r.conversionRate)),
			td(formatMoney(r.revenue, currency)),
		]),
	)}`;
}

function stepTable(rows: GroupRow[], currency: string): string {
	if (rows.length === 0) return '';
	return `<h2>By sequence step</h2>${table(
		['Sequence', 'Step', 'Recipients', 'Reply rate', 'Click rate', 'Conversion', 'Revenue'],
		rows.map((r) => [
			td(r.sequence, undefined, ''),
			td(`${r.step ?? ''} · ${r.stepId ?? ''}`, undefined, ''),
			td(formatCount(r.recipients)),
			td(formatRate(r.replyRate)),
			td(formatRate(r.clickRate)),
			td(formatRate(r.conversionRate)),
			td(formatMoney(r.revenue, currency)),
		]),
	)}`;
}

export interface HtmlOptions {
	title: string;
	/** A line under the title (e.g. where the data comes from). */
	subtitle?: string;
}

export function renderReportHtml(report: FunnelReport, options: HtmlOptions): string {
	const c = report.currency;
	const kpi = (label: string, value: string, figure: string) =>
		`<div class="kpi"><div class="kpi-label">${esc(label)}</div><div class="kpi-value" data-figure="${figure}">${esc(value)}</div></div>`;
	const rule = report.abTest;
	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(options.title)}</title>
<style>
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:32px auto;max-width:1000px;color:#1f2937;padding:0 16px}
h1{font-size:24px;margin-bottom:2px}h2{font-size:17px;margin:28px 0 8px}.muted{color:#6b7280;fill:#6b7280}
svg .label{font-size:14px;fill:#374151}svg .value{font-size:14px;font-weight:600;fill:#111827}svg .axis{font-size:11px;fill:#6b7280}
table{border-collapse:collapse;width:100%;font-size:13px}th{text-align:left;color:#6b7280;font-weight:600;border-bottom:2px solid #e5e7eb;padding:4px 8px 4px 0}
td{border-bottom:1px solid #e5e7eb;padding:4px 8px 4px 0}td.n{text-align:right;font-variant-numeric:tabular-nums}
.kpis{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}.kpi{border:1px solid #e5e7eb;border-radius:8px;padding:8px 14px;min-width:130px}
.kpi-label{font-size:12px;color:#6b7280}.kpi-value{font-size:20px;font-weight:600}
.verdict.better{color:#047857;font-weight:600}.verdict.worse{color:#b91c1c;font-weight:600}.verdict.insufficient_sample{color:#6b7280}
</style></head><body>
<h1>${esc(options.title)}</h1>
<p class="muted">${esc(report.period.from.slice(0, 16).replace('T', ' '))} → ${esc(report.period.to.slice(0, 16).replace('T', ' '))} UTC (${report.period.days} days, as of ${esc(report.asOf)})${options.subtitle ? ` · ${esc(options.subtitle)}` : ''}</p>
<div class="kpis">
${kpi('Leads (captured)', formatCount(report.leads), 'leads')}
${kpi('Conversions', formatCount(report.conversions.count), 'conversions')}
${kpi('Revenue', formatMoney(report.conversions.revenue, c), 'revenue')}
${kpi('Cost', formatMoney(report.cost, c), 'cost')}
${kpi('Cost per lead', formatMoney(report.costPerLead, c), 'cost-per-lead')}
${kpi('Revenue per lead', formatMoney(report.revenuePerLead, c), 'revenue-per-lead')}
${kpi('Conversion rate (messaged)', formatRate(report.rates.conversion), 'conversion-rate')}
</div>
<h2>Funnel</h2>
${funnelSvg(report.funnel)}
<p class="muted">Open rate ${formatRate(report.rates.open)} · reply rate ${formatRate(report.rates.reply)} · click rate ${formatRate(report.rates.click)} of the people messaged. Attributed to messages: ${formatCount(report.conversions.attributedCount)} conversions, ${formatMoney(report.conversions.attributedRevenue, c)}.</p>
<h2>A/B variants</h2>
<p class="muted">Each variant against the control on conversion (two-proportion z-test) and revenue per recipient (z-test of means), α = ${rule.alpha} split over the comparisons (Bonferroni). No verdict below ${rule.minSamplePerArm} recipients per variant. Outcomes credited to the last message within ${rule.attributionDays} days.</p>
${report.variants.length === 0 ? '<p class="muted">No sequence messages in the period.</p>' : table(['Sequence', 'Step', 'Variant', 'Recipients', 'Reply rate', 'Click rate', 'Converted', 'Conversion', 'Revenue / recipient', 'p', 'Verdict'], variantRows(report.variants, c), ' id="variants"')}
<h2>Weekly trend</h2>
${trendSvg(report.trend)}
${table(
	['Week from', 'Viewers', 'Captured', 'Messaged', 'Converted', 'Revenue', 'Cost per lead'],
	report.trend.map((t) => [
		td(t.weekStart.slice(0, 10), undefined, ''),
		td(formatCount(t.viewers)),
		td(formatCount(t.captured), `trend-captured-${t.weekStart.slice(0, 10)}`),
		td(formatCount(t.messaged)),
		td(formatCount(t.converted), `trend-converted-${t.weekStart.slice(0, 10)}`),
		td(formatMoney(t.revenue, c)),
		td(formatMoney(t.costPerLead, c)),
	]),
)}
${splitTable('By segment', 'Segment', report.bySegment, c)}
${splitTable('By source', 'Source', report.bySource, c)}
${stepTable(report.byStep, c)}
<p class="muted">Rows counted: events ${report.rows.events.counted}, sends ${report.rows.sendLog.counted}, conversions ${report.rows.conversions.counted}, contacts ${report.rows.contacts.counted}. Not counted: ${report.rows.events.notCounted + report.rows.sendLog.notCounted + report.rows.conversions.notCounted + report.rows.contacts.notCounted} (see the node's Not Counted output).</p>
</body></html>
`;
}

/** A plain-text summary for the weekly email. */
export function renderReportText(report: FunnelReport, title: string): string {
	const c = report.currency;
	const lines = [
		`${title} — ${report.period.from.slice(0, 10)} to ${report.period.to.slice(0, 10)}`,
		'',
		...report.funnel
			.filter((s) => s.count !== null)
			.map(
				(s) =>
					`${s.label}: ${formatCount(s.count as number)}${s.rate === null ? '' : ` (${formatRate(s.rate)})`}`,
			),
		'',
		`Revenue: ${formatMoney(report.conversions.revenue, c)} from ${formatCount(report.conversions.count)} conversions`,
		`Cost per lead: ${formatMoney(report.costPerLead, c)} · revenue per lead: ${formatMoney(report.revenuePerLead, c)}`,
		'',
		'A/B variants:',
		...report.variants.map(
			(v) =>
				`  ${v.sequence} ${v.stepId} ${v.variant}: ${formatCount(v.recipients)} recipients, ${formatRate(v.conversionRate)} converted — ${v.summary}`,
		),
	];
	return lines.join('\n');
}
