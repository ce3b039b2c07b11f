import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { ConsentIndex } from '../../core/consent/precedence';
import { PURGE_TEXT, purgeDecision } from '../../core/consent/purge';
import { readNowParameter } from '../../shared/items';
import { consentInputError, listParameter, readConsentRows } from '../helpers';

const properties: INodeProperties[] = [
	{
		displayName: 'Retention (Days)',
		name: 'retentionDays',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 180,
		description: 'Rows at least this old are deleted unless their subject gave separate consent',
	},
	{
		displayName: 'Timestamp Fields',
		name: 'timestampFields',
		type: 'string',
		default: 'occurredAt, lastSeenAt, updatedAt',
		description: 'Comma-separated; the first one a row has is its age reference. Rows with none are kept.',
	},
	{
		displayName: 'Subject Fields',
		name: 'subjectFields',
		type: 'string',
		default: 'viewerKey, subjectKey',
		description: 'Comma-separated; the first one a row has is its subject (checked for separate consent)',
	},
];

export const description = updateDisplayOptions({ show: { operation: ['purge'] } }, properties);

/**
 * Purge: input 0 = stored rows (events, contacts, cadence state…), input 1 = consent records (optional;
 * consent rows on input 0 count too). Outputs: [Delete, Keep], each item with reason and reasonText.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const rows = this.getInputData(0);
	const nowMs = readNowParameter(this, 'now');
	const consent = readConsentRows([...this.getInputData(1), ...rows]);
	if (consent.problems.length) {
		if (!this.continueOnFail()) throw consentInputError(this, consent.problems[0]);
		// An unreadable consent row may be the separate consent that keeps a subject's data: delete nothing.
		const reasonDetail = `Consent records input, item ${consent.problems[0].index}: ${consent.problems[0].reason}`;
		return [[], rows.map((item, i) => ({ json: { ...item.json, reason: 'invalid_input', reasonDetail }, pairedItem: { item: i } }))];
	}
	const index = new ConsentIndex(consent.records, nowMs);
	const config = {
		nowMs,
		retentionDays: this.getNodeParameter('retentionDays', 0, 180) as number,
		subjectFields: listParameter(this.getNodeParameter('subjectFields', 0, 'viewerKey, subjectKey')),
		timestampFields: listParameter(this.getNodeParameter('timestampFields', 0, 'occurredAt, lastSeenAt, updatedAt')),
	};
	const remove: INodeExecutionData[] = [];
	const keep: INodeExecutionData[] = [];
	rows.forEach((item, i) => {
		const decision = purgeDecision(item.json, index, config);
		if (decision.action === 'invalid') {
			if (!this.continueOnFail()) {
				throw new NodeOperationError(this.getNode(), `Row item ${i}: ${decision.detail}`, {
					itemIndex: i,
					description: 'Use ISO 8601 timestamps (e.g. 2026-11-22T09:00:00Z) in the stored rows.',
				});
			}
			keep.push({ json: { ...item.json, reason: 'invalid_input', reasonDetail: decision.detail }, pairedItem: { item: i } });
			return;
		}
		const json = {
			...item.json,
			reason: decision.reason,
			reasonText: PURGE_TEXT[decision.reason],
			...(decision.ageDays !== undefined ? { ageDays: decision.ageDays } : {}),
		};
		(decision.action === 'delete' ? remove : keep).push({ json, pairedItem: { item: i } });
	});
	return [remove, keep];
}
