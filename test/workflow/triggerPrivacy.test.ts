// Pseudonymise Viewers with the privacy credential missing or unusable (issue 22, class 10): the workflow is not
// published (activation check), and a delivery that still meets a broken credential is acknowledged (no 500, so
// Meta does not redeliver and then drop it) with every event a person wrote kept, marked, never a STOP lost.
import { createHmac } from 'crypto';
import type { IDataObject, IHookFunctions, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { InstagramStoryTrigger } from '../../nodes/InstagramStoryTrigger/InstagramStoryTrigger.node';
import { Gen, SEED, privacyCredential } from '../unit/safety/generators';
import * as p from '../unit/capture/payloads';

const APP_SECRET = 'privacy-app-secret';
const PEPPER = 'privacy-pepper-0123456789';
const sign = (raw: string) => 'sha256=' + createHmac('sha256', APP_SECRET).update(raw).digest('hex');

interface Setup {
	pseudonymise: unknown;
	/** The privacy credential's pepper; absent = no credential selected. */
	credential?: { pepper: unknown };
}

interface Context {
	ctx: IWebhookFunctions & IHookFunctions;
	status: () => number | undefined;
	errors: string[];
	credentialReads: string[];
}

function context(setup: Setup, raw = ''): Context {
	let status: number | undefined;
	const errors: string[] = [];
	const credentialReads: string[] = [];
	const res = {
		status(code: number) {
			status = code;
			return res;
		},
		type: () => res,
		send: () => res,
		end: () => res,
	};
	const parameters: IDataObject = {
		events: ['story_reply', 'story_mention', 'reaction', 'message', 'postback', 'comment', 'story_insights'],
		pseudonymise: setup.pseudonymise as IDataObject[string],
		// The account subscription on publish is tested in instagramStoryTriggerSubscription.test.ts.
		subscribeAccount: false,
		options: {},
	};
	const ctx = {
		logger: { warn: () => undefined, error: (message: string) => errors.push(message) },
		getWebhookName: () => 'default',
		getRequestObject: () => ({ rawBody: Buffer.from(raw), headers: { 'x-hub-signature-256': sign(raw) } }),
		getResponseObject: () => res,
		getNode: () => ({ name: 'Instagram Story Trigger', type: 'n8n-nodes-story-leads.instagramStoryTrigger', parameters }),
		getNodeParameter: (name: string, fallback?: unknown) => (name in parameters ? parameters[name] : fallback),
		getCredentials: async (type: string) => {
			credentialReads.push(type);
			if (type === 'instagramApi') return { appSecret: APP_SECRET, verifyToken: 'v' };
			if (type === 'storyLeadsPrivacyApi' && setup.credential) return { pepper: setup.credential.pepper };
			throw new Error(`Node "Instagram Story Trigger" does not have any credentials of type "${type}" set`);
		},
	} as unknown as IWebhookFunctions & IHookFunctions;
	return { ctx, status: () => status, errors, credentialReads };
}

const trigger = new InstagramStoryTrigger();
const activate = async (setup: Setup) => await trigger.webhookMethods.default.checkExists.call(context(setup).ctx);

/** One delivery with a STOP, a plain message, a comment, a reaction, a story mention and story insights. */
function mixedBody(): string {
	const entries = [
		...(p.envelope([p.messageText('STOP', 'aWdfstop')]).entry as unknown[]),
		...(p.envelope([p.messageText('hello', 'aWdfhello')]).entry as unknown[]),
		...(p.reaction('react').entry as unknown[]),
		...p.storyMention.entry,
		...p.commentFlat.entry,
		...p.storyInsights.entry,
	];
	return JSON.stringify({ object: 'instagram', entry: entries });
}

async function deliver(setup: Setup, raw: string) {
	const c = context(setup, raw);
	const result: IWebhookResponseData = await trigger.webhook.call(c.ctx);
	const events = (result.workflowData?.[0] ?? []).map((item) => item.json);
	return { ...c, result, events };
}

describe('Pseudonymise Viewers without a usable pepper: refused when the workflow is published', () => {
	it.each([
		['no credential selected', undefined],
		['an empty pepper', { pepper: '' }],
		['a pepper shorter than 16 characters', { pepper: 'short' }],
		['a pepper with surrounding spaces', { pepper: ` ${PEPPER} ` }],
	])('activation fails with a NodeOperationError: %s', async (_title, credential) => {
		await expect(activate({ pseudonymise: true, credential })).rejects.toMatchObject({
			name: 'NodeOperationError',
			message: expect.stringMatching(/^Pseudonymise Viewers is on, but the pepper cannot be used: /),
			description: expect.stringMatching(/Story Leads Privacy API credential/),
		});
	});

	it('activates with a usable pepper, and with Pseudonymise off without reading the privacy credential', async () => {
		await expect(activate({ pseudonymise: true, credential: { pepper: PEPPER } })).resolves.toBe(true);
		const off = context({ pseudonymise: false });
		await expect(trigger.webhookMethods.default.checkExists.call(off.ctx)).resolves.toBe(true);
		expect(off.credentialReads).toEqual([]);
	});
});

describe('a signed delivery that meets a broken privacy credential', () => {
	it('is acknowledged, keeps the STOP with its key (marked), and withholds reactions and mentions', async () => {
		const { result, events, errors, status } = await deliver({ pseudonymise: true }, mixedBody());
		expect(status()).toBeUndefined(); // no error answer: n8n acknowledges the run with 200
		expect(result.workflowData).toHaveLength(1);
		expect(events.map((e) => [e.type, e.keyword ?? null])).toEqual([
			['message', 'opt_out'],
			['message', null],
			['comment', null],
			['story_insights', null],
		]);
		const stop = events[0];
		expect(stop).toMatchObject({ viewerKey: p.IGSID, viewerKeyType: 'igsid', extra: { privacyHold: 'pseudonymise_unavailable' } });
		expect(String((stop.extra as IDataObject).privacyProblem)).toMatch(/credential cannot be read/);
		expect(errors).toHaveLength(1);
		expect(errors[0]).toMatch(/3 event\(s\) a person wrote emitted .*privacyHold.*; 2 reaction\/mention event\(s\) withheld/);
	});

	it('a delivery with only a reaction is acknowledged with 200 and starts nothing', async () => {
		const { result, status } = await deliver({ pseudonymise: true, credential: { pepper: 'short' } }, JSON.stringify(p.reaction('react')));
		expect(status()).toBe(200);
		expect(result.workflowData).toBeUndefined();
	});

	it(`generated deliveries and credentials (seed ${SEED}): never an error answer, every STOP kept, no unmarked raw key`, async () => {
		const g = new Gen(SEED + 10);
		let held = 0;
		for (let k = 0; k < 300; k++) {
			const messaging = Array.from({ length: 1 + g.int(5) }, (_, i) =>
				g.chance(0.3)
					? (p.reaction('react', `aWdfr${i}`).entry as Array<{ messaging: unknown[] }>)[0].messaging[0]
					: p.messageText(g.pick(['STOP', 'stop', 'hi', 'UNSUBSCRIBE', 'START']), `aWdfm${k}_${i}`),
			);
			const raw = JSON.stringify(p.envelope(messaging));
			const credential = privacyCredential(g);
			const pseudonymise = g.pick([true, true, 'true', false]);
			const setup = { pseudonymise, credential: credential.present ? { pepper: credential.pepper } : undefined };
			const where = `seed ${SEED}, case ${k}: ${JSON.stringify(setup)}`;
			const { events, status } = await deliver(setup, raw);
			expect({ where, status: status() ?? 200 }).toEqual({ where, status: 200 });
			const stops = messaging.filter((m) => /^(stop|unsubscribe)$/i.test((m as { message?: { text?: string } }).message?.text ?? '')).length;
			expect({ where, stops: events.filter((e) => e.keyword === 'opt_out').length }).toEqual({ where, stops });
			const on = pseudonymise !== false;
			for (const event of events) {
				const hold = (event.extra as IDataObject | undefined)?.privacyHold;
				if (!on) expect({ where, key: event.viewerKey, hold }).toEqual({ where, key: p.IGSID, hold: undefined });
				else if (credential.usable) expect({ where, type: event.viewerKeyType, hold }).toEqual({ where, type: 'pseudonym', hold: undefined });
				else {
					expect({ where, hold, type: event.type }).toEqual({ where, hold: 'pseudonymise_unavailable', type: 'message' });
					held++;
				}
			}
		}
		expect(held).toBeGreaterThan(100);
	});
});
