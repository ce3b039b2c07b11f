import { DAY_MS } from '../time/instant';
import { cmp } from './attribution';
import { measure, money, prepare, ratio, type Measures, type ReportData } from './measure';
import {
	iso,
	readContact,
	readConversion,
	readEvent,
	readSend,
	type ContactRow,
	type ConversionRow,
	type EventRow,
	type NotCountedReason,
	type Read,
	type RowInput,
	type SendRow,
} from './rows';
import { splitBySends, variantTable, type GroupRow, type VariantRow } from './variants';

export interface ReportOptions {
	/** End of the period (exclusive) and the moment nothing later is counted. */
	asOfMs: number;
	/** Length of the reported period, ending at as of (default 7). */
	periodDays: number;
	/** Weekly trend: this many weeks ending at as of (0 = none). */
	trendWeeks: number;
	/** What the period cost (ads, tools, time); null = unknown, no cost per lead. */
	cost: number | null;
	/** ISO 4217 code; conversions in another currency are not counted. */
	currency: string;
	/** Days after a message within which a reply, click or conversion is credited to it (default 7). */
	attributionDays: number;
	minSamplePerArm: number;
	alpha: number;
}

type Json = Readonly<Record<string, unknown>>;

export interface ReportInputs {
	events: readonly Json[];
	sendLog: readonly Json[];
	conversions: readonly Json[];
	/** Stored contact state (cadence rows); null when not connected. */
	contacts: readonly Json[] | null;
}

export interface NotCounted {
	input: RowInput;
	/** Position of the row in its input. */
	index: number;
	reason: NotCountedReason;
	reasonText: string;
}

export const STAGES = [
	'viewers',
	'captured',
	'eligible',
	'messaged',
	'replied',
	'clicked',
	'converted',
] as const;
export type StageName = (typeof STAGES)[number];
export const STAGE_LABELS: Record<StageName, string> = {
	viewers: 'Viewers',
	captured: 'Captured leads',
	eligible: 'Eligible (enrolled)',
	messaged: 'Messaged',
	replied: 'Replied',
	clicked: 'Clicked',
	converted: 'Converted',
};

/** Outcomes of a message: each is a share of the people messaged, not of the stage drawn above it. */
const OUTCOMES: ReadonlySet<StageName> = new Set<StageName>(['replied', 'clicked', 'converted']);

export interface StageRow {
	stage: StageName;
	label: string;
	/** null when unknown (Eligible without contact state). */
	count: number | null;
	/** Share of `rateOf`: the stage before, except that replied, clicked and converted are each shares of messaged. */
	rate: number | null;
	rateOf: StageName | null;
	rateFromViewers: number | null;
}

export interface SplitRow extends Record<StageName, number | null> {
	key: string;
	revenue: number;
	conversionRate: number | null;
}

export interface TrendRow {
	weekStart: string;
	weekEnd: string;
	viewers: number;
	captured: number;
	messaged: number;
	converted: number;
	conversions: number;
	revenue: number;
	costPerLead: number | null;
}

export interface FunnelReport {
	asOf: string;
	period: { from: string; to: string; days: number };
	currency: string;
	cost: number | null;
	funnel: StageRow[];
	rates: Record<
		| 'capture'
		| 'eligible'
		| 'messaged'
		| 'open'
		| 'reply'
		| 'click'
		| 'conversion'
		| 'viewerToConversion',
		number | null
	>;
	conversions: {
		count: number;
		revenue: number;
		attributedCount: number;
		attributedRevenue: number;
	};
	leads: number;
	costPerLead: number | null;
	revenuePerLead: number | null;
	roi: number | null;
	bySegment: SplitRow[];
	bySource: SplitRow[];
	bySequence: GroupRow[];
	byStep: GroupRow[];
	variants: VariantRow[];
	abTest: { method: string; minSamplePerArm: number; alpha: number; attributionDays: number };
	trend: TrendRow[];
	rows: Record<RowInput, { counted: number; notCounted: number }>;
}

export interface ReportResult {
	report: FunnelReport;
	notCounted: NotCounted[];
	/** Indexes of the rows that were counted, per input (for pairedItem). */
	counted: Record<RowInput, number[]>;
}

const WEEK_MS = 7 * DAY_MS;

/** The funnel of a period from the stored rows. Same rows (in any order) and options ⇒ the same report. */
export function buildFunnelReport(inputs: ReportInputs, options: ReportOptions): ReportResult {
	const to = options.asOfMs;
	const from = to - options.periodDays * DAY_MS;
	const rangeStart = Math.min(from, to - options.trendWeeks * WEEK_MS);
	const notCounted: NotCounted[] = [];
	const counted: ReportResult['counted'] = {
		events: [],
		sendLog: [],
		conversions: [],
		contacts: [],
	};

	const take = <T>(
		input: RowInput,
		rows: readonly Json[],
		read: (json: Record<string, unknown>) => Read<T>,
		at: (row: T) => number | undefined,
	): Array<{ row: T; index: number }> => {
		const out: Array<{ row: T; index: number }> = [];
		rows.forEach((json, index) => {
			const result = read(json);
			const when = result.ok ? at(result.row) : undefined;
			let refusal: Omit<NotCounted, 'input' | 'index'> | undefined;
			if (!result.ok) refusal = { reason: result.reason, reasonText: result.reasonText };
			else if (when !== undefined && when >= to)
				refusal = { reason: 'after_as_of', reasonText: `After as of (${iso(to)}).` };
			else if (when !== undefined && when < rangeStart)
				refusal = { reason: 'before_period', reasonText: `Before ${iso(rangeStart)}.` };
			if (refusal || !result.ok) {
				notCounted.push({ input, index, ...(refusal as Omit<NotCounted, 'input' | 'index'>) });
				return;
			}
			counted[input].push(index);
			out.push({ row: result.row, index });
		});
		return out;
	};
	const rowsOf = <T>(list: Array<{ row: T }>) => list.map((entry) => entry.row);
	const events = rowsOf(take<EventRow>('events', inputs.events, readEvent, (r) => r.at));
	const sends = rowsOf(take<SendRow>('sendLog', inputs.sendLog, readSend, (r) => r.at));
	const conversions = dedupeConversions(
		take<ConversionRow>('conversions', inputs.conversions, readConversion, (r) => r.at),
		options.currency.toUpperCase(),
		notCounted,
		counted,
	);
	const contacts =
		inputs.contacts === null
			? null
			: rowsOf(take<ContactRow>('contacts', inputs.contacts, readContact, () => undefined));

	const data = prepare(events, sends, conversions, contacts, options.attributionDays * DAY_MS);
	const m = measure(data, from, to);
	const report: FunnelReport = {
		asOf: iso(to),
		period: { from: iso(from), to: iso(to), days: options.periodDays },
		currency: options.currency.toUpperCase(),
		cost: options.cost === null ? null : money(options.cost),
		funnel: stageRows(m),
		rates: {
			capture: ratio(m.captured.size, m.viewers.size),
			eligible: ratio(m.eligible?.size ?? null, m.captured.size),
			messaged: ratio(m.messaged.size, m.eligible?.size ?? m.captured.size),
			open: ratio(m.opened.size, m.messaged.size),
			reply: ratio(m.replied.size, m.messaged.size),
			click: ratio(m.clicked.size, m.messaged.size),
			conversion: ratio(m.converted.size, m.messaged.size),
			viewerToConversion: ratio(m.converted.size, m.viewers.size),
		},
		conversions: {
			count: m.conversions,
			revenue: money(m.revenue),
			attributedCount: m.attributedConversions,
			attributedRevenue: money(m.attributedRevenue),
		},
		leads: m.captured.size,
		costPerLead:
			options.cost === null || m.captured.size === 0 ? null : money(options.cost / m.captured.size),
		revenuePerLead: m.captured.size === 0 ? null : money(m.revenue / m.captured.size),
		roi:
			options.cost === null || options.cost <= 0
				? null
				: ratio(m.revenue - options.cost, options.cost),
		bySegment: splitBy(m, segmentsOf(data)),
		bySource: splitBy(m, sourcesOf(data, from, to)),
		bySequence: splitBySends(data, from, to, false),
		byStep: splitBySends(data, from, to, true),
		variants: variantTable(data, from, to, options),
		abTest: {
			method:
				'Two-sided two-proportion z-test on the conversion rate and z-test of means on revenue per recipient, each variant against the control, Bonferroni-corrected',
			minSamplePerArm: options.minSamplePerArm,
			alpha: options.alpha,
			attributionDays: options.attributionDays,
		},
		trend: trendRows(data, to, options),
		rows: {
			events: {
				counted: counted.events.length,
				notCounted: inputs.events.length - counted.events.length,
			},
			sendLog: {
				counted: counted.sendLog.length,
				notCounted: inputs.sendLog.length - counted.sendLog.length,
			},
			conversions: {
				counted: counted.conversions.length,
				notCounted: inputs.conversions.length - counted.conversions.length,
			},
			contacts: {
				counted: counted.contacts.length,
				notCounted: (inputs.contacts?.length ?? 0) - counted.contacts.length,
			},
		},
	};
	notCounted.sort((a, b) => cmp(a.input, b.input) || a.index - b.index);
	return { report, notCounted, counted };
}

/** Once per orderId (the earliest, then the first row); other currencies are set aside. */
function dedupeConversions(
	rows: Array<{ row: ConversionRow; index: number }>,
	currency: string,
	notCounted: NotCounted[],
	counted: ReportResult['counted'],
): ConversionRow[] {
	const drop = (index: number, reason: NotCountedReason, reasonText: string) => {
		notCounted.push({ input: 'conversions', index, reason, reasonText });
		counted.conversions = counted.conversions.filter((i) => i !== index);
	};
	const kept = new Map<string, { row: ConversionRow; index: number }>();
	const ordered = [...rows].sort((a, b) => a.row.at - b.row.at || a.index - b.index);
	for (const entry of ordered) {
		const { row, index } = entry;
		if (row.currency !== currency) {
			drop(index, 'currency_mismatch', `In ${row.currency}; the report is in ${currency}.`);
			continue;
		}
		const first = kept.get(row.orderId);
		if (first) {
			drop(
				index,
				'duplicate_order',
				`Order ${row.orderId} is already counted (row ${first.index}).`,
			);
			continue;
		}
		kept.set(row.orderId, entry);
	}
	return [...kept.values()].map((entry) => entry.row);
}

function stageRows(m: Measures): StageRow[] {
	const counts: Record<StageName, number | null> = {
		viewers: m.viewers.size,
		captured: m.captured.size,
		eligible: m.eligible?.size ?? null,
		messaged: m.messaged.size,
		replied: m.replied.size,
		clicked: m.clicked.size,
		converted: m.converted.size,
	};
	let previous: StageName | null = null;
	return STAGES.map((stage) => {
		const count = counts[stage];
		const rateOf: StageName | null = OUTCOMES.has(stage) ? 'messaged' : previous;
		const row: StageRow = {
			stage,
			label: STAGE_LABELS[stage],
			count,
			rate: rateOf === null ? null : ratio(count, counts[rateOf]),
			rateOf,
			rateFromViewers: stage === 'viewers' ? null : ratio(count, m.viewers.size),
		};
		if (count !== null && !OUTCOMES.has(stage)) previous = stage;
		return row;
	});
}

/** Segments per person: the contact state's, else the events'; people with none are `none`. */
function segmentsOf(data: ReportData): (key: string) => string[] {
	const map = new Map<string, string[]>();
	for (const event of data.events)
		if (event.segments.length > 0 && !map.has(event.viewerKey))
			map.set(event.viewerKey, event.segments);
	for (const contact of data.contacts ?? [])
		if (contact.segments.length > 0) map.set(contact.contactId, contact.segments);
	return (key) => map.get(key) ?? ['none'];
}

/** Source per person: that of their first event in the period (else of the range), e.g. webhook or csv_upload. */
function sourcesOf(data: ReportData, from: number, to: number): (key: string) => string[] {
	const first = new Map<string, { at: number; source: string; inPeriod: boolean }>();
	for (const e of data.events) {
		const inPeriod = e.at >= from && e.at < to;
		const best = first.get(e.viewerKey);
		const better =
			!best ||
			(inPeriod && !best.inPeriod) ||
			(inPeriod === best.inPeriod &&
				(e.at < best.at || (e.at === best.at && e.source < best.source)));
		if (better) first.set(e.viewerKey, { at: e.at, source: e.source, inPeriod });
	}
	return (key) => [first.get(key)?.source ?? 'unknown'];
}

function splitBy(m: Measures, groupsOf: (key: string) => string[]): SplitRow[] {
	const rows = new Map<string, SplitRow>();
	const row = (key: string): SplitRow => {
		let r = rows.get(key);
		if (!r) {
			r = {
				key,
				viewers: 0,
				captured: 0,
				eligible: m.eligible ? 0 : null,
				messaged: 0,
				replied: 0,
				clicked: 0,
				converted: 0,
				revenue: 0,
				conversionRate: null,
			};
			rows.set(key, r);
		}
		return r;
	};
	const sets: Array<[StageName, Set<string> | null]> = [
		['viewers', m.viewers],
		['captured', m.captured],
		['eligible', m.eligible],
		['messaged', m.messaged],
		['replied', m.replied],
		['clicked', m.clicked],
		['converted', m.converted],
	];
	for (const [stage, set] of sets) {
		for (const key of set ?? [])
			for (const group of groupsOf(key)) (row(group)[stage] as number) += 1;
	}
	for (const [contact, value] of m.revenueByContact)
		for (const group of groupsOf(contact)) row(group).revenue += value;
	return [...rows.values()]
		.map((r) => ({
			...r,
			revenue: money(r.revenue),
			conversionRate: ratio(r.converted, r.messaged),
		}))
		.sort((a, b) => cmp(a.key, b.key));
}

function trendRows(data: ReportData, to: number, options: ReportOptions): TrendRow[] {
	const rows: TrendRow[] = [];
	for (let k = options.trendWeeks - 1; k >= 0; k--) {
		const weekEnd = to - k * WEEK_MS;
		const weekStart = weekEnd - WEEK_MS;
		const m = measure(data, weekStart, weekEnd);
		const weeklyCost = options.cost === null ? null : (options.cost * 7) / options.periodDays;
		rows.push({
			weekStart: iso(weekStart),
			weekEnd: iso(weekEnd),
			viewers: m.viewers.size,
			captured: m.captured.size,
			messaged: m.messaged.size,
			converted: m.converted.size,
			conversions: m.conversions,
			revenue: money(m.revenue),
			costPerLead:
				weeklyCost === null || m.captured.size === 0 ? null : money(weeklyCost / m.captured.size),
		});
	}
	return rows;
}
