import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type IPairedItemData,
} from 'n8n-workflow';
import type { EventType } from '../../core/events/schema';
import { splitList } from '../../core/segment/options';
import { segmentViewers } from '../../core/segment/segment';
import {
	DEFAULT_ENGAGEMENT_TYPES,
	DEFAULT_WEIGHTS,
	type BotSignal,
	type CustomCondition,
	type CustomOperation,
	type SegmentOptions,
	type SegmentRules,
	type ViewerResult,
} from '../../core/segment/types';
import { readNowParameter } from '../../shared/items';
import { WEIGHT_PARAMETERS } from '../description';

function num(value: unknown, fallback: number): number {
	if (value === undefined || value === null || value === '') return fallback;
	return Number(value);
}

/** Reads the node's parameters (all at item 0: they configure the whole run, not one item). */
export function readOptions(ctx: IExecuteFunctions): SegmentOptions & { outputMode: string; routeMatch: string } {
	const chosen = new Set(ctx.getNodeParameter('segments', 0, []) as string[]);
	const rules: SegmentRules = {};
	const collection = (name: string) => ctx.getNodeParameter(name, 0, {}) as IDataObject;
	if (chosen.has('repeatViewer')) {
		rules.repeatViewer = { minStories: num(collection('repeatViewerOptions').minStories, 3) };
	}
	if (chosen.has('profileVisitor')) {
		const o = collection('profileVisitorOptions');
		rules.profileVisitor = { minVisits: num(o.minVisits, 1), countLinkClicks: o.countLinkClicks !== false };
	}
	if (chosen.has('highEngagement')) {
		const o = collection('highEngagementOptions');
		rules.highEngagement = {
			eventTypes: (o.eventTypes as EventType[] | undefined) ?? DEFAULT_ENGAGEMENT_TYPES,
			minInteractions: num(o.minInteractions, 1),
		};
	}
	if (chosen.has('languagePlace')) {
		const o = collection('languagePlaceOptions');
		rules.languagePlace = {
			field: String(o.field ?? 'locale'),
			values: splitList(String(ctx.getNodeParameter('languagePlaceValues', 0, ''))),
			match: o.match === 'exact' ? 'exact' : 'prefix',
		};
	}
	if (chosen.has('topScore')) {
		rules.topScore = { topPercent: num(collection('topScoreOptions').topPercent, 10) };
	}
	if (chosen.has('possibleBot')) {
		const o = collection('possibleBotOptions');
		rules.possibleBot = {
			maxFollowers: num(o.maxFollowers, 0),
			minSignals: num(o.minSignals, 2),
			signals: (o.signals as BotSignal[] | undefined) ?? ['noFollowers', 'emptyBio', 'noProfilePic'],
		};
	}
	const options = collection('options');
	const custom = (collection('customSegments').conditions as IDataObject[] | undefined) ?? [];
	if (custom.length > 0) {
		rules.custom = {
			caseSensitive: options.caseSensitive === true,
			conditions: custom.map(
				(c): CustomCondition => ({
					segment: String(c.segment ?? '').trim(),
					field: String(c.field ?? '').trim(),
					operation: String(c.operation ?? 'equals') as CustomOperation,
					value: String(c.value ?? ''),
				}),
			),
		};
	}
	const score = collection('scoreOptions');
	const weights: Partial<Record<EventType, number>> = {};
	for (const [type, name] of WEIGHT_PARAMETERS) weights[type] = num(score[name], DEFAULT_WEIGHTS[type]);
	return {
		asOfMs: readNowParameter(ctx, 'asOf'),
		windowDays: num(ctx.getNodeParameter('windowDays', 0, 7), 7),
		rules,
		weights,
		halfLifeDays: num(score.halfLifeDays, 0),
		maxItemsPerViewer: Math.max(1, Math.floor(num(options.maxPairedItems, 100))),
		stopOnInvalid: !ctx.continueOnFail(),
		outputMode: ctx.getNodeParameter('outputMode', 0, 'tag') as string,
		routeMatch: ctx.getNodeParameter('routeMatch', 0, 'first') as string,
	};
}

/** The JSON of a viewer item. */
export function viewerJson(viewer: ViewerResult, asOf: string, windowDays: number): IDataObject {
	return {
		viewerKey: viewer.viewerKey,
		viewerKeyType: viewer.viewerKeyType,
		segments: viewer.segments,
		score: viewer.score,
		rank: viewer.rank,
		stats: viewer.stats as unknown as IDataObject,
		reasons: viewer.reasons,
		asOf,
		windowDays,
	};
}

/** Segment's parameters all live in ../description.ts: the Tag and Route modes share them. */
export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const options = readOptions(this);
	const route = options.outputMode === 'route';
	const events = new Array<unknown>(items.length);
	for (let i = 0; i < items.length; i++) events[i] = items[i].json;

	let result;
	try {
		result = segmentViewers(events, options);
	} catch (error) {
		throw new NodeOperationError(this.getNode(), `Viewer Segment is not configured correctly: ${(error as Error).message}`, {
			itemIndex: 0,
			description: 'Fix the parameters named above.',
		});
	}
	const outputCount = route ? result.segmentOrder.length + 1 : 1;
	const outputs: INodeExecutionData[][] = Array.from({ length: outputCount }, () => []);

	if (result.invalid.length > 0 && !this.continueOnFail()) {
		const first = result.invalid[0];
		throw new NodeOperationError(this.getNode(), `Item ${first.index} is not a canonical event: ${first.reason}`, {
			itemIndex: first.index,
			description:
				'Feed this node events from Story Viewer Ingest (or the Data table it writes). Turn on "Continue on fail" to get refused items on the last output instead.',
		});
	}

	const asOf = new Date(options.asOfMs).toISOString();
	const outputIndex = new Map(result.segmentOrder.map((name, index) => [name, index]));
	const noSegment = outputCount - 1;
	for (const viewer of result.viewers) {
		const pairedItem: IPairedItemData[] = viewer.items.map((item) => ({ item }));
		const json = viewerJson(viewer, asOf, options.windowDays);
		if (!route) {
			outputs[0].push({ json, pairedItem });
			continue;
		}
		if (viewer.segments.length === 0) {
			outputs[noSegment].push({ json, pairedItem });
			continue;
		}
		const targets = options.routeMatch === 'all' ? viewer.segments : viewer.segments.slice(0, 1);
		for (const segment of targets) outputs[outputIndex.get(segment) as number].push({ json, pairedItem });
	}
	// Refused events (Continue on fail only): on the last output, after the viewers, in input order.
	for (const invalid of result.invalid) {
		outputs[outputCount - 1].push({
			json: { error: invalid.reason, reason: 'invalidEvent', itemIndex: invalid.index },
			pairedItem: { item: invalid.index },
		});
	}

	const s = result.summary;
	if (s.beforeWindow + s.afterAsOf > 0 || s.invalid > 0) {
		this.addExecutionHints({
			message:
				`${s.events} events: ${s.inWindow} in the window, ${s.beforeWindow} before it and ${s.afterAsOf} after As Of ignored` +
				`${s.invalid > 0 ? `, ${s.invalid} invalid` : ''}; ${s.viewers} viewers` +
				`${s.viewersOutsideWindowOnly > 0 ? ` (${s.viewersOutsideWindowOnly} more had no event in the window)` : ''}.`,
			location: 'outputPane',
		});
	}
	return outputs;
}
