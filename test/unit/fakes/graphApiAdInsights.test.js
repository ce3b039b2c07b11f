// The fake Graph API's Ads Insights edge answers like Meta's Marketing API for the report template's spend call
// (https://developers.facebook.com/documentation/ads-commerce/marketing-api/insights: `spend` is a decimal string,
// one row per campaign at level=campaign, date_start/date_stop echo the time_range).
const { startFakeGraphApi } = require('../../../scripts/fakes/graphApi');

describe('fake Graph API: ad account insights', () => {
	let graph;
	beforeEach(async () => {
		graph = await startFakeGraphApi({
			accessToken: 't',
			adSpend: [
				{ campaign_id: '1', campaign_name: 'Story DMs', spend: '300.00' },
				{ campaign_id: '2', campaign_name: 'Brand', spend: '12.50' },
			],
		});
	});
	afterEach(async () => graph.close());

	const get = async (query) => {
		const res = await fetch(`${graph.url}/v25.0/act_42/insights?${new URLSearchParams({ access_token: 't', ...query })}`);
		return { status: res.status, body: await res.json() };
	};
	const range = JSON.stringify({ since: '2026-03-09', until: '2026-03-15' });

	test('one row per campaign with its spend and the dates asked', async () => {
		const { status, body } = await get({ fields: 'campaign_id,campaign_name,spend', level: 'campaign', time_range: range });
		expect(status).toBe(200);
		expect(body.data).toEqual([
			{ account_id: '42', campaign_id: '1', campaign_name: 'Story DMs', spend: '300.00', date_start: '2026-03-09', date_stop: '2026-03-15' },
			{ account_id: '42', campaign_id: '2', campaign_name: 'Brand', spend: '12.50', date_start: '2026-03-09', date_stop: '2026-03-15' },
		]);
	});

	test('the account total at account level (300.00 + 12.50 = 312.50); a bad time_range is error 100', async () => {
		expect((await get({ fields: 'spend', time_range: range })).body.data).toEqual([
			{ account_id: '42', spend: '312.50', date_start: '2026-03-09', date_stop: '2026-03-15' },
		]);
		const bad = await get({ fields: 'spend', time_range: '{"since":"9 March"}' });
		expect(bad.status).toBe(400);
		expect(bad.body.error.code).toBe(100);
	});
});
