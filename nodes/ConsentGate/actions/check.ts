import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { DEFAULT_GATE_FIELDS, runGate, type GateConfig } from '../../core/consent/gate';
import { ConsentIndex } from '../../core/consent/precedence';
import { CODE, REASON_TEXT, reasonOfCode } from '../../core/consent/reasons';
import { alreadySent, idempotencyKeyIn } from '../../core/consent/sendLog';
import { laterDuplicates } from '../../core/messaging/idempotency';
import { toIso } from '../../core/time/instant';
import { readNowParameter } from '../../shared/items';
import { enforceToolLimits, fixedInTool, hideInTool, withinInTool, type ToolLimit } from '../../shared/tool';
import { boundedNumber, optionOr, readBoundedNumber, readStrictBoolean, type Bounds } from '../../shared/settings';
import { consentInputError, readConsentRows, str, withoutUndefined } from '../helpers';

/** Ranges of the settings that bound sending, checked at run time too (the UI's limits do not hold for expressions). */
export const GATE_BOUNDS = {
	cap: { min: 0, max: 1_000_000, integer: true },
	retentionDays: { min: 0, max: 36_500 },
	/** Up to the 7-day HUMAN_AGENT window: a larger margin would close every window anyway. */
	windowMarginMinutes: { min: 0, max: 7 * 24 * 60 },
} satisfies Record<string, Bounds>;

const DUPLICATE_KEY_TEXT =
	'An earlier item of this batch has the same idempotency key and goes first, so this one is not sent a second time.';

const properties: INodeProperties[] = [
	hideInTool({
		displayName: 'Default Channel',
		name: 'channel',
		type: 'string',
		default: '',
		placeholder: 'e.g. instagram_dm',
		description:
			'Channel used when a contact has none (instagram_dm, email, sms…). Empty: contacts without a channel are blocked with missing_identity.',
	}),
	hideInTool({
		displayName: 'Purpose',
		name: 'purpose',
		type: 'string',
		default: 'marketing',
		description: 'What the messages are for; consent is looked up per subject, channel and purpose',
	}),
	hideInTool({
		displayName: 'Require Opt-In',
		name: 'requireOptIn',
		type: 'boolean',
		default: true,
		description:
			'Whether this purpose needs an active opt-in (contacts without one are blocked with no_consent). Off: only opt-outs block.',
	}),
	hideInTool({
		displayName: 'Human Agent Messages',
		name: 'humanAgent',
		type: 'boolean',
		default: false,
		description:
			'Whether a person types these messages and they are sent with the HUMAN_AGENT tag (7-day Instagram window instead of 24 h). Never for automated messages.',
	}),
	{
		displayName: 'Max Sends per Run',
		name: 'capPerRun',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 1_000_000, numberPrecision: 0 },
		default: 25,
		description: 'Per sending account; 0 = no cap. Meta allows far more (Send API: 300 calls/s per account), this is pacing. As an AI tool: 1 … 25.',
	},
	{
		displayName: 'Max Sends per Hour',
		name: 'capPerHour',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 1_000_000, numberPrecision: 0 },
		default: 50,
		description:
			'Per sending account, counting sends in the last 60 minutes (send-log rows or the contact\'s sent-last-hour field); 0 = no cap. Vendors pace at about 200 DMs/h; Meta publishes no per-hour DM number. As an AI tool: 1 … 50.',
	},
	{
		displayName: 'Max Sends per Day',
		name: 'capPerDay',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 1_000_000, numberPrecision: 0 },
		default: 200,
		description:
			'Per sending account, counting sends in the last 24 hours; 0 = no cap. Meta stops an inbox above about 72,000 messages sent and received. As an AI tool: 1 … 200.',
	},
	{
		displayName: 'Retention (Days)',
		name: 'retentionDays',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 36_500 },
		default: 180,
		description:
			'Contacts whose retention timestamp is at least this old are blocked with retention_expired unless they gave separate consent; 0 = off. As an AI tool: 1 … 180.',
	},
	hideInTool({
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Account Field',
				name: 'accountField',
				type: 'string',
				default: 'accountId',
				description: 'Contact (and send-log) field naming the sending account; caps apply per account',
			},
			{
				displayName: 'Bot Flag Field',
				name: 'botField',
				type: 'string',
				default: 'possibleBot',
				description: 'Contact field that is true for a possible bot',
			},
			{
				displayName: 'Channel Field',
				name: 'channelField',
				type: 'string',
				default: 'channel',
			},
			{
				displayName: 'Idempotency Key Field',
				name: 'idempotencyKeyField',
				type: 'string',
				default: 'idempotencyKey',
				description:
					'Contact and send-log field with the idempotency key: a contact whose key the send log holds as sent (with a sent-at time) is blocked with already_sent. Empty = off.',
			},
			{
				displayName: 'Last Inbound At Field',
				name: 'lastInboundAtField',
				type: 'string',
				default: 'lastInboundAt',
				description: 'Contact field with the time of the person\'s last message (opens the Instagram window)',
			},
			{
				displayName: 'Retention From Field',
				name: 'retentionFromField',
				type: 'string',
				default: 'lastSeenAt',
				description: 'Contact field the retention period runs from (e.g. last interaction); missing = not checked',
			},
			{
				displayName: 'Score Field',
				name: 'scoreField',
				type: 'string',
				default: 'score',
				description: 'Contact field ranking who goes first under the caps (highest first)',
			},
			{
				displayName: 'Sent At Field (Send Log)',
				name: 'sentAtField',
				type: 'string',
				default: 'sentAt',
				description: 'Rows on the second input with this timestamp (and no consent status) count as sends already made',
			},
			{
				displayName: 'Sent Last Day Field',
				name: 'sentLastDayField',
				type: 'string',
				default: 'sentLastDay',
				description: 'Contact field with the account\'s sends in the last 24 hours, if you count them upstream',
			},
			{
				displayName: 'Sent Last Hour Field',
				name: 'sentLastHourField',
				type: 'string',
				default: 'sentLastHour',
				description: 'Contact field with the account\'s sends in the last 60 minutes, if you count them upstream',
			},
			{
				displayName: 'Subject Key Field',
				name: 'subjectKeyField',
				type: 'string',
				default: 'viewerKey',
				description: 'Contact field matched against the consent records\' subjectKey',
			},
			{
				displayName: 'Window Safety Margin (Minutes)',
				name: 'windowMarginMinutes',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 10_080 },
				default: 0,
				description: 'Closes the messaging window this much earlier, for sends that happen later in the workflow',
			},
		],
	}),
];

export const description = updateDisplayOptions({ show: { operation: ['check'] } }, properties);

/**
 * As an AI tool, Check only narrows: the rule settings stay at their defaults (no HUMAN_AGENT window, opt-in
 * required, the real clock, the standard fields) and the caps and retention may only be lowered.
 */
export const CHECK_TOOL_LIMITS: readonly ToolLimit[] = [
	fixedInTool('now', 'Now', ''),
	fixedInTool('channel', 'Default Channel', ''),
	fixedInTool('purpose', 'Purpose', 'marketing'),
	fixedInTool('requireOptIn', 'Require Opt-In', true),
	fixedInTool('humanAgent', 'Human Agent Messages', false),
	withinInTool('capPerRun', 'Max Sends per Run', 1, 25),
	withinInTool('capPerHour', 'Max Sends per Hour', 1, 50),
	withinInTool('capPerDay', 'Max Sends per Day', 1, 200),
	withinInTool('retentionDays', 'Retention (Days)', 1, 180),
	...(
		[
			['accountField', 'Account Field', DEFAULT_GATE_FIELDS.account],
			['botField', 'Bot Flag Field', DEFAULT_GATE_FIELDS.bot],
			['channelField', 'Channel Field', DEFAULT_GATE_FIELDS.channel],
			['idempotencyKeyField', 'Idempotency Key Field', 'idempotencyKey'],
			['lastInboundAtField', 'Last Inbound At Field', DEFAULT_GATE_FIELDS.lastInboundAt],
			['retentionFromField', 'Retention From Field', DEFAULT_GATE_FIELDS.retentionFrom],
			['scoreField', 'Score Field', DEFAULT_GATE_FIELDS.score],
			['sentAtField', 'Sent At Field (Send Log)', 'sentAt'],
			['sentLastDayField', 'Sent Last Day Field', DEFAULT_GATE_FIELDS.sentLastDay],
			['sentLastHourField', 'Sent Last Hour Field', DEFAULT_GATE_FIELDS.sentLastHour],
			['subjectKeyField', 'Subject Key Field', DEFAULT_GATE_FIELDS.subjectKey],
		] as const
	).map(([name, label, value]) => fixedInTool(`options.${name}`, label, value)),
];

function readConfig(
	ctx: IExecuteFunctions,
	nowMs: number,
): GateConfig & { sentAtField: string; idempotencyKeyField: string } {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const field = (name: string, fallback: string) => str(options[name]) || fallback;
	return {
		nowMs,
		defaultChannel: str(ctx.getNodeParameter('channel', 0, '')),
		purpose: str(ctx.getNodeParameter('purpose', 0, 'marketing')) || 'marketing',
		requireOptIn: readStrictBoolean(ctx, 'requireOptIn', 'Require Opt-In', true),
		humanAgent: readStrictBoolean(ctx, 'humanAgent', 'Human Agent Messages', false),
		windowMarginMs:
			boundedNumber(ctx, 'Window Safety Margin (Minutes)', optionOr(options.windowMarginMinutes, 0), GATE_BOUNDS.windowMarginMinutes) * 60_000,
		retentionDays: readBoundedNumber(ctx, 'retentionDays', 'Retention (Days)', 180, GATE_BOUNDS.retentionDays),
		caps: {
			perRun: readBoundedNumber(ctx, 'capPerRun', 'Max Sends per Run', 25, GATE_BOUNDS.cap),
			perHour: readBoundedNumber(ctx, 'capPerHour', 'Max Sends per Hour', 50, GATE_BOUNDS.cap),
			perDay: readBoundedNumber(ctx, 'capPerDay', 'Max Sends per Day', 200, GATE_BOUNDS.cap),
		},
		fields: {
			subjectKey: field('subjectKeyField', DEFAULT_GATE_FIELDS.subjectKey),
			channel: field('channelField', DEFAULT_GATE_FIELDS.channel),
			lastInboundAt: field('lastInboundAtField', DEFAULT_GATE_FIELDS.lastInboundAt),
			retentionFrom: field('retentionFromField', DEFAULT_GATE_FIELDS.retentionFrom),
			bot: field('botField', DEFAULT_GATE_FIELDS.bot),
			score: field('scoreField', DEFAULT_GATE_FIELDS.score),
			account: field('accountField', DEFAULT_GATE_FIELDS.account),
			sentLastHour: field('sentLastHourField', DEFAULT_GATE_FIELDS.sentLastHour),
			sentLastDay: field('sentLastDayField', DEFAULT_GATE_FIELDS.sentLastDay),
		},
		sentAtField: field('sentAtField', 'sentAt'),
		idempotencyKeyField: typeof options.idempotencyKeyField === 'string' ? options.idempotencyKeyField.trim() : 'idempotencyKey',
	};
}

/**
 * Check: input 0 = contacts, input 1 = consent records and/or send-log rows (optional).
 * Outputs: [Allowed (in send order), Blocked (input order, with reason and reasonText)].
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const contacts = this.getInputData(0);
	enforceToolLimits(this, CHECK_TOOL_LIMITS);
	const nowMs = readNowParameter(this, 'now');
	const config = readConfig(this, nowMs);
	const consent = readConsentRows(this.getInputData(1), {
		sentAtField: config.sentAtField,
		accountField: config.fields.account,
		idempotencyKeyField: config.idempotencyKeyField,
	});
	const blocked: INodeExecutionData[] = [];

	if (consent.problems.length) {
		// An unreadable stored row may be an opt-out: never guess. Continue on fail blocks everyone instead.
		if (!this.continueOnFail()) throw consentInputError(this, consent.problems[0]);
		const detail = `Consent records input, item ${consent.problems[0].index}: ${consent.problems[0].reason}`;
		contacts.forEach((item, i) =>
			blocked.push({
				json: { ...item.json, reason: 'invalid_input', reasonText: REASON_TEXT.invalid_input, reasonDetail: detail },
				pairedItem: { item: i },
			}),
		);
		return [[], blocked];
	}

	// Already sent: blocked before the gate runs, so they take no room under the caps.
	const sentBefore = alreadySent(
		contacts.map((item) => item.json),
		config.idempotencyKeyField,
		consent.sentKeys,
	);
	// The same key twice in this batch: only the first item (input order) goes on, so one run sends it once.
	const duplicateOf = laterDuplicates(contacts.map((item) => idempotencyKeyIn(item.json, config.idempotencyKeyField)));
	const candidates: number[] = [];
	for (let i = 0; i < contacts.length; i++) if (!sentBefore.has(i) && !duplicateOf.has(i)) candidates.push(i);

	const index = new ConsentIndex(consent.records, nowMs);
	const run = runGate(
		candidates.map((i) => contacts[i].json),
		index,
		config,
		consent.sent,
	);
	if (run.invalid.size && !this.continueOnFail()) {
		const [k, detail] = run.invalid.entries().next().value as [number, string];
		const itemIndex = candidates[k];
		throw new NodeOperationError(this.getNode(), `Contact item ${itemIndex}: ${detail}`, {
			itemIndex,
			description:
				'Timestamps must be ISO 8601 (e.g. 2026-11-22T09:00:00Z) or epoch milliseconds; counts must be numbers. Fix the contact upstream.',
		});
	}

	const checkedAt = toIso(nowMs);
	const allowed = run.sendOrder.map((k, rank) => {
		const i = candidates[k];
		const info = run.allowedInfo(k, rank + 1);
		const gate = withoutUndefined({
			subjectKey: info.subjectKey,
			channel: info.channel,
			purpose: info.purpose,
			account: info.account || undefined,
			consentStatus: info.consentState,
			consentRecordId: info.consent?.recordId || undefined,
			lawfulBasis: info.consent?.lawfulBasis || undefined,
			windowClosesAt: info.windowClosesAt,
			messagingTag: info.humanAgentTag ? 'HUMAN_AGENT' : undefined,
			sendRank: info.sendRank,
			checkedAt,
		});
		return { json: { ...contacts[i].json, gate }, pairedItem: { item: i } };
	});
	const blockedAt = new Map<number, INodeExecutionData>();
	for (const i of sentBefore) {
		blockedAt.set(i, {
			json: { ...contacts[i].json, reason: 'already_sent', reasonText: REASON_TEXT.already_sent },
			pairedItem: { item: i },
		});
	}
	for (const [i, first] of duplicateOf) {
		if (sentBefore.has(i)) continue;
		blockedAt.set(i, {
			json: {
				...contacts[i].json,
				reason: 'already_sent',
				reasonText: DUPLICATE_KEY_TEXT,
				reasonDetail: `Item ${first} of this batch has the same idempotency key; only the first item of a key goes on per run`,
			},
			pairedItem: { item: i },
		});
	}
	candidates.forEach((i, k) => {
		const code = run.codes[k];
		const reason = reasonOfCode(code);
		if (!reason) return;
		const detail = code === CODE.invalid_input ? run.invalid.get(k) : undefined;
		blockedAt.set(i, {
			json: { ...contacts[i].json, reason, reasonText: REASON_TEXT[reason], ...(detail ? { reasonDetail: detail } : {}) },
			pairedItem: { item: i },
		});
	});
	for (let i = 0; i < contacts.length; i++) {
		const item = blockedAt.get(i);
		if (item) blocked.push(item);
	}
	return [allowed, blocked];
}
