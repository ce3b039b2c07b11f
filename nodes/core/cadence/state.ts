import { parseInstantFast } from '../time/instant';
import { formatIsoUtc, parseIsoUtc } from '../time/isoUtc';
import { DONE_REASONS, type DoneReason } from './model';

/**
 * The cadence state a contact carries between runs: store the `state` object of every output item (Data
 * table row, CRM fields…) and feed it back in. Times are ISO 8601 UTC strings; absent values are null.
 * Fields other nodes set: `lastInboundAt` (last message from the person), `repliedAt`, `optedOutAt`,
 * `convertedAt`, `stoppedAt` (manual stop), `timeZone`, `language`.
 */
export interface CadenceState {
	contactId: string;
	sequence: string;
	status: 'active' | 'done';
	/** Number of the last step sent (1-based); 0 before the first send. */
	currentStep: number;
	sentCount: number;
	enrolledAt: string;
	lastSentAt: string | null;
	/** When the contact next needs a decision (filter `nextDueAt <= now` to poll cheaply); null when done. */
	nextDueAt: string | null;
	lastStepId: string | null;
	lastVariant: string | null;
	lastInboundAt: string | null;
	repliedAt: string | null;
	optedOutAt: string | null;
	convertedAt: string | null;
	stoppedAt: string | null;
	doneReason: DoneReason | null;
	doneAt: string | null;
	timeZone: string | null;
	language: string | null;
}

export const STATE_FIELDS: ReadonlyArray<keyof CadenceState> = [
	'contactId',
	'sequence',
	'status',
	'currentStep',
	'sentCount',
	'enrolledAt',
	'lastSentAt',
	'nextDueAt',
	'lastStepId',
	'lastVariant',
	'lastInboundAt',
	'repliedAt',
	'optedOutAt',
	'convertedAt',
	'stoppedAt',
	'doneReason',
	'doneAt',
	'timeZone',
	'language',
];

/**
 * Epoch ms of a stored time: the schema's ISO shape is read directly, anything else (and an impossible date)
 * through the core's one reader; NaN when unreadable or out of range.
 */
export function readTime(value: unknown): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const ms = parseInstantFast(value);
	return ms === undefined ? Number.NaN : ms;
}

/** Shape check only (`….…T…Z`, 24 chars): such values pass through untouched. */
function looksCanonical(value: string): boolean {
	return value.length === 24 && value.charCodeAt(10) === 84 && value.charCodeAt(23) === 90;
}

/** A stop signal is set when it holds a date, `true`, or any other non-empty value. */
export function isSet(value: unknown): boolean {
	return value !== undefined && value !== null && value !== '' && value !== false && value !== 0;
}

export function readText(value: unknown): string | undefined {
	if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

export function readCount(value: unknown): number | undefined {
	const n =
		typeof value === 'number'
			? value
			: typeof value === 'string' && value.trim() !== ''
				? Number(value)
				: Number.NaN;
	return Number.isInteger(n) && n >= 0 ? n : undefined;
}

function timeOrNull(value: unknown): string | null {
	if (typeof value === 'string' && looksCanonical(value)) return value;
	const ms = readTime(value);
	if (ms === undefined) return null;
	if (Number.isNaN(ms)) return isSet(value) ? String(value) : null;
	return formatIsoUtc(ms);
}

export function readDoneReason(value: unknown): DoneReason | undefined {
	return typeof value === 'string' && (DONE_REASONS as readonly string[]).includes(value)
		? (value as DoneReason)
		: undefined;
}

/** The stored state as read, normalised to the canonical shape (times to ISO UTC). */
export function normaliseState(
	contactId: string,
	sequenceId: string,
	raw: Readonly<Record<string, unknown>>,
	enrolledAtMs: number,
): CadenceState {
	const currentStep = readCount(raw.currentStep) ?? 0;
	return {
		contactId,
		sequence: sequenceId,
		status: raw.status === 'done' ? 'done' : 'active',
		currentStep,
		sentCount: readCount(raw.sentCount) ?? currentStep,
		enrolledAt: timeOrNull(raw.enrolledAt) ?? formatIsoUtc(enrolledAtMs),
		lastSentAt: timeOrNull(raw.lastSentAt),
		nextDueAt: timeOrNull(raw.nextDueAt),
		lastStepId: readText(raw.lastStepId) ?? null,
		lastVariant: readText(raw.lastVariant) ?? null,
		lastInboundAt: timeOrNull(raw.lastInboundAt),
		repliedAt: timeOrNull(raw.repliedAt),
		optedOutAt: timeOrNull(raw.optedOutAt),
		convertedAt: timeOrNull(raw.convertedAt),
		stoppedAt: timeOrNull(raw.stoppedAt),
		doneReason: readDoneReason(raw.doneReason) ?? null,
		doneAt: timeOrNull(raw.doneAt),
		timeZone: readText(raw.timeZone) ?? null,
		language: readText(raw.language) ?? null,
	};
}

/**
 * Readable idempotency key: contact + sequence + enrolment + step, e.g. `1784:storyReplyWindow:20261122T100000Z:2`.
 * The enrolment part keeps a later re-enrolment from colliding with an earlier one.
 */
export function idempotencyKey(
	contactId: string,
	sequenceId: string,
	enrolledAtIso: string,
	enrolledAtMs: number,
	stepNumber: number,
): string {
	const s =
		parseIsoUtc(enrolledAtIso) === enrolledAtMs
			? enrolledAtIso
			: formatIsoUtc(enrolledAtMs);
	const compact =
		s.slice(0, 4) + s.slice(5, 7) + s.slice(8, 13) + s.slice(14, 16) + s.slice(17, 19) + 'Z';
	return `${contactId}:${sequenceId}:${compact}:${stepNumber}`;
}
