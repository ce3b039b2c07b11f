import type { CanonicalEvent } from '../events/schema';
import { INVALID_SKIP_REASONS, parseMetaWebhook, type SkippedUpdate, type WebhookParseOptions } from './webhook';

/** What the trigger does with one signed POST: the events to start the workflow with, and what it left out. */
export interface SignedDelivery {
	/** Events of the types the user asked for, in body order. */
	events: CanonicalEvent[];
	/** Meta's mid of each event's update (parallel to `events`); not part of the events. */
	messageIds: Array<string | undefined>;
	/** Updates that are broken (unreadable body, malformed update, unusable time): logged, never retried. */
	invalid: SkippedUpdate[];
	/** Updates the user did not ask for (echoes, deleted messages, other types, unwanted event types). */
	ignored: number;
	/** Updates in the body (or 1 for an unreadable body): events + invalid + ignored. */
	updates: number;
}

/**
 * Reads a signed webhook body for the trigger; never throws. Whatever the body holds, Meta gets 200: a 5xx
 * (or a 4xx) makes Meta redeliver the same body for up to 36 hours, and a body that is broken once is broken
 * every time. Broken updates come back in `invalid` with a reason instead.
 */
export function readSignedDelivery(
	bodyText: string,
	options: WebhookParseOptions,
	wantedTypes: ReadonlySet<string>,
): SignedDelivery {
	let body: unknown;
	try {
		body = JSON.parse(bodyText) as unknown;
	} catch {
		return {
			events: [],
			messageIds: [],
			invalid: [{ reason: 'malformed_payload', message: 'The body is not JSON', update: 0, original: undefined }],
			ignored: 0,
			updates: 1,
		};
	}
	const parsed = parseMetaWebhook(body, options);
	const events: CanonicalEvent[] = [];
	const messageIds: Array<string | undefined> = [];
	parsed.events.forEach((event, i) => {
		if (!wantedTypes.has(event.type)) return;
		events.push(event);
		messageIds.push(parsed.eventMessageIds[i]);
	});
	const invalid = parsed.skipped.filter((skip) => INVALID_SKIP_REASONS.has(skip.reason));
	return {
		events,
		messageIds,
		invalid,
		ignored: parsed.events.length - events.length + parsed.skipped.length - invalid.length,
		updates: parsed.updates,
	};
}

/** A log line about the broken updates of a delivery: counts and reasons only, never their content. */
export function describeInvalidUpdates(invalid: readonly SkippedUpdate[]): string {
	const byReason = new Map<string, number>();
	for (const skip of invalid) byReason.set(skip.reason, (byReason.get(skip.reason) ?? 0) + 1);
	const reasons = [...byReason].map(([reason, n]) => `${n} ${reason}`).join(', ');
	return `Instagram webhook: ${invalid.length} update(s) not captured (${reasons}); acknowledged so Meta does not redeliver them`;
}
