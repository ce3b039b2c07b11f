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

/**
 * Characters that show nothing: controls, format characters (zero-width space and joiners, word joiner, BOM, soft
 * hyphen, bidi marks), the other default-ignorable code points (variation selectors, Hangul fillers) and the blank
 * braille pattern.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/gu;
/** Everything that leaves no visible trace on its own: the above plus spaces, lone marks, unassigned and private use. */
const NOT_VISIBLE = /[\s\p{Z}\p{M}\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Default_Ignorable_Code_Point}\u2800]/gu;

/** True when the value is a string with at least one visible character (evidence of only zero-width spaces is none). */
export function hasVisibleText(value: unknown): boolean {
	return typeof value === 'string' && value.replace(NOT_VISIBLE, '') !== '';
}

/**
 * A subject key as it is stored and matched: invisible characters removed, lower case, NFC, trimmed. Our capture
 * writes keys in this form already (numeric IGSIDs, lower-case handles, `ps_` pseudonyms), so a key typed or imported
 * as "Alice@Example.com", in NFD, or with a zero-width space still meets its records.
 */
export function normaliseSubjectKey(value: string): string {
	return isPlainKey(value) ? value : value.replace(INVISIBLE, '').toLowerCase().normalize('NFC').trim();
}

/**
 * A channel, purpose, status, source or lawful basis as it is stored and matched: compatibility forms folded (NFKC),
 * invisible characters removed, lower case, and spaces, hyphens and dashes as one underscore: " Instagram-DM " →
 * `instagram_dm`, "OPT OUT" → `opt_out`.
 */
export function normaliseKeyName(value: string): string {
	if (isPlainName(value)) return value;
	return value
		.normalize('NFKC')
		.replace(INVISIBLE, '')
		.toLowerCase()
		.trim()
		.replace(/[\s\p{Pd}_]+/gu, '_')
		.replace(/^_+|_+$/g, '');
}

/** Printable ASCII without upper case and without surrounding spaces: already normalised (the common case, cheap). */
function isPlainKey(value: string): boolean {
	const n = value.length;
	if (n === 0 || value.charCodeAt(0) === 32 || value.charCodeAt(n - 1) === 32) return n === 0;
	for (let i = 0; i < n; i++) {
		const c = value.charCodeAt(i);
		if (c < 32 || c > 126 || (c >= 65 && c <= 90)) return false;
	}
	return true;
}

/** Lower-case ASCII letters, digits, `*`, `.` and inner single underscores: already a normalised name. */
function isPlainName(value: string): boolean {
	const n = value.length;
	if (n === 0 || value.charCodeAt(0) === 95 || value.charCodeAt(n - 1) === 95) return n === 0;
	for (let i = 0; i < n; i++) {
		const c = value.charCodeAt(i);
		if (c === 95) {
			if (value.charCodeAt(i + 1) === 95) return false;
			continue;
		}
		if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 42 || c === 46)) return false;
	}
	return true;
}

/**
 * Status words read as a consent status, compared without separators after normaliseKeyName. Opt-out synonyms are
 * generous (misreading an objection would message someone who said no); opt-in synonyms are few and plain, and an
 * unknown word on a consent row is an error, never a guess.
 */
const STATUS_WORDS: ReadonlyMap<string, ConsentStatus> = new Map([
	...[
		'optout',
		'optedout',
		'unsubscribe',
		'unsubscribed',
		'withdraw',
		'withdrawn',
		'revoke',
		'revoked',
		'stop',
		'stopped',
		'suppress',
		'suppressed',
		'donotcontact',
		'dnc',
		'objected',
		'declined',
	].map((word) => [word, 'opt_out'] as const),
	...['optin', 'optedin', 'subscribe', 'subscribed', 'consented'].map((word) => [word, 'opt_in'] as const),
]);

/** Words that show a status is about consent: a row carrying one is a consent row even if its status cannot be read. */
const CONSENT_WORDS = /opt|subscri|consent|stop|withdr|revok|suppress/;

/** The consent status a stored or typed value means (`OPT-OUT`, ` Opted Out `, `unsubscribed`…), or undefined. */
export function readConsentStatus(value: unknown): ConsentStatus | undefined {
	if (value === 'opt_in' || value === 'opt_out') return value;
	if (typeof value !== 'string') return undefined;
	return STATUS_WORDS.get(normaliseKeyName(value).replace(/_/g, ''));
}

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
	// Keys are written in the form they are read and matched in (normaliseSubjectKey, normaliseKeyName).
	const base = {
		subjectKey: typeof input.subjectKey === 'string' ? normaliseSubjectKey(input.subjectKey) : '',
		channel: typeof input.channel === 'string' ? normaliseKeyName(input.channel) : '',
		purpose: (typeof input.purpose === 'string' ? normaliseKeyName(input.purpose) : '') || DEFAULT_PURPOSE,
		// The casts are checked by validateConsentRecord below (a wrong word is refused there, naming the field).
		status: readConsentStatus(input.status) ?? input.status,
		lawfulBasis: (typeof input.lawfulBasis === 'string' ? normaliseKeyName(input.lawfulBasis) : input.lawfulBasis) as LawfulBasis,
		recordedAt: toIso(recordedMs),
		source: (typeof input.source === 'string' ? normaliseKeyName(input.source) : input.source) as ConsentSource,
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

/**
 * True when a row is meant as a consent record, however it is spelled: a status that reads as opt-in or opt-out
 * (readConsentStatus), a `cr_` record id (any case), or, on a row that is no send-log row, a status beside a
 * consent column (subjectKey, lawfulBasis, subjectKeyHashed) or a status that speaks of consent ("opt…",
 * "subscri…", "stop"…). Such a row is read or refused, never skipped: a skipped opt-out would let the person be
 * messaged.
 */
export function looksLikeConsentRow(row: Record<string, unknown>): boolean {
	const status = row.status;
	if (readConsentStatus(status) !== undefined) return true;
	if (typeof row.recordId === 'string' && /^\s*cr_/i.test(row.recordId)) return true;
	// A send-log row (it has a sentAt or idempotencyKey column) keeps its own statuses (sent, not_sent…).
	if (isBlank(status) || 'sentAt' in row || 'idempotencyKey' in row) return false;
	if (!isBlank(row.subjectKey) || hasText(row.lawfulBasis) || !isBlank(row.subjectKeyHashed)) return true;
	return typeof status === 'string' && CONSENT_WORDS.test(normaliseKeyName(status).replace(/_/g, ''));
}

/**
 * Reads one stored consent row for indexing, normalised the way buildConsentRecord writes (keys: normaliseSubjectKey
 * and normaliseKeyName; status: readConsentStatus). Rows that do not look like consent records are `skip` (send-log
 * and other rows may share the input); a consent row with an unreadable subject, channel, status or timestamp is an
 * error. A row without a record id gets the id its content derives (consentRecordId), so ties between id-less rows
 * are broken the same way whatever the input order.
 */
export function readStoredConsent(row: Record<string, unknown>): StoredReadResult {
	if (!looksLikeConsentRow(row)) return { ok: 'skip' };
	const status = readConsentStatus(row.status);
	if (status === undefined) {
		return { ok: false, reason: `status: must be opt_in or opt_out (got ${showValue(row.status)})` };
	}
	const subjectKey = keyText(row.subjectKey, normaliseSubjectKey);
	if (!subjectKey) return { ok: false, reason: 'subjectKey: missing' };
	const channel = keyText(row.channel, normaliseKeyName);
	if (!channel) return { ok: false, reason: 'channel: missing (use * for every channel)' };
	const purpose = keyText(row.purpose, normaliseKeyName) || DEFAULT_PURPOSE;
	const recordedAtMs = parseInstantFast(row.recordedAt);
	if (recordedAtMs === undefined) return readInstant(row.recordedAt, 'recordedAt') as { ok: false; reason: string };
	let expiresAtMs: number | undefined;
	if (!isBlank(row.expiresAt)) {
		expiresAtMs = parseInstantFast(row.expiresAt);
		if (expiresAtMs === undefined) return readInstant(row.expiresAt, 'expiresAt') as { ok: false; reason: string };
	}
	const source = typeof row.source === 'string' ? normaliseKeyName(row.source) : '';
	const evidence = typeof row.evidence === 'string' ? row.evidence : '';
	const evidenceRef = typeof row.evidenceRef === 'string' ? row.evidenceRef : '';
	const storedId = keyText(row.recordId, (id) => id.trim());
	const recordId =
		storedId ||
		consentRecordId({
			subjectKey,
			channel,
			purpose,
			status,
			recordedAt: toIso(recordedAtMs),
			source: source as ConsentSource,
			evidenceRef,
			evidence,
		});
	return {
		ok: true,
		record: {
			recordId,
			subjectKey,
			channel,
			purpose,
			status,
			lawfulBasis: typeof row.lawfulBasis === 'string' ? normaliseKeyName(row.lawfulBasis) : '',
			source,
			hasEvidence: hasVisibleText(evidence) || hasVisibleText(evidenceRef),
			recordedAtMs,
			expiresAtMs,
			subjectKeyHashed: row.subjectKeyHashed === true || (typeof row.subjectKeyHashed === 'string' && normaliseKeyName(row.subjectKeyHashed) === 'true'),
		},
	};
}

/**
 * A key cell as normalised text: strings normalised, whole numbers that a number holds exactly as digits, else ''
 * (an IGSID stored as a number past 2^53 has lost digits: it could never match, so it is refused).
 */
function keyText(value: unknown, normalise: (text: string) => string): string {
	if (typeof value === 'string') return normalise(value);
	if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
	return '';
}

/** `sha256:<hex>` of a subject key (normalise it first: normaliseSubjectKey), the form erasure tombstones keep. */
export function hashSubjectKey(subjectKey: string): string {
	return 'sha256:' + createHash('sha256').update(subjectKey).digest('hex');
}

export function isBlank(value: unknown): boolean {
	return value === undefined || value === null || value === '';
}

function hasText(value: unknown): boolean {
	return typeof value === 'string' && value.trim() !== '';
}
