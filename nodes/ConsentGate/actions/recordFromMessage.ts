import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { DEFAULT_REPLIES, recordsFromMessages, type ReplyTexts } from '../../core/consent/fromMessage';
import { DEFAULT_KEYWORDS, KeywordMatcher } from '../../core/consent/keywords';
import { ConsentIndex } from '../../core/consent/precedence';
import { validateEvent, type CanonicalEvent } from '../../core/events/schema';
import { readNowParameter } from '../../shared/items';
import { consentInputError, listParameter, readConsentRows, str } from '../helpers';

const properties: INodeProperties[] = [
	{
		displayName: 'Channel',
		name: 'channel',
		type: 'string',
		default: 'instagram_dm',
		description: 'Channel the messages came in on; records are for this channel (STOPALL / STOP ALL: every channel)',
	},
	{
		displayName: 'Purpose',
		name: 'purpose',
		type: 'string',
		default: 'marketing',
	},
	{
		displayName: 'Confirmation Reply',
		name: 'confirmationReply',
		type: 'boolean',
		default: false,
		description:
			'Whether to emit one confirmation reply (on the Replies output) when a keyword changes the subject\'s state, and one HELP reply per subject',
	},
	{
		displayName: 'Opt-Out Reply',
		name: 'optOutReply',
		type: 'string',
		default: 'You are unsubscribed and will get no more messages from us. Reply START to subscribe again.',
		displayOptions: { show: { confirmationReply: [true] } },
		description: 'Keep it non-promotional: it confirms the opt-out and nothing else',
	},
	{
		displayName: 'Opt-In Reply',
		name: 'optInReply',
		type: 'string',
		default: 'You are subscribed again. Reply STOP at any time to unsubscribe.',
		displayOptions: { show: { confirmationReply: [true] } },
	},
	{
		displayName: 'Help Reply',
		name: 'helpReply',
		type: 'string',
		default: 'This is an automated account. Reply STOP to unsubscribe or START to subscribe again.',
		displayOptions: { show: { confirmationReply: [true] } },
		description: 'Name your brand, what people get, how often, and how to stop',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Extra Help Keywords',
				name: 'helpKeywords',
				type: 'string',
				default: '',
				placeholder: 'e.g. AYUDA, AIDE',
				description: 'Comma-separated words added to: ' + DEFAULT_KEYWORDS.help.join(', '),
			},
			{
				displayName: 'Extra Opt-In Keywords',
				name: 'optInKeywords',
				type: 'string',
				default: '',
				placeholder: 'e.g. DEMARRER',
				description: 'Comma-separated words added to: ' + DEFAULT_KEYWORDS.opt_in.join(', '),
			},
			{
				displayName: 'Extra Opt-Out Keywords',
				name: 'optOutKeywords',
				type: 'string',
				default: '',
				placeholder: 'e.g. STOP PLEASE, BAJA, DESABONNER',
				description: 'Comma-separated words added to: ' + DEFAULT_KEYWORDS.opt_out.join(', '),
			},
			{
				displayName: 'Replace Default Keywords',
				name: 'replaceDefaults',
				type: 'boolean',
				default: false,
				description: 'Whether to use only your keyword lists instead of adding them to the defaults',
			},
			{
				displayName: 'Wording Version',
				name: 'wordingVersion',
				type: 'string',
				default: '',
				description: 'Version ID of the consent wording people saw, stored on each record',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { operation: ['recordFromMessage'] } }, properties);

/**
 * Record from message: input 0 = canonical events, input 1 = stored consent records (optional, used so a
 * re-run or an already-recorded state sends no second confirmation).
 * Outputs: [Consent records, Replies, Other messages (reason no_keyword | help | echo | public_opt_in | invalid_input)].
 * An opt-out with an unusable time is on both: its record (at receipt time) and, on Other messages, the timestamp problem.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData(0);
	const nowMs = readNowParameter(this, 'now');
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const matcher = new KeywordMatcher(
		{
			opt_out: listParameter(options.optOutKeywords),
			opt_in: listParameter(options.optInKeywords),
			help: listParameter(options.helpKeywords),
		},
		options.replaceDefaults === true,
	);
	const replies: ReplyTexts | undefined = this.getNodeParameter('confirmationReply', 0, false)
		? {
				opt_out: this.getNodeParameter('optOutReply', 0, DEFAULT_REPLIES.opt_out) as string,
				opt_in: this.getNodeParameter('optInReply', 0, DEFAULT_REPLIES.opt_in) as string,
				help: this.getNodeParameter('helpReply', 0, DEFAULT_REPLIES.help) as string,
			}
		: undefined;

	const consent = readConsentRows(this.getInputData(1));
	if (consent.problems.length && !this.continueOnFail()) throw consentInputError(this, consent.problems[0]);

	const records: INodeExecutionData[] = [];
	const replyItems: INodeExecutionData[] = [];
	const other: INodeExecutionData[] = [];
	const events: CanonicalEvent[] = [];
	const positions: number[] = [];
	items.forEach((item, i) => {
		const valid = validateEvent(item.json);
		if (valid.ok) {
			events.push(valid.event);
			positions.push(i);
			return;
		}
		if (!this.continueOnFail()) {
			throw new NodeOperationError(this.getNode(), `Message item ${i} is not a canonical event: ${valid.reason}`, {
				itemIndex: i,
				description: 'Feed the output of the capture node (canonical events).',
			});
		}
		other.push({ json: { ...item.json, reason: 'invalid_input', reasonDetail: valid.reason }, pairedItem: { item: i } });
	});

	const outcomes = recordsFromMessages(
		events,
		{
			matcher,
			channel: str(this.getNodeParameter('channel', 0, 'instagram_dm')) || 'instagram_dm',
			purpose: str(this.getNodeParameter('purpose', 0, 'marketing')) || 'marketing',
			wordingVersion: str(options.wordingVersion) || undefined,
			replies,
			nowMs,
		},
		new ConsentIndex(consent.records, nowMs),
		consent.recordIds,
	);
	outcomes.forEach((outcome, k) => {
		const i = positions[k];
		const pairedItem = { item: i };
		if (outcome.kind === 'record') records.push({ json: { ...outcome.record }, pairedItem });
		if (outcome.kind === 'record' && outcome.timeProblem) {
			// The opt-out is recorded (at receipt time); only its unusable timestamp goes to Other messages.
			other.push({
				json: { ...items[i].json, reason: 'invalid_input', reasonDetail: outcome.timeProblem, consentRecordId: outcome.record.recordId },
				pairedItem,
			});
		}
		if ((outcome.kind === 'record' || outcome.kind === 'help') && outcome.reply) replyItems.push({ json: { ...outcome.reply }, pairedItem });
		if (outcome.kind === 'help') other.push({ json: { ...items[i].json, reason: 'help', keyword: 'help' }, pairedItem });
		if (outcome.kind === 'none') other.push({ json: { ...items[i].json, reason: 'no_keyword' }, pairedItem });
		if (outcome.kind === 'ignored') {
			other.push({ json: { ...items[i].json, reason: outcome.reason, keyword: outcome.keyword }, pairedItem });
		}
		if (outcome.kind === 'invalid') {
			other.push({ json: { ...items[i].json, reason: 'invalid_input', reasonDetail: outcome.reason }, pairedItem });
		}
	});
	other.sort((a, b) => itemOf(a) - itemOf(b));
	return [records, replyItems, other];
}

function itemOf(item: INodeExecutionData): number {
	const paired = item.pairedItem;
	return typeof paired === 'object' && paired !== null && !Array.isArray(paired) ? paired.item : 0;
}
