import { createHash } from 'crypto';
import { z } from 'zod';
import { parseInstantFast, readInstant, showValue, toIso } from '../time/instant';

export { parseInstantFast };

/**
 * A consent record: one fact about one subject, appended, never edited. The current state of a
 * (subject, channel, purpose) is derived from the history (see precedence.ts).
 */
export const CONSENT_STATUSES = ['opt_in', 'opt_out'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

/** GDPR Art. 6(1) bases. An opt-out record keeps the basis of the consent it withdraws (usually `consent`). */
export const LAWFUL_BASES = [
	'consent',
	'contract',
	'legal_obligation',
	'legitimate_interest',
	'public_task',
	'vital_interests',
] as const;
export type LawfulBasis = (typeof LAWFUL_BASES)[number];

export const CONSENT_SOURCES = ['keyword', 'form', 'import', 'manual', 'subject_request'] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

/** Channel and purpose value that covers every channel / every purpose of the subject. */
export const ANY = '*';
export const DEFAULT_PURPOSE = 'marketing';
/** Channels with a known meaning; any other non-empty name is accepted. */
export const KNOWN_CHANNELS = ['instagram_dm', 'email', 'sms', 'whatsapp', 'messenger', ANY] as const;

const isoUtc = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, 'must be ISO 8601 in UTC, e.g. 2026-11-22T10:00:00.000Z');

export const consentRecordSchema = z.object({
	/** Content-derived: the same fact always gets the same id, so storing with upsert on recordId is idempotent. */
	recordId: z.string().min(1),
	subjectKey: z.string().min(1),
	channel: z.string().min(1),
	purpose: z.string().min(1).default(DEFAULT_PURPOSE),
	status: z.enum(CONSENT_STATUSES),
	lawfulBasis: z.enum(LAWFUL_BASES),
	recordedAt: isoUtc,
	source: z.enum(CONSENT_SOURCES),
	/** What the person was told or did: wording (or its version id), the message id, the keyword. */
	evidence: z.string().default(''),
	/** Id of the message, form submission or import the record comes from. */
	evidenceRef: z.string().optional(),
	/** Version id of the consent wording shown. */
	wordingVersion: z.string().optional(),
	/** After this instant an opt-in no longer counts (opt-outs never expire). */
	expiresAt: isoUtc.optional(),
	/** True when subjectKey holds `sha256:<hex>` of the key rather than the key itself (erasure tombstones). */
	subjectKeyHashed: z.boolean().optional(),
});

export type ConsentRecord = z.infer<typeof consentRecordSchema>;

export interface ConsentRecordInput {
	subjectKey: string;
	channel: string;
	purpose?: string;
	status: ConsentStatus;
	lawfulBasis: LawfulBasis;
	recordedAt: unknown;
	source: ConsentSource;
	evidence?: string;
	evidenceRef?: string;
	wordingVersion?: string;
	expiresAt?: unknown;
	subjectKeyHashed?: boolean;
	/** "Now" of the run: a recordedAt more than a day after it is refused (a fact cannot come from the future). */
	nowMs?: number;
}

/** `cr_` + first 32 hex characters of SHA-256 over the fields that make the fact. */
export function consentRecordId(
	record: Pick<ConsentRecord, 'subjectKey' | 'channel' | 'purpose' | 'status' | 'recordedAt' | 'source'> & {
		evidenceRef?: string;
		evidence?: string;
	},
): string {
	const parts = [
		record.subjectKey,
		record.channel,
		record.purpose,
		record.status,
		record.recordedAt,
		record.source,
		record.evidenceRef ?? '',
		record.evidence ?? '',
	].map((part) => part.replace(/[\\|]/g, '\\$&'));
	return 'cr_' + createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 32);
}

export type BuildResult = { ok: true; record: ConsentRecord } | { ok: false; reason: string };

/** Builds and validates a record (timestamps in any readable form become UTC ISO); the id is derived. */
export function buildConsentRecord(input: ConsentRecordInput): BuildResult {
	const recorded = readInstant(input.recordedAt, 'recordedAt', { happenedBy: input.nowMs });
	if (!recorded.ok) return recorded;
	const recordedMs = recorded.ms;
	let expiresAt: string | undefined;
	if (!isBlank(input.expiresAt)) {
		const expires = readInstant(input.expiresAt, 'expiresAt');
		if (!expires.ok) return expires;
		expiresAt = toIso(expires.ms);
	}
	const base = {
		subjectKey: typeof input.subjectKey === 'string' ? input.subjectKey.trim() : '',
		channel: typeof input.channel === 'string' ? input.channel.trim() : '',
		purpose: (typeof input.purpose === 'string' ? input.purpose.trim() : '') || DEFAULT_PURPOSE,
		status: input.status,
		lawfulBasis: input.lawfulBasis,
		recordedAt: toIso(recordedMs),
		source: input.source,
		evidence: input.evidence ?? '',
		...(input.evidenceRef ? { evidenceRef: input.evidenceRef } : {}),
		...(input.wordingVersion ? { wordingVersion: input.wordingVersion } : {}),
		...(expiresAt ? { expiresAt } : {}),
		...(input.subjectKeyHashed ? { subjectKeyHashed: true } : {}),
	};
	return validateConsentRecord({ recordId: consentRecordId(base), ...base });
}

/** Validates a record built in code or read back from storage, with reasons naming the fields. */
export function validateConsentRecord(value: unknown): BuildResult {
	const result = consentRecordSchema.safeParse(value);
	if (result.success) return { ok: true, record: result.data };
	return {
		ok: false,
		reason: result.error.issues.map((issue) => `${issue.path.join('.') || 'record'}: ${issue.message}`).join('; '),
	};
}

/**
 * A stored row as read back from a Data table, Postgres or a sheet: extra columns (id, createdAt…) and
 * `null` for empty cells are fine, timestamps may be Date objects or any readable form. Only the fields the
 * gate needs are required (subjectKey, channel, status, recordedAt); the rest default.
 */
export interface StoredConsent {
	recordId: string;
	subjectKey: string;
	channel: string;
	purpose: string;
	status: ConsentStatus;
	lawfulBasis: string;
	/** Where the record came from (keyword, form, import, manual, subject_request); '' when the row has none. */
	source: string;
	/** True when the row carries evidence (evidence or evidenceRef): what the person was told or did. */
	hasEvidence: boolean;
	recordedAtMs: number;
	expiresAtMs?: number;
	subjectKeyHashed: boolean;
}

export type StoredReadResult = { ok: true; record: StoredConsent } | { ok: false; reason: string } | { ok: 'skip' };

/** True when a row is meant as a consent record: a consent `status`, or a `cr_` record id. */
export function looksLikeConsentRow(row: Record<string, unknown>): boolean {
	return (
		row.status === 'opt_in' ||
		row.status === 'opt_out' ||
		(typeof row.recordId === 'string' && row.recordId.startsWith('cr_'))
	);
}

/**
 * Reads one stored consent row for indexing. Rows without a consent status are `skip` (other row kinds may
 * share the input); a row with a status but a bad subject, channel, status or timestamp is an error.
 */
export function readStoredConsent(row: Record<string, unknown>): StoredReadResult {
	if (!looksLikeConsentRow(row)) return { ok: 'skip' };
	const status = row.status;
	if (status !== 'opt_in' && status !== 'opt_out') {
		return { ok: false, reason: `status: must be opt_in or opt_out (got ${showValue(status)})` };
	}
	const subjectKey = typeof row.subjectKey === 'string' ? row.subjectKey.trim() : '';
	if (!subjectKey) return { ok: false, reason: 'subjectKey: missing' };
	const channel = typeof row.channel === 'string' && row.channel.trim() ? row.channel.trim() : '';
	if (!channel) return { ok: false, reason: 'channel: missing (use * for every channel)' };
	const purpose = typeof row.purpose === 'string' && row.purpose.trim() ? row.purpose.trim() : DEFAULT_PURPOSE;
	const recordedAtMs = parseInstantFast(row.recordedAt);
	if (recordedAtMs === undefined) return readInstant(row.recordedAt, 'recordedAt') as { ok: false; reason: string };
	let expiresAtMs: number | undefined;
	if (!isBlank(row.expiresAt)) {
		expiresAtMs = parseInstantFast(row.expiresAt);
		if (expiresAtMs === undefined) return readInstant(row.expiresAt, 'expiresAt') as { ok: false; reason: string };
	}
	const recordId = typeof row.recordId === 'string' && row.recordId ? row.recordId : '';
	return {
		ok: true,
		record: {
			recordId,
			subjectKey,
			channel,
			purpose,
			status,
			lawfulBasis: typeof row.lawfulBasis === 'string' ? row.lawfulBasis : '',
			source: typeof row.source === 'string' ? row.source.trim() : '',
			hasEvidence: hasText(row.evidence) || hasText(row.evidenceRef),
			recordedAtMs,
			expiresAtMs,
			subjectKeyHashed: row.subjectKeyHashed === true || row.subjectKeyHashed === 'true',
		},
	};
}

/** `sha256:<hex>` of a subject key, the form erasure tombstones keep. */
export function hashSubjectKey(subjectKey: string): string {
	return 'sha256:' + createHash('sha256').update(subjectKey).digest('hex');
}

export function isBlank(value: unknown): boolean {
	return value === undefined || value === null || value === '';
}

function hasText(value: unknown): boolean {
	return typeof value === 'string' && value.trim() !== '';
}
