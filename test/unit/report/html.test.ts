import {
	buildFunnelReport,
	formatCount,
	formatMoney,
	formatRate,
	renderReportHtml,
	renderReportText,
} from '../../../nodes/core/report';
import { inputs, options } from '../../helpers/reportFixture';

describe('report page', () => {
	it('formats figures the same way on every host', () => {
		expect(formatCount(1234567)).toBe('1,234,567');
		expect(formatMoney(1234.5, 'EUR')).toBe('1,234.50 EUR');
		expect(formatMoney(0.005, 'EUR')).toBe('0.01 EUR');
		expect(formatMoney(null, 'EUR')).toBe('—');
		expect(formatRate(0.66667)).toBe('66.7%');
		expect(formatRate(null)).toBe('—');
	});

	it('is one self-contained page with the figures tagged, and escapes whatever the rows hold', () => {
		const hostile = {
			...inputs,
			contacts: [
				{
					contactId: 'v1',
					enrolledAt: '2026-03-10T11:00:00Z',
					segments: '<script>alert(1)</script>',
				},
			],
		};
		const { report } = buildFunnelReport(hostile, options);
		const html = renderReportHtml(report, { title: 'Q1 <report> & "ROI"' });
		expect(html).toMatch(/^<!doctype html>/);
		expect(html).not.toContain('<script>');
		expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
		expect(html).toContain('<title>Q1 &lt;report&gt; &amp; &quot;ROI&quot;</title>');
		expect(html).not.toMatch(/(src|href)=["']?https?:/);
		expect(html).toContain('data-figure="stage-viewers">4<');
		expect(html).toContain('data-figure="cost-per-lead">20.00 EUR<');
		expect(html).toContain('data-figure="trend-captured-2026-03-09">3<');
	});

	it('has a text summary with the funnel, revenue and each variant’s verdict', () => {
		const { report } = buildFunnelReport(inputs, options);
		const text = renderReportText(report, 'Weekly');
		expect(text).toContain('Weekly — 2026-03-09 to 2026-03-16');
		expect(text).toContain('Captured leads: 3 (75.0% of Viewers (4))');
		expect(text).toContain('Revenue (all orders): 180.00 EUR from 3 orders, net of 0.00 EUR refunded');
		expect(text).toContain('Campaign ROI (credited revenue): +200.0% · ROI on all revenue: +200.0%');
		expect(text).toContain(
			'storyReplyWindow thanks B: 1 recipients, 100.0% converted — Not enough data yet',
		);
	});
});
