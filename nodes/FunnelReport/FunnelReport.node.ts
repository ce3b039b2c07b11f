import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { router } from './actions/router';
import { inputsExpression, outputsExpression, properties } from './description';

export class FunnelReport implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Funnel Report',
		name: 'funnelReport',
		icon: { light: 'file:funnelReport.svg', dark: 'file:funnelReport.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ $parameter["operation"] === "recordConversion" ? "Record conversion" : "Report " + $parameter["periodDays"] + " days" }}',
		description:
			'Measure the funnel from story viewers to revenue: rates, cost and revenue per lead, and an honest A/B table; record conversions once per order',
		defaults: { name: 'Funnel Report' },
		usableAsTool: true,
		inputs: inputsExpression,
		outputs: outputsExpression,
		requiredInputs: [0],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
