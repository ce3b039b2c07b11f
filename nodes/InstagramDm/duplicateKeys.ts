import { idempotencyKeyText, laterDuplicates } from '../core/messaging/idempotency';
import { NOT_SENT, type ItemPlan } from './helpers';

/**
 * At most one send per idempotency key in one run: an item whose key (trimmed, NFC) an earlier item that is
 * about to be sent already carries goes to Not Sent with `duplicate_key` instead of being sent again. Items
 * that are already finished (invalid input, errors) claim no key. Runs on the plans, before the first call.
 */
export function skipDuplicateKeys(plans: ItemPlan[]): void {
	const keys = plans.map((plan) => ('call' in plan ? idempotencyKeyText(plan.call.base.idempotencyKey) : undefined));
	for (const [position, first] of laterDuplicates(keys)) {
		const plan = plans[position];
		if (!('call' in plan)) continue;
		plans[position] = {
			done: {
				output: NOT_SENT,
				json: {
					...plan.call.base,
					reason: 'duplicate_key',
					reasonText: `Item ${first} of this run has the same idempotency key and is sent instead; one send per key`,
					duplicateOf: first,
					retryable: false,
				},
			},
		};
	}
}
