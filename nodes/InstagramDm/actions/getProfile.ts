import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { PROFILE_FIELDS, prepareProfileRequest } from '../../core/messaging/dm';
import { readNowParameter } from '../../shared/items';
import { SENT, baseJson, invalidInputItem, type DmRun, type ItemPlan, idText } from '../helpers';
import { recipientIdField } from '../helpers';

const FIELD_NAMES: Record<(typeof PROFILE_FIELDS)[number], string> = {
	follower_count: 'Follower Count',
	is_business_follow_user: 'Account Follows Person',
	is_user_follow_business: 'Person Follows Account',
	is_verified_user: 'Verified',
	name: 'Name',
	profile_pic: 'Profile Picture URL',
	username: 'Username',
};

const properties: INodeProperties[] = [
	recipientIdField,
	{
		displayName: 'Fields',
		name: 'profileFields',
		type: 'multiOptions',
		options: [...PROFILE_FIELDS]
			.sort((a, b) => FIELD_NAMES[a].localeCompare(FIELD_NAMES[b]))
			.map((value) => ({ name: FIELD_NAMES[value], value })),
		default: ['name', 'username', 'is_user_follow_business'],
		description: 'Profile fields to ask for; Instagram returns them only after the person messaged the account',
	},
];

export const description = updateDisplayOptions({ show: { operation: ['getProfile'] } }, properties);

/** Reads the item's parameters (Now included) and builds its request; nothing is fetched here. */
export function execute(this: IExecuteFunctions, itemIndex: number, item: INodeExecutionData, run: DmRun): ItemPlan {
	const recipientId = this.getNodeParameter('recipientId', itemIndex, '') as unknown;
	const base: IDataObject = {
		...baseJson(run, item, 'getProfile'),
		recipientId: idText(recipientId),
	};
	const prepared = prepareProfileRequest({
		recipientId,
		fields: this.getNodeParameter('profileFields', itemIndex, []) as unknown,
	});
	if (!prepared.ok) return { done: invalidInputItem(base, prepared) };
	const fetchedAt = new Date(readNowParameter(this, 'options.now', itemIndex)).toISOString();
	return {
		call: {
			method: 'GET',
			path: () => `/${prepared.recipientId}`,
			qs: { fields: prepared.fields },
			purpose: 'profile',
			jitterSeed: prepared.recipientId,
			base,
			onSuccess: (body, attempts) => {
				const profile: IDataObject = {};
				for (const field of prepared.fields.split(',')) {
					if (body[field] !== undefined) profile[field] = body[field];
				}
				return { output: SENT, json: { ...base, profile, fetchedAt, attempts } };
			},
		},
	};
}
