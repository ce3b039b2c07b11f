import { NodeConnectionTypes, type INodeProperties } from 'n8n-workflow';
import { hideInTool } from '../shared/tool';
import * as check from './actions/check';
import * as purge from './actions/purge';
import * as recordFromMessage from './actions/recordFromMessage';
import * as recordManual from './actions/recordManual';
import * as subjectRequest from './actions/subjectRequest';

const main = NodeConnectionTypes.Main;
const connections = (names: string[]) => names.map((displayName) => ({ type: main, displayName }));

/** Inputs per operation (the second input, where there is one, is optional: requiredInputs [0]). */
export const INPUTS: Record<string, Array<{ type: string; displayName: string }>> = {
	check: connections(['Contacts', 'Consent records']),
	recordFromMessage: connections(['Messages', 'Consent records']),
	recordManual: connections(['Items']),
	purge: connections(['Stored rows', 'Consent records']),
	subjectRequest: connections(['Stored rows']),
};

/** Outputs per operation (subject requests: per request type). */
export const OUTPUTS: Record<string, Array<{ type: string; displayName: string }>> = {
	check: connections(['Allowed', 'Blocked']),
	recordFromMessage: connections(['Consent records', 'Replies', 'Other messages']),
	recordManual: connections(['Consent records']),
	purge: connections(['Delete', 'Keep']),
	subjectRequest_access: connections(['Export', 'Other rows']),
	subjectRequest_erasure: connections(['Delete', 'Suppression record', 'Other rows']),
};

const operationKey =
	'($parameter.operation === "subjectRequest" ? "subjectRequest_" + ($parameter.requestType || "access") : ($parameter.operation || "check"))';

/** What the node may do as an AI agent's tool: read-only answers (Check, Subject Request → Access). */
export const TOOL_OPERATIONS = ['check', 'subjectRequest'];

export function isToolOperation(operation: string, requestType: string): boolean {
	return TOOL_OPERATIONS.includes(operation) && (operation !== 'subjectRequest' || requestType === 'access');
}

const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { hide: { '@tool': [true] } },
	options: [
		{
			name: 'Check',
			value: 'check',
			action: 'Check contacts against consent',
			description: 'Split contacts into Allowed and Blocked (opt-outs, consent, window, caps, retention, bots)',
		},
		{
			name: 'Purge',
			value: 'purge',
			action: 'Find rows past retention',
			description: 'Output the stored rows to delete because their retention period has passed',
		},
		{
			name: 'Record From Message',
			value: 'recordFromMessage',
			action: 'Record consent from messages',
			description: 'Turn STOP / START / HELP messages into consent records and confirmation replies',
		},
		{
			name: 'Record Manual',
			value: 'recordManual',
			action: 'Record consent from fields',
			description: 'Build a consent record from form or CRM fields',
		},
		{
			name: 'Subject Request',
			value: 'subjectRequest',
			action: 'Answer an access or erasure request',
			description: 'Export every stored row of a person, or list them for deletion and keep a suppression record',
		},
	],
	default: 'check',
};

/** The same selector in the tool variant: an agent never writes consent records or deletes rows. */
const toolOperation: INodeProperties = {
	...operation,
	displayOptions: { show: { '@tool': [true] } },
	options: (operation.options ?? []).filter((option) => TOOL_OPERATIONS.includes(String((option as { value: unknown }).value))),
};

/** Hidden in the tool variant: an agent decides at the real time (Check refuses any other). */
const now: INodeProperties = hideInTool({
	displayName: 'Now',
	name: 'now',
	type: 'dateTime',
	default: '',
	description:
		'The time the rules are applied at (windows, caps, retention, expiry). Empty = the current time. Set it to re-run a past decision exactly.',
});

/** Every parameter of the node: the operation selector, "Now", then each operation's own fields. */
export const properties: INodeProperties[] = [
	operation,
	toolOperation,
	now,
	...check.description,
	...recordFromMessage.description,
	...recordManual.description,
	...purge.description,
	...subjectRequest.description,
];

/** Inputs and outputs follow the operation (Merge v3 / Switch v3 style expressions over $parameter). */
export const inputsExpression: `={{${string}}}` = `={{ (${JSON.stringify(INPUTS)})[$parameter.operation || "check"] }}`;
export const outputsExpression: `={{${string}}}` = `={{ (${JSON.stringify(OUTPUTS)})[${operationKey}] }}`;
