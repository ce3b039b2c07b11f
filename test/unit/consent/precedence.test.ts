import { beats } from '../../../nodes/core/consent/precedence';
import { D, H, NOW, indexOf, iso, stored } from './helpers';

const at = (offsetMs: number): string => iso(NOW + offsetMs);

describe('consent precedence', () => {
	it('the latest record per (subject, channel, purpose) wins, whatever the input order', () => {
		const rows = [
			{ recordId: 'cr_a', subjectKey: 's1', status: 'opt_in', recordedAt: at(-3 * D) },
			{ recordId: 'cr_b', subjectKey: 's1', status: 'opt_out', recordedAt: at(-2 * D) },
			{ recordId: 'cr_c', subjectKey: 's1', status: 'opt_in', recordedAt: at(-1 * D) },
		];
		for (const order of [rows, [...rows].reverse(), [rows[1], rows[2], rows[0]]]) {
			const winner = indexOf(order).lookup('s1', 'instagram_dm', 'marketing');
			expect(winner?.recordId).toBe('cr_c');
		}
	});

	it('an opt-out at the same instant as an opt-in wins, in both input orders', () => {
		const optIn = { recordId: 'cr_z', subjectKey: 's1', status: 'opt_in', recordedAt: at(-H) };
		const optOut = { recordId: 'cr_a', subjectKey: 's1', status: 'opt_out', recordedAt: at(-H) };
		expect(indexOf([optIn, optOut]).lookup('s1', 'instagram_dm', 'marketing')?.status).toBe('opt_out');
		expect(indexOf([optOut, optIn]).lookup('s1', 'instagram_dm', 'marketing')?.status).toBe('opt_out');
		expect(beats(stored(optOut), stored(optIn))).toBe(true);
		expect(beats(stored(optIn), stored(optOut))).toBe(false);
	});

	it('keys are separate: another channel or purpose does not decide this one', () => {
		const index = indexOf([
			{ recordId: 'cr_1', subjectKey: 's1', channel: 'email', status: 'opt_out', recordedAt: at(-H) },
			{ recordId: 'cr_2', subjectKey: 's1', purpose: 'newsletter', status: 'opt_out', recordedAt: at(-H) },
			{ recordId: 'cr_3', subjectKey: 's1', status: 'opt_in', recordedAt: at(-D) },
		]);
		expect(index.lookup('s1', 'instagram_dm', 'marketing')?.recordId).toBe('cr_3');
		expect(index.lookup('s1', 'email', 'marketing')?.status).toBe('opt_out');
		expect(index.lookup('s2', 'instagram_dm', 'marketing')).toBeUndefined();
	});

	it('a global opt-out (channel *) suppresses every channel until a later opt-in on a channel', () => {
		const index = indexOf([
			{ recordId: 'cr_1', subjectKey: 's1', status: 'opt_in', recordedAt: at(-3 * D) },
			{ recordId: 'cr_2', subjectKey: 's1', channel: '*', status: 'opt_out', recordedAt: at(-2 * D) },
			{ recordId: 'cr_3', subjectKey: 's1', channel: 'email', status: 'opt_in', recordedAt: at(-D) },
		]);
		expect(index.lookup('s1', 'instagram_dm', 'marketing')?.recordId).toBe('cr_2');
		expect(index.lookup('s1', 'sms', 'marketing')?.recordId).toBe('cr_2');
		expect(index.lookup('s1', 'email', 'marketing')?.recordId).toBe('cr_3');
	});

	it('purpose * covers every purpose', () => {
		const index = indexOf([
			{ recordId: 'cr_1', subjectKey: 's1', channel: '*', purpose: '*', status: 'opt_out', recordedAt: at(-D) },
		]);
		expect(index.state(index.lookup('s1', 'email', 'newsletter'))).toBe('opt_out');
	});

	it('ignores opt-ins recorded after now but never opt-outs', () => {
		const index = indexOf([
			{ recordId: 'cr_1', subjectKey: 's1', status: 'opt_in', recordedAt: at(-D) },
			{ recordId: 'cr_2', subjectKey: 's1', status: 'opt_in', recordedAt: at(+H) },
			{ recordId: 'cr_3', subjectKey: 's2', status: 'opt_out', recordedAt: at(+H) },
		]);
		expect(index.lookup('s1', 'instagram_dm', 'marketing')?.recordId).toBe('cr_1');
		expect(index.state(index.lookup('s2', 'instagram_dm', 'marketing'))).toBe('opt_out');
		expect(index.size).toBe(2);
	});

	it('an expired opt-in grants nothing (expired at exactly now)', () => {
		const index = indexOf([
			{ recordId: 'cr_1', subjectKey: 's1', status: 'opt_in', recordedAt: at(-D), expiresAt: at(0) },
			{ recordId: 'cr_2', subjectKey: 's2', status: 'opt_in', recordedAt: at(-D), expiresAt: at(1) },
		]);
		expect(index.state(index.lookup('s1', 'instagram_dm', 'marketing'))).toBe('expired');
		expect(index.state(index.lookup('s2', 'instagram_dm', 'marketing'))).toBe('opt_in');
	});

	it('separate consent needs an active opt-in with lawful basis consent', () => {
		const index = indexOf([
			{ recordId: 'cr_1', subjectKey: 's1', status: 'opt_in', recordedAt: at(-D) },
			{ recordId: 'cr_2', subjectKey: 's2', status: 'opt_in', lawfulBasis: 'legitimate_interest', recordedAt: at(-D) },
			{ recordId: 'cr_3', subjectKey: 's3', status: 'opt_in', recordedAt: at(-2 * D) },
			{ recordId: 'cr_4', subjectKey: 's3', channel: '*', status: 'opt_out', recordedAt: at(-D) },
		]);
		expect(index.subjectHasSeparateConsent('s1')).toBe(true);
		expect(index.subjectHasSeparateConsent('s2')).toBe(false);
		expect(index.subjectHasSeparateConsent('s3')).toBe(false);
		expect(index.subjectHasSeparateConsent('nobody')).toBe(false);
	});
});
