import { z } from 'zod';
import type { ClickTracking } from './clickToken';
import type { UtmSettings } from './links';

/** Channels the scheduler knows; any other machine name is accepted as a channel without a window. */
export const KNOWN_CHANNELS = ['instagram_dm', 'messenger', 'whatsapp', 'email', 'sms'] as const;

/** Channels that only allow automated messages within a window after the person's last message (hours). */
export const DEFAULT_CHANNEL_WINDOWS: Readonly<Record<string, number>> = {
	instagram_dm: 24,
	messenger: 24,
	whatsapp: 24,
};

/** Hard message-length limits per channel (characters; for channels in BYTE_LIMITED_CHANNELS, UTF-8 bytes). */
export const DEFAULT_LENGTH_LIMITS: Readonly<Record<string, number>> = {
	instagram_dm: 1000,
	messenger: 2000,
	whatsapp: 4096,
};

/** Channels whose limit Meta counts in UTF-8 bytes: Instagram's Send API takes at most 1,000 bytes of text. */
export const BYTE_LIMITED_CHANNELS: readonly string[] = ['instagram_dm'];

export const DELAY_UNITS = ['minutes', 'hours', 'days'] as const;
export type DelayUnit = (typeof DELAY_UNITS)[number];

export const DONE_REASONS = [
	'replied',
	'opted_out',
	'exhausted',
	'window_closed',
	'converted',
	'manual_stop',
	'template_error',
] as const;
export type DoneReason = (typeof DONE_REASONS)[number];

export const WAIT_REASONS = [
	'not_due',
	'quiet_hours',
	'non_business_day',
	'run_cap',
	'already_sent_this_run',
] as const;
export type WaitReason = (typeof WAIT_REASONS)[number];

const delaySchema = z
	.object({
		/** Fixed delay, or the lower bound of a range. Minutes and hours are elapsed time; days are calendar days in the contact's zone. */
		min: z.number().finite().min(0),
		/** Upper bound of a range (inclusive); absent or equal to `min` for a fixed delay. */
		max: z.number().finite().min(0).optional(),
		unit: z.enum(DELAY_UNITS),
	})
	.refine((d) => d.max === undefined || d.max >= d.min, { message: 'max must be at least min' });

export const stepSchema = z.object({
	/** Machine name of the step (default `step<n>`). */
	id: z.string().min(1).optional(),
	/** Delay after the previous send (after enrolment for the first step). */
	delay: delaySchema,
	channel: z.string().min(1),
	/** Message templates: one per A/B variant (A, B, C…). */
	variants: z.array(z.string().min(1)).min(1),
	/** For windowed channels: when the step would land outside the window, send it earlier inside the window. */
	allowEarlier: z.boolean().optional(),
	/** Whether quiet hours and business days apply to this step (default true). */
	quietHours: z.boolean().optional(),
});
export type CadenceStepInput = z.input<typeof stepSchema>;

export const sequenceSchema = z.object({
	id: z
		.string()
		.min(1)
		.regex(/^[A-Za-z0-9_.-]+$/, 'use letters, digits, "_", "-" or "." only'),
	steps: z.array(stepSchema).min(1),
	/** Channel to hand the contact to when a windowed step can no longer be sent (Done `window_closed`). */
	handoffChannel: z.string().min(1).optional(),
	/** Wait after the last send before the contact is Done `exhausted` (gives them time to reply). */
	completeAfter: delaySchema.optional(),
	/** Where an exhausted contact goes next, e.g. `nurture` (returned as `moveTo`). */
	moveToOnExhausted: z.string().min(1).optional(),
	/** Stop when `convertedAt` is set (default true). */
	stopOnConversion: z.boolean().optional(),
});
export type CadenceSequenceInput = z.input<typeof sequenceSchema>;

export interface StepDelay {
	min: number;
	max?: number;
	unit: DelayUnit;
}

export interface CadenceStep {
	id: string;
	delay: StepDelay;
	channel: string;
	variants: string[];
	allowEarlier: boolean;
	quietHours: boolean;
}

export interface CadenceSequence {
	id: string;
	steps: CadenceStep[];
	handoffChannel?: string;
	completeAfter?: StepDelay;
	moveToOnExhausted?: string;
	stopOnConversion: boolean;
}

/** Validates a sequence definition; the error names the failing fields. */
export function parseSequence(value: unknown): CadenceSequence {
	const result = sequenceSchema.safeParse(value);
	if (!result.success) {
		const reason = result.error.issues
			.map((i) => `${i.path.join('.') || 'sequence'}: ${i.message}`)
			.join('; ');
		throw new Error(`Invalid cadence sequence: ${reason}`);
	}
	const s = result.data;
	return {
		id: s.id,
		steps: s.steps.map((step, index) => ({
			id: step.id ?? `step${index + 1}`,
			delay: step.delay,
			channel: step.channel,
			variants: step.variants,
			allowEarlier: step.allowEarlier ?? false,
			quietHours: step.quietHours ?? true,
		})),
		handoffChannel: s.handoffChannel,
		completeAfter: s.completeAfter,
		moveToOnExhausted: s.moveToOnExhausted,
		stopOnConversion: s.stopOnConversion ?? true,
	};
}

/** Quiet hours in minutes of the local day: [start, end), wrapping midnight when start > end. */
export interface QuietHours {
	startMinute: number;
	endMinute: number;
}

export interface CadenceOptions {
	/** Quiet hours in the contact's zone (default 21:00–08:00); null disables them. */
	quietHours?: QuietHours | null;
	/** Allowed weekdays (0 = Sunday … 6 = Saturday); null or absent = every day. */
	businessDays?: readonly number[] | null;
	/** Zone used when a contact has none or an unknown one (the account's zone). */
	defaultTimeZone?: string;
	/** Upper bound of the per-contact jitter added to delayed and deferred steps (default 15). */
	jitterMinutes?: number;
	/** Planning margin before a channel window closes (default 30), so a polling run does not miss it. */
	windowMarginMinutes?: number;
	/** Channel → window hours; merged over DEFAULT_CHANNEL_WINDOWS. */
	channelWindows?: Readonly<Record<string, number>>;
	/** Channel → max characters; merged over DEFAULT_LENGTH_LIMITS. */
	lengthLimits?: Readonly<Record<string, number>>;
	/** Append the opt-out sentence when a message lacks one (default true). */
	appendOptOut?: boolean;
	/** Language → opt-out sentence; merged over DEFAULT_OPT_OUT_SENTENCES. */
	optOutSentences?: Readonly<Record<string, string>>;
	/** Language used when the contact has none (default `en`). */
	defaultLanguage?: string;
	/** A contact without state starts the sequence now (default false: it is an error). */
	autoEnrol?: boolean;
	/** Max Send-now decisions in one run; 0 = no cap (default). */
	perRunCap?: number;
	/** UTM parameters added to the links of every message; null or absent = links left as written. */
	utm?: UtmSettings | null;
	/**
	 * With UTM tracking on: each tagged link goes through the click redirect (`<baseUrl>/<signed token>`), so a click
	 * is stored for the contact and the send. null or absent = links go straight to the site.
	 */
	clickTracking?: ClickTracking | null;
}

export const DEFAULT_QUIET_HOURS: QuietHours = { startMinute: 21 * 60, endMinute: 8 * 60 };

/** Reads `HH:MM` (24 h) into minutes of the day, or undefined. */
export function parseClock(text: string): number | undefined {
	const match = /^\s*(\d{1,2}):(\d{2})\s*$/.exec(text);
	if (!match) return undefined;
	const hours = Number(match[1]);
	const minutes = Number(match[2]);
	if (hours > 24 || minutes > 59 || (hours === 24 && minutes > 0)) return undefined;
	return hours * 60 + minutes;
}
