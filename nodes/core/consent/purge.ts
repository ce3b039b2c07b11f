import { DAY_MS } from '../time/instant';
import type { ConsentIndex } from './precedence';
import { isBlank, looksLikeConsentRow, parseInstantFast } from './record';

export const PURGE_KEEP_REASONS = ['consent_record', 'separate_consent', 'within_retention', 'no_timestamp'] as const;
export type PurgeKeepReason = (typeof PURGE_KEEP_REASONS)[number];

export const PURGE_TEXT: Readonly<Record<PurgeKeepReason | 'retention_expired', string>> = {
	retention_expired: 'The row is older than the retention period and its subject gave no separate consent.',
	consent_record:
		'Consent records are kept: they prove consent and carry opt-outs (the suppression list). Erase them with a subject request.',
	separate_consent: 'The subject has an active opt-in given as consent, so the row is kept.',
	within_retention: 'The row is still within the retention period.',
	no_timestamp: 'The row has none of the timestamp fields, so its age is unknown; it is kept.',
};

export interface PurgeConfig {
	nowMs: number;
	retentionDays: number;
	/** Fields that may hold the subject, first non-empty wins (e.g. viewerKey, subjectKey). */
	subjectFields: readonly string[];
	/** Fields that may hold the row's age reference, first non-empty wins (e.g. occurredAt, lastSeenAt). */
	timestampFields: readonly string[];
}

export type PurgeDecision =
	| { action: 'delete'; reason: 'retention_expired'; ageDays: number }
	| { action: 'keep'; reason: PurgeKeepReason; ageDays?: number }
	| { action: 'invalid'; detail: string };

/**
 * Retention purge of one stored row. A row is deleted when its timestamp is at least `retentionDays` old
 * and its subject has no active opt-in given as consent (a lead "converted with separate consent" keeps its
 * data). Consent records are never purged here (proof and suppression); rows without a timestamp are kept.
 */
export function purgeDecision(row: Record<string, unknown>, index: ConsentIndex, config: PurgeConfig): PurgeDecision {
	if (looksLikeConsentRow(row)) return { action: 'keep', reason: 'consent_record' };
	let at: number | undefined;
	for (const field of config.timestampFields) {
		const raw = row[field];
		if (isBlank(raw)) continue;
		at = parseInstantFast(raw);
		if (at === undefined) return { action: 'invalid', detail: `Field "${field}" is not a readable timestamp (${JSON.stringify(raw)})` };
		break;
	}
	if (at === undefined) return { action: 'keep', reason: 'no_timestamp' };
	const ageMs = config.nowMs - at;
	const ageDays = Math.floor(ageMs / DAY_MS);
	if (ageMs < config.retentionDays * DAY_MS) return { action: 'keep', reason: 'within_retention', ageDays };
	const subject = subjectOf(row, config.subjectFields);
	if (subject && index.subjectHasSeparateConsent(subject)) return { action: 'keep', reason: 'separate_consent', ageDays };
	return { action: 'delete', reason: 'retention_expired', ageDays };
}

export function subjectOf(row: Record<string, unknown>, fields: readonly string[]): string {
	for (const field of fields) {
		const value = row[field];
		if (typeof value === 'string' && value.trim()) return value.trim();
		if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	}
	return '';
}
