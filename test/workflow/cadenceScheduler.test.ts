import type { IDataObject } from 'n8n-workflow';
import { CadenceScheduler } from '../../nodes/CadenceScheduler/CadenceScheduler.node';
import { verifyClickToken } from '../../nodes/core/cadence';
import { PACKAGE, runSingleNode, runWorkflow } from '../helpers/workflow';

const TYPE = `${PACKAGE}.cadenceScheduler`;
const nodeTypes = { [TYPE]: new CadenceScheduler() };
const NOW = '2026-11-18T10:00:00.000Z'; // Wed 11:00 in Paris

const contacts: IDataObject[] = [
	// 0: fresh story reply → Send Now (step 1)
	{
		viewerKey: 'ig_1',
		enrolledAt: NOW,
		lastInboundAt: '2026-11-18T09:59:00.000Z',
		timeZone: 'Europe/Paris',
		name: 'Ana',
		storyTopic: 'yoga',
	},
	// 1: step 1 sent 30 min ago → Wait
	{
		viewerKey: 'ig_2',
		enrolledAt: '2026-11-18T09:30:00.000Z',
		lastInboundAt: '2026-11-18T09:29:00.000Z',
		currentStep: 1,
		sentCount: 1,
		lastSentAt: '2026-11-18T09:30:00.000Z',
		timeZone: 'Europe/Paris',
	},
	// 2: replied after enrolment → Done replied
	{
		viewerKey: 'ig_3',
		enrolledAt: '2026-11-18T08:00:00.000Z',
		lastInboundAt: '2026-11-18T09:00:00.000Z',
		currentStep: 1,
		sentCount: 1,
		lastSentAt: '2026-11-18T08:00:00.000Z',
	},
	// 3: window long closed → Done window_closed with handoff
	{
		viewerKey: 'ig_4',
		enrolledAt: '2026-11-16T10:00:00.000Z',
		lastInboundAt: '2026-11-16T09:59:00.000Z',
		currentStep: 1,
		sentCount: 1,
		lastSentAt: '2026-11-16T10:00:00.000Z',
	},
	// 4: opted out → Done opted_out
	{
		viewerKey: 'ig_5',
		enrolledAt: NOW,
		lastInboundAt: '2026-11-18T09:59:00.000Z',
		optedOutAt: NOW,
	},
	// 5: unknown zone → Send Now with a warning; template needs storyTopic (fallback) and name (fallback)
	{
		viewerKey: 'ig_6',
		enrolledAt: NOW,
		lastInboundAt: '2026-11-18T09:59:00.000Z',
		timeZone: 'Mars/Olympus',
	},
];

const baseParameters = { now: NOW, sequence: 'storyReplyWindow', defaultTimeZone: 'Europe/Paris' };

describe('Cadence Scheduler in a workflow', () => {
	it('routes every contact to Send Now, Wait or Done with reasons, state and pairedItem', async () => {
		const result = await runSingleNode(
			{ type: TYPE, parameters: baseParameters, inputs: [contacts] },
			{ nodeTypes },
		);
		expect(result.error).toBeUndefined();
		const [send, wait, done] = result.outputOf('Node Under Test');
		expect(send.length + wait.length + done.length).toBe(contacts.length);

		expect(send.map((i) => i.json.contactId)).toEqual(['ig_1', 'ig_6']);
		expect(send.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 5 }]);
		expect(send[0].json).toMatchObject({
			contactId: 'ig_1',
			recipientId: 'ig_1',
			viewerKey: 'ig_1',
			channel: 'instagram_dm',
			step: 1,
			stepId: 'thanks',
			idempotencyKey: 'ig_1:storyReplyWindow:20261118T100000Z:1',
			sequence: 'storyReplyWindow',
			state: { contactId: 'ig_1', currentStep: 1, sentCount: 1, lastSentAt: NOW, status: 'active' },
		});
		expect(send[0].json.message).toMatch(/Ana/);
		expect(send[0].json.message).toMatch(/yoga/);
		expect(send[0].json.message).toMatch(/Reply STOP to opt out\.$/);
		expect(['A', 'B']).toContain(send[0].json.variant);
		expect(send[1].json.warnings).toEqual(['Unknown time zone "Mars/Olympus"; used Europe/Paris.']);
		expect(send[1].json.message).not.toMatch(/\{\{/);

		expect(
			wait.map((i) => [i.json.contactId, i.json.waitReason, i.json.nextStep, i.pairedItem]),
		).toEqual([['ig_2', 'not_due', 2, { item: 1 }]]);
		expect((wait[0].json.state as IDataObject).nextDueAt).toBe(wait[0].json.nextDueAt);

		expect(done.map((i) => [i.json.contactId, i.json.reason, i.pairedItem])).toEqual([
			['ig_3', 'replied', { item: 2 }],
			['ig_4', 'window_closed', { item: 3 }],
			['ig_5', 'opted_out', { item: 4 }],
		]);
		expect(done[1].json).toMatchObject({
			handoffChannel: 'email',
			state: { status: 'done', doneReason: 'window_closed', doneAt: NOW },
		});
	});

	it('runs a custom sequence with A/B variants, a per-run cap, a stored state object and field mapping', async () => {
		const items = ['a', 'b', 'c'].map((id) => ({
			crmId: id,
			cadence: { enrolledAt: NOW, timeZone: 'UTC' },
			variables: { firstName: id.toUpperCase() },
		}));
		const result = await runSingleNode(
			{
				type: TYPE,
				parameters: {
					now: NOW,
					sequence: 'custom',
					sequenceId: 'welcome',
					steps: {
						step: [
							{
								delayMin: 0,
								delayMax: 0,
								delayUnit: 'minutes',
								channel: 'email',
								template: 'A: hi {{firstName}}',
								templateB: 'B: hello {{firstName}}',
							},
							{
								delayMin: 2,
								delayMax: 3,
								delayUnit: 'days',
								channel: 'email',
								template: 'Value for {{firstName|you}}',
							},
						],
					},
					quietHours: false,
					perRunCap: 2,
					options: { contactIdField: 'crmId', stateField: 'cadence', jitterMinutes: 0 },
				},
				inputs: [items],
			},
			{ nodeTypes },
		);
		expect(result.error).toBeUndefined();
		const [send, wait, done] = result.outputOf('Node Under Test');
		expect(send.map((i) => i.json.contactId)).toEqual(['a', 'b']);
		for (const item of send) {
			expect(item.json.message).toMatch(
				new RegExp(
					`^${item.json.variant}: (hi|hello) ${String(item.json.contactId).toUpperCase()}\\n\\nReply STOP to opt out\\.$`,
				),
			);
		}
		expect(wait.map((i) => [i.json.contactId, i.json.waitReason, i.pairedItem])).toEqual([
			['c', 'run_cap', { item: 2 }],
		]);
		expect(done).toEqual([]);
	});

	it('throws a clear error naming the item when state is missing and auto-enrol is off', async () => {
		const result = await runSingleNode(
			{
				type: TYPE,
				parameters: baseParameters,
				inputs: [[contacts[0], { viewerKey: 'ig_new', name: 'Bo' }]],
			},
			{ nodeTypes },
		);
		expect(result.error?.message).toBe(
			'Item 1: Contact "ig_new" has no cadence state (enrolledAt is empty)',
		);
	});

	it('with Continue on Fail, the failing item goes to Done with its error; with auto-enrol it starts now', async () => {
		const failing = await runSingleNode(
			{
				type: TYPE,
				parameters: baseParameters,
				inputs: [[{ viewerKey: 'ig_new' }]],
				continueOnFail: true,
			},
			{ nodeTypes },
		);
		const [, , done] = failing.outputOf('Node Under Test');
		expect(done).toEqual([
			{
				json: {
					viewerKey: 'ig_new',
					reason: 'error',
					error: 'Item 0: Contact "ig_new" has no cadence state (enrolledAt is empty)',
				},
				pairedItem: { item: 0 },
			},
		]);

		const enrolled = await runSingleNode(
			{
				type: TYPE,
				parameters: { ...baseParameters, sequence: 'nurture', autoEnrol: true },
				inputs: [[{ viewerKey: 'ig_new', variables: { name: 'Bo' } }]],
			},
			{ nodeTypes },
		);
		const [send] = enrolled.outputOf('Node Under Test');
		expect(send[0].json).toMatchObject({
			channel: 'email',
			step: 1,
			state: { enrolledAt: NOW, sequence: 'nurture' },
		});
	});

	it('rejects bad configuration before any item: quiet hours, zone, empty custom sequence', async () => {
		const bad = async (parameters: IDataObject) =>
			(
				await runSingleNode(
					{ type: TYPE, parameters: { ...baseParameters, ...parameters }, inputs: [[contacts[0]]] },
					{ nodeTypes },
				)
			).error?.message;
		expect(await bad({ quietStart: '9pm' })).toMatch(
			/Quiet hours "9pm"–"08:00" are not valid times/,
		);
		expect(await bad({ defaultTimeZone: 'Mars/Olympus' })).toMatch(
			/Default Time Zone "Mars\/Olympus"/,
		);
		expect(await bad({ sequence: 'custom', steps: {} })).toMatch(/custom sequence has no steps/);
	});

	it('keeps the input fields only when Keep Input Fields is on (the decision wins a clash)', async () => {
		const input = [{ ...contacts[0], email: 'ana@example.com', message: 'her story reply' }, contacts[1], contacts[2]];
		const run = async (options: IDataObject) =>
			(await runSingleNode({ type: TYPE, parameters: { ...baseParameters, options }, inputs: [input] }, { nodeTypes })).outputOf(
				'Node Under Test',
			);
		const [lean] = await run({});
		expect(lean[0].json.email).toBeUndefined();
		const [send, wait, done] = await run({ keepInputFields: true });
		expect(send[0].json).toMatchObject({ email: 'ana@example.com', name: 'Ana', storyTopic: 'yoga', contactId: 'ig_1', step: 1 });
		expect(send[0].json.message).not.toBe('her story reply');
		expect(send[0].json.message).toMatch(/Ana/);
		expect(wait[0].json).toMatchObject({ viewerKey: 'ig_2', lastSentAt: '2026-11-18T09:30:00.000Z', waitReason: 'not_due' });
		expect(done[0].json).toMatchObject({ viewerKey: 'ig_3', reason: 'replied' });
		expect([send, wait, done].map((items) => items.map((i) => i.pairedItem))).toEqual([[{ item: 0 }], [{ item: 1 }], [{ item: 2 }]]);
	});

	it('takes the sequence from an expression (a Client settings node) and names an unknown one', async () => {
		const run = async (sequence: string) =>
			await runSingleNode(
				{ type: TYPE, parameters: { ...baseParameters, sequence }, inputs: [[{ ...contacts[0], plan: 'softDmFollowUp' }]] },
				{ nodeTypes },
			);
		const chosen = await run('={{ $json.plan }}');
		expect(chosen.error).toBeUndefined();
		const [send] = chosen.outputOf('Node Under Test');
		expect(send.map((i) => [i.json.sequence, i.json.idempotencyKey])).toEqual([
			['softDmFollowUp', 'ig_1:softDmFollowUp:20261118T100000Z:1'],
		]);
		const unknown = await run('={{ "weekly" }}');
		expect(unknown.error?.message).toBe('Unknown sequence "weekly"');
		expect((unknown.error as { description?: string } | undefined)?.description).toMatch(/storyReplyWindow, softDmFollowUp, nurture, custom/);
	});

	it('its three outputs wire to separate branches (Send Now → sender, Done → CRM handoff)', async () => {
		const result = await runWorkflow(
			{
				nodes: [
					{
						id: '1',
						name: 'Start',
						type: 'test.trigger',
						typeVersion: 1,
						position: [0, 0],
						parameters: {},
					},
					{
						id: '2',
						name: 'Contacts',
						type: 'test.seed',
						typeVersion: 1,
						position: [200, 0],
						parameters: { items: JSON.stringify(contacts) },
					},
					{
						id: '3',
						name: 'Cadence',
						type: TYPE,
						typeVersion: 1,
						position: [400, 0],
						parameters: {
							...baseParameters,
							messageOverrides: {
								message: [
									{ step: 1, variant: 'A', template: 'Hey {{name|you}}!' },
									{ step: 1, variant: 'B', template: 'Yo {{name|you}}!' },
								],
							},
						},
					},
					{
						id: '4',
						name: 'Send',
						type: 'test.seed',
						typeVersion: 1,
						position: [600, -100],
						parameters: { items: '[{"sent":true}]' },
					},
					{
						id: '5',
						name: 'Handoff',
						type: 'test.seed',
						typeVersion: 1,
						position: [600, 100],
						parameters: { items: '[{"handedOff":true}]' },
					},
				],
				connections: {
					Start: { main: [[{ node: 'Contacts', type: 'main', index: 0 }]] },
					Contacts: { main: [[{ node: 'Cadence', type: 'main', index: 0 }]] },
					Cadence: {
						main: [
							[{ node: 'Send', type: 'main', index: 0 }],
							[],
							[{ node: 'Handoff', type: 'main', index: 0 }],
						],
					},
				},
			},
			{ nodeTypes },
		);
		expect(result.error).toBeUndefined();
		const [send] = result.outputOf('Cadence');
		expect(send.map((i) => String(i.json.message).split('\n')[0])).toEqual(
			send.map((i) =>
				i.json.variant === 'A'
					? `Hey ${i.json.contactId === 'ig_1' ? 'Ana' : 'you'}!`
					: `Yo ${i.json.contactId === 'ig_1' ? 'Ana' : 'you'}!`,
			),
		);
		expect(result.outputOf('Send')[0]).toHaveLength(1);
		expect(result.outputOf('Handoff')[0]).toHaveLength(1);
	});

	it('adds UTM parameters to the links of a message and reports campaign and content for the send log', async () => {
		const override = (template: string) => ({ message: [{ step: 1, variant: 'A', template }] });
		const parameters = {
			...baseParameters,
			messageOverrides: override('Hi! Book: https://shop.example.com/yoga?ref=dm#slots or https://wa.me/331'),
			utm: { skipHosts: 'wa.me', campaign: 'spring-{sequence}' },
		};
		const result = await runSingleNode({ type: TYPE, parameters, inputs: [[contacts[0]]] }, { nodeTypes });
		const [sent] = result.outputOf('Node Under Test')[0].map((i) => i.json);
		const link =
			'https://shop.example.com/yoga?ref=dm&utm_source=instagram&utm_medium=story_dm&utm_campaign=spring-storyReplyWindow&utm_content=thanks-A#slots';
		expect(sent.message).toContain(`Book: ${link} or https://wa.me/331`);
		expect(sent).toMatchObject({ utmCampaign: 'spring-storyReplyWindow', utmContent: 'thanks-A', links: [link], variant: 'A' });

		const off = await runSingleNode(
			{ type: TYPE, parameters: { ...parameters, trackLinks: false }, inputs: [[contacts[0]]] },
			{ nodeTypes },
		);
		const [plain] = off.outputOf('Node Under Test')[0].map((i) => i.json);
		expect(plain.message).toContain('Book: https://shop.example.com/yoga?ref=dm#slots or');
		expect(plain.utmContent).toBeUndefined();
	});

	it('with Track Clicks, sends each tagged link through the signed redirect of the Track Clicks Through URL', async () => {
		const pepper = 'a-very-secret-pepper-123';
		const parameters = {
			...baseParameters,
			messageOverrides: { message: [{ step: 1, variant: 'A', template: 'Book: https://shop.example.com/yoga' }] },
			trackClicks: true,
			clickRedirectUrl: 'https://n8n.example.com/webhook/abc/r',
		};
		const run = (clickRedirectUrl: string, secret: string) =>
			runSingleNode(
				{
					type: TYPE,
					parameters: { ...parameters, clickRedirectUrl },
					inputs: [[contacts[0]]],
					credentials: { storyLeadsPrivacyApi: { id: '1', name: 'Privacy' } },
				},
				{ nodeTypes, credentials: { storyLeadsPrivacyApi: { pepper: secret } } },
			);
		const result = await run('https://n8n.example.com/webhook/abc/r', pepper);
		expect(result.error).toBeUndefined();
		const [sent] = result.outputOf('Node Under Test')[0].map((i) => i.json);
		const token = /Book: https:\/\/n8n\.example\.com\/webhook\/abc\/r\/(\S+)/.exec(String(sent.message))?.[1];
		expect(verifyClickToken(token, pepper)).toEqual({
			ok: true,
			url: (sent.links as string[])[0],
			contactKey: sent.contactId,
			sendKey: sent.idempotencyKey,
		});
		expect((sent.links as string[])[0]).toMatch(/^https:\/\/shop\.example\.com\/yoga\?utm_source=instagram&/);

		expect((await run('n8n.example.com/r', pepper)).error?.message).toMatch(/Track Clicks Through "n8n.example.com\/r" is not an http\(s\) URL/);
		expect((await run('https://n8n.example.com/r', 'short')).error?.message).toMatch(/shorter than 16 characters/);
	});
});
