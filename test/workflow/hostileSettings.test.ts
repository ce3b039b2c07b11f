// Settings that bound sending, given out of range through an expression or an imported workflow (issue 22,
// class 9): every one is checked at run time. Out of range → a configuration error (NodeOperationError with its
// item index), nothing reaches a go-ahead output; under "Continue on fail" every item goes to the safe output.
import type { IDataObject } from 'n8n-workflow';

import { InstagramApi } from '../../credentials/InstagramApi.credentials';
import { CadenceScheduler } from '../../nodes/CadenceScheduler/CadenceScheduler.node';
import { ConsentGate } from '../../nodes/ConsentGate/ConsentGate.node';
import { InstagramDm } from '../../nodes/InstagramDm/InstagramDm.node';
import { startFakeGraphApi, type FakeGraphApi } from '../../scripts/fakes/graphApi';
import { Gen, SEED, hostileSetting, type SettingBounds } from '../unit/safety/generators';
import { PACKAGE, runSingleNode } from '../helpers/workflow';

const NOW = '2026-03-10T12:00:00.000Z';
const H = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const TOKEN = ['IGAAT', 'settings', 'fixture'].join('-');
const ACCOUNT = '17841400000000001';

const nodeTypes = {
	[`${PACKAGE}.consentGate`]: new ConsentGate(),
	[`${PACKAGE}.cadenceScheduler`]: new CadenceScheduler(),
	[`${PACKAGE}.instagramDm`]: new InstagramDm(),
};

const contacts = [
	{ viewerKey: 'a', channel: 'instagram_dm', lastInboundAt: iso(Date.parse(NOW) - H), contactId: 'a', idempotencyKey: 'a:1' },
	{ viewerKey: 'b', channel: 'instagram_dm', lastInboundAt: iso(Date.parse(NOW) - 2 * H), contactId: 'b', idempotencyKey: 'b:1' },
];
const gate = { operation: 'check', now: NOW, requireOptIn: false, options: {} as IDataObject };
const customSequence = {
	now: NOW,
	sequence: 'custom',
	autoEnrol: true,
	defaultTimeZone: 'UTC',
	quietHours: false,
	steps: { step: [{ channel: 'email', delayMin: 0, delayMax: 0, delayUnit: 'hours', template: 'Hi' }] },
	options: {} as IDataObject,
};
const dm = {
	operation: 'sendMessage',
	recipientId: '={{ "1784140000000001" + $itemIndex }}',
	text: 'Hi',
	options: { now: NOW, maxRetryWait: 0.05 } as IDataObject,
};

interface Setting {
	name: string;
	node: 'consentGate' | 'cadenceScheduler' | 'instagramDm';
	bounds: SettingBounds;
	/** The node's parameters with the setting at `value`. */
	parameters: (value: unknown) => IDataObject;
	/** Go-ahead output (Allowed / Send Now / Sent) and safe output (Blocked / Done / Not Sent). */
	goAhead: number;
	safe: number;
}

const clone = <T>(value: T): T => structuredClone(value);
const set = (base: IDataObject, path: string, value: unknown): IDataObject => {
	const copy = clone(base);
	const parts = path.split('.');
	let at: IDataObject = copy;
	for (const part of parts.slice(0, -1)) at = at[part] as IDataObject;
	at[parts[parts.length - 1]] = value as IDataObject[string];
	return copy;
};
const customStep = (field: string) => (value: unknown) => {
	const copy = clone(customSequence);
	(copy.steps.step[0] as IDataObject)[field] = value as IDataObject[string];
	return copy;
};

/** The ranges are written here, not imported: this suite states what the nodes must accept. */
const COUNT = { min: 0, max: 1_000_000, integer: true };
const SETTINGS: Setting[] = [
	{ name: 'Window Safety Margin (Minutes)', node: 'consentGate', bounds: { min: 0, max: 10_080 }, parameters: (v) => set(gate, 'options.windowMarginMinutes', v), goAhead: 0, safe: 1 },
	{ name: 'Max Sends per Run', node: 'consentGate', bounds: COUNT, parameters: (v) => set(gate, 'capPerRun', v), goAhead: 0, safe: 1 },
	{ name: 'Max Sends per Hour', node: 'consentGate', bounds: COUNT, parameters: (v) => set(gate, 'capPerHour', v), goAhead: 0, safe: 1 },
	{ name: 'Max Sends per Day', node: 'consentGate', bounds: COUNT, parameters: (v) => set(gate, 'capPerDay', v), goAhead: 0, safe: 1 },
	{ name: 'Retention (Days)', node: 'consentGate', bounds: { min: 0, max: 36_500 }, parameters: (v) => set(gate, 'retentionDays', v), goAhead: 0, safe: 1 },
	{ name: 'Max Sends per Run', node: 'cadenceScheduler', bounds: COUNT, parameters: (v) => set(customSequence, 'perRunCap', v), goAhead: 0, safe: 2 },
	{ name: 'Complete After (Hours)', node: 'cadenceScheduler', bounds: { min: 0, max: 8_760 }, parameters: (v) => set(customSequence, 'completeAfterHours', v), goAhead: 0, safe: 2 },
	{ name: 'Jitter (Minutes)', node: 'cadenceScheduler', bounds: { min: 0, max: 1_440 }, parameters: (v) => set(customSequence, 'options.jitterMinutes', v), goAhead: 0, safe: 2 },
	{ name: 'Window Margin (Minutes)', node: 'cadenceScheduler', bounds: { min: 0, max: 1_440 }, parameters: (v) => set(customSequence, 'options.windowMarginMinutes', v), goAhead: 0, safe: 2 },
	{ name: 'Delay', node: 'cadenceScheduler', bounds: { min: 0, max: 10_000 }, parameters: customStep('delayMin'), goAhead: 0, safe: 2 },
	{ name: 'Delay Up To', node: 'cadenceScheduler', bounds: { min: 0, max: 10_000 }, parameters: customStep('delayMax'), goAhead: 0, safe: 2 },
	{
		name: 'Business Days',
		node: 'cadenceScheduler',
		bounds: { min: 0, max: 6, integer: true },
		parameters: (v) => ({ ...set(customSequence, 'businessDaysOnly', true), businessDays: [2, v as number] }),
		goAhead: 0,
		safe: 2,
	},
	{ name: 'Max Total Retry Wait (Seconds)', node: 'instagramDm', bounds: { min: 0, max: 3600 }, parameters: (v) => set(dm, 'options.maxRetryWait', v), goAhead: 0, safe: 1 },
];

let fake: FakeGraphApi;
beforeAll(async () => {
	fake = await startFakeGraphApi({ accessToken: TOKEN, accountId: ACCOUNT });
});
afterAll(async () => await fake.close());

async function run(setting: Setting, value: unknown, continueOnFail = false) {
	fake.reset();
	return await runSingleNode(
		{
			type: `${PACKAGE}.${setting.node}`,
			parameters: setting.parameters(value),
			inputs: [contacts],
			continueOnFail,
			credentials: setting.node === 'instagramDm' ? { instagramApi: { id: 'c1', name: 'Instagram' } } : undefined,
		},
		{
			nodeTypes,
			credentials: {
				instagramApi: { host: 'graph.instagram.com', apiVersion: 'v25.0', accessToken: TOKEN, accountId: ACCOUNT, baseUrl: fake.url },
			},
			credentialTypes: { instagramApi: new InstagramApi() },
		},
	);
}

describe(`settings that bound sending are range-checked at run time (seed ${SEED})`, () => {
	it('a negative Window Safety Margin never opens a window longer than 24 h: it is a configuration error', async () => {
		const late = [{ viewerKey: 'late', channel: 'instagram_dm', lastInboundAt: iso(Date.parse(NOW) - 25 * H) }];
		const parameters = set(gate, 'options.windowMarginMinutes', '={{ -120 }}');
		const refused = await runSingleNode({ type: `${PACKAGE}.consentGate`, parameters, inputs: [late] }, { nodeTypes });
		expect(refused.error?.name).toBe('NodeOperationError');
		expect(refused.error?.message).toBe('"Window Safety Margin (Minutes)" is -120; it must be 0 … 10080');
		expect((refused.error as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(0);
	});

	it.each(SETTINGS.map((s) => [`${s.node} / ${s.name}`, s] as const))('%s: generated values', async (_title, setting) => {
		const g = new Gen(SEED + setting.name.length * 31 + setting.node.length);
		let refused = 0;
		for (let k = 0; k < 14; k++) {
			const { value, valid } = hostileSetting(g, setting.bounds);
			const result = await run(setting, value);
			const where = `${setting.node} / ${setting.name} = ${JSON.stringify(value)} (${String(value)})`;
			if (valid) {
				expect({ where, error: result.error?.message }).toEqual({ where, error: undefined });
				continue;
			}
			refused++;
			expect({ where, error: result.error?.name }).toEqual({ where, error: 'NodeOperationError' });
			expect(result.error?.message).toContain(`${setting.name}"`);
			expect(fake.requests).toEqual([]);
		}
		expect(refused).toBeGreaterThan(3);
		// Under "Continue on fail" every item goes to the safe output, none to the go-ahead output.
		const routed = await run(setting, setting.bounds.min - 1, true);
		expect(routed.error).toBeUndefined();
		const outputs = routed.outputOf('Node Under Test');
		expect(outputs[setting.goAhead]).toEqual([]);
		expect(outputs[setting.safe].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(outputs[setting.safe].every((item) => String(item.json.error).includes(`${setting.name}"`))).toBe(true);
		expect(fake.requests).toEqual([]);
	});
});
