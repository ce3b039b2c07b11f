import { DEFAULT_GATE_FIELDS, type GateConfig } from '../../../nodes/core/consent/gate';
import { ConsentIndex } from '../../../nodes/core/consent/precedence';
import { readStoredConsent, type StoredConsent } from '../../../nodes/core/consent/record';

export const NOW = Date.parse('2026-03-10T12:00:00.000Z');
export const H = 3_600_000;
export const D = 24 * H;
export const iso = (ms: number): string => new Date(ms).toISOString();

export function stored(row: Record<string, unknown>): StoredConsent {
	const read = readStoredConsent({ channel: 'instagram_dm', purpose: 'marketing', lawfulBasis: 'consent', ...row });
	if (read.ok !== true) throw new Error(`bad test row: ${JSON.stringify(read)}`);
	return read.record;
}

export function indexOf(rows: Array<Record<string, unknown>>, nowMs = NOW): ConsentIndex {
	return new ConsentIndex(rows.map(stored), nowMs);
}

export function config(over: Partial<GateConfig> = {}): GateConfig {
	return {
		nowMs: NOW,
		defaultChannel: '',
		purpose: 'marketing',
		requireOptIn: false,
		humanAgent: false,
		windowMarginMs: 0,
		retentionDays: 0,
		caps: { perRun: 0, perHour: 0, perDay: 0 },
		fields: DEFAULT_GATE_FIELDS,
		...over,
	};
}
