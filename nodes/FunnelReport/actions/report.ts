import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import {
	buildFunnelReport,
	renderReportHtml,
	renderReportText,
	type ReportOptions,
	type RowInput,
} from '../../core/report';
import { isValidTimeZone } from '../../core/time/instant';
import { readNowParameter } from '../../shared/items';
import { allPaired, inputRows, isEmptyRow, paired } from '../helpers';

export const INPUT_ORDER: RowInput[] = ['events', 'sendLog', 'conversions', 'contacts'];
export const OUTPUT = { report: 0, notCounted: 1 } as const;

const properties: INodeProperties[] = [
	{
		displayName: 'Period (Days)',
		name: 'periodDays',
		type: 'number',
		default: 7,
		typeOptions: { minValue: 1 },
		description: 'Length of the reported period, ending at As Of',
	},
	{
		displayName: 'Cost of the Period',
		name: 'cost',
		type: 'string',
		default: '',
		placeholder: 'e.g. 250.00',
		description:
			'What the period cost (ads, tools, time), in the report currency: gives cost per lead and ROI. Empty = not set: the page shows "—", never 0. The weekly trend spreads it over the days.',
	},
	{
		displayName: 'Currency',
		name: 'currency',
		type: 'string',
		default: 'EUR',
		description:
			'ISO 4217 code of the report. Conversions in another currency go to Not Counted (currency_mismatch).',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Attribution Window (Days)',
				name: 'attributionDays',
				type: 'number',
				default: 7,
				typeOptions: { minValue: 0 },
				description:
					'A reply, click or conversion is credited to the last sequence message the person got within this many days before it',
			},
			{
				displayName: 'Include HTML Page',
				name: 'includeHtml',
				type: 'boolean',
				default: true,
				description:
					'Whether the report item carries `html`: the whole report as one page (inline SVG, no external assets)',
			},
			{
				displayName: 'Include Text Summary',
				name: 'includeText',
				type: 'boolean',
				default: true,
				description:
					'Whether the report item carries `text`: a plain-text summary for an email or chat message',
			},
			{
				displayName: 'Minimum Buyers per Variant',
				name: 'minBuyersPerVariant',
				type: 'number',
				default: 10,
				typeOptions: { minValue: 1 },
				description:
					'No verdict on revenue per recipient until every compared variant has this many buyers (a mean carried by a few orders is not a result)',
			},
			{
				displayName: 'Minimum Recipients per Variant',
				name: 'minSamplePerVariant',
				type: 'number',
				default: 100,
				typeOptions: { minValue: 1 },
				description: 'No A/B verdict until every compared variant has reached this many recipients',
			},
			{
				displayName: 'Significance Level',
				name: 'alpha',
				type: 'number',
				default: 0.05,
				typeOptions: { minValue: 0.0001, maxValue: 0.5, numberPrecision: 4 },
				description:
					'Family-wise alpha of the A/B comparisons (Bonferroni-split when a step has more than two variants)',
			},
			{
				displayName: 'Time Zone',
				name: 'timeZone',
				type: 'string',
				default: '',
				placeholder: 'e.g. Europe/Berlin',
				description:
					'IANA zone of the calendar weeks of the trend and their labels. Empty = the workflow’s time zone.',
			},
			{
				displayName: 'Title',
				name: 'title',
				type: 'string',
				default: 'Story Leads — Report',
				description: 'Title of the HTML page and of the text summary',
			},
			{
				displayName: 'Trend (Weeks)',
				name: 'trendWeeks',
				type: 'number',
				default: 8,
				typeOptions: { minValue: 0, maxValue: 104 },
				description:
					'Weekly trend over this many calendar weeks, the last one the week of As Of (0 = none). Rows older than the trend and the period are not counted; the credit of an order or reply does not depend on it.',
			},
			{
				displayName: 'Week Starts On',
				name: 'weekStartsOn',
				type: 'options',
				default: 1,
				options: [
					{ name: 'Monday', value: 1 },
					{ name: 'Saturday', value: 6 },
					{ name: 'Sunday', value: 0 },
				],
				description: 'First day of a calendar week in the trend',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { operation: ['report'] } }, properties);

function readOptions(
	ctx: IExecuteFunctions,
): ReportOptions & { html: boolean; text: boolean; title: string } {
	const asOfMs = readNowParameter(ctx, 'asOf');
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const number = (value: unknown, fallback: number) =>
		typeof value === 'number' && Number.isFinite(value) ? value : fallback;
	const currency = String(ctx.getNodeParameter('currency', 0, 'EUR'))
		.trim()
		.toUpperCase();
	if (!/^[A-Z]{3}$/.test(currency)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Currency "${currency}" is not a 3-letter ISO 4217 code`,
			{
				itemIndex: 0,
				description: 'Use a code such as EUR, USD or GBP.',
			},
		);
	}
	const periodDays = number(ctx.getNodeParameter('periodDays', 0, 7), 7);
	const cost = readCost(ctx.getNodeParameter('cost', 0, ''));
	if (periodDays <= 0 || (cost !== null && !(cost >= 0))) {
		throw new NodeOperationError(
			ctx.getNode(),
			'Period must be at least one day and the cost empty or an amount of at least 0',
			{
				itemIndex: 0,
				description: 'Check "Period (Days)" and "Cost of the Period" (e.g. 250.00; empty when unknown).',
			},
		);
	}
	const zoneOption = typeof options.timeZone === 'string' ? options.timeZone.trim() : '';
	const timeZone = zoneOption || ctx.getTimezone() || 'UTC';
	if (!isValidTimeZone(timeZone)) {
		throw new NodeOperationError(ctx.getNode(), `"${timeZone}" is not an IANA time zone`, {
			itemIndex: 0,
			description: 'Use a zone such as Europe/Berlin, America/New_York or UTC (Options → Time Zone).',
		});
	}
	return {
		asOfMs,
		periodDays,
		cost,
		currency,
		trendWeeks: Math.max(0, Math.floor(number(options.trendWeeks, 8))),
		timeZone,
		weekStartsOn: Math.min(6, Math.max(0, Math.floor(number(options.weekStartsOn, 1)))),
		minBuyersPerArm: Math.max(1, Math.floor(number(options.minBuyersPerVariant, 10))),
		attributionDays: Math.max(0, number(options.attributionDays, 7)),
		minSamplePerArm: Math.max(1, Math.floor(number(options.minSamplePerVariant, 100))),
		alpha: Math.min(0.5, Math.max(0.0001, number(options.alpha, 0.05))),
		html: options.includeHtml !== false,
		text: options.includeText !== false,
		title:
			typeof options.title === 'string' && options.title.trim() !== ''
				? options.title.trim()
				: 'Story Leads — Report',
	};
}

/** The cost parameter: empty (or null) = not set; else a number, or NaN when unreadable. */
function readCost(value: unknown): number | null {
	if (value === null || value === undefined) return null;
	if (typeof value === 'number') return value;
	const textValue = String(value).trim();
	if (textValue === '') return null;
	return /^-?\d+(\.\d+)?$/.test(textValue) ? Number(textValue) : NaN;
}

/** Failures (configuration) throw; the router keeps them from failing open. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return run(this);
}

function run(ctx: IExecuteFunctions): INodeExecutionData[][] {
	const options = readOptions(ctx);
	const rows = INPUT_ORDER.map((_name, input) => inputRows(ctx, input));
	const empty: Array<{ input: number; index: number }> = [];
	const usable = rows.map((list, input) =>
		list.filter((json, index) => {
			if (!isEmptyRow(json)) return true;
			empty.push({ input, index });
			return false;
		}),
	);
	// Positions of the usable rows in their input, to pair results with the original items.
	const positions = rows.map((list) =>
		list.map((json, index) => (isEmptyRow(json) ? -1 : index)).filter((i) => i >= 0),
	);
	const contactsConnected = rows[3].length > 0;
	const result = buildFunnelReport(
		{
			events: usable[0],
			sendLog: usable[1],
			conversions: usable[2],
			contacts: contactsConnected ? usable[3] : null,
		},
		options,
	);
	const report: IDataObject = { ...(result.report as unknown as IDataObject) };
	if (options.html) report.html = renderReportHtml(result.report, { title: options.title });
	if (options.text) report.text = renderReportText(result.report, options.title);
	const pairedItems = INPUT_ORDER.flatMap((name, input) =>
		result.counted[name].map((index) => paired(positions[input][index], input)),
	);
	const notCounted: INodeExecutionData[] = result.notCounted.map((entry) => {
		const input = INPUT_ORDER.indexOf(entry.input);
		const original = positions[input][entry.index];
		return {
			json: {
				input: entry.input,
				reason: entry.reason,
				reasonText: entry.reasonText,
				row: rows[input][original],
			},
			pairedItem: paired(original, input),
		};
	});
	for (const { input, index } of empty) {
		notCounted.push({
			json: {
				input: INPUT_ORDER[input],
				reason: 'empty_item',
				reasonText: 'An empty item (an empty table read).',
				row: {},
			},
			pairedItem: paired(index, input),
		});
	}
	const reportPaired = pairedItems.length > 0 ? pairedItems : allPaired(ctx, INPUT_ORDER.length);
	return [
		[{ json: report, pairedItem: reportPaired.length > 0 ? reportPaired : { item: 0 } }],
		notCounted,
	];
}
