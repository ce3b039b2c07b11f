import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { cadenceSchedulerProperties } from './description';
import { router } from './actions/router';
import { PRIVACY_CREDENTIAL, PRIVACY_CREDENTIAL_TEST, storyLeadsPrivacyTest } from '../shared/privacy';

export class CadenceScheduler implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Cadence Scheduler',
		name: 'cadenceScheduler',
		icon: { light: 'file:cadenceScheduler.svg', dark: 'file:cadenceScheduler.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["sequence"] }}',
		description:
			'Decide per contact whether a follow-up is due now, later, or never: timely, capped, stops on reply, respects channel windows',
		defaults: { name: 'Cadence Scheduler' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Send Now', 'Wait', 'Done'],
		credentials: [
			{
				name: PRIVACY_CREDENTIAL,
				// Not required: n8n shows a credential whose condition is an expression (Track Clicks set from a
				// template's Client settings) and refuses to publish a workflow with a required one unset, which
				// would block every user who does not track clicks. Tracking without it stops the run (schedule.ts).
				required: false,
				testedBy: PRIVACY_CREDENTIAL_TEST,
				displayOptions: { show: { trackLinks: [true], trackClicks: [true] } },
			},
		],
		properties: cadenceSchedulerProperties,
	};

	methods = { credentialTest: { [PRIVACY_CREDENTIAL_TEST]: storyLeadsPrivacyTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
