import { DAY_MS } from '../time/instant';
import { calendarWeeks } from './weeks';
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
	/** Weekly trend: this many calendar weeks, the last one the (partial) week of as of (0 = none). */
	trendWeeks: number;
	/** IANA zone of the calendar weeks and their labels (default UTC). */
	timeZone: string;
	/** First day of a calendar week: 0 Sunday … 6 Saturday (default 1, Monday). */
	weekStartsOn: number;
	/** What the period cost (ads, tools, time); null = not set: no cost per lead, no ROI. */
	cost: number | null;
	/** ISO 4217 code; conversions in another currency are not counted. */
	currency: string;
	/** Days after a message within which a reply, click or conversion is credited to it (default 7). */
	attributionDays: number;
	minSamplePerArm: number;
	/** Buyers each arm needs before a verdict on revenue per recipient (default 10). */
	minBuyersPerArm: number;
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

export const STAGES = ['viewers', 'captured', 'eligible', 'messaged', 'converted'] as const;
export type StageName = (typeof STAGES)[number];
export const STAGE_LABELS: Record<StageName, string> = {
	viewers: 'Viewers',
	captured: 'Captured leads',
	eligible: 'Eligible (enrolled)',
	messaged: 'Messaged',
	converted: 'Converted',
};

export interface StageRow {
	stage: StageName;
	label: string;
	/** null when unknown (Eligible without contact state). */
	count: number | null;
	/** Share of the stage above (`rateOf`, whose count is `base`): every stage is a subset of the one above. */
	rate: number | null;
	rateOf: StageName | null;
	base: number | null;
	rateFromViewers: number | null;
}

/** What the people messaged (the funnel's Messaged stage) did, each a share of them. */
export interface Responses {
	base: number;
	replied: number;
	clicked: number;
	/** null when no open signal is tracked (no open event of any kind was read). */
	opened: number | null;
}

export interface SplitRow extends Record<StageName, number | null> {
	key: string;
	replied: number;
	clicked: number;
	/** Revenue credited by person to the converted people of the row. */
	revenue: number;
	conversionRate: number | null;
}

export interface TrendRow {
	/** First instant of the calendar week (local midnight in the report's zone), as UTC ISO. */
	weekStart: string;
	/** End (exclusive): the next week's start, or as of for the current week. */
	weekEnd: string;
	/** The week's first day in the report's zone (YYYY-MM-DD): the label. */
	weekOf: string;
	/** The current week, cut at as of. */
	partial: boolean;
	viewers: number;
	captured: number;
	messaged: number;
	converted: number;
	/** Orders placed in the week (all, net of fully refunded ones). */
	conversions: number;
	/** Their revenue, net of refunds. */
	revenue: number;
	/** Revenue credited to the week's messages. */
	creditedRevenue: number;
	costPerLead: number | null;
}

export interface FunnelReport {
	asOf: string;
	period: { from: string; to: string; days: number };
	timeZone: string;
	weekStartsOn: number;
	currency: string;
	/** null = not set. */
	cost: number | null;
	/** Nested: viewers ⊇ captured ⊇ eligible ⊇ messaged ⊇ converted, each a share of the stage above. */
	funnel: StageRow[];
	responses: Responses;
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
		/** Orders placed in the period, each once (fully refunded ones left out). */
		count: number;
		/** Their revenue net of refunds: every order, messaged or not. */
		revenue: number;
		/** Refunded of the period's orders. */
		refunded: number;
		/** Orders credited to the period's messages (last touch within the window), by person or by UTM. */
		attributedCount: number;
		attributedRevenue: number;
	};
	leads: number;
	costPerLead: number | null;
	/** All revenue ÷ leads. */
	revenuePerLead: number | null;
	/** Credited revenue ÷ leads. */
	creditedRevenuePerLead: number | null;
	/** The campaign's return: (credited revenue − cost) ÷ cost. */
	campaignRoi: number | null;
	/** (All revenue − cost) ÷ cost: includes shoppers who were never messaged. */
	roiAllRevenue: number | null;
	attribution: { days: number; rule: string };
	bySegment: SplitRow[];
	bySource: SplitRow[];
	bySequence: GroupRow[];
	byStep: GroupRow[];
	variants: VariantRow[];
	abTest: {
		method: string;
		minSamplePerArm: number;
		minBuyersPerArm: number;
		alpha: number;
		attributionDays: number;
	};
	trend: TrendRow[];
	rows: Record<RowInput, { counted: number; notCounted: number }>;
}

export interface ReportResult {
	report: FunnelReport;
	notCounted: NotCounted[];
	/** Indexes of the rows that were counted, per input (for pairedItem). */
	counted: Record<RowInput, number[]>;
}

/** The attribution rule in one sentence, as the page states it. */
export function attributionRule(days: number): string {
	return (
		`Orders, replies and clicks are credited to the last sequence message sent before them within ${days} ` +
		`day${days === 1 ? '' : 's'}: the last one to the same person, or, for an order that carries only UTM ` +
		'campaign and content, the last message sent with those values. The period and trend settings do not change the credit.'
	);
}

const AB_METHOD =
	'Conversion rate: two-sided two-proportion z-test when every arm expects at least 5 buyers and 5 non-buyers, ' +
	'else Fisher\'s exact test; revenue per recipient: z-test of means (Welch), once each arm has the minimum buyers. ' +
	'Each variant against the control, Bonferroni-corrected.';

/** The funnel of a period from the stored rows. Same rows (in any order) and options ⇒ the same report. */
export function buildFunnelReport(inputs: ReportInputs, options: ReportOptions): ReportResult {
	const to = options.asOfMs;
	const from = to - options.periodDays * DAY_MS;
	const weeks = calendarWeeks(to, options.trendWeeks, options.timeZone, options.weekStartsOn);
	const rangeStart = Math.min(from, ...weeks.map((w) => w.start));
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
	const { orders, refunds } = netConversions(
		take<ConversionRow>('conversions', inputs.conversions, readConversion, (r) => r.at),
		options.currency.toUpperCase(),
		notCounted,
		counted,
	);
	const contacts =
		inputs.contacts === null
			? null
			: rowsOf(take<ContactRow>('contacts', inputs.contacts, readContact, () => undefined));

	const data = prepare(events, sends, orders, refunds, contacts, options.attributionDays * DAY_MS);
	const m = measure(data, from, to);
	const f = nestedFunnel(m, data, to);
	const cost = options.cost;
	const leads = f.captured.size;
	const perLead = (value: number) => (leads === 0 ? null : money(value / leads));
	const roi = (value: number) => (cost === null || cost <= 0 ? null : ratio(value - cost, cost));
	const report: FunnelReport = {
		asOf: iso(to),
		period: { from: iso(from), to: iso(to), days: options.periodDays },
		timeZone: options.timeZone,
		weekStartsOn: options.weekStartsOn,
		currency: options.currency.toUpperCase(),
		cost: cost === null ? null : money(cost),
		funnel: stageRows(f),
		responses: {
			base: f.messaged.size,
			replied: f.replied.size,
			clicked: f.clicked.size,
			opened: m.opensTracked ? f.opened.size : null,
		},
		rates: {
			capture: ratio(f.captured.size, f.viewers.size),
			eligible: ratio(f.eligible?.size ?? null, f.captured.size),
			messaged: ratio(f.messaged.size, f.eligible?.size ?? f.captured.size),
			open: m.opensTracked ? ratio(f.opened.size, f.messaged.size) : null,
			reply: ratio(f.replied.size, f.messaged.size),
			click: ratio(f.clicked.size, f.messaged.size),
			conversion: ratio(f.converted.size, f.messaged.size),
			viewerToConversion: ratio(f.converted.size, f.viewers.size),
		},
		conversions: {
			count: m.conversions,
			revenue: money(m.revenue),
			refunded: money(m.refunded),
			attributedCount: m.attributedConversions,
			attributedRevenue: money(m.attributedRevenue),
		},
		leads,
		costPerLead: cost === null ? null : perLead(cost),
		revenuePerLead: perLead(m.revenue),
		creditedRevenuePerLead: perLead(m.attributedRevenue),
		campaignRoi: roi(m.attributedRevenue),
		roiAllRevenue: roi(m.revenue),
		attribution: { days: options.attributionDays, rule: attributionRule(options.attributionDays) },
		bySegment: splitBy(f, m, segmentsOf(data, from, to)),
		bySource: splitBy(f, m, sourcesOf(data, from, to)),
		bySequence: splitBySends(data, from, to, false),
		byStep: splitBySends(data, from, to, true),
		variants: variantTable(data, from, to, options),
		abTest: {
			method: AB_METHOD,
			minSamplePerArm: options.minSamplePerArm,
			minBuyersPerArm: options.minBuyersPerArm,
			alpha: options.alpha,
			attributionDays: options.attributionDays,
		},
		trend: weeks.map((week) => trendRow(data, week, options)),
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

/**
 * Each order once per orderId, refunds netted: a refund row (negative value or `type: refund`) lowers the order
 * with its orderId (never below 0); a later re-post of the order with value 0 refunds all of it; any other repeat
 * of an orderId is a duplicate (a retried webhook). A refund whose order is not among the rows read, and rows in
 * another currency, are set aside with the reason. A fully refunded order is no longer an order.
 */
function netConversions(
	rows: Array<{ row: ConversionRow; index: number }>,
	currency: string,
	notCounted: NotCounted[],
	counted: ReportResult['counted'],
): { orders: ConversionRow[]; refunds: ReportData['refunds'] } {
	const drop = (index: number, reason: NotCountedReason, reasonText: string) => {
		notCounted.push({ input: 'conversions', index, reason, reasonText });
		counted.conversions = counted.conversions.filter((i) => i !== index);
	};
	const kept = new Map<string, { row: ConversionRow; index: number; refunded: number }>();
	const refundKeys = new Set<string>();
	const ordered = [...rows].sort(
		(a, b) => a.row.at - b.row.at || Number(a.row.refund) - Number(b.row.refund) || a.index - b.index,
	);
	for (const entry of ordered) {
		const { row, index } = entry;
		if (row.currency !== currency) {
			drop(index, 'currency_mismatch', `In ${row.currency}; the report is in ${currency}.`);
			continue;
		}
		const order = kept.get(row.orderId);
		const cancels = !row.refund && row.value === 0 && order !== undefined && order.row.value > 0;
		if (!row.refund && !cancels) {
			if (order) {
				drop(index, 'duplicate_order', `Order ${row.orderId} is already counted (row ${order.index}).`);
				continue;
			}
			kept.set(row.orderId, { row: { ...row }, index, refunded: 0 });
			continue;
		}
		if (!order) {
			drop(
				index,
				'refund_without_order',
				`Refund of order ${row.orderId}, which is not among the orders read (placed before them, or never recorded).`,
			);
			continue;
		}
		const refundKey = `${row.orderId}\u0000${row.value}\u0000${row.at}`;
		if (row.refund && refundKeys.has(refundKey)) {
			drop(index, 'duplicate_order', `This refund of order ${row.orderId} is already counted.`);
			continue;
		}
		refundKeys.add(refundKey);
		const amount = cancels ? order.row.value : Math.min(order.row.value, -row.value);
		order.row.value -= amount;
		order.refunded += amount;
	}
	const orders: ConversionRow[] = [];
	const refunds: ReportData['refunds'] = [];
	for (const { row, refunded } of kept.values()) {
		if (refunded > 0) refunds.push({ at: row.at, amount: refunded });
		if (!(refunded > 0 && row.value <= 0)) orders.push(row);
	}
	return { orders, refunds };
}

/** The nested cohort: each stage the people of the stage above who also reached it. */
interface NestedFunnel {
	viewers: Set<string>;
	captured: Set<string>;
	eligible: Set<string> | null;
	messaged: Set<string>;
	converted: Set<string>;
	replied: Set<string>;
	clicked: Set<string>;
	opened: Set<string>;
}

const within = (set: ReadonlySet<string>, of: ReadonlySet<string>) =>
	new Set([...set].filter((key) => of.has(key)));

/**
 * Viewers of the period ⊇ captured leads (they interacted) ⊇ eligible (enrolled by as of, when contact state is
 * connected) ⊇ messaged (sent a sequence message in the period) ⊇ converted (an order credited to one of those
 * messages). Replies, clicks and opens are shares of the messaged. A message to someone captured earlier counts in
 * the tables by step and variant, not here.
 */
function nestedFunnel(m: Measures, data: ReportData, to: number): NestedFunnel {
	const captured = within(m.captured, m.viewers);
	let eligible: Set<string> | null = null;
	if (data.contacts) {
		const enrolled = new Set(
			data.contacts
				.filter((c) => c.enrolledAt !== undefined && c.enrolledAt < to)
				.map((c) => c.contactId),
		);
		eligible = within(captured, enrolled);
	}
	const messaged = within(m.messaged, eligible ?? captured);
	return {
		viewers: m.viewers,
		captured,
		eligible,
		messaged,
		converted: within(m.converted, messaged),
		replied: within(m.replied, messaged),
		clicked: within(m.clicked, messaged),
		opened: within(m.opened, messaged),
	};
}

function stageRows(f: NestedFunnel): StageRow[] {
	const counts: Record<StageName, number | null> = {
		viewers: f.viewers.size,
		captured: f.captured.size,
		eligible: f.eligible?.size ?? null,
		messaged: f.messaged.size,
		converted: f.converted.size,
	};
	let previous: StageName | null = null;
	return STAGES.map((stage) => {
		const count = counts[stage];
		const base = previous === null ? null : counts[previous];
		const row: StageRow = {
			stage,
			label: STAGE_LABELS[stage],
			count,
			rate: count === null ? null : ratio(count, base),
			rateOf: count === null ? null : previous,
			base: count === null ? null : base,
			rateFromViewers: stage === 'viewers' ? null : ratio(count, f.viewers.size),
		};
		if (count !== null) previous = stage;
		return row;
	});
}

/**
 * Segments per person: the contact state's, else those of their first event of the period with segments (never of
 * an event before it, so the trend's length cannot change the table); people with none are `none`.
 */
function segmentsOf(data: ReportData, from: number, to: number): (key: string) => string[] {
	const map = new Map<string, string[]>();
	const inPeriod = data.events
		.filter((e) => e.at >= from && e.at < to && e.segments.length > 0)
		.sort((a, b) => a.at - b.at || cmp(a.viewerKey, b.viewerKey) || cmp(a.segments.join(), b.segments.join()));
	for (const event of inPeriod)
		if (!map.has(event.viewerKey)) map.set(event.viewerKey, event.segments);
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

/** The nested funnel per group (segment, source): the same stages, so each row is a funnel too. */
function splitBy(f: NestedFunnel, m: Measures, groupsOf: (key: string) => string[]): SplitRow[] {
	const rows = new Map<string, SplitRow>();
	const row = (key: string): SplitRow => {
		let r = rows.get(key);
		if (!r) {
			r = {
				key,
				viewers: 0,
				captured: 0,
				eligible: f.eligible ? 0 : null,
				messaged: 0,
				converted: 0,
				replied: 0,
				clicked: 0,
				revenue: 0,
				conversionRate: null,
			};
			rows.set(key, r);
		}
		return r;
	};
	const sets: Array<[StageName | 'replied' | 'clicked', Set<string> | null]> = [
		['viewers', f.viewers],
		['captured', f.captured],
		['eligible', f.eligible],
		['messaged', f.messaged],
		['converted', f.converted],
		['replied', f.replied],
		['clicked', f.clicked],
	];
	for (const [stage, set] of sets) {
		for (const key of set ?? [])
			for (const group of groupsOf(key)) (row(group)[stage] as number) += 1;
	}
	for (const contact of f.converted)
		for (const group of groupsOf(contact))
			row(group).revenue += m.revenueByContact.get(contact) ?? 0;
	return [...rows.values()]
		.map((r) => ({
			...r,
			revenue: money(r.revenue),
			conversionRate: ratio(r.converted, r.messaged),
		}))
		.sort((a, b) => cmp(a.key, b.key));
}

function trendRow(
	data: ReportData,
	week: { start: number; end: number; label: string; partial: boolean },
	options: ReportOptions,
): TrendRow {
	const m = measure(data, week.start, week.end);
	const f = nestedFunnel(m, data, week.end);
	// The period's cost spread evenly over its days, so a partial week carries its share.
	const weekCost =
		options.cost === null
			? null
			: (options.cost * (week.end - week.start)) / (options.periodDays * DAY_MS);
	return {
		weekStart: iso(week.start),
		weekEnd: iso(week.end),
		weekOf: week.label,
		partial: week.partial,
		viewers: f.viewers.size,
		captured: f.captured.size,
		messaged: f.messaged.size,
		converted: f.converted.size,
		conversions: m.conversions,
		revenue: money(m.revenue),
		creditedRevenue: money(m.attributedRevenue),
		costPerLead:
			weekCost === null || f.captured.size === 0 ? null : money(weekCost / f.captured.size),
	};
}
