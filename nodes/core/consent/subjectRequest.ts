import { toIso } from '../time/instant';
import { subjectOf } from './purge';
import { buildConsentRecord, hashSubjectKey, looksLikeConsentRow, normaliseSubjectKey, type ConsentRecord } from './record';

export type RowKind = 'consent' | 'event' | 'other';

/** Consent rows carry a consent status; canonical events carry eventId and type; anything else is other. */
export function rowKind(row: Record<string, unknown>): RowKind {
	if (looksLikeConsentRow(row)) return 'consent';
	if (typeof row.eventId === 'string' && typeof row.type === 'string') return 'event';
	return 'other';
}

/**
 * True when one of the subject fields of the row holds the subject (or its `sha256:` form), compared normalised
 * (normaliseSubjectKey: case, NFC, invisible characters), as the gate matches them.
 */
export function belongsToSubject(row: Record<string, unknown>, subjectKey: string, fields: readonly string[]): boolean {
	const key = normaliseSubjectKey(subjectKey);
	const hashed = hashSubjectKey(key);
	const hashedAsGiven = hashSubjectKey(subjectKey.trim());
	for (const field of fields) {
		const value = row[field];
		const text = typeof value === 'string' ? normaliseSubjectKey(value) : typeof value === 'number' ? String(value) : '';
		if (text && (text === key || text === hashed || text === hashedAsGiven)) return true;
	}
	return false;
}

export interface AccessExport {
	subjectKey: string;
	requestType: 'access';
	generatedAt: string;
	counts: { consentRecords: number; events: number; otherRows: number };
	consentRecords: Array<Record<string, unknown>>;
	events: Array<Record<string, unknown>>;
	otherRows: Array<Record<string, unknown>>;
}

/** One export item with every stored row of the subject, grouped by kind (GDPR Art. 15). */
export function buildAccessExport(
	subjectKey: string,
	rows: ReadonlyArray<Record<string, unknown>>,
	nowMs: number,
): AccessExport {
	const out: AccessExport = {
		subjectKey,
		requestType: 'access',
		generatedAt: toIso(nowMs),
		counts: { consentRecords: 0, events: 0, otherRows: 0 },
		consentRecords: [],
		events: [],
		otherRows: [],
	};
	for (const row of rows) {
		const kind = rowKind(row);
		if (kind === 'consent') out.consentRecords.push(row);
		else if (kind === 'event') out.events.push(row);
		else out.otherRows.push(row);
	}
	out.counts = {
		consentRecords: out.consentRecords.length,
		events: out.events.length,
		otherRows: out.otherRows.length,
	};
	return out;
}

/**
 * The record kept after an erasure (GDPR Art. 17 with Art. 21 / ICO suppression guidance): a global opt-out
 * (channel `*`, purpose `*`) so the person is never contacted again once their data is gone. With `hash`,
 * the subject key is stored as `sha256:<hex>` (no identifier kept); the gate matches such tombstones.
 */
export function buildSuppressionRecord(subjectKey: string, nowMs: number, hash: boolean): ConsentRecord {
	const built = buildConsentRecord({
		subjectKey: hash ? hashSubjectKey(normaliseSubjectKey(subjectKey)) : subjectKey,
		channel: '*',
		purpose: '*',
		status: 'opt_out',
		lawfulBasis: 'legitimate_interest',
		recordedAt: nowMs,
		source: 'subject_request',
		evidence: 'Erasure request: personal data deleted, opt-out kept as a suppression record',
		subjectKeyHashed: hash,
	});
	if (!built.ok) throw new Error(built.reason);
	return built.record;
}

export { subjectOf };
