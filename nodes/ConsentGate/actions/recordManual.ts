import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import {
	buildConsentRecord,
	isBlank,
	type ConsentSource,
	type ConsentStatus,
	type LawfulBasis,
} from '../../core/consent/record';
import { toIso } from '../../core/time/instant';
import { readNowParameter, routeEachItem } from '../../shared/items';
import { str } from '../helpers';

const properties: INodeProperties[] = [
	{
		displayName: 'Subject Key',
		name: 'subjectKey',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.viewerKey }}',
		description: 'Who the record is about: the same key the contacts carry (IGSID, pseudonym, email…)',
	},
	{
		displayName: 'Channel',
		name: 'channel',
		type: 'string',
		default: 'instagram_dm',
		description: 'Instagram_dm, email, sms… or * for every channel',
	},
	{
		displayName: 'Purpose',
		name: 'purpose',
		type: 'string',
		default: 'marketing',
		description: 'What the consent is for, or * for every purpose',
	},
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: [
			{ name: 'Opt-In', value: 'opt_in' },
			{ name: 'Opt-Out', value: 'opt_out' },
		],
		default: 'opt_in',
	},
	{
		displayName: 'Lawful Basis',
		name: 'lawfulBasis',
		type: 'options',
		options: [
			{ name: 'Consent', value: 'consent' },
			{ name: 'Contract', value: 'contract' },
			{ name: 'Legal Obligation', value: 'legal_obligation' },
			{ name: 'Legitimate Interest', value: 'legitimate_interest' },
			{ name: 'Public Task', value: 'public_task' },
			{ name: 'Vital Interests', value: 'vital_interests' },
		],
		default: 'consent',
	},
	{
		displayName: 'Source',
		name: 'source',
		type: 'options',
		options: [
			{ name: 'Form', value: 'form' },
			{ name: 'Import', value: 'import' },
			{ name: 'Keyword', value: 'keyword' },
			{ name: 'Manual', value: 'manual' },
		],
		default: 'manual',
	},
	{
		displayName: 'Recorded At',
		name: 'recordedAt',
		type: 'dateTime',
		default: '',
		description: 'When the person gave or withdrew consent; empty = "Now"',
	},
	{
		displayName: 'Evidence',
		name: 'evidence',
		type: 'string',
		default: '',
		placeholder: 'e.g. Signup form, checkbox "Send me offers by DM"',
		description:
			'What the person was told or did (the wording, or where it can be found). After an opt-out, only an opt-in with lawful basis Consent, source Form, Keyword or Manual and evidence makes the person reachable again.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Evidence Reference',
				name: 'evidenceRef',
				type: 'string',
				default: '',
				description: 'ID of the form submission, import batch or message',
			},
			{
				displayName: 'Expires At',
				name: 'expiresAt',
				type: 'dateTime',
				default: '',
				description: 'After this time the opt-in no longer counts',
			},
			{
				displayName: 'Wording Version',
				name: 'wordingVersion',
				type: 'string',
				default: '',
				description: 'Version ID of the consent wording shown',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { operation: ['recordManual'] } }, properties);

/** Record manual: one consent record per input item, built from the parameters. Output: [Consent records]. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const nowMs = readNowParameter(this, 'now');
	return await routeEachItem.call(this, 1, (i) => {
		const options = this.getNodeParameter('options', i, {}) as IDataObject;
		const recordedAt = this.getNodeParameter('recordedAt', i, '') as unknown;
		const built = buildConsentRecord({
			subjectKey: str(this.getNodeParameter('subjectKey', i, '')),
			channel: str(this.getNodeParameter('channel', i, '')),
			purpose: str(this.getNodeParameter('purpose', i, 'marketing')),
			status: this.getNodeParameter('status', i) as ConsentStatus,
			lawfulBasis: this.getNodeParameter('lawfulBasis', i) as LawfulBasis,
			source: this.getNodeParameter('source', i) as ConsentSource,
			recordedAt: isBlank(recordedAt) ? toIso(nowMs) : String(recordedAt),
			evidence: str(this.getNodeParameter('evidence', i, '')),
			evidenceRef: str(options.evidenceRef) || undefined,
			wordingVersion: str(options.wordingVersion) || undefined,
			expiresAt: isBlank(options.expiresAt) ? undefined : String(options.expiresAt),
			nowMs,
		});
		if (!built.ok) {
			throw new NodeOperationError(this.getNode(), `Item ${i}: the consent record is not valid: ${built.reason}`, {
				itemIndex: i,
				description: 'Subject Key and Channel must not be empty; dates must be ISO 8601.',
			});
		}
		return [{ output: 0, json: { ...built.record } }];
	}, { safeOutput: 0, keepInputFields: false });
}
