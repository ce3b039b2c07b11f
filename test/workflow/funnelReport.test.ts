import type { IDataObject } from 'n8n-workflow';
import { FunnelReport } from '../../nodes/FunnelReport/FunnelReport.node';
import { clickEvent, signClickToken } from '../../nodes/core/cadence';
import { PACKAGE, runSingleNode } from '../helpers/workflow';
import { inputs } from '../helpers/reportFixture';

const TYPE = `${PACKAGE}.funnelReport`;
const nodeTypes = { [TYPE]: new FunnelReport() };
const reportParameters = {
	operation: 'report',
	asOf: '2026-03-16T12:00:00.000Z',
	periodDays: 7,
	cost: 60,
	currency: 'eur',
	options: { trendWeeks: 2 },
};
const rows = (list: ReadonlyArray<Readonly<Record<string, unknown>>>) => list as IDataObject[];

describe('Funnel Report in a workflow', () => {
	it('builds one report from its four inputs, with the HTML page and text; every other row goes to Not counted', async () => {
		const result = await runSingleNode(
			{
				type: TYPE,
				parameters: reportParameters,
				inputs: [
					rows(inputs.events),
					rows(inputs.sendLog),
					rows(inputs.conversions),
					rows(inputs.contacts ?? []),
				],
			},
			{ nodeTypes },
		);
		expect(result.error).toBeUndefined();
		const [reportItems, notCounted] = result.outputOf('Node Under Test');
		expect(reportItems).toHaveLength(1);
		const report = reportItems[0].json as IDataObject & {
			funnel: Array<{ stage: string; count: number }>;
		};
		expect(report.funnel.map((s) => s.count)).toEqual([4, 3, 3, 3, 2]);
		expect(report).toMatchObject({
			currency: 'EUR',
			leads: 3,
			costPerLead: 20,
			revenuePerLead: 60,
		});
		expect(report.html).toMatch(/^<!doctype html>/);
		expect(report.html).toContain('data-figure="stage-converted">2<');
		expect(report.text).toContain('Converted: 2 (66.7% of Messaged (3))');

		const total =
			inputs.events.length +
			inputs.sendLog.length +
			inputs.conversions.length +
			(inputs.contacts ?? []).length;
		const pairedReport = reportItems[0].pairedItem as Array<{ item: number; input?: number }>;
		expect(pairedReport.length + notCounted.length).toBe(total);
		expect(notCounted.map((i) => [i.json.input, i.json.reason])).toContainEqual([
			'conversions',
			'duplicate_order',
		]);
		const duplicate = notCounted.find((i) => i.json.reason === 'duplicate_order')!;
		expect(duplicate.pairedItem).toEqual({ item: 1, input: 2 });
		expect(duplicate.json.row).toEqual(inputs.conversions[1]);
	});

	it('leaves the cost not set by default: "—" on the page, never 0.00, and no cost per lead or ROI', async () => {
		const withoutCost: IDataObject = { ...reportParameters };
		delete withoutCost.cost;
		const result = await runSingleNode(
			{
				type: TYPE,
				parameters: withoutCost,
				inputs: [rows(inputs.events), rows(inputs.sendLog), rows(inputs.conversions), undefined],
			},
			{ nodeTypes },
		);
		const [[item]] = result.outputOf('Node Under Test');
		expect(item.json).toMatchObject({
			cost: null,
			costPerLead: null,
			campaignRoi: null,
			roiAllRevenue: null,
		});
		expect(item.json.html).toContain('data-figure="cost">—<');
		expect(item.json.html).toContain('data-figure="cost-per-lead">—<');
		expect(item.json.html).not.toContain('0.00 EUR</div><div class="kpi-def">Cost');
	});

	it('refuses a cost that is not an amount, and a time zone that is not IANA', async () => {
		for (const parameters of [
			{ ...reportParameters, cost: 'about 50' },
			{ ...reportParameters, options: { timeZone: 'Mars/Olympus' } },
		]) {
			const result = await runSingleNode(
				{ type: TYPE, parameters, inputs: [rows(inputs.events), undefined, undefined, undefined] },
				{ nodeTypes },
			);
			expect(result.error?.message).toMatch(/cost empty or an amount|not an IANA time zone/);
		}
	});

	it('takes empty table reads (one empty item) as no rows, and leaves Eligible unknown without contact state', async () => {
		const result = await runSingleNode(
			{
				type: TYPE,
				parameters: reportParameters,
				inputs: [rows(inputs.events), [{}], undefined, undefined],
			},
			{ nodeTypes },
		);
		const [[report], notCounted] = result.outputOf('Node Under Test');
		const funnel = report.json.funnel as Array<{ stage: string; count: number | null }>;
		expect(funnel.find((s) => s.stage === 'eligible')?.count).toBeNull();
		expect(funnel.find((s) => s.stage === 'messaged')?.count).toBe(0);
		expect(notCounted.filter((i) => i.json.reason === 'empty_item')).toHaveLength(1);
	});

	it('refuses a bad currency as a configuration error, and under Continue on fail sends every row to Not counted', async () => {
		const bad = { ...reportParameters, currency: 'euro' };
		const failing = await runSingleNode(
			{ type: TYPE, parameters: bad, inputs: [rows(inputs.events)] },
			{ nodeTypes },
		);
		expect(failing.error?.message).toMatch(/Currency "EURO" is not a 3-letter ISO 4217 code/);
		const tolerant = await runSingleNode(
			{ type: TYPE, parameters: bad, inputs: [rows(inputs.events)], continueOnFail: true },
			{ nodeTypes },
		);
		const [reportItems, notCounted] = tolerant.outputOf('Node Under Test');
		expect(reportItems).toEqual([]);
		expect(notCounted).toHaveLength(inputs.events.length);
	});
});

describe('Funnel Report: Record Conversion in a workflow', () => {
	const posted = [
		{
			contactKey: 'ig_1',
			type: 'conversion',
			value: 49,
			currency: 'EUR',
			occurredAt: '2026-03-16T09:00:00Z',
			orderId: 'A-1',
		},
		{
			contactKey: 'ig_1',
			type: 'conversion',
			value: 49,
			currency: 'EUR',
			occurredAt: '2026-03-16T09:00:00Z',
			orderId: 'A-0',
		},
		{
			email: 'x@example.com',
			type: 'conversion',
			currency: 'EUR',
			occurredAt: '2026-03-16T09:00:00Z',
			orderId: 'A-2',
		},
	];
	const stored = [
		{
			orderId: 'A-0',
			contactKey: 'ig_1',
			value: 20,
			currency: 'EUR',
			occurredAt: '2026-03-01T09:00:00.000Z',
		},
	];
	const parameters = { operation: 'recordConversion', asOf: '2026-03-16T12:00:00.000Z' };

	it('routes each event to New, Duplicate or Invalid with pairedItem', async () => {
		const result = await runSingleNode(
			{ type: TYPE, parameters, inputs: [posted, stored] },
			{ nodeTypes },
		);
		const [fresh, duplicate, invalid] = result.outputOf('Node Under Test');
		expect(fresh.map((i) => i.json)).toEqual([
			{
				orderId: 'A-1',
				contactKey: 'ig_1',
				email: null,
				value: 49,
				currency: 'EUR',
				occurredAt: '2026-03-16T09:00:00.000Z',
				receivedAt: '2026-03-16T12:00:00.000Z',
				utmCampaign: null,
				utmContent: null,
				refund: false,
				firstConversion: false,
				contactRevenue: 69,
				contactOrders: 2,
			},
		]);
		expect(fresh[0].pairedItem).toEqual({ item: 0 });
		expect(duplicate.map((i) => [i.json.orderId, i.json.reason, i.pairedItem])).toEqual([
			['A-0', 'duplicate_order', { item: 1 }],
		]);
		expect(invalid.map((i) => [i.json.orderId, i.json.reason])).toEqual([['A-2', 'bad_value']]);
	});

	it('never fails open: under Continue on fail a failure sends every event to Invalid, none to New', async () => {
		const result = await runSingleNode(
			{
				type: TYPE,
				parameters: { ...parameters, asOf: 'not a date' },
				inputs: [posted, stored],
				continueOnFail: true,
			},
			{ nodeTypes },
		);
		const [fresh, duplicate, invalid] = result.outputOf('Node Under Test');
		expect(fresh).toEqual([]);
		expect(duplicate).toEqual([]);
		expect(invalid).toHaveLength(posted.length);
		expect(invalid[0].json).toMatchObject({ reason: 'error', error: expect.stringMatching(/asOf.*not a readable timestamp/) });
	});

	describe('Record Click', () => {
		const pepper = 'a-very-secret-pepper-123';
		const link = { url: 'https://shop.example.com/yoga?utm_content=hello-A', contactKey: 'ig_1', sendKey: 'send-1' };
		const run = (items: IDataObject[], secret = pepper, continueOnFail = false) =>
			runSingleNode(
				{
					type: TYPE,
					parameters: { operation: 'recordClick', asOf: '2026-03-16T12:00:00.000Z' },
					inputs: [items],
					credentials: { storyLeadsPrivacyApi: { id: '1', name: 'Privacy' } },
					continueOnFail,
				},
				{ nodeTypes, credentials: { storyLeadsPrivacyApi: { pepper: secret } } },
			);

		it('redirects a signed token with its link_click event; any other token is refused with the reason, never redirected', async () => {
			const token = signClickToken(link, pepper);
			const forged = signClickToken({ ...link, url: 'https://evil.example.net/' }, 'another-pepper-0000000001');
			const result = await run([{ params: { token } }, { params: { token: forged } }, { params: {} }]);
			expect(result.error).toBeUndefined();
			const [redirect, refused] = result.outputOf('Node Under Test');
			expect(redirect.map((i) => [i.json, i.pairedItem])).toEqual([
				[{ url: link.url, ...clickEvent(link, '2026-03-16T12:00:00.000Z') }, { item: 0 }],
			]);
			expect(refused.map((i) => [i.json.reason, i.pairedItem])).toEqual([
				['bad_signature', { item: 1 }],
				['malformed_token', { item: 2 }],
			]);
		});

		it('with an unusable pepper: an error, or under Continue on fail every click Refused (no redirect)', async () => {
			const token = signClickToken(link, pepper);
			expect((await run([{ params: { token } }], 'short')).error?.message).toMatch(/shorter than 16 characters/);
			const safe = await run([{ params: { token } }], 'short', true);
			const [redirect, refused] = safe.outputOf('Node Under Test');
			expect(redirect).toHaveLength(0);
			expect(refused.map((i) => i.json.reason)).toEqual(['error']);
		});
	});

	it('Record Conversion reads a Shopify order posted as { shopifyOrder }: the order once, credited by its landing page UTM', async () => {
		const order = {
			id: 4501,
			email: 'Buyer@Example.com',
			created_at: '2026-03-15T10:00:00+01:00',
			currency: 'EUR',
			current_total_price: '59.90',
			landing_site: '/products/mat?utm_campaign=storyReplyWindow&utm_content=thanks-B',
		};
		const result = await runSingleNode(
			{
				type: TYPE,
				parameters: { operation: 'recordConversion', asOf: '2026-03-16T12:00:00.000Z' },
				inputs: [[{ type: 'conversion', shopifyOrder: order }], [{ orderId: 'shopify:4500', contactKey: 'x', value: 1, currency: 'EUR', occurredAt: '2026-03-01T00:00:00Z' }]],
			},
			{ nodeTypes },
		);
		expect(result.error).toBeUndefined();
		const [fresh, duplicate, invalid] = result.outputOf('Node Under Test');
		expect([duplicate.length, invalid.length]).toEqual([0, 0]);
		expect(fresh.map((i) => [i.json, i.pairedItem])).toEqual([
			[
				expect.objectContaining({
					orderId: 'shopify:4501',
					contactKey: 'buyer@example.com',
					value: 59.9,
					currency: 'EUR',
					occurredAt: '2026-03-15T09:00:00.000Z',
					utmCampaign: 'storyReplyWindow',
					utmContent: 'thanks-B',
					firstConversion: true,
				}),
				{ item: 0 },
			],
		]);
	});
});
