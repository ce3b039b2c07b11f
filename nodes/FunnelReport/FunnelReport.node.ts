import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { router } from './actions/router';
import { PRIVACY_CREDENTIAL, PRIVACY_CREDENTIAL_TEST, storyLeadsPrivacyTest } from '../shared/privacy';
import { inputsExpression, outputsExpression, properties } from './description';

export class FunnelReport implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Funnel Report',
		name: 'funnelReport',
		icon: { light: 'file:funnelReport.svg', dark: 'file:funnelReport.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ $parameter["operation"] === "recordConversion" ? "Record conversion" : $parameter["operation"] === "recordClick" ? "Record click" : "Report " + $parameter["periodDays"] + " days" }}',
		description:
			'Measure the funnel from story viewers to revenue: rates, cost and revenue per lead, and an honest A/B table; record conversions once per order and tracked link clicks',
		defaults: { name: 'Funnel Report' },
		usableAsTool: true,
		inputs: inputsExpression,
		outputs: outputsExpression,
		requiredInputs: [0],
		credentials: [
			{
				name: PRIVACY_CREDENTIAL,
				required: true,
				testedBy: PRIVACY_CREDENTIAL_TEST,
				displayOptions: { show: { operation: ['recordClick'] } },
			},
		],
		properties,
	};

	methods = { credentialTest: { [PRIVACY_CREDENTIAL_TEST]: storyLeadsPrivacyTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
