import { purgeDecision } from '../../../nodes/core/consent/purge';
import { hashSubjectKey, readStoredConsent } from '../../../nodes/core/consent/record';
import {
	belongsToSubject,
	buildAccessExport,
	buildSuppressionRecord,
	rowKind,
} from '../../../nodes/core/consent/subjectRequest';
import { ConsentIndex } from '../../../nodes/core/consent/precedence';
import { D, NOW, indexOf, iso } from './helpers';

const purgeCfg = {
	nowMs: NOW,
	retentionDays: 90,
	subjectFields: ['viewerKey', 'subjectKey'],
	timestampFields: ['occurredAt', 'lastSeenAt'],
};

describe('purge', () => {
	const index = indexOf([
		{ recordId: 'cr_1', subjectKey: 'kept', status: 'opt_in', recordedAt: iso(NOW - 200 * D) },
		{ recordId: 'cr_2', subjectKey: 'li', status: 'opt_in', lawfulBasis: 'legitimate_interest', recordedAt: iso(NOW - 200 * D) },
	]);
	it.each([
		[{ viewerKey: 'x', occurredAt: iso(NOW - 90 * D + 1) }, { action: 'keep', reason: 'within_retention', ageDays: 89 }],
		[{ viewerKey: 'x', occurredAt: iso(NOW - 90 * D) }, { action: 'delete', reason: 'retention_expired', ageDays: 90 }],
		[{ viewerKey: 'x', lastSeenAt: iso(NOW - 400 * D) }, { action: 'delete', reason: 'retention_expired', ageDays: 400 }],
		[{ viewerKey: 'kept', occurredAt: iso(NOW - 400 * D) }, { action: 'keep', reason: 'separate_consent', ageDays: 400 }],
		[{ viewerKey: 'li', occurredAt: iso(NOW - 400 * D) }, { action: 'delete', reason: 'retention_expired', ageDays: 400 }],
		[{ subjectKey: 'x', status: 'opt_out', recordedAt: iso(NOW - 900 * D) }, { action: 'keep', reason: 'consent_record' }],
		[{ viewerKey: 'x' }, { action: 'keep', reason: 'no_timestamp' }],
		[{ occurredAt: iso(NOW - 400 * D) }, { action: 'delete', reason: 'retention_expired', ageDays: 400 }],
	])('%j → %j', (row, expected) => {
		expect(purgeDecision(row, index, purgeCfg)).toEqual(expected);
	});

	it('an unreadable timestamp is invalid, naming the field', () => {
		expect(purgeDecision({ viewerKey: 'x', occurredAt: 'last year' }, index, purgeCfg)).toEqual({
			action: 'invalid',
			detail: 'Field "occurredAt" is not a readable timestamp ("last year")',
		});
	});
});

describe('subject request', () => {
	const rows = [
		{ eventId: 'ev_1', type: 'story_reply', viewerKey: 'v1' },
		{ recordId: 'cr_1', subjectKey: 'v1', status: 'opt_in' },
		{ viewerKey: 'v1', step: 2, nextAt: '2026-03-11T00:00:00.000Z' },
		{ subjectKey: hashSubjectKey('v1'), status: 'opt_out', recordId: 'cr_t' },
		{ viewerKey: 'v2', eventId: 'ev_2', type: 'message' },
	];
	it('finds the subject in any subject field, also in its hashed form', () => {
		expect(rows.map((r) => belongsToSubject(r, 'v1', ['viewerKey', 'subjectKey']))).toEqual([true, true, true, true, false]);
		expect(rows.map(rowKind)).toEqual(['event', 'consent', 'other', 'consent', 'event']);
	});

	it('access export groups the rows', () => {
		const out = buildAccessExport('v1', rows.slice(0, 4), NOW);
		expect(out).toEqual({
			subjectKey: 'v1',
			requestType: 'access',
			generatedAt: iso(NOW),
			counts: { consentRecords: 2, events: 1, otherRows: 1 },
			consentRecords: [rows[1], rows[3]],
			events: [rows[0]],
			otherRows: [rows[2]],
		});
	});

	it('erasure keeps a global opt-out, hashed or as given, that the gate honours', () => {
		const hashed = buildSuppressionRecord('v1', NOW, true);
		expect(hashed).toMatchObject({
			subjectKey: hashSubjectKey('v1'),
			channel: '*',
			purpose: '*',
			status: 'opt_out',
			source: 'subject_request',
			recordedAt: iso(NOW),
			subjectKeyHashed: true,
		});
		expect(JSON.stringify(hashed)).not.toContain('"v1"');
		expect(buildSuppressionRecord('v1', NOW, true).recordId).toBe(hashed.recordId);
		const plain = buildSuppressionRecord('v1', NOW, false);
		expect(plain.subjectKey).toBe('v1');
		for (const record of [hashed, plain]) {
			const read = readStoredConsent(record);
			if (read.ok !== true) throw new Error('unreadable');
			const index = new ConsentIndex([read.record], NOW);
			expect(index.state(index.lookup('v1', 'email', 'newsletter'))).toBe('opt_out');
		}
	});
});
