import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { StoryViewerIngest } from '../../nodes/StoryViewerIngest/StoryViewerIngest.node';
import { PACKAGE, runSingleNode, runWorkflow, type RunResult } from '../helpers/workflow';
import * as p from '../unit/capture/payloads';

const TYPE = `${PACKAGE}.storyViewerIngest`;
const NOW = '2026-11-22T10:00:00.000Z';
const nodeTypes: Record<string, INodeType> = { [TYPE]: new StoryViewerIngest() };

/** Emits one item holding a CSV file in binary property "data" (default binary mode: base64 inline). */
class CsvFileSeed implements INodeType {
	description = {
		displayName: 'CSV File Seed',
		name: 'csvFileSeed',
		group: ['transform'],
		version: 1,
		description: 'Emits a CSV file',
		defaults: { name: 'File' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'CSV', name: 'csv', type: 'string', default: '' }],
	} as unknown as INodeTypeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const csv = this.getNodeParameter('csv', 0) as string;
		return [
			[
				{
					json: { fileName: 'viewers.csv' },
					binary: { data: { data: Buffer.from(csv, 'utf8').toString('base64'), mimeType: 'text/csv' } },
					pairedItem: { item: 0 },
				},
			],
		];
	}
}

function outputs(result: RunResult) {
	expect(result.error).toBeUndefined();
	const [valid, invalid] = result.outputOf('Node Under Test');
	return { valid, invalid };
}

function hintsOf(result: RunResult): string[] {
	const task = result.run.data.resultData.runData['Node Under Test'][0] as unknown as { hints?: Array<{ message: string }> };
	return (task.hints ?? []).map((hint) => hint.message);
}

describe('Story Viewer Ingest in a workflow', () => {
	it('items: maps fields, routes refusals to Invalid, merges duplicates with every pairedItem, hints counts', async () => {
		const result = await runSingleNode(
			{
				type: TYPE,
				parameters: { operation: 'items', asOf: NOW, options: { sourceTool: 'vendor' } },
				inputs: [
					[
						{ username: '@Alice', first_seen: '2026-11-21T09:00:00Z', story_id: '1789' },
						{ username: 'nobody-time', first_seen: 'not a date' },
						{ username: 'ALICE', first_seen: '2026-11-21T09:00:00.000Z', story_id: '1789' },
						{ viewer_id: '3603717463085785', viewed_at: 1763715600, campaign: 'bf' },
					],
				],
			},
			{ nodeTypes },
		);
		const { valid, invalid } = outputs(result);
		expect(valid.map((i) => [i.json.viewerKey, i.json.viewerKeyType, i.json.occurredAt, i.json.source])).toEqual([
			['alice', 'handle', '2026-11-21T09:00:00.000Z', 'items'],
			['3603717463085785', 'igsid', '2025-11-21T09:00:00.000Z', 'items'],
		]);
		expect(valid.map((i) => i.pairedItem)).toEqual([[{ item: 0 }, { item: 2 }], { item: 3 }]);
		expect(valid[0].json).toMatchObject({ ingestedAt: NOW, sourceTool: 'vendor', storyId: '1789' });
		expect(valid[1].json.context).toBe('bf');
		expect(invalid).toHaveLength(1);
		expect(invalid[0].json).toMatchObject({
			reason: 'invalid_time',
			row: 1,
			itemIndex: 1,
			source: 'items',
			original: { username: 'nobody-time', first_seen: 'not a date' },
		});
		expect(invalid[0].pairedItem).toEqual({ item: 1 });
		expect(hintsOf(result)).toEqual(['Story Viewer Ingest: 4 in · 2 valid · 1 invalid · 1 duplicate']);
	});

	it('csv text: semicolons, BOM, quoted newlines and a user time format in a zone', async () => {
		const csv = '\uFEFFhandle;seen;note\r\nbob;29/03/2026 03:30;"multi\r\nline"\r\n\r\n;01/01/2026 10:00;x\r\n';
		const result = await runSingleNode(
			{
				type: TYPE,
				parameters: {
					operation: 'csv',
					inputType: 'text',
					csvText: csv,
					asOf: NOW,
					options: { timeFormat: 'dd/MM/yyyy HH:mm', timeZone: 'Europe/Berlin', extraFields: 'note' },
				},
				inputs: [[{}]],
			},
			{ nodeTypes },
		);
		const { valid, invalid } = outputs(result);
		expect(valid.map((i) => i.json)).toEqual([
			expect.objectContaining({
				viewerKey: 'bob',
				occurredAt: '2026-03-29T01:30:00.000Z',
				source: 'csv',
				sourceTool: 'csv_import',
				extra: { note: 'multi\r\nline' },
			}),
		]);
		expect(invalid.map((i) => [i.json.reason, i.json.row, i.json.line])).toEqual([['missing_viewer', 2, 5]]);
		expect(invalid[0].json.original).toEqual({ handle: '', seen: '01/01/2026 10:00', note: 'x' });
		expect(valid[0].pairedItem).toEqual({ item: 0 });
	});

	it('csv binary: reads the file from a binary property', async () => {
		const result = await runWorkflow(
			{
				nodes: [
					{ id: 'a', name: 'Start', type: 'test.trigger', typeVersion: 1, position: [0, 0], parameters: {} },
					{
						id: 'b',
						name: 'File',
						type: 'test.csvFile',
						typeVersion: 1,
						position: [200, 0],
						parameters: { csv: 'username,viewed_at,story_id\ncarol,2026-11-20T08:00:00Z,55\n' },
					},
					{
						id: 'c',
						name: 'Node Under Test',
						type: TYPE,
						typeVersion: 1,
						position: [400, 0],
						parameters: { operation: 'csv', inputType: 'binary', binaryPropertyName: 'data', asOf: NOW },
					},
				],
				connections: {
					Start: { main: [[{ node: 'File', type: 'main', index: 0 }]] },
					File: { main: [[{ node: 'Node Under Test', type: 'main', index: 0 }]] },
				},
			},
			{ nodeTypes: { ...nodeTypes, 'test.csvFile': new CsvFileSeed() } },
		);
		const { valid, invalid } = outputs(result);
		expect(valid.map((i) => [i.json.viewerKey, i.json.storyId])).toEqual([['carol', '55']]);
		expect(invalid).toEqual([]);
	});

	it('csv with Output Format "Events Table Row": Valid holds the events table columns only; refusals unchanged', async () => {
		const csv = 'handle,first_seen,story_id,follower_count,city,message\nalice,2026-11-20T08:00:00Z,55,1200,Berlin,hi\nbob,2026-11-20T09:00:00Z,,,Paris,\n,2026-11-20T09:00:00Z,55,3,Rome,\n';
		const parameters = {
			operation: 'csv',
			inputType: 'text',
			csvText: csv,
			asOf: NOW,
			options: { extraFields: 'follower_count, city', includeMessageText: true, outputFormat: 'tableRow' },
		};
		const result = await runSingleNode({ type: TYPE, parameters, inputs: [[{}]] }, { nodeTypes });
		const { valid, invalid } = outputs(result);
		const canonical = outputs(
			await runSingleNode(
				{ type: TYPE, parameters: { ...parameters, options: { ...parameters.options, outputFormat: 'canonicalEvent' } }, inputs: [[{}]] },
				{ nodeTypes },
			),
		);
		expect(canonical.valid[0].json).toEqual(expect.objectContaining({ extra: { follower_count: '1200', city: 'Berlin' }, text: 'hi' }));
		const common = { viewerKeyType: 'handle', type: 'view', ingestedAt: NOW, source: 'csv', sourceTool: 'csv_import', context: null, keyword: null, locale: null };
		expect(valid.map((item) => item.json)).toEqual([
			{ ...common, eventId: canonical.valid[0].json.eventId, viewerKey: 'alice', storyId: '55', occurredAt: '2026-11-20T08:00:00.000Z', followerCount: 1200 },
			{ ...common, eventId: canonical.valid[1].json.eventId, viewerKey: 'bob', storyId: null, occurredAt: '2026-11-20T09:00:00.000Z', followerCount: null },
		]);
		expect(valid.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
		expect(invalid.map((item) => item.json.reason)).toEqual(['missing_viewer']);
		expect(invalid).toEqual(canonical.invalid);
	});

	it('a file without a viewer column fails the node, or lands on Invalid with Continue on fail', async () => {
		const spec = {
			type: TYPE,
			parameters: { operation: 'csv', inputType: 'text', csvText: 'time,story\n2026-01-01T00:00:00Z,1\n', asOf: NOW },
			inputs: [[{}]],
		};
		const failed = await runSingleNode(spec, { nodeTypes });
		expect(failed.error?.message).toBe('The CSV has no viewer column');
		const continued = await runSingleNode({ ...spec, continueOnFail: true }, { nodeTypes });
		const { valid, invalid } = outputs(continued);
		expect(valid).toEqual([]);
		expect(invalid).toEqual([{ json: { reason: 'error', error: 'The CSV has no viewer column' }, pairedItem: { item: 0 } }]);
	});

	it('webhook payload: parses bodies as the trigger does; echoes and junk are refused with reasons', async () => {
		const result = await runSingleNode(
			{
				type: TYPE,
				parameters: { operation: 'webhookPayload', bodyField: 'body', asOf: NOW, webhookExtraFields: ['reaction'] },
				inputs: [
					[
						{ body: p.storyReply },
						{ body: p.reaction('react') },
						{ body: p.echo },
						{ body: JSON.stringify(p.storyMention) },
						{ body: { hello: 'world' } },
						{ body: p.storyReply },
						{ body: p.seen('aWdfOURmid') },
					],
				],
			},
			{ nodeTypes },
		);
		const { valid, invalid } = outputs(result);
		expect(valid.map((i) => [i.json.type, i.pairedItem])).toEqual([
			['story_reply', [{ item: 0 }, { item: 5 }]],
			['reaction', { item: 1 }],
			['story_mention', { item: 3 }],
			['message_seen', { item: 6 }],
		]);
		expect(valid[3].json.extra).toEqual({ messageId: 'aWdfOURmid' });
		expect((valid[1].json.extra as IDataObject).reaction).toBe('\u2764\ufe0f');
		expect(invalid.map((i) => [i.json.reason, i.pairedItem])).toEqual([
			['echo', { item: 2 }],
			['malformed_payload', { item: 4 }],
		]);
		expect(hintsOf(result)).toEqual(['Story Viewer Ingest: 7 in · 4 valid · 2 invalid · 1 duplicate']);
	});

	it('pseudonymises with the privacy credential, stably across runs', async () => {
		const run = () =>
			runSingleNode(
				{
					type: TYPE,
					parameters: { operation: 'items', asOf: NOW, pseudonymise: true },
					inputs: [[{ handle: 'alice', first_seen: '2026-11-21T09:00:00Z' }]],
					credentials: { storyLeadsPrivacyApi: { id: '1', name: 'Privacy' } },
				},
				{ nodeTypes, credentials: { storyLeadsPrivacyApi: { pepper: 'a-very-secret-pepper-123' } } },
			);
		const first = outputs(await run()).valid[0].json;
		const second = outputs(await run()).valid[0].json;
		expect(first.viewerKeyType).toBe('pseudonym');
		expect(first.viewerKey).toMatch(/^ps_[0-9a-f]{32}$/);
		expect(second).toEqual(first);
	});

	it('refuses a short pepper as a configuration error', async () => {
		const result = await runSingleNode(
			{
				type: TYPE,
				parameters: { operation: 'items', asOf: NOW, pseudonymise: true },
				inputs: [[{ handle: 'alice', first_seen: '2026-11-21T09:00:00Z' }]],
				credentials: { storyLeadsPrivacyApi: { id: '1', name: 'Privacy' } },
			},
			{ nodeTypes, credentials: { storyLeadsPrivacyApi: { pepper: 'short' } } },
		);
		expect(result.error?.message).toMatch(/shorter than 16 characters/);
	});
});
