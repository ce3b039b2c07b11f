// Tool mode narrows only (issue 22, class 8): over EVERY node of the package, no option an AI agent can reach
// widens what may be sent. n8n registers each `usableAsTool` node again as `<type>Tool`; an agent reaches every
// parameter of that variant (any of them can be "defined by the model"), and an imported workflow reaches the
// hidden ones too. So each sending node is run as a tool with every parameter set, one at a time, to values of
// its type, and must either refuse (NodeOperationError, nothing sent) or let through a subset of its defaults.
import {
	NodeHelpers,
	type IDataObject,
	type INodeParameters,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
	type INodePropertyOptions,
} from 'n8n-workflow';

import { InstagramApi } from '../../credentials/InstagramApi.credentials';
import { CadenceScheduler } from '../../nodes/CadenceScheduler/CadenceScheduler.node';
import { ConsentGate } from '../../nodes/ConsentGate/ConsentGate.node';
import { EngagementTagger } from '../../nodes/EngagementTagger/EngagementTagger.node';
import { FunnelReport } from '../../nodes/FunnelReport/FunnelReport.node';
import { InstagramDm } from '../../nodes/InstagramDm/InstagramDm.node';
import { InstagramStoryTrigger } from '../../nodes/InstagramStoryTrigger/InstagramStoryTrigger.node';
import { StoryViewerIngest } from '../../nodes/StoryViewerIngest/StoryViewerIngest.node';
import { ViewerSegment } from '../../nodes/ViewerSegment/ViewerSegment.node';
import { startFakeGraphApi, type FakeGraphApi } from '../../scripts/fakes/graphApi';
import { PACKAGE, runSingleNode, type RunResult } from '../helpers/workflow';
import pkg from '../../package.json';

const NODE_CLASSES: Record<string, new () => INodeType> = {
	CadenceScheduler,
	ConsentGate,
	EngagementTagger,
	FunnelReport,
	InstagramDm,
	InstagramStoryTrigger,
	StoryViewerIngest,
	ViewerSegment,
};

/** Nodes that neither send nor decide who may be sent to, and why. Everything else is run below. */
const NOT_SENDING: Record<string, string> = {
	EngagementTagger: 'tags engagement levels; the Consent Gate decides sending',
	FunnelReport: 'reports on the funnel after the fact',
	StoryViewerIngest: 'turns viewer exports into events',
	ViewerSegment: 'groups viewers; the Consent Gate decides sending',
};

/**
 * Instagram DM parameters that are the message itself (what the agent is asked to do: a DM or a private reply,
 * to whom, saying what), not a rule; whether that person may be messaged is the Consent Gate's answer.
 */
const DM_MESSAGE_FIELDS = new Set(['operation', 'recipientId', 'text', 'commentId', 'quickReplies', 'idempotencyKey', 'profileFields']);

const H = 3_600_000;
const TOKEN = ['IGAAT', 'toolmode', 'fixture'].join('-');
const ACCOUNT = '17841400000000001';

const asTool = (d: INodeTypeDescription): INodeTypeDescription => ({ ...d, name: `${d.name}Tool` });
const shownIn = (d: INodeTypeDescription, values: INodeParameters, p: INodeProperties) =>
	NodeHelpers.displayParameter(values, p, { typeVersion: 1 }, d);

/** Values of a parameter's type an agent or an imported workflow could give. */
function valuesFor(p: INodeProperties, nowMs: number): unknown[] {
	const past = new Date(nowMs - 3 * 24 * H).toISOString();
	const future = new Date(nowMs + 3 * 24 * H).toISOString();
	switch (p.type) {
		case 'boolean':
			return [true, false, 'true', 'false'];
		case 'number':
			return [0, -1, 1, 2.5, Number(p.default) * 4 + 1, 1e9];
		case 'dateTime':
			return ['', past, future];
		case 'options':
			return (p.options ?? []).map((o) => (o as INodePropertyOptions).value);
		case 'multiOptions':
			return [[], (p.options ?? []).map((o) => (o as INodePropertyOptions).value)];
		case 'string':
			return ['', ' ', 'email', '*', 'instagram_dm', 'newsletter', 'altKey', 'altInbound', 'altChannel', 'nothing', past, future];
		default:
			return [];
	}
}

/** Every (parameter path, value) to try: top-level parameters, and each option of a collection alone. */
function mutations(properties: INodeProperties[], nowMs: number): Array<{ name: string; parameters: IDataObject }> {
	const out: Array<{ name: string; parameters: IDataObject }> = [];
	for (const p of properties) {
		if (p.type === 'collection') {
			for (const option of (p.options ?? []) as INodeProperties[]) {
				for (const v of valuesFor(option, nowMs)) out.push({ name: `${p.name}.${option.name}=${JSON.stringify(v)}`, parameters: { [p.name]: { [option.name]: v } } });
			}
			continue;
		}
		for (const v of valuesFor(p, nowMs)) out.push({ name: `${p.name}=${JSON.stringify(v)}`, parameters: { [p.name]: v as IDataObject[string] } });
	}
	return out;
}

/** Properties an agent or an imported tool can reach for these base parameters (shown in either variant). */
function reachable(d: INodeTypeDescription, base: INodeParameters): INodeProperties[] {
	const seen = new Set<string>();
	return d.properties.filter((p) => {
		if (p.type === 'notice' || seen.has(p.name)) return false;
		if (!shownIn(d, base, p) && !shownIn(asTool(d), base, p)) return false;
		seen.add(p.name);
		return true;
	});
}

const merge = (base: IDataObject, extra: IDataObject): IDataObject => {
	const out: IDataObject = { ...base };
	for (const [k, v] of Object.entries(extra)) {
		out[k] = v !== null && typeof v === 'object' && !Array.isArray(v) && typeof base[k] === 'object' ? { ...(base[k] as IDataObject), ...(v as IDataObject) } : v;
	}
	return out;
};

let fake: FakeGraphApi;
beforeAll(async () => {
	fake = await startFakeGraphApi({ accessToken: TOKEN, accountId: ACCOUNT });
});
afterAll(async () => await fake.close());

async function runTool(node: string, parameters: IDataObject, inputs: IDataObject[][]): Promise<RunResult> {
	fake.reset();
	const classes = { consentGate: ConsentGate, instagramDm: InstagramDm, cadenceScheduler: CadenceScheduler } as const;
	const type = `${PACKAGE}.${node}Tool`;
	return await runSingleNode(
		{ type, parameters, inputs, credentials: node === 'instagramDm' ? { instagramApi: { id: 'c1', name: 'Instagram' } } : undefined },
		{
			nodeTypes: { [type]: new classes[node as keyof typeof classes]() },
			credentials: {
				instagramApi: { host: 'graph.instagram.com', apiVersion: 'v25.0', accessToken: TOKEN, accountId: ACCOUNT, baseUrl: fake.url },
			},
			credentialTypes: { instagramApi: new InstagramApi() },
		},
	);
}

function expectRefusedOrSubset(where: string, result: RunResult, allowed: string[], baseline: ReadonlySet<string>) {
	if (result.error) {
		expect({ where, error: result.error.name }).toEqual({ where, error: 'NodeOperationError' });
		return 'refused';
	}
	const wider = allowed.filter((key) => !baseline.has(key));
	expect({ where, wider }).toEqual({ where, wider: [] });
	return 'ran';
}

describe('every node of the package is covered', () => {
	it('the node classes here are exactly the nodes the package registers with n8n; triggers are no tools', () => {
		const registered = pkg.n8n.nodes.map((entry) => entry.replace(/^dist\/nodes\/(\w+)\/\1\.node\.js$/, '$1')).sort();
		expect(Object.keys(NODE_CLASSES).sort()).toEqual(registered);
		for (const [name, NodeClass] of Object.entries(NODE_CLASSES)) {
			const d = new NodeClass().description;
			if (d.usableAsTool !== true) {
				expect([name, d.group]).toEqual([name, ['trigger']]);
				continue;
			}
			const sending = ['ConsentGate', 'InstagramDm', 'CadenceScheduler'].includes(name);
			expect([name, sending || name in NOT_SENDING]).toEqual([name, true]);
		}
	});

	it.each(Object.keys(NOT_SENDING))('%s has no go-ahead output and no Instagram credential but for reading', (name) => {
		const d = new NODE_CLASSES[name]().description;
		expect(JSON.stringify([d.outputs, d.outputNames ?? []])).not.toMatch(/Allowed|Send Now|Sent/);
		// Story Viewer Ingest reads stories through the Graph API (GET); nothing else holds the Instagram credential.
		const instagram = (d.credentials ?? []).filter((c) => c.name === 'instagramApi');
		expect(instagram.map((c) => c.displayOptions?.show?.operation)).toEqual(name === 'StoryViewerIngest' ? [['graphApiStories']] : []);
	});
});

describe('Consent Gate as an AI tool: no reachable option widens Allowed', () => {
	const d = new ConsentGate().description;
	const nowMs = Date.now();
	const ago = (hours: number) => new Date(nowMs - hours * H).toISOString();
	const alt = { altKey: 'ok0', altInbound: ago(1), altChannel: 'email', nothing: null };
	const contacts: IDataObject[] = [
		...Array.from({ length: 30 }, (_, i) => ({ viewerKey: `ok${i}`, channel: 'instagram_dm', lastInboundAt: ago(1), score: i, accountId: 'a1', idempotencyKey: `ok${i}:1`, ...alt })),
		{ viewerKey: 'stopped', channel: 'instagram_dm', lastInboundAt: ago(1), ...alt },
		{ viewerKey: 'noConsent', channel: 'instagram_dm', lastInboundAt: ago(1), ...alt },
		{ viewerKey: 'late', channel: 'instagram_dm', lastInboundAt: ago(72), ...alt },
		{ viewerKey: 'noChannel', lastInboundAt: ago(1), ...alt },
		{ viewerKey: 'bot', channel: 'instagram_dm', lastInboundAt: ago(1), possibleBot: true, ...alt },
		{ viewerKey: 'old', channel: 'instagram_dm', lastInboundAt: ago(1), lastSeenAt: ago(24 * 400), ...alt },
		{ viewerKey: 'sentBefore', channel: 'instagram_dm', lastInboundAt: ago(1), idempotencyKey: 'sent:1', ...alt },
		{ viewerKey: 'newsletterOnly', channel: 'instagram_dm', lastInboundAt: ago(1), ...alt },
	];
	const optIn = (subjectKey: string, channel = 'instagram_dm', purpose = 'marketing') => ({
		recordId: `cr_${subjectKey}_${purpose}`,
		subjectKey,
		channel,
		purpose,
		status: 'opt_in',
		lawfulBasis: 'consent',
		source: 'form',
		evidence: 'Form v1',
		recordedAt: ago(24 * 10),
	});
	const records: IDataObject[] = [
		// 'old' has no opt-in: separate consent would exempt it from retention.
		...contacts.filter((c) => !['noConsent', 'newsletterOnly', 'old'].includes(String(c.viewerKey))).map((c) => optIn(String(c.viewerKey), '*')),
		{ ...optIn('stopped'), recordId: 'cr_stop', status: 'opt_out', recordedAt: ago(24) },
		optIn('newsletterOnly', '*', 'newsletter'),
		...[0.2, 0.3, 0.4].map((h) => ({ idempotencyKey: `log${h}`, sentAt: ago(h), accountId: 'a1' })),
		{ idempotencyKey: 'sent:1', sentAt: ago(0.5), accountId: 'a2' },
	];
	// Subject Key is required by other operations (reachable through Operation); Check ignores it.
	const base = { operation: 'check', subjectKey: 'ok0' };
	const allowedKeys = (result: RunResult, parameters: IDataObject) =>
		(parameters.operation ?? 'check') === 'check' ? result.outputOf('Node Under Test')[0].map((i) => String(i.json.viewerKey)) : [];

	it('hides every rule setting in the tool variant; the regular node shows them', () => {
		for (const name of ['now', 'channel', 'purpose', 'requireOptIn', 'humanAgent', 'options']) {
			expect([name, d.properties.some((p) => p.name === name && shownIn(asTool(d), base, p))]).toEqual([name, false]);
			expect([name, d.properties.some((p) => p.name === name && shownIn(d, base, p))]).toEqual([name, true]);
		}
	});

	it('Human Agent Messages, as in the issue: refused at run time as a tool (was: a contact 3 days out Allowed)', async () => {
		const result = await runTool('consentGate', { ...base, humanAgent: true }, [contacts, records]);
		expect(result.error?.message).toMatch(/"Human Agent Messages" set to true is not available when this node runs as an AI tool/);
	});

	it('every reachable parameter, every value of its type: refused, or Allowed stays within the defaults', async () => {
		const baselineRun = await runTool('consentGate', base, [contacts, records]);
		expect(baselineRun.error).toBeUndefined();
		const baseline = new Set(allowedKeys(baselineRun, base));
		// The defaults let 25 through (the per-run cap), none of the contacts a rule blocks.
		expect([...baseline].filter((k) => !k.startsWith('ok'))).toEqual([]);
		expect(baseline.size).toBe(25);
		for (const blocked of ['stopped', 'noConsent', 'late', 'noChannel', 'bot', 'old', 'sentBefore', 'newsletterOnly']) expect(baseline.has(blocked)).toBe(false);
		const tally = { refused: 0, ran: 0 };
		const cases = mutations(reachable(d, base), nowMs);
		for (const mutation of cases) {
			const parameters = merge(base, mutation.parameters);
			const result = await runTool('consentGate', parameters, [contacts, records]);
			tally[expectRefusedOrSubset(mutation.name, result, result.error ? [] : allowedKeys(result, parameters), baseline)]++;
		}
		expect(tally.refused).toBeGreaterThan(50);
		expect(tally.ran).toBeGreaterThan(10);
	});
});

describe('Instagram DM as an AI tool: no reachable rule option widens what is sent', () => {
	const d = new InstagramDm().description;
	const items = ['17841400000000011', '17841400000000012'].map((to) => ({ to, message: 'Hi' }));
	const base = { operation: 'sendMessage', recipientId: '={{ $json.to }}', text: '={{ $json.message }}' };
	/** What went out: recipient, messaging type and tag per request, and whether sentAt is the real time. */
	const sent = (result: RunResult, t0: number, t1: number) => [
		...fake.requests.filter((r) => r.method === 'POST').map((r) => JSON.stringify([(r.body as IDataObject).recipient, (r.body as IDataObject).messaging_type ?? null, (r.body as IDataObject).tag ?? null])),
		...result
			.outputOf('Node Under Test')[0]
			.filter((i) => i.json.sentAt !== undefined && !(Date.parse(String(i.json.sentAt)) >= t0 - 1000 && Date.parse(String(i.json.sentAt)) <= t1 + 1000))
			.map((i) => `sentAt ${String(i.json.sentAt)} is not the real time`),
	];

	it('hides HUMAN_AGENT and Now in the tool variant', () => {
		expect(d.properties.some((p) => p.name === 'humanAgent' && shownIn(asTool(d), base, p))).toBe(false);
		const options = d.properties.find((p) => p.name === 'options') as INodeProperties;
		const now = (options.options as INodeProperties[]).find((o) => o.name === 'now') as INodeProperties;
		expect(shownIn(asTool(d), { ...base, options: {} }, now)).toBe(false);
		expect(shownIn(d, { ...base, options: {} }, now)).toBe(true);
	});

	it('every reachable rule parameter, every value of its type: refused, or the same RESPONSE sends at the real time', async () => {
		let t0 = Date.now();
		const baselineRun = await runTool('instagramDm', base, [items]);
		expect(baselineRun.error).toBeUndefined();
		const baseline = new Set(sent(baselineRun, t0, Date.now()));
		expect(baseline.size).toBe(2);
		const tally = { refused: 0, ran: 0 };
		for (const mutation of mutations(reachable(d, base).filter((p) => !DM_MESSAGE_FIELDS.has(p.name)), Date.now())) {
			t0 = Date.now();
			const result = await runTool('instagramDm', merge(base, mutation.parameters), [items]);
			tally[expectRefusedOrSubset(mutation.name, result, result.error ? [] : sent(result, t0, Date.now()), baseline)]++;
			if (result.error) expect({ where: mutation.name, requests: fake.requests.length }).toEqual({ where: mutation.name, requests: 0 });
		}
		expect(tally.refused).toBeGreaterThan(3);
		expect(tally.ran).toBeGreaterThan(10);
	});
});

describe('Cadence Scheduler as an AI tool: refuses to run, whatever it is set to', () => {
	const d = new CadenceScheduler().description;
	const contacts = [{ contactId: 'c1', viewerKey: 'c1', lastInboundAt: new Date().toISOString() }];
	const base = { sequence: 'storyReplyWindow', autoEnrol: true };

	it('shows only its notice in the tool variant', () => {
		expect(d.properties.filter((p) => shownIn(asTool(d), base, p)).map((p) => p.type)).toEqual(['notice']);
	});

	it('every reachable parameter, every value of its type: refused, nothing on Send Now', async () => {
		const regular = await runSingleNode(
			{ type: `${PACKAGE}.cadenceScheduler`, parameters: base, inputs: [contacts] },
			{ nodeTypes: { [`${PACKAGE}.cadenceScheduler`]: new CadenceScheduler() } },
		);
		expect(regular.outputOf('Node Under Test')[0]).toHaveLength(1); // outside the agent it schedules
		for (const mutation of mutations(reachable(d, base), Date.now())) {
			const result = await runTool('cadenceScheduler', merge(base, mutation.parameters), [contacts]);
			expect({ where: mutation.name, error: result.error?.message }).toEqual({
				where: mutation.name,
				error: 'Scheduling follow-ups is not available when this node runs as an AI tool',
			});
		}
	});
});
