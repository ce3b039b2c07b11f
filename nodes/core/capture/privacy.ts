import { createHmac } from 'crypto';

import type { ViewerKeyType } from '../events/schema';

/** Prefix of every pseudonym, so a stored key says what it is. */
export const PSEUDONYM_PREFIX = 'ps_';

/**
 * Stable pseudonym of a viewer key: HMAC-SHA256 keyed with a secret pepper over `type:key`, first 32 hex
 * characters. The same key and pepper always give the same pseudonym, so history still joins across runs;
 * without the pepper nobody can test candidate handles against it. The type is part of the input so that
 * a numeric handle can never collide with an IGSID.
 */
export function pseudonymise(viewerKey: string, viewerKeyType: ViewerKeyType, pepper: string): string {
	if (viewerKeyType === 'pseudonym') return viewerKey;
	const digest = createHmac('sha256', pepper).update(`${viewerKeyType}:${viewerKey}`).digest('hex');
	return PSEUDONYM_PREFIX + digest.slice(0, 32);
}

/** Minimum pepper length the privacy credential accepts (32 hex characters = 128 bits). */
export const MIN_PEPPER_LENGTH = 16;

/** Why a pepper cannot be used, or undefined when it is fine. */
export function pepperProblem(pepper: unknown): string | undefined {
	if (typeof pepper !== 'string' || pepper.length === 0) return 'The pepper is empty';
	if (pepper.trim() !== pepper) return 'The pepper starts or ends with white space';
	if (pepper.length < MIN_PEPPER_LENGTH) {
		return `The pepper is shorter than ${MIN_PEPPER_LENGTH} characters`;
	}
	return undefined;
}

/** Trimmed, lower-cased, leading `@` removed: " @Alice.Shop " → "alice.shop". */
export function normaliseHandle(value: string): string {
	let text = value.trim();
	while (text.charCodeAt(0) === 64 /* @ */) text = text.slice(1);
	return text.trim().toLowerCase();
}
