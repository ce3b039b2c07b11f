import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type IPairedItemData,
} from 'n8n-workflow';
import { belongsToSubject, buildAccessExport, buildSuppressionRecord } from '../../core/consent/subjectRequest';
import { readNowParameter } from '../../shared/items';
import { listParameter, str } from '../helpers';

const properties: INodeProperties[] = [
	{
		displayName: 'Subject Key',
		name: 'subjectKey',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 17841400000000000',
		description: 'The person making the request, as stored (IGSID, pseudonym, email…)',
	},
	{
		displayName: 'Request Type',
		name: 'requestType',
		type: 'options',
		noDataExpression: true,
		displayOptions: { hide: { '@tool': [true] } },
		options: [
			{
				name: 'Access',
				value: 'access',
				description: 'One export item with every stored row of the subject (GDPR Art. 15).',
			},
			{
				name: 'Erasure',
				value: 'erasure',
				description: 'The rows to delete plus a suppression record that keeps the opt-out (GDPR Art. 17).',
			},
		],
		default: 'access',
	},
	{
		displayName: 'Subject Fields',
		name: 'subjectFields',
		type: 'string',
		default: 'viewerKey, subjectKey',
		description: 'Comma-separated fields that may hold the subject key in the stored rows',
	},
	{
		displayName: 'Suppression Key',
		name: 'suppressionKey',
		type: 'options',
		options: [
			{
				name: 'As Given',
				value: 'asGiven',
				description: 'Keep the key as stored (choose when keys are already pseudonyms)',
			},
			{
				name: 'SHA-256 Hash',
				value: 'sha256',
				description: 'Store sha256:&lt;hex&gt; so the suppression list holds no identifier; the Check operation matches it',
			},
		],
		default: 'sha256',
		displayOptions: { show: { requestType: ['erasure'] } },
	},
];

export const description = updateDisplayOptions({ show: { operation: ['subjectRequest'] } }, properties);

/**
 * Subject request: input 0 = every stored row to search (events, consent, cadence state…).
 * Outputs — access: [Export, Other rows]; erasure: [Delete, Suppression record, Other rows].
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const rows = this.getInputData(0);
	const nowMs = readNowParameter(this, 'now');
	const subjectKey = str(this.getNodeParameter('subjectKey', 0, ''));
	if (!subjectKey) {
		throw new NodeOperationError(this.getNode(), 'Subject Key is empty', {
			description: 'Set the key of the person making the request, as it is stored.',
		});
	}
	const requestType = this.getNodeParameter('requestType', 0, 'access') as string;
	const fields = listParameter(this.getNodeParameter('subjectFields', 0, 'viewerKey, subjectKey'));
	const mine: IDataObject[] = [];
	const minePaired: IPairedItemData[] = [];
	const other: INodeExecutionData[] = [];
	rows.forEach((item, i) => {
		if (belongsToSubject(item.json, subjectKey, fields)) {
			mine.push(item.json);
			minePaired.push({ item: i });
		} else {
			other.push({ json: item.json, pairedItem: { item: i } });
		}
	});
	const aggregatePaired = minePaired.length ? minePaired : [{ item: 0 }];
	if (requestType === 'access') {
		const exported = buildAccessExport(subjectKey, mine, nowMs);
		return [[{ json: { ...exported } as unknown as IDataObject, pairedItem: aggregatePaired }], other];
	}
	const hash = this.getNodeParameter('suppressionKey', 0, 'sha256') === 'sha256';
	const suppression = buildSuppressionRecord(subjectKey, nowMs, hash);
	const remove = mine.map((json, k) => ({
		json: { ...json, reason: 'erasure_request' },
		pairedItem: minePaired[k],
	}));
	return [remove, [{ json: { ...suppression }, pairedItem: aggregatePaired }], other];
}
