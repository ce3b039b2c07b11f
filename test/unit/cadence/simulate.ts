import {
	CadenceRun,
	parseSequence,
	presetSequence,
	type CadenceDecision,
	type CadenceOptions,
	type CadenceSequenceInput,
	type PresetId,
} from '../../../nodes/core/cadence';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
export const iso = (ms: number): string => new Date(ms).toISOString();
export const at = (text: string): number => Date.parse(text);

export interface SimSend {
	at: number;
	step: number;
	variant: string;
	channel: string;
	message: string;
	key: string;
}

export interface Simulation {
	sends: SimSend[];
	last: CadenceDecision;
	decisions: number;
	state: Record<string, unknown>;
}

export interface SimSpec {
	sequence: PresetId | CadenceSequenceInput;
	options?: CadenceOptions;
	contactId?: string;
	state: Record<string, unknown>;
	variables?: Record<string, unknown>;
	start: number;
	/** Stop after this long even if not done (default 30 days). */
	horizon?: number;
	/** Run interval (default 5 minutes, like a Schedule Trigger). */
	every?: number;
	/** Changes other nodes make to the stored state when a run happens at or after `at`. */
	events?: Array<{
		at: number | ((sends: SimSend[]) => number | undefined);
		patch: Record<string, unknown>;
	}>;
}

/** Steps a contact through simulated time the way a polling dispatcher would, storing each output state. */
export function simulate(spec: SimSpec): Simulation {
	const sequence = parseSequence(
		typeof spec.sequence === 'string' ? presetSequence(spec.sequence) : spec.sequence,
	);
	const contactId = spec.contactId ?? 'viewer-1';
	let state: Record<string, unknown> = { ...spec.state };
	const sends: SimSend[] = [];
	const events = (spec.events ?? []).map((e) => ({ ...e, applied: false }));
	const every = spec.every ?? 5 * MIN;
	let last: CadenceDecision | undefined;
	let decisions = 0;
	for (let now = spec.start; now <= spec.start + (spec.horizon ?? 30 * DAY); now += every) {
		for (const event of events) {
			const when = typeof event.at === 'function' ? event.at(sends) : event.at;
			if (!event.applied && when !== undefined && when <= now) {
				state = { ...state, ...event.patch };
				event.applied = true;
			}
		}
		const run = new CadenceRun(sequence, spec.options ?? {}, now);
		last = run.decide({ contactId, state, variables: spec.variables });
		decisions += 1;
		if (last.kind === 'error') break;
		state = { ...state, ...last.state };
		if (last.kind === 'send') {
			sends.push({
				at: now,
				step: last.step,
				variant: last.variant,
				channel: last.channel,
				message: last.message,
				key: last.idempotencyKey,
			});
		}
		if (last.kind === 'done') break;
	}
	if (!last) throw new Error('simulation did not run');
	return { sends, last, decisions, state };
}

/** Local wall-clock hour and minute of an instant in a zone. */
export function localTime(
	ms: number,
	timeZone: string,
): { hour: number; minute: number; weekday: string } {
	const parts = new Intl.DateTimeFormat('en-GB', {
		timeZone,
		hour: '2-digit',
		minute: '2-digit',
		weekday: 'short',
		hourCycle: 'h23',
	}).formatToParts(new Date(ms));
	const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
	return { hour: Number(get('hour')), minute: Number(get('minute')), weekday: get('weekday') };
}
