// End to end in a real n8n 2.x: the decision nodes whose outputs depend on their parameters (Viewer Segment
// in route mode, Engagement Tagger re-evaluate) and the Cadence Scheduler run in n8n's own engine, fed by
// built-in nodes, with outputs exactly as declared.
const { createInstance, nodeOutputs, assertRan, PACKAGE_NAME } = require('../../scripts/n8n/harness');
const { node, itemsNodes, manualTrigger, link, workflow } = require('./workflow-builder');

jest.setTimeout(15 * 60 * 1000);

const AS_OF = '2026-11-22T12:00:00.000Z';
const DAY = 86400000;
const ago = (days) => new Date(Date.parse(AS_OF) - days * DAY).toISOString();

let counter = 0;
function ev(viewerKey, type, days, more = {}) {
	counter += 1;
	return {
		eventId: `ev_e2e_${counter}`,
		viewerKey,
		viewerKeyType: 'handle',
		type,
		occurredAt: ago(days),
		ingestedAt: ago(days),
		source: 'csv',
		sourceTool: 'e2e',
		...more,
	};
}

function singleNodeWorkflow(id, field, items, type, parameters) {
	const connections = {};
	link(connections, 'Run now', 'Input');
	link(connections, 'Input', 'Input (split)');
	link(connections, 'Input (split)', 'Under test');
	return workflow(id, `E2E ${id}`, [
		manualTrigger(),
		...itemsNodes('i', 'Input', [200, 0], field, items),
		node('u', 'Under test', `${PACKAGE_NAME}.${type}`, 1, [600, 0], parameters),
	], connections);
}

describe('decision nodes in a real n8n 2.x', () => {
	let n8n;

	beforeAll(async () => {
		n8n = await createInstance();
	});

	afterAll(() => {
		if (n8n) n8n.cleanup();
	});

	it('Viewer Segment routes each viewer to its first matching segment output', async () => {
		const events = [
			ev('anna', 'view', 2, { storyId: 's1' }),
			ev('anna', 'view', 1, { storyId: 's2' }),
			ev('anna', 'view', 1, { storyId: 's3' }),
			ev('anna', 'story_reply', 0.5, { storyId: 's3' }),
			ev('bob', 'profile_visit', 1),
			ev('carl', 'view', 3, { storyId: 's1' }),
			ev('old', 'view', 9, { storyId: 's1' }),
		];
		await n8n.importWorkflow(
			singleNodeWorkflow('e2eSegment000001', 'events', events, 'viewerSegment', {
				asOf: AS_OF,
				windowDays: 7,
				segments: ['highEngagement', 'profileVisitor', 'repeatViewer'],
				outputMode: 'route',
				routeMatch: 'first',
			}),
		);
		const result = await n8n.executeWorkflow('e2eSegment000001');
		assertRan(result);
		const outputs = nodeOutputs(result.run, 'Under test');
		// High Engagement, Profile Visitor, Repeat Viewer, No Segment
		expect(outputs.map((items) => items.map((i) => i.json.viewerKey))).toEqual([['anna'], ['bob'], [], ['carl']]);
		expect(outputs[0][0].json.reasons.join(' ')).toMatch(/3 stories/);
	});

	it('Engagement Tagger re-evaluate sends only contacts whose tags change to Changed', async () => {
		const contacts = [
			{ contactKey: 'c_recent', lastEngagedAt: ago(2), tags: ['Engaged', 'Recent Activity'] },
			{ contactKey: 'c_cooling', lastEngagedAt: ago(22), tags: ['Engaged', 'VIP'] },
			{ contactKey: 'c_gone', lastEngagedAt: ago(45), tags: ['Inactive'] },
		];
		await n8n.importWorkflow(
			singleNodeWorkflow('e2eTagger0000001', 'contacts', contacts, 'engagementTagger', {
				operation: 'reEvaluate',
				asOf: AS_OF,
			}),
		);
		const result = await n8n.executeWorkflow('e2eTagger0000001');
		assertRan(result);
		const [changed, unchanged] = nodeOutputs(result.run, 'Under test');
		expect(changed.map((i) => [i.json.contactKey, i.json.tagsToAdd, i.json.tagsToRemove])).toEqual([
			['c_cooling', ['Disengaged'], ['Engaged']],
		]);
		expect(changed[0].json.tags).toEqual(expect.arrayContaining(['VIP', 'Disengaged']));
		expect(unchanged.map((i) => i.json.contactKey)).toEqual(['c_recent', 'c_gone']);
	});

	it('Cadence Scheduler splits contacts into Send Now, Wait and Done', async () => {
		const now = '2026-11-18T10:00:00.000Z';
		const contacts = [
			{ viewerKey: 'ig_1', enrolledAt: now, lastInboundAt: '2026-11-18T09:59:00.000Z', timeZone: 'Europe/Paris', name: 'Ana', storyTopic: 'yoga' },
			{ viewerKey: 'ig_2', enrolledAt: '2026-11-18T09:30:00.000Z', lastInboundAt: '2026-11-18T09:29:00.000Z', currentStep: 1, sentCount: 1, lastSentAt: '2026-11-18T09:30:00.000Z', timeZone: 'Europe/Paris' },
			{ viewerKey: 'ig_3', enrolledAt: '2026-11-18T08:00:00.000Z', lastInboundAt: '2026-11-18T09:00:00.000Z', currentStep: 1, sentCount: 1, lastSentAt: '2026-11-18T08:00:00.000Z' },
		];
		await n8n.importWorkflow(
			singleNodeWorkflow('e2eCadence000001', 'contacts', contacts, 'cadenceScheduler', {
				now,
				sequence: 'storyReplyWindow',
				defaultTimeZone: 'Europe/Paris',
			}),
		);
		const result = await n8n.executeWorkflow('e2eCadence000001');
		assertRan(result);
		const [send, wait, done] = nodeOutputs(result.run, 'Under test');
		expect(send.map((i) => [i.json.contactId, i.json.idempotencyKey])).toEqual([
			['ig_1', 'ig_1:storyReplyWindow:20261118T100000Z:1'],
		]);
		expect(send[0].json.message).toMatch(/Ana/);
		expect(wait.map((i) => i.json.contactId)).toEqual(['ig_2']);
		expect(done.map((i) => [i.json.contactId, i.json.reason])).toEqual([['ig_3', 'replied']]);
	});
});
