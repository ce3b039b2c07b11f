import { STAGE_LABELS, type FunnelReport, type SplitRow, type StageRow, type TrendRow } from './funnel';
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

/** A share with its base: "75.0% of Viewers (4)". */
function shareOf(rate: number | null, label: string, base: number | null): string {
	return rate === null || base === null ? '' : `${formatRate(rate)} of ${label} (${formatCount(base)})`;
}

const COLORS = ['#4f46e5', '#6366f1', '#0ea5e9', '#10b981', '#f59e0b', '#ef4444', '#8b5cf6'];

function funnelSvg(stages: StageRow[]): string {
	const shown = stages.filter((s) => s.count !== null);
	const width = 760;
	const bar = 40;
	const gap = 12;
	const labelWidth = 170;
	const valueWidth = 260;
	const span = width - labelWidth - valueWidth;
	const max = Math.max(1, ...shown.map((s) => s.count as number));
	const height = shown.length * (bar + gap) + gap;
	const rows = shown.map((stage, i) => {
		const y = gap + i * (bar + gap);
		const w = Math.max(2, Math.round((span * (stage.count as number)) / max));
		const x = labelWidth + (span - w) / 2;
		const share =
			stage.rateOf === null ? '' : shareOf(stage.rate, STAGE_LABELS[stage.rateOf], stage.base);
		return (
			`<text x="${labelWidth - 12}" y="${y + bar / 2 + 5}" text-anchor="end" class="label">${esc(stage.label)}</text>` +
			`<rect x="${x}" y="${y}" width="${w}" height="${bar}" rx="6" fill="${COLORS[i % COLORS.length]}"/>` +
			`<text x="${width - 8}" y="${y + bar / 2 + 5}" text-anchor="end" class="value"><tspan data-figure="stage-${stage.stage}">${formatCount(stage.count as number)}</tspan>` +
			(share === ''
				? ''
				: `<tspan class="muted"> · </tspan><tspan class="muted" data-figure="stage-${stage.stage}-share">${esc(share)}</tspan>`) +
			'</text>'
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
		const label = t.weekOf.slice(5, 10);
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
			// No p-value beside "Not enough data yet": it would invite stopping early.
			td(
				v.conversionTest && v.conversionTest.verdict !== 'insufficient_sample'
					? v.conversionTest.pValue.toFixed(4)
					: '—',
				`variant-p-${id}`,
			),
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
			'Conversion rate',
			'Credited revenue',
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
		['Sequence', 'Step', 'Recipients', 'Reply rate', 'Click rate', 'Conversion rate', 'Credited revenue'],
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

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export function renderReportHtml(report: FunnelReport, options: HtmlOptions): string {
	const c = report.currency;
	const kpi = (label: string, value: string, figure: string, definition: string) =>
		`<div class="kpi"><div class="kpi-label">${esc(label)}</div><div class="kpi-value" data-figure="${figure}">${esc(value)}</div><div class="kpi-def">${esc(definition)}</div></div>`;
	const rule = report.abTest;
	const r = report.responses;
	const respond = (label: string, count: number, rate: number | null, figure: string) =>
		`${label} <span data-figure="${figure}">${formatCount(count)}</span> (<span data-figure="${figure}-rate">${formatRate(rate)}</span>)`;
	const responses = [
		respond('replied', r.replied, report.rates.reply, 'replied'),
		respond('clicked', r.clicked, report.rates.click, 'clicked'),
		...(r.opened === null ? [] : [respond('opened', r.opened, report.rates.open, 'opened')]),
	].join(' · ');
	const week = `${WEEKDAYS[report.weekStartsOn] ?? 'Monday'} weeks, ${report.timeZone}`;
	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(options.title)}</title>
<style>
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:32px auto;max-width:1000px;color:#1f2937;padding:0 16px}
h1{font-size:24px;margin-bottom:2px}h2{font-size:17px;margin:28px 0 8px}.muted{color:#6b7280;fill:#6b7280}
svg .label{font-size:14px;fill:#374151}svg .value{font-size:14px;font-weight:600;fill:#111827}svg .axis{font-size:11px;fill:#6b7280}
table{border-collapse:collapse;width:100%;font-size:13px}th{text-align:left;color:#6b7280;font-weight:600;border-bottom:2px solid #e5e7eb;padding:4px 8px 4px 0}
td{border-bottom:1px solid #e5e7eb;padding:4px 8px 4px 0}td.n{text-align:right;font-variant-numeric:tabular-nums}
.kpis{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}.kpi{border:1px solid #e5e7eb;border-radius:8px;padding:8px 14px;min-width:130px;max-width:220px}
.kpi-label{font-size:12px;color:#6b7280}.kpi-value{font-size:20px;font-weight:600}.kpi-def{font-size:11px;color:#6b7280}
.verdict.better{color:#047857;font-weight:600}.verdict.worse{color:#b91c1c;font-weight:600}.verdict.insufficient_sample{color:#6b7280}
</style></head><body>
<h1>${esc(options.title)}</h1>
<p class="muted">${esc(report.period.from.slice(0, 16).replace('T', ' '))} → ${esc(report.period.to.slice(0, 16).replace('T', ' '))} UTC (${report.period.days} days, as of ${esc(report.asOf)})${options.subtitle ? ` · ${esc(options.subtitle)}` : ''}</p>
<p data-figure="attribution-rule">${esc(report.attribution.rule)}</p>
<h2>Revenue and return</h2>
<div class="kpis">
${kpi('Leads (captured)', formatCount(report.leads), 'leads', 'People who interacted with a story in the period.')}
${kpi('Orders (all)', formatCount(report.conversions.count), 'orders', 'Orders placed in the period, messaged or not; fully refunded ones left out.')}
${kpi('Revenue (all orders)', formatMoney(report.conversions.revenue, c), 'revenue', `Every order of the period, net of ${formatMoney(report.conversions.refunded, c)} refunded.`)}
${kpi('Revenue credited to messages', formatMoney(report.conversions.attributedRevenue, c), 'credited-revenue', `${formatCount(report.conversions.attributedCount)} orders credited to the period's messages (rule above), net of refunds.`)}
${kpi('Cost', formatMoney(report.cost, c), 'cost', report.cost === null ? 'Not set: enter the cost of the period for cost per lead and ROI.' : 'What the period cost (ads, tools, time).')}
${kpi('Cost per lead', formatMoney(report.costPerLead, c), 'cost-per-lead', 'Cost ÷ leads.')}
${kpi('Campaign ROI (credited revenue)', formatRoi(report.campaignRoi), 'campaign-roi', '(Credited revenue − cost) ÷ cost: the return of the messages.')}
${kpi('ROI on all revenue', formatRoi(report.roiAllRevenue), 'roi-all-revenue', '(All revenue − cost) ÷ cost: includes shoppers never messaged.')}
${kpi('Revenue per lead (credited)', formatMoney(report.creditedRevenuePerLead, c), 'credited-revenue-per-lead', 'Credited revenue ÷ leads.')}
${kpi('Revenue per lead (all orders)', formatMoney(report.revenuePerLead, c), 'revenue-per-lead', 'All revenue ÷ leads.')}
${kpi('Conversion rate', formatRate(report.rates.conversion), 'conversion-rate', 'Converted people ÷ messaged people (funnel below).')}
</div>
<h2>Funnel</h2>
<p class="muted">The people of the period, each stage a subset of the one above, as a share of it.</p>
${funnelSvg(report.funnel)}
<p class="muted" data-figure="responses">Of the ${formatCount(r.base)} people messaged: ${responses}. Replies leave out STOP/opt-out messages, reactions and comments.${r.opened === null ? ' Opens are not tracked.' : ''}</p>
<h2>A/B variants</h2>
<p class="muted">${esc(rule.method)} α = ${rule.alpha}. No verdict below ${rule.minSamplePerArm} recipients per variant, nor on revenue below ${rule.minBuyersPerArm} buyers per variant. Outcomes credited to the last message within ${rule.attributionDays} days.</p>
${report.variants.length === 0 ? '<p class="muted">No sequence messages in the period.</p>' : table(['Sequence', 'Step', 'Variant', 'Recipients', 'Reply rate', 'Click rate', 'Converted', 'Conversion rate', 'Revenue / recipient', 'p', 'Verdict'], variantRows(report.variants, c), ' id="variants"')}
<h2>Weekly trend</h2>
<p class="muted">Calendar weeks (${esc(week)}); the last one runs to as of.</p>
${trendSvg(report.trend)}
${table(
	['Week of', 'Viewers', 'Captured', 'Messaged', 'Converted', 'Orders', 'Revenue (all)', 'Credited revenue', 'Cost per lead'],
	report.trend.map((t) => [
		td(`${t.weekOf}${t.partial ? ' (to date)' : ''}`, `trend-week-${t.weekOf}`, ''),
		td(formatCount(t.viewers)),
		td(formatCount(t.captured), `trend-captured-${t.weekOf}`),
		td(formatCount(t.messaged), `trend-messaged-${t.weekOf}`),
		td(formatCount(t.converted), `trend-converted-${t.weekOf}`),
		td(formatCount(t.conversions), `trend-orders-${t.weekOf}`),
		td(formatMoney(t.revenue, c), `trend-revenue-${t.weekOf}`),
		td(formatMoney(t.creditedRevenue, c), `trend-credited-revenue-${t.weekOf}`),
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

/** ROI as a signed percentage ("+150.0%", "−60.0%"); "—" when there is no cost. */
export function formatRoi(roi: number | null): string {
	if (roi === null) return '—';
	const text = formatRate(Math.abs(roi));
	return roi > 0 ? `+${text}` : roi < 0 ? `-${text}` : text;
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
					`${s.label}: ${formatCount(s.count as number)}${s.rateOf === null ? '' : ` (${shareOf(s.rate, STAGE_LABELS[s.rateOf], s.base)})`}`,
			),
		'',
		`Revenue (all orders): ${formatMoney(report.conversions.revenue, c)} from ${formatCount(report.conversions.count)} orders, net of ${formatMoney(report.conversions.refunded, c)} refunded`,
		`Revenue credited to messages: ${formatMoney(report.conversions.attributedRevenue, c)} from ${formatCount(report.conversions.attributedCount)} orders`,
		`Cost: ${formatMoney(report.cost, c)} · cost per lead: ${formatMoney(report.costPerLead, c)}`,
		`Campaign ROI (credited revenue): ${formatRoi(report.campaignRoi)} · ROI on all revenue: ${formatRoi(report.roiAllRevenue)}`,
		`Revenue per lead: ${formatMoney(report.creditedRevenuePerLead, c)} credited · ${formatMoney(report.revenuePerLead, c)} all orders`,
		'',
		report.attribution.rule,
		'',
		'A/B variants:',
		...report.variants.map(
			(v) =>
				`  ${v.sequence} ${v.stepId} ${v.variant}: ${formatCount(v.recipients)} recipients, ${formatRate(v.conversionRate)} converted — ${v.summary}`,
		),
	];
	return lines.join('\n');
}
