import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { PRIVACY_CREDENTIAL_TEST, storyLeadsPrivacyTest } from '../shared/privacy';
import { properties } from './description';
import { router } from './actions/router';
import { INSTAGRAM_CREDENTIAL_TEST, instagramApiTest } from '../shared/instagramCredentialTest';

export class StoryViewerIngest implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Story Viewer Ingest',
		name: 'storyViewerIngest',
		icon: { light: 'file:storyViewerIngest.svg', dark: 'file:storyViewerIngest.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] }}',
		description:
			'Turn viewer exports, raw webhook bodies and story insights into clean canonical story events. Instagram gives no per-viewer story list.',
		defaults: { name: 'Story Viewer Ingest' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Valid', 'Invalid'],
		credentials: [
			{
				name: 'instagramApi',
				required: true,
				testedBy: 'instagramApiTest',
				displayOptions: { show: { operation: ['graphApiStories'] } },
			},
			{
				name: 'storyLeadsPrivacyApi',
				required: true,
				testedBy: 'storyLeadsPrivacyTest',
				displayOptions: { show: { pseudonymise: [true] } },
			},
		],
		properties,
	};

	methods = {
		credentialTest: { [PRIVACY_CREDENTIAL_TEST]: storyLeadsPrivacyTest, [INSTAGRAM_CREDENTIAL_TEST]: instagramApiTest },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
