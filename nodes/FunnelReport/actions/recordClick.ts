import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { clickEvent, verifyClickToken } from '../../core/cadence';
import { readNowParameter } from '../../shared/items';
import { readPepper } from '../../shared/privacy';
import { formatIsoUtc } from '../../core/time/isoUtc';
import { inputItems, paired } from '../helpers';

export const OUTPUT = { redirect: 0, refused: 1 } as const;

const properties: INodeProperties[] = [
	{
		displayName:
			'Checks the signed token of a tracked link (Cadence Scheduler, Track Clicks). Redirect: <code>url</code> to answer 302 with, and the <code>link_click</code> event to store. Refused: tokens this credential did not sign, with the reason (answer 404, never a redirect).',
		name: 'recordClickNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Link Code',
		name: 'linkCode',
		type: 'string',
		default: '={{ $json.params.token }}',
		description: 'The signed token at the end of the clicked link; the Webhook node (path r/:token) puts it in params.token',
	},
];

export const description = updateDisplayOptions({ show: { operation: ['recordClick'] } }, properties);

/**
 * One verified click per item: no table is read, so the redirect answers at once. The router sends failures to
 * Refused, never to Redirect (a click that cannot be checked is never redirected).
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const secret = (await readPepper(this, true)) ?? '';
	const outputs: INodeExecutionData[][] = [[], []];
	inputItems(this, 0).forEach((_item, index) => {
		const at = formatIsoUtc(readNowParameter(this, 'asOf', index));
		const result = verifyClickToken(this.getNodeParameter('linkCode', index, ''), secret);
		if (result.ok) {
			outputs[OUTPUT.redirect].push({
				json: { url: result.url, ...clickEvent(result, at) },
				pairedItem: paired(index, 0),
			});
		} else {
			outputs[OUTPUT.refused].push({
				json: { reason: result.reason, reasonText: result.reasonText },
				pairedItem: paired(index, 0),
			});
		}
	});
	return outputs;
}
