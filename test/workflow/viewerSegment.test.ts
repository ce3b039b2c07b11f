import {
	NodeConnectionTypes,
	NodeHelpers,
	Workflow,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type INodeTypes,
} from 'n8n-workflow';
import { ViewerSegment } from '../../nodes/ViewerSegment/ViewerSegment.node';
import { PACKAGE, runSingleNode, runWorkflow } from '../helpers/workflow';

const TYPE = `${PACKAGE}.viewerSegment`;
const AS_OF = '2026-11-22T12:00:00.000Z';
const AS_OF_MS = Date.parse(AS_OF);
const DAY = 86_400_000;

let counter = 0;
function ev(viewer: string, type: string, ago: number, more: IDataObject = {}): IDataObject {
	counter += 1;
	const at = new Date(AS_OF_MS - ago).toISOString();
	return {
		eventId: `ev_${counter}`,
		viewerKey: viewer,
		viewerKeyType: 'handle',
		type,
		occurredAt: at,
		ingestedAt: at,
		source: 'csv',
		sourceTool: 'test',
		...more,
	};
}

/** anna: 3 stories + a reply (high engagement, repeat viewer); bob: a profile visit; bot: empty profile; old: outside. */
const EVENTS: IDataObject[] = [
	ev('anna', 'view', 2 * DAY, { storyId: 's1', locale: 'de_DE' }),
	ev('bob', 'profile_visit', DAY),
	ev('anna', 'view', DAY, { storyId: 's2' }),
	ev('bot', 'view', DAY, { storyId: 's1', extra: { followerCount: 0, bio: '' } }),
	ev('anna', 'view', DAY, { storyId: 's3' }),
	ev('old', 'view', 9 * DAY, { storyId: 's1' }),
	ev('anna', 'story_reply', 0.5 * DAY, { storyId: 's3' }),
	ev('carl', 'view', 3 * DAY, { storyId: 's1' }),
];

const BASE = { asOf: AS_OF, windowDays: 7 };
const nodeTypes = { [TYPE]: new ViewerSegment() };

async function runNode(parameters: IDataObject, events: IDataObject[] = EVENTS, continueOnFail = false) {
	return await runSingleNode({ type: TYPE, parameters: { ...BASE, ...parameters }, inputs: [events], continueOnFail }, { nodeTypes });
}

function keys(items: INodeExecutionData[]): string[] {
	return items.map((item) => String(item.json.viewerKey));
}

describe('Viewer Segment in a workflow: tag mode', () => {
	it('emits one item per viewer with segments, score, stats, reasons and an array pairedItem', async () => {
		const result = await runNode({});
		expect(result.error).toBeUndefined();
		const [viewers] = result.outputOf('Node Under Test');
		expect(keys(viewers)).toEqual(['anna', 'bob', 'bot', 'carl']);
		expect(viewers[0].json).toEqual({
			viewerKey: 'anna',
			viewerKeyType: 'handle',
			segments: ['highEngagement', 'repeatViewer', 'topScore'],
			score: 8,
			rank: 1,
			stats: {
				distinctStories: 3,
				events: { view: 3, story_reply: 1 },
				eventsInWindow: 4,
				ignoredOutsideWindow: 0,
				firstSeen: new Date(AS_OF_MS - 2 * DAY).toISOString(),
				lastSeen: new Date(AS_OF_MS - 0.5 * DAY).toISOString(),
				engagedAfterView: true,
				locale: 'de_DE',
			},
			reasons: [
				'replied to a story 1 time in 7 days, after viewing a story',
				'viewed 3 stories in 7 days',
				'score 8 is in the top 10 % (rank 1 of 3)',
			],
			asOf: AS_OF,
			windowDays: 7,
		});
		expect(viewers[0].pairedItem).toEqual([{ item: 0 }, { item: 2 }, { item: 4 }, { item: 6 }]);
		expect(viewers[1].json.segments).toEqual(['profileVisitor']);
		expect(viewers[2].json.segments).toEqual(['possibleBot']);
		expect(viewers[2].json.reasons).toEqual(['possible bot: 0 followers, empty bio (excluded from other segments)']);
		expect(viewers[2].pairedItem).toEqual([{ item: 3 }]);
		expect(viewers[3].json.segments).toEqual([]);
	});

	it('reads rule options from the collections, and As of from an expression', async () => {
		const result = await runNode({
			asOf: '={{ "2026-11-22T12:00:00.000Z" }}',
			segments: ['repeatViewer', 'languagePlace'],
			repeatViewerOptions: { minStories: 4 },
			languagePlaceValues: 'de, fr',
			customSegments: { conditions: [{ segment: 'replied', field: 'stats.events.story_reply', operation: 'gte', value: '1' }] },
			scoreOptions: { weightView: 0, weightStoryReply: 10 },
		});
		const [viewers] = result.outputOf('Node Under Test');
		expect(viewers.map((v) => [v.json.viewerKey, v.json.segments, v.json.score])).toEqual([
			['anna', ['languagePlace', 'replied'], 10],
			['bob', [], 3],
			['bot', [], 0],
			['carl', [], 0],
		]);
	});

	it('is byte-identical for reordered input with the same As of', async () => {
		const first = await runNode({ segments: ['repeatViewer', 'topScore', 'possibleBot'] });
		const second = await runNode({ segments: ['repeatViewer', 'topScore', 'possibleBot'] }, EVENTS.slice().reverse());
		const json = (r: typeof first) => JSON.stringify(r.outputOf('Node Under Test')[0].map((i) => i.json));
		expect(json(second)).toBe(json(first));
	});
});

describe('Viewer Segment on events read back from a Data table', () => {
	it('treats null cells as absent and ignores the table columns: same result as the events as stored', async () => {
		const optional = ['storyId', 'context', 'keyword', 'locale', 'text', 'extra'];
		const rows = EVENTS.map((event, index) => {
			const row: IDataObject = { id: index + 1, createdAt: AS_OF, updatedAt: AS_OF };
			for (const [key, value] of Object.entries(event)) row[key] = value;
			for (const key of optional) if (!(key in row)) row[key] = null;
			return row;
		});
		const segments = ['repeatViewer', 'highEngagement', 'profileVisitor', 'possibleBot', 'languagePlace'];
		const parameters = { segments, languagePlaceValues: 'de' };
		const stored = await runNode(parameters);
		const readBack = await runNode(parameters, rows);
		expect(readBack.error).toBeUndefined();
		const [viewers, invalid = []] = readBack.outputOf('Node Under Test');
		expect(invalid).toEqual([]);
		expect(viewers.map((v) => v.json)).toEqual(stored.outputOf('Node Under Test')[0].map((v) => v.json));
		expect(viewers.find((v) => v.json.viewerKey === 'anna')?.json.segments).toContain('languagePlace');
	});
});

describe('Viewer Segment in a workflow: route mode', () => {
	it('sends each viewer to the output of its first segment in priority order, the rest to No Segment', async () => {
		const result = await runNode({ outputMode: 'route', routeMatch: 'first' });
		const outputs = result.outputOf('Node Under Test');
		// High Engagement, Profile Visitor, Repeat Viewer, Top Score, Possible Bot, No Segment.
		expect(outputs.map(keys)).toEqual([['anna'], ['bob'], [], [], ['bot'], ['carl']]);
		expect(outputs[5][0].pairedItem).toEqual([{ item: 7 }]);
	});

	it('sends a viewer to every matching output with "all"', async () => {
		const result = await runNode({
			outputMode: 'route',
			routeMatch: 'all',
			segments: ['repeatViewer', 'highEngagement'],
			customSegments: { conditions: [{ segment: 'germans', field: 'locale', operation: 'startsWith', value: 'de' }] },
		});
		const outputs = result.outputOf('Node Under Test');
		expect(outputs.map(keys)).toEqual([['anna'], ['anna'], ['anna'], ['bob', 'bot', 'carl']]);
	});

	it('declares its outputs from the parameters, and downstream nodes receive each branch', async () => {
		const parameters = { ...BASE, outputMode: 'route', segments: ['repeatViewer', 'possibleBot'] };
		const description = new ViewerSegment().description;
		const node: INode = {
			id: 'vs',
			name: 'Segment',
			type: TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters,
		};
		const registry = {
			getByName: () => new ViewerSegment(),
			getByNameAndVersion: () => new ViewerSegment(),
			getKnownTypes: () => ({}),
		} as unknown as INodeTypes;
		const workflow = new Workflow({ id: 'w', nodes: [node], connections: {}, active: false, nodeTypes: registry });
		const declared = NodeHelpers.getNodeOutputs(workflow, workflow.getNode('Segment') as INode, description);
		expect(declared).toEqual([
			{ type: NodeConnectionTypes.Main, displayName: 'Repeat Viewer' },
			{ type: NodeConnectionTypes.Main, displayName: 'Possible Bot' },
			{ type: NodeConnectionTypes.Main, displayName: 'No Segment' },
		]);
		const tag = new Workflow({
			id: 'w2',
			nodes: [{ ...node, parameters: BASE }],
			connections: {},
			active: false,
			nodeTypes: registry,
		});
		expect(NodeHelpers.getNodeOutputs(tag, tag.getNode('Segment') as INode, description)).toEqual([
			{ type: NodeConnectionTypes.Main, displayName: 'Viewers' },
		]);

		const nodes: INode[] = [
			{ id: 't', name: 'Start', type: 'test.trigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: 's', name: 'Events', type: 'test.seed', typeVersion: 1, position: [200, 0], parameters: { items: JSON.stringify(EVENTS) } },
			{ ...node, position: [400, 0] },
			...['Repeat', 'Bots', 'Rest'].map((name, i): INode => ({
				id: `o${i}`,
				name,
				type: 'test.collect',
				typeVersion: 1,
				position: [600, i * 200],
				parameters: {},
			})),
		];
		const result = await runWorkflow(
			{
				nodes,
				connections: {
					Start: { main: [[{ node: 'Events', type: NodeConnectionTypes.Main, index: 0 }]] },
					Events: { main: [[{ node: 'Segment', type: NodeConnectionTypes.Main, index: 0 }]] },
					Segment: {
						main: [
							[{ node: 'Repeat', type: NodeConnectionTypes.Main, index: 0 }],
							[{ node: 'Bots', type: NodeConnectionTypes.Main, index: 0 }],
							[{ node: 'Rest', type: NodeConnectionTypes.Main, index: 0 }],
						],
					},
				},
			},
			{ nodeTypes: { [TYPE]: new ViewerSegment(), 'test.collect': new Collect() } },
		);
		expect(result.error).toBeUndefined();
		expect(keys(result.outputOf('Repeat')[0])).toEqual(['anna']);
		expect(keys(result.outputOf('Bots')[0])).toEqual(['bot']);
		expect(keys(result.outputOf('Rest')[0])).toEqual(['bob', 'carl']);
	});
});

describe('Viewer Segment in a workflow: bad input', () => {
	const broken = [...EVENTS.slice(0, 2), { viewerKey: 'x', type: 'view' }, ...EVENTS.slice(2)];

	it('stops with an error naming the item when an event is not canonical', async () => {
		const result = await runNode({}, broken);
		expect(result.error?.message).toMatch(/^Item 2 is not a canonical event: eventId: /);
		expect((result.error as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(2);
	});

	it('with Continue on fail, puts the refused item on the last output and still segments the rest', async () => {
		const tag = (await runNode({}, broken, true)).outputOf('Node Under Test');
		expect(keys(tag[0]).slice(0, 4)).toEqual(['anna', 'bob', 'bot', 'carl']);
		const refused = tag[0][4];
		expect(refused.json).toMatchObject({ reason: 'invalidEvent', itemIndex: 2 });
		expect(String(refused.json.error)).toContain('eventId');
		expect(refused.pairedItem).toEqual({ item: 2 });
		const route = (await runNode({ outputMode: 'route' }, broken, true)).outputOf('Node Under Test');
		expect(route[route.length - 1].map((i) => i.json.reason ?? i.json.viewerKey)).toEqual(['carl', 'invalidEvent']);
	});

	it('refuses a bad configuration with a clear message', async () => {
		const result = await runNode({ segments: ['languagePlace'], languagePlaceValues: ' , ' });
		expect(result.error?.message).toBe(
			'Viewer Segment is not configured correctly: Language or place: list at least one value, e.g. "de, fr-CH"',
		);
	});

	it('returns no items for no input (every output empty)', async () => {
		const parameters: IDataObject = { ...BASE, outputMode: 'route', segments: ['repeatViewer'] };
		const ctx = {
			getInputData: () => [],
			getNodeParameter: (name: string, _i: number, fallback?: unknown) => parameters[name] ?? fallback,
			continueOnFail: () => false,
			getNode: () => ({ name: 'Segment' }),
			addExecutionHints: () => undefined,
		} as unknown as IExecuteFunctions;
		await expect(new ViewerSegment().execute.call(ctx)).resolves.toEqual([[], []]);
	});
});

/** Passes its input through: a downstream node per route output. */
class Collect implements INodeType {
	description = {
		displayName: 'Collect',
		name: 'collect',
		group: ['transform'],
		version: 1,
		description: 'test',
		defaults: { name: 'Collect' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	} as unknown as INodeTypeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}
