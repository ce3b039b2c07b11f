import { NodeConnectionTypes, type INodeProperties } from 'n8n-workflow';
import * as recordClick from './actions/recordClick';
import * as recordConversion from './actions/recordConversion';
import * as report from './actions/report';

const main = NodeConnectionTypes.Main;
const connections = (names: string[]) => names.map((displayName) => ({ type: main, displayName }));

/** Inputs per operation: only the first is required (requiredInputs [0]); the others may stay unconnected. */
export const INPUTS: Record<string, Array<{ type: string; displayName: string }>> = {
	report: connections(['Events', 'Send log', 'Conversions', 'Contact state']),
	recordConversion: connections(['Conversion events', 'Stored conversions']),
	recordClick: connections(['Clicks']),
};

export const OUTPUTS: Record<string, Array<{ type: string; displayName: string }>> = {
	report: connections(['Report', 'Not counted']),
	recordConversion: connections(['New', 'Duplicate', 'Invalid']),
	recordClick: connections(['Redirect', 'Refused']),
};

const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Build Report',
			value: 'report',
			action: 'Build the funnel report',
			description:
				'Funnel, rates, revenue, cost per lead and the A/B table of a period from the events, send log, conversions and contact state',
		},
		{
			name: 'Record Conversion',
			value: 'recordConversion',
			action: 'Record conversion events',
			description:
				'Validate conversion events and keep each order once, with the contact’s totals for the CRM',
		},
		{
			name: 'Record Click',
			value: 'recordClick',
			action: 'Record a tracked link click',
			description:
				'Check the signed token of a tracked DM link: the link to redirect to and the link_click event to store, or a refusal (never an open redirect)',
		},
	],
	default: 'report',
};

const asOf: INodeProperties = {
	displayName: 'As Of',
	name: 'asOf',
	type: 'dateTime',
	default: '',
	description:
		'End of the period and the moment nothing later is counted (for Record Conversion: the time stored as receivedAt; for Record Click: the click time). Empty = now; set it for a reproducible report.',
};

export const properties: INodeProperties[] = [
	operation,
	asOf,
	...report.description,
	...recordConversion.description,
	...recordClick.description,
];

export const inputsExpression: `={{${string}}}` = `={{ (${JSON.stringify(INPUTS)})[$parameter.operation || "report"] }}`;
export const outputsExpression: `={{${string}}}` = `={{ (${JSON.stringify(OUTPUTS)})[$parameter.operation || "report"] }}`;
