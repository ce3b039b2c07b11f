import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { InstagramApi } from '../../credentials/InstagramApi.credentials';
import { StoryViewerIngest } from '../../nodes/StoryViewerIngest/StoryViewerIngest.node';
import { startFakeGraphApi, type FakeGraphApi } from '../../scripts/fakes/graphApi';
import { PACKAGE, runSingleNode, type RunResult } from '../helpers/workflow';

const TYPE = `${PACKAGE}.storyViewerIngest`;
const BEARER = ['IGAAT', 'ingest', 'fixture', '42'].join('-');
const ACCOUNT = '17841400000000042';
const NOW = '2026-11-22T10:00:00.000Z';
const STORIES = ['18040000000000001', '18040000000000002', '18040000000000003'];

let fake: FakeGraphApi;
beforeAll(async () => {
	fake = await startFakeGraphApi({ accessToken: BEARER, accountId: ACCOUNT, stories: STORIES, storiesPageSize: 2 });
});
afterAll(async () => {
	await fake.close();
});
beforeEach(() => fake.reset());

function credentials(): ICredentialDataDecryptedObject {
	return {
		host: 'graph.instagram.com',
		apiVersion: 'v25.0',
		accessToken: BEARER,
		accountId: ACCOUNT,
		pageId: '',
		appSecret: 'app-secret-abcdef',
		verifyToken: 'verify-token-abcdef',
		baseUrl: fake.url,
	};
}

async function run(parameters: IDataObject = {}, continueOnFail = false): Promise<RunResult> {
	return await runSingleNode(
		{
			type: TYPE,
			parameters: { operation: 'graphApiStories', asOf: NOW, ...parameters },
			inputs: [[{}]],
			credentials: { instagramApi: { id: 'c1', name: 'Instagram' } },
			continueOnFail,
		},
		{
			nodeTypes: { [TYPE]: new StoryViewerIngest() },
			credentials: { instagramApi: credentials() },
			credentialTypes: { instagramApi: new InstagramApi() },
		},
	);
}

describe('Story Viewer Ingest: Graph API stories', () => {
	it('lists every live story over pages and reads metrics and navigation in separate calls', async () => {
		fake.setRecipientBehaviour(STORIES[1], 'not_enough_viewers');
		const result = await run();
		expect(result.error).toBeUndefined();
		const [valid, invalid] = result.outputOf('Node Under Test');
		expect(invalid).toEqual([]);
		expect(valid.map((i) => [i.json.storyId, i.json.type, i.json.source, i.json.viewerKey])).toEqual(
			STORIES.map((id) => [id, 'story_insights', 'graph_api', ACCOUNT]),
		);
		expect(valid.every((i) => JSON.stringify(i.pairedItem) === JSON.stringify({ item: 0 }))).toBe(true);
		const first = valid[0].json.extra as IDataObject;
		expect(first.belowThreshold).toBe(false);
		expect(first.metrics).toEqual({
			views: 10,
			reach: 20,
			replies: 30,
			shares: 40,
			total_interactions: 50,
			follows: 60,
			profile_visits: 70,
		});
		expect(first.navigation).toEqual({ total: 10 });
		expect(valid[1].json.extra).toMatchObject({ belowThreshold: true, metrics: {} });

		const insightCalls = fake.requests.filter((r) => r.path.endsWith('/insights'));
		expect(insightCalls.map((r) => r.query.metric)).toEqual(
			STORIES.flatMap(() => ['views,reach,replies,shares,total_interactions,follows,profile_visits', 'navigation']),
		);
		expect(insightCalls.filter((r) => r.query.metric === 'navigation').every((r) => r.query.breakdown === 'story_navigation_action_type')).toBe(true);
		expect(fake.requests.filter((r) => r.path.endsWith('/stories'))).toHaveLength(2);
	});

	it('sends a story Meta refuses on its own to Invalid, and skips navigation when asked', async () => {
		fake.setRecipientBehaviour(STORIES[2], 'invalid_recipient');
		const result = await run({ includeNavigation: false });
		const [valid, invalid] = result.outputOf('Node Under Test');
		expect(valid.map((i) => i.json.storyId)).toEqual(STORIES.slice(0, 2));
		expect(invalid.map((i) => [i.json.reason, i.json.row, (i.json.original as IDataObject).id])).toEqual([
			['graph_refused', 3, STORIES[2]],
		]);
		expect(fake.requests.some((r) => r.query.metric === 'navigation')).toBe(false);
	});

	it('stops with a clear error when the token is dead, or reports it on Invalid with Continue on fail', async () => {
		fake.setRecipientBehaviour(ACCOUNT, 'token_expired');
		const failed = await run();
		expect(failed.error?.message).toMatch(/token/i);
		const continued = await run({}, true);
		const [valid, invalid] = continued.outputOf('Node Under Test');
		expect(valid).toEqual([]);
		expect(invalid).toHaveLength(1);
		expect(invalid[0].json.error).toMatch(/token/i);
		expect(invalid[0].pairedItem).toEqual({ item: 0 });
	});
});
