import {
	buildConsentRecord,
	consentRecordSchema,
	parseInstantFast,
	readStoredConsent,
	validateConsentRecord,
} from '../../../nodes/core/consent/record';

const base = {
	subjectKey: 'igsid_1',
	channel: 'instagram_dm',
	status: 'opt_in' as const,
	lawfulBasis: 'consent' as const,
	recordedAt: '2026-03-01T10:00:00Z',
	source: 'form' as const,
	evidence: 'Signup form v3',
};

describe('consent record', () => {
	it('builds a valid record with a deterministic id, UTC timestamps and the marketing default', () => {
		const a = buildConsentRecord(base);
		const b = buildConsentRecord({ ...base, recordedAt: '2026-03-01T11:00:00+01:00' });
		expect(a.ok && b.ok).toBe(true);
		if (!a.ok || !b.ok) return;
		expect(a.record).toEqual({
			recordId: expect.stringMatching(/^cr_[0-9a-f]{32}$/),
			subjectKey: 'igsid_1',
			channel: 'instagram_dm',
			purpose: 'marketing',
			status: 'opt_in',
			lawfulBasis: 'consent',
			recordedAt: '2026-03-01T10:00:00.000Z',
			source: 'form',
			evidence: 'Signup form v3',
		});
		expect(b.record.recordId).toBe(a.record.recordId);
		expect(consentRecordSchema.parse(a.record)).toEqual(a.record);
	});

	it('a different fact gets a different id', () => {
		const ids = new Set(
			[
				base,
				{ ...base, status: 'opt_out' as const },
				{ ...base, channel: 'email' },
				{ ...base, purpose: 'newsletter' },
				{ ...base, recordedAt: '2026-03-01T10:00:00.001Z' },
				{ ...base, evidenceRef: 'msg_1' },
			].map((input) => {
				const r = buildConsentRecord(input);
				return r.ok ? r.record.recordId : r.reason;
			}),
		);
		expect(ids.size).toBe(6);
	});

	it('rejects unreadable timestamps and bad enums with reasons naming the field', () => {
		expect(buildConsentRecord({ ...base, recordedAt: 'soon' })).toEqual({
			ok: false,
			reason: 'recordedAt: not a readable timestamp ("soon")',
		});
		expect(buildConsentRecord({ ...base, expiresAt: '31/02/2026' })).toMatchObject({ ok: false, reason: expect.stringContaining('expiresAt') });
		expect(buildConsentRecord({ ...base, subjectKey: ' ' })).toMatchObject({ ok: false, reason: expect.stringContaining('subjectKey') });
		expect(validateConsentRecord({ ...base, recordId: 'x', recordedAt: '2026-03-01T10:00:00.000Z', status: 'maybe' })).toMatchObject({
			ok: false,
			reason: expect.stringContaining('status'),
		});
	});

	it('reads stored rows leniently (nulls, Date objects, extra columns) and skips other rows', () => {
		const row = {
			id: 7,
			createdAt: new Date(),
			recordId: 'cr_1',
			subjectKey: 'igsid_1',
			channel: 'instagram_dm',
			purpose: null,
			status: 'opt_out',
			lawfulBasis: 'consent',
			recordedAt: new Date('2026-03-01T10:00:00Z'),
			expiresAt: null,
		};
		expect(readStoredConsent(row)).toEqual({
			ok: true,
			record: {
				recordId: 'cr_1',
				subjectKey: 'igsid_1',
				channel: 'instagram_dm',
				purpose: 'marketing',
				status: 'opt_out',
				lawfulBasis: 'consent',
				source: '',
				hasEvidence: false,
				recordedAtMs: Date.parse('2026-03-01T10:00:00Z'),
				expiresAtMs: undefined,
				subjectKeyHashed: false,
			},
		});
		expect(readStoredConsent({ viewerKey: 'x', sentAt: '2026-03-01T10:00:00Z' })).toEqual({ ok: 'skip' });
		expect(readStoredConsent({ ...row, recordedAt: 'n/a' })).toMatchObject({ ok: false, reason: expect.stringContaining('recordedAt') });
		expect(readStoredConsent({ ...row, channel: '' })).toMatchObject({ ok: false, reason: expect.stringContaining('channel') });
		expect(readStoredConsent({ recordId: 'cr_2', status: 'granted' })).toMatchObject({ ok: false, reason: expect.stringContaining('status') });
	});

	it('fast timestamp path agrees with Date.parse and rejects impossible dates', () => {
		for (const text of ['2026-03-01T10:00:00.123Z', '2024-02-29T23:59:59Z', '2000-01-01T00:00:00.000Z']) {
			expect(parseInstantFast(text)).toBe(Date.parse(text));
		}
		expect(parseInstantFast('1999-12-31T23:59:59.999Z')).toBeUndefined();
		expect(parseInstantFast('2026-02-29T00:00:00.000Z')).toBeUndefined();
		expect(parseInstantFast('2026-13-01T00:00:00.000Z')).toBeUndefined();
		expect(parseInstantFast('2026-03-01 10:00')).toBe(Date.parse('2026-03-01T10:00:00Z'));
	});
});

describe('fast timestamp path over many dates', () => {
	it('matches Date.parse from 2000 to 2100 and refuses 1900 to 1999 (every 9 days and 7 hours)', () => {
		const step = 9 * 86_400_000 + 7 * 3_600_000 + 123;
		let checked = 0;
		for (let ms = Date.parse('1900-01-01T00:00:00Z'); ms < Date.parse('2100-12-31T00:00:00Z'); ms += step) {
			const text = new Date(ms).toISOString();
			expect(parseInstantFast(text)).toBe(ms >= Date.parse('2000-01-01T00:00:00Z') ? ms : undefined);
			checked++;
		}
		expect(checked).toBeGreaterThan(7000);
	});
});
