import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The secret pepper for pseudonymising viewer keys (HMAC-SHA256). Nothing remote can check it, so there is
 * no `test` request: the nodes that use it test it locally (`testedBy: 'storyLeadsPrivacyTest'`, length and
 * white-space checks).
 */
export class StoryLeadsPrivacyApi implements ICredentialType {
	name = 'storyLeadsPrivacyApi';

	displayName = 'Story Leads Privacy API';

	icon: Icon = { light: 'file:storyLeadsPrivacyApi.svg', dark: 'file:storyLeadsPrivacyApi.dark.svg' };

	documentationUrl = 'https://github.com/story-leads/n8n-nodes-story-leads#capture';

	properties: INodeProperties[] = [
		{
			displayName: 'Pepper',
			name: 'pepper',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Secret used to pseudonymise viewer keys (HMAC-SHA256). At least 16 characters, e.g. 32 random hex characters. Keep it stable: changing it changes every pseudonym, so history no longer joins. Never share it.',
		},
	];
}
