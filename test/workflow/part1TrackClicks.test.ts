// Part 1's Cadence Scheduler as shipped in the templates (both CRM variants), run in-process with its Client settings:
// click tracking is a Client settings switch (off by default) with the Part 2 Click redirect URL; turned on, the DM
// links go through the signed redirect; as shipped, n8n finds no credential issue (publishing Part 1 is never blocked
// by the privacy credential of a feature that is off).
import type { IDataObject, INode } from 'n8n-workflow';
import { NodeHelpers, validateNodeCredentials } from 'n8n-workflow';
import { CadenceScheduler } from '../../nodes/CadenceScheduler/CadenceScheduler.node';
import { verifyClickToken } from '../../nodes/core/cadence';
import { PACKAGE, runWorkflow } from '../helpers/workflow';
import activeCampaignPart1 from '../../workflows/story-viewers-to-consented-leads.json';
import hubspotPart1 from '../../workflows/story-viewers-to-consented-leads-hubspot.json';

const TYPE = `${PACKAGE}.cadenceScheduler`;
const nodeTypes = { [TYPE]: new CadenceScheduler() };
const NOW = '2026-11-18T10:00:00.000Z'; // Wed 11:00 in Paris
const REDIRECT = 'https://n8n.example.com/webhook/5f0c/r';
const PEPPER = 'template-test-pepper-0123456789';
const SHOP = 'https://shop.example.com/yoga';

interface Assignment {
	name: string;
	value: unknown;
	type: string;
}

const TEMPLATES: Record<string, unknown> = {
	'story-viewers-to-consented-leads.json': activeCampaignPart1,
	'story-viewers-to-consented-leads-hubspot.json': hubspotPart1,
};
const load = (file: string) => TEMPLATES[file] as { nodes: INode[] };

/** What the template's Client settings node outputs: its fixed values (expressions left out), with `changes`. */
function settingsOf(template: { nodes: INode[] }, changes: IDataObject): IDataObject {
	const node = template.nodes.find((n) => n.name === 'Client settings') as INode;
	const list = ((node.parameters.assignments as IDataObject).assignments ?? []) as unknown as Assignment[];
	const values: IDataObject = {};
	for (const a of list) if (!(typeof a.value === 'string' && a.value.startsWith('='))) values[a.name] = a.value as never;
	return { ...values, fixedNow: NOW, ...changes };
}

describe.each(Object.keys(TEMPLATES))('%s', (file) => {
	const template = load(file);
	const shipped = template.nodes.find((n) => n.name === 'Cadence Scheduler') as INode;

	/** Client settings → contact → the template's Cadence Scheduler (its own parameters, one message with a link). */
	async function run(changes: IDataObject, credentials?: INode['credentials']) {
		const scheduler: INode = {
			...shipped,
			parameters: {
				...shipped.parameters,
				messageOverrides: { message: [{ step: 1, variant: 'A', template: `Thanks! Book here: ${SHOP}` }] },
			},
			credentials,
		};
		const seed = (name: string, items: IDataObject[], x: number): INode => ({
			id: name,
			name,
			type: 'test.seed',
			typeVersion: 1,
			position: [x, 0],
			parameters: { items: JSON.stringify(items) },
		});
		const contact = { viewerKey: 'ig_1', enrolledAt: NOW, lastInboundAt: '2026-11-18T09:59:00.000Z', timeZone: 'Europe/Paris' };
		const nodes: INode[] = [
			{ id: 'start', name: 'Start', type: 'test.trigger', typeVersion: 1, position: [0, 0], parameters: {} },
			seed('Client settings', [settingsOf(template, changes)], 200),
			seed('Contact', [contact], 400),
			scheduler,
		];
		const connections = {
			Start: { main: [[{ node: 'Client settings', type: 'main' as const, index: 0 }]] },
			'Client settings': { main: [[{ node: 'Contact', type: 'main' as const, index: 0 }]] },
			Contact: { main: [[{ node: 'Cadence Scheduler', type: 'main' as const, index: 0 }]] },
		};
		return await runWorkflow({ nodes, connections }, { nodeTypes, credentials: { storyLeadsPrivacyApi: { pepper: PEPPER } } });
	}

	test('Client settings has Track Clicks (off) and the Click redirect URL, and the Cadence Scheduler reads both', () => {
		const settings = settingsOf(template, {});
		expect([settings.trackClicks, settings.clickRedirectUrl]).toEqual([false, '']);
		expect(shipped.parameters).toMatchObject({
			trackClicks: "={{ $('Client settings').first().json.trackClicks }}",
			clickRedirectUrl: "={{ $('Client settings').first().json.clickRedirectUrl }}",
		});
		expect(shipped.parameters.trackLinks).toBeUndefined(); // tagged links stay on (the default)
	});

	test('as shipped, n8n finds no credential issue: publishing Part 1 does not need the privacy credential', () => {
		// n8n checks the stored parameters before publishing; a node saved from the editor may hold every default
		// (Track Links on), and the Track Clicks expression then shows the credential: it must not be required.
		const type = new CadenceScheduler();
		const withDefaults = {
			...shipped,
			parameters: NodeHelpers.getNodeParameters(type.description.properties, shipped.parameters, true, false, shipped, type.description),
		} as INode;
		expect(withDefaults.parameters.trackLinks).toBe(true);
		expect(shipped.credentials).toBeUndefined();
		expect(validateNodeCredentials(shipped, type)).toEqual([]);
		expect(validateNodeCredentials(withDefaults, type)).toEqual([]);
	});

	test('off: the DM links the tagged shop URL itself', async () => {
		const result = await run({});
		expect(result.error).toBeUndefined();
		const [sent] = result.outputOf('Cadence Scheduler')[0].map((i) => i.json);
		expect(sent.message).toContain(`Book here: ${SHOP}?utm_source=instagram&utm_medium=story_dm`);
		expect(sent.message).not.toContain(REDIRECT);
	});

	test('on, with the privacy credential: the DM links go through the signed Click redirect', async () => {
		const result = await run(
			{ trackClicks: true, clickRedirectUrl: REDIRECT },
			{ storyLeadsPrivacyApi: { id: 'p1', name: 'Story Leads privacy pepper' } },
		);
		expect(result.error).toBeUndefined();
		const [sent] = result.outputOf('Cadence Scheduler')[0].map((i) => i.json);
		const token = new RegExp(`Book here: ${REDIRECT.replace(/[.?/]/g, '\\$&')}/(\\S+)`).exec(String(sent.message))?.[1];
		expect(verifyClickToken(token, PEPPER)).toEqual({
			ok: true,
			url: (sent.links as string[])[0],
			contactKey: 'ig_1',
			sendKey: sent.idempotencyKey,
		});
		expect(sent.message).not.toContain(SHOP);
	});

	test('on, without the credential selected: the run stops and says which credential to select (nothing is sent)', async () => {
		const result = await run({ trackClicks: true, clickRedirectUrl: REDIRECT });
		expect(result.error?.message).toBe('Track Clicks is on but no Story Leads Privacy API credential is selected');
	});
});
