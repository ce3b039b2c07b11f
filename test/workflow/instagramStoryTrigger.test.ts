import { createHmac } from 'crypto';
import {
	resolveWebhookDescriptionField,
	webhookDescriptionIsNativelyResolvable,
	type IDataObject,
	type INode,
	type IWebhookDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { InstagramStoryTrigger } from '../../nodes/InstagramStoryTrigger/InstagramStoryTrigger.node';
import { storyLeadsPrivacyTest } from '../../nodes/shared/privacy';
import { rawJson } from '../../scripts/n8n/meta';
import { readDoc } from '../helpers/docs';
import * as p from '../unit/capture/payloads';

const APP_SECRET = 'test-app-secret';
const VERIFY_TOKEN = 'verify-me';
const sign = (raw: string, secret = APP_SECRET) => 'sha256=' + createHmac('sha256', secret).update(raw).digest('hex');

interface Call {
	webhookName?: 'setup' | 'default';
	query?: IDataObject;
	raw?: string;
	headers?: Record<string, string>;
	parameters?: IDataObject;
	/** Simulates n8n not having read the body yet: rawBody appears only after readRawBody(). */
	lazyBody?: boolean;
	pepper?: string;
}

interface Sent {
	status?: number;
	type?: string;
	body?: string;
	ended: boolean;
}

/** A hand-built IWebhookFunctions: what n8n gives the trigger for one HTTP request. */
function fakeContext(call: Call) {
	const sent: Sent = { ended: false };
	const res = {
		status(code: number) {
			sent.status = code;
			return res;
		},
		type(value: string) {
			sent.type = value;
			return res;
		},
		send(value: string) {
			sent.body = value;
			return res;
		},
		end() {
			sent.ended = true;
			return res;
		},
	};
	const raw = call.raw === undefined ? undefined : Buffer.from(call.raw, 'utf8');
	const req: { rawBody?: Buffer; headers: Record<string, string>; readRawBody: () => Promise<void> } = {
		rawBody: call.lazyBody ? undefined : raw,
		headers: call.headers ?? {},
		readRawBody: async () => {
			req.rawBody = raw;
		},
	};
	const parameters: IDataObject = {
		events: ['story_reply', 'story_mention', 'reaction', 'message', 'postback', 'comment', 'story_insights'],
		pseudonymise: false,
		options: {},
		...(call.parameters ?? {}),
	};
	const ctx = {
		logger: { warn: (message: string) => warnings.push(message) },
		getWebhookName: () => call.webhookName ?? 'default',
		getQueryData: () => call.query ?? {},
		getRequestObject: () => req,
		getResponseObject: () => res,
		getHeaderData: () => req.headers,
		// n8n hands nodes the parsed JSON body too; the trigger must not verify the signature against it.
		getBodyData: () => parsedOrEmpty(call.raw),
		getNode: () => ({ name: 'Instagram Story Trigger' }),
		getNodeParameter: (name: string, fallback?: unknown) => (name in parameters ? parameters[name] : fallback),
		getCredentials: async (type: string) => {
			if (type === 'instagramApi') return { appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, accessToken: 'x' };
			if (type === 'storyLeadsPrivacyApi' && call.pepper !== undefined) return { pepper: call.pepper };
			throw new Error(`No credentials of type ${type}`);
		},
	} as unknown as IWebhookFunctions;
	return { ctx, sent };
}

/** What the trigger logged with logger.warn during the last call. */
const warnings: string[] = [];

function parsedOrEmpty(raw: string | undefined): IDataObject {
	try {
		return raw === undefined ? {} : (JSON.parse(raw) as IDataObject);
	} catch {
		return {};
	}
}

async function hit(call: Call): Promise<{ result: IWebhookResponseData; sent: Sent }> {
	warnings.length = 0;
	const { ctx, sent } = fakeContext(call);
	const result = await new InstagramStoryTrigger().webhook.call(ctx);
	return { result, sent };
}

function post(body: unknown, extra: Partial<Call> = {}): Call {
	const raw = JSON.stringify(body);
	return { raw, headers: { 'x-hub-signature-256': sign(raw) }, ...extra };
}

describe('Instagram Story Trigger webhook', () => {
	it('reads the app secret once for deliveries in a row on the same credential, and again for another one', async () => {
		const body = { object: 'instagram', entry: p.storyReply.entry };
		const reads: string[] = [];
		const run = async (credentialId: string) => {
			const { ctx } = fakeContext(post(body));
			const counting = {
				...ctx,
				getNode: () => ({ name: 'Instagram Story Trigger', credentials: { instagramApi: { id: credentialId, name: 'x' } } }),
				getCredentials: async (type: string) => {
					reads.push(`${credentialId}:${type}`);
					return await ctx.getCredentials(type);
				},
			} as unknown as IWebhookFunctions;
			return await new InstagramStoryTrigger().webhook.call(counting);
		};
		for (const id of ['cred-a', 'cred-a', 'cred-a', 'cred-b']) {
			expect((await run(id)).workflowData?.[0]).toHaveLength(1);
		}
		expect(reads).toEqual(['cred-a:instagramApi', 'cred-b:instagramApi']);
	});

	it('answers the verification handshake with the bare challenge as text/plain', async () => {
		const { result, sent } = await hit({
			webhookName: 'setup',
			query: { 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1158201444' },
		});
		expect(result).toEqual({ noWebhookResponse: true });
		expect(sent).toEqual({ status: 200, type: 'text/plain', body: '1158201444', ended: true });
	});

	it('answers 403 to a handshake with a wrong token or mode, without running', async () => {
		for (const query of [
			{ 'hub.mode': 'subscribe', 'hub.verify_token': 'wrong', 'hub.challenge': '1' },
			{ 'hub.mode': 'unsubscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1' },
			{},
		]) {
			const { result, sent } = await hit({ webhookName: 'setup', query });
			expect(result.workflowData).toBeUndefined();
			expect(sent.status).toBe(403);
		}
	});

	it('starts the workflow with one canonical event per update for a correctly signed POST', async () => {
		const body = { object: 'instagram', entry: [...p.storyReply.entry, ...(p.reaction('react').entry as unknown[])] };
		const { result, sent } = await hit(post(body));
		expect(sent.status).toBeUndefined();
		const items = result.workflowData?.[0] ?? [];
		expect(items.map((i) => [i.json.type, i.json.viewerKey, i.json.source])).toEqual([
			['story_reply', p.IGSID, 'webhook'],
			['reaction', p.IGSID, 'webhook'],
		]);
		expect(items[0].json.text).toBeUndefined();
	});

	it('reads the raw body itself when n8n has not read it yet', async () => {
		const { result } = await hit(post(p.storyMention, { lazyBody: true }));
		expect(result.workflowData?.[0].map((i) => i.json.type)).toEqual(['story_mention']);
	});

	it('refuses unsigned, SHA1-only, wrongly signed and tampered POSTs with 401/403 and no run', async () => {
		const raw = JSON.stringify(p.storyReply);
		const sha1 = 'sha1=' + createHmac('sha1', APP_SECRET).update(raw).digest('hex');
		const cases: Array<[Call, number]> = [
			[{ raw }, 401],
			[{ raw, headers: { 'x-hub-signature': sha1 } }, 401],
			[{ raw, headers: { 'x-hub-signature-256': sign(raw, 'another-secret') } }, 403],
			[{ raw: raw.replace('Hello story', 'Hello storz'), headers: { 'x-hub-signature-256': sign(raw) } }, 403],
			[{ raw, headers: { 'x-hub-signature-256': 'sha256=nothex' } }, 403],
		];
		for (const [call, status] of cases) {
			const { result, sent } = await hit(call);
			expect(result).toEqual({ noWebhookResponse: true });
			expect(sent.status).toBe(status);
		}
	});

	it('acknowledges signed deliveries with nothing wanted (echoes, filtered types) without running', async () => {
		const echo = await hit(post(p.echo));
		expect(echo.result.workflowData).toBeUndefined();
		expect(echo.sent).toMatchObject({ status: 200, body: 'EVENT_RECEIVED' });
		const filtered = await hit(post(p.reaction('react'), { parameters: { events: ['story_reply'] } }));
		expect(filtered.result.workflowData).toBeUndefined();
		expect(filtered.sent.status).toBe(200);
	});

	it('acknowledges a signed body that is not JSON with 200 (Meta would redeliver anything else) and logs it', async () => {
		const raw = 'not json';
		const { result, sent } = await hit({ raw, headers: { 'x-hub-signature-256': sign(raw) } });
		expect(result.workflowData).toBeUndefined();
		expect(sent.status).toBe(200);
		expect(warnings).toEqual([expect.stringContaining('1 malformed_payload')]);
	});

	it('answers a signed non-JSON body with the status its documentation page gives', async () => {
		const page = readDoc('docs/nodes/instagram-story-trigger.md');
		const documented = /(?:signed but not JSON|signed body that is not JSON)[^`]*`(\d{3})`/.exec(page);
		expect(documented).not.toBeNull();
		const raw = '<html>not json</html>';
		const { sent } = await hit({ raw, headers: { 'x-hub-signature-256': sign(raw) } });
		expect(sent.status).toBe(Number(documented?.[1]));
	});

	it('acknowledges a poison timestamp (≥ 8.64e15) with 200, logs it without content, and runs on the good updates', async () => {
		const body = p.envelope([
			{ sender: { id: p.IGSID }, recipient: { id: p.IG_ID }, timestamp: 9e15, message: { mid: 'bad', text: 'secret text' } },
			{ sender: { id: p.IGSID }, recipient: { id: p.IG_ID }, timestamp: 1700000000000, message: { mid: 'good', text: 'hi' } },
		]);
		const poisonOnly = await hit(post(p.envelope([{ sender: { id: p.IGSID }, timestamp: 9e15, message: { mid: 'x', text: 'a' } }], 9e15)));
		expect(poisonOnly.sent.status).toBe(200);
		expect(poisonOnly.result.workflowData).toBeUndefined();
		const mixed = await hit(post(body));
		expect(mixed.result.workflowData?.[0]).toHaveLength(1);
		expect(warnings).toEqual([expect.stringContaining('1 invalid_time')]);
		expect(warnings.join()).not.toContain('secret');
	});

	it('applies the options: message text, echoes, extra fields, pseudonyms', async () => {
		const withText = await hit(
			post(p.storyReply, { parameters: { options: { includeMessageText: true, extraFields: ['messageId'] } } }),
		);
		expect(withText.result.workflowData?.[0][0].json).toMatchObject({ text: 'Hello story', extra: { messageId: 'aWdfreply' } });
		const echoes = await hit(post(p.echo, { parameters: { options: { ignoreEchoes: false } } }));
		expect(echoes.result.workflowData?.[0][0].json).toMatchObject({ type: 'message', extra: { isEcho: true } });
		const pseudo = await hit(post(p.storyReply, { parameters: { pseudonymise: true }, pepper: 'trigger-pepper-0123456789' }));
		const again = await hit(post(p.storyReply, { parameters: { pseudonymise: true }, pepper: 'trigger-pepper-0123456789' }));
		const event = pseudo.result.workflowData?.[0][0].json as IDataObject;
		expect(event.viewerKeyType).toBe('pseudonym');
		expect(event.viewerKey).toBe(again.result.workflowData?.[0][0].json.viewerKey);
	});

	it('declares GET and POST on one path, no inputs, and a local privacy credential test', async () => {
		const node = new InstagramStoryTrigger();
		expect(node.description.webhooks?.map((w) => [w.name, w.httpMethod, w.path])).toEqual([
			['setup', 'GET', 'webhook'],
			['default', 'POST', 'webhook'],
		]);
		expect(node.description.webhooks?.[0].responseMode).toBe('onReceived');
		// POST: answered at once, or — Options → Acknowledge Deliveries = afterStored — when a Respond to Webhook node
		// runs or the run ends (n8n's responseNode mode: 500 when the run failed, so Meta redelivers).
		// Declared with n8n's field helpers: n8n resolves it from the parameters, with no expression isolate per
		// request (held until the answer, that isolate made a burst of afterStored deliveries take gigabytes).
		const post = node.description.webhooks?.[1] as IWebhookDescription;
		expect(webhookDescriptionIsNativelyResolvable(post)).toBe(true);
		const template = String(post.responseMode);
		expect(template).toMatch(/^=\{\{.*\}\}$/s);
		// The editor's expression inlines the resolver's own source (n8n's fromFunction), so both run the same code.
		expect(template).toMatch(/^=\{\{\(.*'afterStored'.*\)\(\$parameter\)\}\}$/s);
		for (const [parameters, mode] of [
			[{ options: { acknowledge: 'afterStored' } }, 'responseNode'],
			[{ options: { acknowledge: 'onReceived' } }, 'onReceived'],
			[{ options: {} }, 'onReceived'],
			[{}, 'onReceived'],
		] as Array<[IDataObject, string]>) {
			const workflowNode = { parameters } as unknown as INode;
			expect(resolveWebhookDescriptionField(workflowNode, post, 'responseMode')).toEqual({ resolved: true, value: mode });
		}
		// A user's expression in the parameters goes back to n8n's engine.
		const dynamic = { parameters: { options: { acknowledge: '={{ "afterStored" }}' } } } as unknown as INode;
		expect(resolveWebhookDescriptionField(dynamic, post, 'responseMode')).toEqual({ resolved: false });
		const options = node.description.properties.find((prop) => prop.name === 'options')?.options as Array<{ name: string; default?: unknown }>;
		expect(options.find((o) => o.name === 'acknowledge')?.default).toBe('onReceived');
		expect(node.description.inputs).toEqual([]);
		const test = storyLeadsPrivacyTest as unknown as (c: unknown) => Promise<{ status: string }>;
		expect((await test({ data: { pepper: 'short' } })).status).toBe('Error');
		expect((await test({ data: { pepper: '0123456789abcdef0123' } })).status).toBe('OK');
		expect((await test({ data: { pepper: ' 0123456789abcdef0123' } })).status).toBe('Error');
	});
});

// Meta signs the bytes it sends, and those are not what JSON.stringify writes: its JSON escapes `/` and non-ASCII
// characters, and other senders indent. A trigger that re-serialised the parsed body before checking the
// signature would refuse every such delivery and accept a signature over its own re-serialisation.
describe('Instagram Story Trigger signature over the bytes received', () => {
	const TEXT = 'Hé! 😍 see https://shop.example/drop/1';
	const body = p.envelope([
		{
			...p.messageText(TEXT, 'aWdfreal-world'),
			message: {
				mid: 'aWdfreal-world',
				text: TEXT,
				reply_to: {
					story: {
						url: 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1&sig=a/b',
						id: '18040775032372871',
					},
				},
			},
		},
	]);
	const options = { parameters: { options: { includeMessageText: true } } };

	const styles = [
		['an escaped (\\/ and \\uXXXX)', 'escaped'],
		['a pretty-printed (indent, spaced colons, CRLF)', 'pretty'],
	] as const;

	it.each(styles)('accepts %s body signed over its own bytes', async (_label, style) => {
		const raw = rawJson(body, style);
		expect(raw).not.toBe(JSON.stringify(JSON.parse(raw)));
		const { result, sent } = await hit({
			raw,
			headers: { 'x-hub-signature-256': sign(raw) },
			...options,
		});
		expect(sent.status).toBeUndefined();
		expect(result.workflowData?.[0].map((i) => [i.json.type, i.json.storyId, i.json.text])).toEqual(
			[['story_reply', '18040775032372871', TEXT]],
		);
	});

	it.each(styles)(
		'refuses %s body whose signature covers the re-serialised JSON instead',
		async (_label, style) => {
			const raw = rawJson(body, style);
			const reserialised = JSON.stringify(JSON.parse(raw));
			const { result, sent } = await hit({
				raw,
				headers: { 'x-hub-signature-256': sign(reserialised) },
				...options,
			});
			expect(result).toEqual({ noWebhookResponse: true });
			expect(sent.status).toBe(403);
		},
	);
});
