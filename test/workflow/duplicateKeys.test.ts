// Duplicate idempotency keys inside one batch (issue 22, class 7): Consent Gate (Check) and Instagram DM let only
// the first item of a key through per run, whatever spelling of the key a generator produced (trimmed, NFC).
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { InstagramApi } from '../../credentials/InstagramApi.credentials';
import { ConsentGate } from '../../nodes/ConsentGate/ConsentGate.node';
import { InstagramDm } from '../../nodes/InstagramDm/InstagramDm.node';
import { startFakeGraphApi, type FakeGraphApi } from '../../scripts/fakes/graphApi';
import { Gen, SEED, duplicateKeyBatch, keySpelling } from '../unit/safety/generators';
import { PACKAGE, runSingleNode } from '../helpers/workflow';

const NOW = '2026-03-10T12:00:00.000Z';
const inWindow = new Date(Date.parse(NOW) - 3_600_000).toISOString();
const GATE = `${PACKAGE}.consentGate`;
const DM = `${PACKAGE}.instagramDm`;
const TOKEN = ['IGAAT', 'dup', 'fixture'].join('-');
const ACCOUNT = '17841400000000001';

const itemOf = (item: INodeExecutionData) => (item.pairedItem as { item: number }).item;

/** The positions a correct node lets through: the first of each key (input order), and every item without one. */
function firstOfEachKey(keys: Array<string | undefined>, alreadySent: ReadonlySet<string> = new Set()): number[] {
	const seen = new Set<string>();
	const out: number[] = [];
	keys.forEach((key, i) => {
		if (key === undefined) return void out.push(i);
		if (seen.has(key) || alreadySent.has(key)) return void seen.add(key);
		seen.add(key);
		out.push(i);
	});
	return out;
}

describe(`Consent Gate Check: one item per idempotency key per run (seed ${SEED})`, () => {
	const nodeTypes = { [GATE]: new ConsentGate() };

	it('two items with one key: the first is Allowed, the second Blocked already_sent naming the first', async () => {
		const contacts = [
			{ viewerKey: 'a', channel: 'instagram_dm', lastInboundAt: inWindow, idempotencyKey: 'a:1', score: 1 },
			{ viewerKey: 'a', channel: 'instagram_dm', lastInboundAt: inWindow, idempotencyKey: ' a:1 ', score: 9 },
		];
		const result = await runSingleNode(
			{ type: GATE, parameters: { operation: 'check', now: NOW, requireOptIn: false }, inputs: [contacts] },
			{ nodeTypes },
		);
		const [allowed, blocked] = result.outputOf('Node Under Test');
		expect(allowed.map(itemOf)).toEqual([0]);
		expect(blocked.map((b) => [itemOf(b), b.json.reason])).toEqual([[1, 'already_sent']]);
		expect(blocked[0].json.reasonDetail).toMatch(/Item 0 of this batch has the same idempotency key/);
		expect(String(blocked[0].json.reasonText)).toMatch(/same idempotency key/);
	});

	it('generated batches: keys repeat in any spelling, the send log holds some in another spelling', async () => {
		const g = new Gen(SEED + 7);
		let duplicates = 0;
		for (let b = 0; b < 40; b++) {
			const batch = duplicateKeyBatch(g, 2 + g.int(10));
			const contacts = batch.map((entry, i) => ({
				viewerKey: `v${i}`,
				channel: 'instagram_dm',
				lastInboundAt: inWindow,
				score: g.int(10),
				idempotencyKey: entry.value as IDataObject[string],
			}));
			const logged = new Set<string>();
			const sendLog: IDataObject[] = [];
			for (const entry of batch) {
				if (entry.key === undefined || logged.has(entry.key) || !g.chance(0.2)) continue;
				logged.add(entry.key);
				sendLog.push({ idempotencyKey: keySpelling(g, entry.key) as string, sentAt: inWindow, accountId: '' });
			}
			const result = await runSingleNode(
				{
					type: GATE,
					parameters: { operation: 'check', now: NOW, requireOptIn: false, capPerRun: 0, capPerHour: 0, capPerDay: 0 },
					inputs: [contacts, sendLog],
				},
				{ nodeTypes },
			);
			const where = `seed ${SEED}, batch ${b}: ${JSON.stringify(batch)} log ${JSON.stringify(sendLog)}`;
			expect({ where, error: result.error?.message }).toEqual({ where, error: undefined });
			const [allowed, blocked] = result.outputOf('Node Under Test');
			// Nothing lost, every item paired once.
			const positions = [...allowed, ...blocked].map(itemOf).sort((x, y) => x - y);
			expect({ where, positions }).toEqual({ where, positions: contacts.map((_, i) => i) });
			const expected = firstOfEachKey(batch.map((e) => e.key), logged);
			expect({ where, allowed: allowed.map(itemOf).sort((x, y) => x - y) }).toEqual({ where, allowed: expected });
			for (const item of blocked) {
				expect({ where, reason: item.json.reason }).toEqual({ where, reason: 'already_sent' });
				expect(typeof item.json.reasonText).toBe('string');
				if (item.json.reasonDetail !== undefined) duplicates++;
			}
		}
		expect(duplicates).toBeGreaterThan(20);
	});
});

describe(`Instagram DM: one send per idempotency key per run (seed ${SEED})`, () => {
	let fake: FakeGraphApi;
	beforeAll(async () => {
		fake = await startFakeGraphApi({ accessToken: TOKEN, accountId: ACCOUNT });
	});
	afterAll(async () => await fake.close());
	beforeEach(() => fake.reset());

	const run = async (items: IDataObject[], idempotencyKey = '={{ $json.key }}') =>
		await runSingleNode(
			{
				type: DM,
				parameters: {
					operation: 'sendMessage',
					recipientId: '={{ $json.to }}',
					text: '={{ $json.text }}',
					idempotencyKey,
					options: { now: NOW, maxRetryWait: 0.05 },
				},
				inputs: [items],
				credentials: { instagramApi: { id: 'c1', name: 'Instagram' } },
			},
			{
				nodeTypes: { [DM]: new InstagramDm() },
				credentials: {
					instagramApi: { host: 'graph.instagram.com', apiVersion: 'v25.0', accessToken: TOKEN, accountId: ACCOUNT, baseUrl: fake.url },
				},
				credentialTypes: { instagramApi: new InstagramApi() },
			},
		);

	it('the second item with the same key goes to Not Sent duplicate_key and is never sent; invalid items claim no key', async () => {
		const result = await run(
			[
				{ to: '', text: 'Hi', key: 'k1' },
				{ to: '17841400000000011', text: 'Hi', key: 'café' },
				{ to: '17841400000000012', text: 'Hi', key: 'cafe\u0301 ' },
				{ to: '17841400000000013', text: 'Hi', key: 'k1' },
			],
		);
		expect(result.error).toBeUndefined();
		const [sent, notSent] = result.outputOf('Node Under Test');
		expect(sent.map(itemOf)).toEqual([1, 3]);
		expect(notSent.map((i) => [itemOf(i), i.json.reason])).toEqual([
			[0, 'invalid_input'],
			[2, 'duplicate_key'],
		]);
		expect(notSent[1].json).toMatchObject({ duplicateOf: 1, retryable: false, idempotencyKey: 'cafe\u0301' });
		expect(fake.requests.map((r) => (r.body as { recipient: { id: string } }).recipient.id)).toEqual([
			'17841400000000011',
			'17841400000000013',
		]);
	});

	it('generated batches: one Graph call per distinct key, the rest Not Sent duplicate_key, nothing lost', async () => {
		const g = new Gen(SEED + 8);
		let duplicates = 0;
		for (let b = 0; b < 20; b++) {
			fake.reset();
			const batch = duplicateKeyBatch(g, 2 + g.int(8));
			// The key comes from the parameter or, when it is empty, from the item's own idempotencyKey field.
			const fromItem = g.chance(0.5);
			const items = batch.map((entry, i) => ({
				to: `178414000000001${String(i).padStart(2, '0')}`,
				text: 'Hi',
				...(fromItem ? { idempotencyKey: entry.value as IDataObject[string] } : { key: entry.value as IDataObject[string] }),
			}));
			const result = await run(items, fromItem ? '' : '={{ $json.key }}');
			const where = `seed ${SEED}, batch ${b}: ${JSON.stringify(batch)}`;
			expect({ where, error: result.error?.message }).toEqual({ where, error: undefined });
			const [sent, notSent] = result.outputOf('Node Under Test');
			const expected = firstOfEachKey(batch.map((e) => e.key));
			expect({ where, sent: sent.map(itemOf) }).toEqual({ where, sent: expected });
			expect({ where, calls: fake.requests.length }).toEqual({ where, calls: expected.length });
			expect([...sent, ...notSent].map(itemOf).sort((x, y) => x - y)).toEqual(items.map((_, i) => i));
			for (const item of notSent) {
				expect({ where, reason: item.json.reason }).toEqual({ where, reason: 'duplicate_key' });
				expect(batch[item.json.duplicateOf as number].key).toBe(batch[itemOf(item)].key);
				duplicates++;
			}
		}
		expect(duplicates).toBeGreaterThan(10);
	});
});
