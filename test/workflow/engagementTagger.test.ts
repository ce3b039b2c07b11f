import {
	NodeHelpers,
	Workflow,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeTypes,
} from 'n8n-workflow';

import { EngagementTagger } from '../../nodes/EngagementTagger/EngagementTagger.node';
import {
	DEFAULT_ENGAGEMENT_TYPES,
	engagementTypesProperty,
} from '../../nodes/EngagementTagger/helpers';
import { PACKAGE, runSingleNode } from '../helpers/workflow';

const TYPE = `${PACKAGE}.engagementTagger`;
const nodeTypes = { [TYPE]: new EngagementTagger() };
const AS_OF = '2026-11-22T09:00:00.000Z';
const AS_OF_MS = Date.parse(AS_OF);
const DAY = 86_400_000;
const daysAgo = (d: number) => new Date(AS_OF_MS - d * DAY).toISOString();

const event = (viewerKey: string, occurredAt: string, type = 'story_reply') => ({
	eventId: `e-${viewerKey}-${occurredAt}-${type}`,
	viewerKey,
	viewerKeyType: 'igsid',
	type,
	occurredAt,
	ingestedAt: occurredAt,
	source: 'webhook',
	sourceTool: 'test',
});

async function run(
	parameters: IDataObject,
	inputs: Array<IDataObject[] | undefined>,
	continueOnFail = false,
) {
	const result = await runSingleNode(
		{ type: TYPE, parameters: { asOf: AS_OF, ...parameters }, inputs, continueOnFail },
		{ nodeTypes },
	);
	return result;
}

const jsonOf = (items: INodeExecutionData[]) => items.map((item) => item.json);

describe('Engagement Tagger inputs and outputs per operation (as the editor evaluates them)', () => {
	const tagger = new EngagementTagger();
	const names = (list: unknown[]) =>
		list.map((entry) => (entry as { displayName?: string }).displayName);
	function shape(parameters: IDataObject) {
		const node = {
			id: 'n1',
			name: 'Tagger',
			type: TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters,
		} as INode;
		const workflow = new Workflow({
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes: {
				getByName: () => tagger,
				getByNameAndVersion: () => tagger,
				getKnownTypes: () => ({}),
			} as unknown as INodeTypes,
		});
		const resolved = workflow.getNode('Tagger') as INode;
		return {
			inputs: names(NodeHelpers.getNodeInputs(workflow, resolved, tagger.description)),
			outputs: names(NodeHelpers.getNodeOutputs(workflow, resolved, tagger.description)),
		};
	}

	it.each([
		[{}, ['Contacts'], ['Changed', 'Unchanged']],
		[{ operation: 'reEvaluate' }, ['Contacts'], ['Changed', 'Unchanged']],
		[{ operation: 'recordEngagement' }, ['Events'], ['Changed', 'Unchanged', 'Skipped']],
		[{ operation: 'backfill' }, ['Contacts', 'Events'], ['Changed', 'Unchanged', 'Skipped']],
	])('%j → inputs %j, outputs %j', (parameters, inputs, outputs) => {
		expect(shape(parameters)).toEqual({ inputs, outputs });
	});
});

describe('Engagement Tagger in a workflow', () => {
	it('Re-evaluate splits contacts into Changed and Unchanged with the tag diff', async () => {
		const contacts = [
			{
				email: 'a@example.com',
				crmId: 1,
				lastEngagedAt: daysAgo(2),
				tags: ['Engaged', 'Recent Activity', 'VIP'],
			},
			{ email: 'b@example.com', crmId: 2, lastEngagedAt: daysAgo(21), tags: ['Engaged'] },
			{ email: 'c@example.com', crmId: 3, lastEngagedAt: daysAgo(31), tags: 'Disengaged' },
			{ email: 'd@example.com', crmId: 4, tags: [] },
		];
		const result = await run({ operation: 'reEvaluate' }, [contacts]);
		expect(result.error).toBeUndefined();
		const [changed, unchanged, ...rest] = result.outputOf('Node Under Test');
		expect(rest).toEqual([]);
		expect(changed.length + unchanged.length).toBe(contacts.length);
		expect(jsonOf(changed)).toEqual([
			{
				email: 'b@example.com',
				crmId: 2,
				contactKey: 'b@example.com',
				lastEngagedAt: daysAgo(21),
				tier: 'disengaged',
				daysSinceEngagement: 21,
				tags: ['Disengaged'],
				tagsToAdd: ['Disengaged'],
				tagsToRemove: ['Engaged'],
				previousTags: ['Engaged'],
				changed: true,
			},
			expect.objectContaining({
				contactKey: 'c@example.com',
				tier: 'inactive',
				tags: ['Inactive'],
				tagsToAdd: ['Inactive'],
				tagsToRemove: ['Disengaged'],
			}),
		]);
		expect(changed.map((i) => i.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
		expect(jsonOf(unchanged)).toEqual([
			expect.objectContaining({
				contactKey: 'a@example.com',
				tier: 'recentActivity',
				tags: ['Engaged', 'Recent Activity', 'VIP'],
				tagsToAdd: [],
				tagsToRemove: [],
				changed: false,
			}),
			expect.objectContaining({
				contactKey: 'd@example.com',
				tier: 'neverEngaged',
				daysSinceEngagement: null,
				lastEngagedAt: null,
				tags: [],
			}),
		]);
		expect(unchanged.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 3 }]);
	});

	it('Re-evaluate with the consecutive-waits preset, edited tag names and never-engaged → Inactive', async () => {
		const contacts = [
			{ contactKey: 'x', lastEngagedAt: daysAgo(25), tags: ['Aktiv', 'Kunde'] },
			{ contactKey: 'y', tags: ['Kunde'] },
		];
		const result = await run(
			{
				operation: 'reEvaluate',
				preset: 'consecutiveWaits',
				neverEngaged: 'inactive',
				options: {
					engagedTag: 'Aktiv',
					recentActivityTag: 'Neu',
					disengagedTag: 'Passiv',
					inactiveTag: 'Inaktiv',
				},
			},
			[contacts],
		);
		const [changed, unchanged] = result.outputOf('Node Under Test');
		expect(jsonOf(unchanged)).toEqual([
			expect.objectContaining({
				contactKey: 'x',
				tier: 'engaged',
				tags: ['Aktiv', 'Kunde'],
				changed: false,
			}),
		]);
		expect(jsonOf(changed)).toEqual([
			expect.objectContaining({
				contactKey: 'y',
				tags: ['Kunde', 'Inaktiv'],
				tagsToAdd: ['Inaktiv'],
				tagsToRemove: [],
			}),
		]);
	});

	it('a lastEngagedAt in the future is treated as As of, with a warning on the item', async () => {
		const result = await run({ operation: 'reEvaluate' }, [
			[{ contactKey: 'f', lastEngagedAt: '2027-01-01T00:00:00Z', tags: [] }],
		]);
		const [changed] = result.outputOf('Node Under Test');
		expect(changed[0].json).toMatchObject({
			tier: 'recentActivity',
			daysSinceEngagement: 0,
			warnings: [{ code: 'futureLastEngagedAt' }],
		});
	});

	it('a contact without a key stops the run naming the item', async () => {
		const result = await run({ operation: 'reEvaluate' }, [
			[{ contactKey: 'ok', tags: [] }, { name: 'no key' }],
		]);
		expect(result.error?.message).toBe('The contact in item 1 has no contact key');
		expect((result.error as unknown as { context: { itemIndex: number } }).context.itemIndex).toBe(
			1,
		);
	});

	it('with Continue on fail the keyless contact becomes an error item on Unchanged', async () => {
		const result = await run(
			{ operation: 'reEvaluate' },
			[[{ contactKey: 'ok', tags: [] }, { name: 'no key' }]],
			true,
		);
		expect(result.error).toBeUndefined();
		const [changed, unchanged] = result.outputOf('Node Under Test');
		expect(changed).toEqual([]);
		expect(unchanged).toEqual([
			expect.objectContaining({
				json: expect.objectContaining({ contactKey: 'ok' }),
				pairedItem: { item: 0 },
			}),
			{
				json: { error: 'The contact in item 1 has no contact key', reason: 'noContactKey' },
				pairedItem: { item: 1 },
			},
		]);
	});

	it('inconsistent thresholds are a configuration error', async () => {
		const result = await run(
			{
				operation: 'reEvaluate',
				preset: 'custom',
				recentActivityDays: 7,
				engagedDays: 40,
				inactiveDays: 30,
			},
			[[{ contactKey: 'a' }]],
		);
		expect(result.error?.message).toMatch(/Thresholds must satisfy/);
	});

	it('Record engagement: out-of-order and replayed events → one item per contact; opens skipped', async () => {
		const events = [
			event('111', daysAgo(3)),
			event('222', daysAgo(1), 'email_open'),
			event('111', daysAgo(0.5), 'view'),
			event('111', daysAgo(3)),
			event('333', daysAgo(2), 'message'),
		];
		const result = await run({ operation: 'recordEngagement' }, [events]);
		expect(result.error).toBeUndefined();
		const [changed, unchanged, skipped] = result.outputOf('Node Under Test');
		expect(jsonOf(changed)).toEqual([
			{
				contactKey: '111',
				lastEngagedAt: daysAgo(0.5),
				tier: 'recentActivity',
				daysSinceEngagement: 0,
				tags: ['Engaged', 'Recent Activity'],
				tagsToAdd: ['Engaged', 'Recent Activity'],
				tagsToRemove: ['Disengaged', 'Inactive'],
				previousTags: null,
				changed: true,
				previousLastEngagedAt: null,
				eventsCounted: 3,
			},
			expect.objectContaining({ contactKey: '333', lastEngagedAt: daysAgo(2), eventsCounted: 1 }),
		]);
		expect(changed.map((i) => i.pairedItem)).toEqual([
			[{ item: 0 }, { item: 2 }, { item: 3 }],
			[{ item: 4 }],
		]);
		expect(unchanged).toEqual([]);
		expect(skipped).toEqual([
			{
				json: {
					...events[1],
					reason: 'typeNotCounted',
					detail: 'Event type "email_open" is not selected as engagement',
				},
				pairedItem: { item: 1 },
			},
		]);
	});

	it('Record engagement: opens count once ticked in the checklist', async () => {
		const result = await run(
			{
				operation: 'recordEngagement',
				engagementTypes: [...DEFAULT_ENGAGEMENT_TYPES, 'email_open'],
			},
			[[event('222', daysAgo(1), 'email_open')]],
		);
		const [changed, , skipped] = result.outputOf('Node Under Test');
		expect(changed).toHaveLength(1);
		expect(skipped).toEqual([]);
	});

	it('Record engagement: a replay against a stored newer lastEngagedAt is Unchanged', async () => {
		const replay = [
			{
				...event('111', daysAgo(9)),
				lastEngagedAt: daysAgo(1),
				tags: ['Engaged', 'Recent Activity'],
			},
		];
		const result = await run({ operation: 'recordEngagement' }, [replay]);
		const [changed, unchanged] = result.outputOf('Node Under Test');
		expect(changed).toEqual([]);
		expect(jsonOf(unchanged)).toEqual([
			expect.objectContaining({
				contactKey: '111',
				lastEngagedAt: daysAgo(1),
				previousLastEngagedAt: daysAgo(1),
				changed: false,
			}),
		]);
	});

	it('Back-fill takes Contacts and Events on two inputs and pairs each contact with both', async () => {
		const contacts = [
			{ contactKey: '111', crmId: 'c1', tags: ['Inactive', 'VIP'] },
			{ contactKey: '222', crmId: 'c2', lastEngagedAt: daysAgo(50), tags: ['Inactive'] },
		];
		const events = [
			event('111', daysAgo(10)),
			event('999', daysAgo(40)),
			event('111', daysAgo(5)),
			event('222', '2026-12-01T00:00:00.000Z'),
		];
		const result = await run({ operation: 'backfill' }, [contacts, events]);
		expect(result.error).toBeUndefined();
		const [changed, unchanged, skipped] = result.outputOf('Node Under Test');
		expect(jsonOf(changed)).toEqual([
			expect.objectContaining({
				contactKey: '111',
				crmId: 'c1',
				lastEngagedAt: daysAgo(5),
				previousLastEngagedAt: null,
				tags: ['VIP', 'Engaged', 'Recent Activity'],
				tagsToAdd: ['Engaged', 'Recent Activity'],
				tagsToRemove: ['Inactive'],
				eventsCounted: 2,
			}),
			expect.objectContaining({
				contactKey: '999',
				lastEngagedAt: daysAgo(40),
				tier: 'inactive',
				previousTags: null,
			}),
		]);
		expect(changed.map((i) => i.pairedItem)).toEqual([
			[{ item: 0 }, { item: 0, input: 1 }, { item: 2, input: 1 }],
			[{ item: 1, input: 1 }],
		]);
		expect(jsonOf(unchanged)).toEqual([
			expect.objectContaining({ contactKey: '222', tier: 'inactive', changed: false }),
		]);
		expect(unchanged[0].pairedItem).toEqual([{ item: 1 }]);
		expect(skipped.map((i) => [i.json.reason, i.pairedItem])).toEqual([
			['afterAsOf', { item: 3, input: 1 }],
		]);
	});

	it('Back-fill gives the same tags as Record engagement followed by Re-evaluate', async () => {
		const contacts = [
			{ contactKey: '1', tags: ['Engaged'] },
			{ contactKey: '2', lastEngagedAt: daysAgo(12), tags: ['Engaged', 'Recent Activity'] },
			{ contactKey: '3', tags: [] },
			{ contactKey: '4', lastEngagedAt: daysAgo(3), tags: ['Engaged', 'Recent Activity', 'VIP'] },
		];
		const events = [
			event('1', daysAgo(25)),
			event('2', daysAgo(40)),
			event('1', daysAgo(22)),
			event('4', daysAgo(1), 'reaction'),
			event('3', daysAgo(29), 'email_open'),
		];
		const [bfChanged, bfUnchanged] = (
			await run({ operation: 'backfill' }, [contacts, events])
		).outputOf('Node Under Test');
		const [recChanged, recUnchanged] = (
			await run({ operation: 'recordEngagement' }, [events])
		).outputOf('Node Under Test');
		const recorded = new Map(
			[...recChanged, ...recUnchanged].map((i) => [
				i.json.contactKey,
				i.json.lastEngagedAt as string,
			]),
		);
		const merged = contacts.map((c) => {
			const r = recorded.get(c.contactKey);
			const latest = r && (!c.lastEngagedAt || r > c.lastEngagedAt) ? r : c.lastEngagedAt;
			return latest ? { ...c, lastEngagedAt: latest } : c;
		});
		const [reChanged, reUnchanged] = (await run({ operation: 'reEvaluate' }, [merged])).outputOf(
			'Node Under Test',
		);
		const view = (items: INodeExecutionData[]) =>
			items
				.map((i) => [
					i.json.contactKey,
					i.json.lastEngagedAt,
					i.json.tier,
					i.json.tags,
					i.json.tagsToAdd,
					i.json.tagsToRemove,
				])
				.sort((a, b) => String(a[0]).localeCompare(String(b[0])));
		expect(view([...bfChanged, ...bfUnchanged])).toEqual(view([...reChanged, ...reUnchanged]));
		expect(view([...bfChanged, ...bfUnchanged])).toHaveLength(4);
	});

	it('the checklist default is every interaction and story views, without email opens', () => {
		expect(engagementTypesProperty.default).toEqual(DEFAULT_ENGAGEMENT_TYPES);
		expect(DEFAULT_ENGAGEMENT_TYPES).not.toContain('email_open');
		expect(DEFAULT_ENGAGEMENT_TYPES).toEqual(
			expect.arrayContaining(['view', 'story_reply', 'message', 'reaction']),
		);
	});
});
