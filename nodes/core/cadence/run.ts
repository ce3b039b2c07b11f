import { HOUR_MS, MINUTE_MS } from '../time/instant';
import { formatIsoUtc as toIso } from '../time/isoUtc';
import {
	ZoneClock,
	ZoneClocks,
	blockedReason,
	businessDayMask,
	latestAllowed,
	nextAllowed,
	type SendingRules,
} from './clock';
import { SALT, hashString, mixHash } from './hash';
import { signClickToken, trackedLink, type ClickTracking } from './clickToken';
import { tagLinks, utmParameters, type UtmSettings } from './links';
import { utf8Bytes } from '../messaging/dm';
import {
	DEFAULT_CHANNEL_WINDOWS,
	DEFAULT_LENGTH_LIMITS,
	BYTE_LIMITED_CHANNELS,
	DEFAULT_QUIET_HOURS,
	type CadenceOptions,
	type CadenceSequence,
	type CadenceStep,
	type DoneReason,
	type StepDelay,
	type WaitReason,
} from './model';
import {
	isSet,
	idempotencyKey,
	normaliseState,
	readDoneReason,
	readText,
	readTime,
	type CadenceState,
} from './state';
import {
	DEFAULT_OPT_OUT_SENTENCES,
	compileTemplate,
	hasOptOut,
	languageOf,
	renderTemplate,
	type CompiledTemplate,
} from './template';

/** One contact as the scheduler reads it. */
export interface CadenceContact {
	/** Stable id of the person (IGSID, viewerKey, CRM id). */
	contactId: string;
	/** Stored cadence state (canonical field names); empty or without `enrolledAt` = not enrolled yet. */
	state?: Readonly<Record<string, unknown>>;
	/** Template variables (`name`, `storyTopic`…); state fields are variables too. */
	variables?: Readonly<Record<string, unknown>>;
}

interface Common {
	contactId: string;
	state: CadenceState;
	warnings: string[];
}

export interface SendDecision extends Common {
	kind: 'send';
	/** 1-based step number. */
	step: number;
	stepId: string;
	channel: string;
	message: string;
	variant: string;
	idempotencyKey: string;
	/** When the step was planned (may be earlier than now when the run is late). */
	dueAt: string;
	/** With link tracking on: the campaign and content values put on the links, for the send log. */
	utm?: { campaign: string; content: string };
	/** With link tracking on: every link that got UTM parameters, as sent. */
	links?: string[];
}

export interface WaitDecision extends Common {
	kind: 'wait';
	nextDueAt: string;
	waitReason: WaitReason;
	/** 1-based number of the step waited for; steps + 1 while waiting to declare the contact exhausted. */
	nextStep: number;
}

export interface DoneDecision extends Common {
	kind: 'done';
	reason: DoneReason;
	reasonText: string;
	handoffChannel?: string;
	moveTo?: string;
}

/** Configuration-level problem with one item (missing state without auto-enrol, foreign sequence, bad date). */
export interface ErrorDecision {
	kind: 'error';
	contactId: string;
	message: string;
	description: string;
}

export type CadenceDecision = SendDecision | WaitDecision | DoneDecision | ErrorDecision;

interface CompiledStep extends CadenceStep {
	templates: CompiledTemplate[];
	windowMs: number;
	lengthLimit: number;
}

/** A due time, or why the step can no longer be sent and when that becomes final (the window's end). */
type Plan = { at: number; deferredBy: WaitReason | null } | { closed: string; closesAt?: number };

const NO_RULES: SendingRules = { quietHours: null, businessDayMask: 0x7f };
const VARIANT_LABELS = 'ABCDEFGHIJ';

/**
 * One scheduler run over many contacts at a fixed `now`. Keeps per-run caches (zone offsets) and the
 * run rules: at most one send per contact, and the optional per-run cap. Never reads the clock.
 */
export class CadenceRun {
	readonly now: number;
	private readonly nowIso: string;
	private readonly steps: CompiledStep[];
	private readonly rules: SendingRules;
	private readonly clocks: ZoneClocks;
	private readonly jitterMinutes: number;
	private readonly marginMs: number;
	private readonly minGapMs: number;
	private readonly optOutSentences: Record<string, string>;
	private readonly defaultLanguage: string;
	private readonly appendOptOut: boolean;
	private readonly autoEnrol: boolean;
	private readonly perRunCap: number;
	private readonly utm: UtmSettings | null;
	private readonly clickTracking: ClickTracking | null;
	private readonly sentThisRun = new Set<string>();
	private readonly sequenceHash: number;
	private readonly sentenceByTag = new Map<string, string>();
	private readonly optOutByTemplate = new Map<string, boolean>();
	private sends = 0;

	constructor(
		readonly sequence: CadenceSequence,
		options: CadenceOptions,
		now: number,
	) {
		this.now = now;
		this.sequenceHash = hashString(sequence.id);
		this.nowIso = toIso(now);
		const windows = { ...DEFAULT_CHANNEL_WINDOWS, ...(options.channelWindows ?? {}) };
		const limits = { ...DEFAULT_LENGTH_LIMITS, ...(options.lengthLimits ?? {}) };
		this.steps = sequence.steps.map((step) => ({
			...step,
			templates: step.variants.map(compileTemplate),
			windowMs: (windows[step.channel] ?? 0) * HOUR_MS,
			lengthLimit: limits[step.channel] ?? 0,
		}));
		this.rules = {
			quietHours: options.quietHours === undefined ? DEFAULT_QUIET_HOURS : options.quietHours,
			businessDayMask: businessDayMask(options.businessDays),
		};
		this.clocks = new ZoneClocks(new ZoneClock(options.defaultTimeZone || 'UTC'));
		this.jitterMinutes = Math.max(0, Math.floor(options.jitterMinutes ?? 15));
		this.marginMs = Math.max(0, options.windowMarginMinutes ?? 30) * MINUTE_MS;
		this.minGapMs = 15 * MINUTE_MS;
		this.optOutSentences = { ...DEFAULT_OPT_OUT_SENTENCES, ...(options.optOutSentences ?? {}) };
		this.defaultLanguage = options.defaultLanguage || 'en';
		this.appendOptOut = options.appendOptOut ?? true;
		this.autoEnrol = options.autoEnrol ?? false;
		this.perRunCap = Math.max(0, Math.floor(options.perRunCap ?? 0));
		this.utm = options.utm ?? null;
		this.clickTracking = options.clickTracking ?? null;
	}

	decide(contact: CadenceContact): CadenceDecision {
		const raw = contact.state ?? {};
		const contactId = contact.contactId;
		const sequenceId = this.sequence.id;
		const storedSequence = readText(raw.sequence);
		if (storedSequence !== undefined && storedSequence !== sequenceId) {
			return error(
				contactId,
				`is enrolled in sequence "${storedSequence}", not "${sequenceId}"`,
				'Route each sequence to its own Cadence Scheduler, or clear the stored state to re-enrol.',
			);
		}
		let enrolledAt = readTime(raw.enrolledAt);
		if (enrolledAt === undefined) {
			if (!this.autoEnrol) {
				return error(
					contactId,
					'has no cadence state (enrolledAt is empty)',
					'Feed the stored state with the contact, or turn on "Auto-Enrol" to start new contacts now.',
				);
			}
			enrolledAt = this.now;
		} else if (Number.isNaN(enrolledAt)) {
			return error(
				contactId,
				`has an unreadable enrolledAt "${String(raw.enrolledAt)}"`,
				'Store enrolledAt as ISO 8601, e.g. 2026-11-22T10:00:00.000Z.',
			);
		}
		const warnings: string[] = [];
		const state = normaliseState(contactId, sequenceId, raw, enrolledAt);
		const clock = this.clockFor(state.timeZone, warnings);

		if (state.status === 'done') {
			const reason = readDoneReason(raw.doneReason) ?? 'manual_stop';
			return {
				kind: 'done',
				contactId,
				reason,
				reasonText: `Already done (${reason}).`,
				state: Object.assign(state, { nextDueAt: null }),
				warnings,
			};
		}
		const inbound = readTime(raw.lastInboundAt);
		const stop = this.stopReason(raw, enrolledAt, inbound);
		if (stop) return this.done(state, warnings, stop[0], stop[1]);

		const stepIndex = state.currentStep;
		// A stored nextDueAt still in the future is honoured as-is (it is what the last run planned, or a manual
		// snooze): the contact waits without re-planning; the schedule is recomputed once it has passed.
		const storedDue = state.nextDueAt === null ? undefined : readTime(state.nextDueAt);
		if (storedDue !== undefined && storedDue > this.now) {
			return this.wait(
				state,
				warnings,
				storedDue,
				'not_due',
				Math.min(stepIndex, this.steps.length) + 1,
				state.nextDueAt,
			);
		}
		const base = stepIndex === 0 ? enrolledAt : (readTime(state.lastSentAt) ?? enrolledAt);
		if (stepIndex >= this.steps.length) {
			const completeAt = this.addDelay(clock, base, this.sequence.completeAfter, 0);
			if (completeAt > this.now)
				return this.wait(state, warnings, completeAt, 'not_due', this.steps.length + 1);
			const extra = this.sequence.moveToOnExhausted
				? { moveTo: this.sequence.moveToOnExhausted }
				: {};
			return this.done(
				state,
				warnings,
				'exhausted',
				`All ${this.steps.length} steps sent without a reply.`,
				extra,
			);
		}
		const step = this.steps[stepIndex];
		if (step.windowMs > 0 && inbound !== undefined && this.now >= inbound + step.windowMs) {
			// Fast path: the window is over, nothing to plan (same result as planning).
			return this.windowClosed(state, warnings, this.closedText(step, inbound + step.windowMs));
		}
		const hash = mixHash(hashString(contactId), this.sequenceHash);
		const plan = this.plan(stepIndex, base, inbound, clock, hash);
		if ('closed' in plan) {
			// Keep the contact until the window really closes: a reply before then still ends it as `replied`.
			if (plan.closesAt !== undefined && plan.closesAt > this.now) {
				return this.wait(state, warnings, plan.closesAt, 'not_due', stepIndex + 1);
			}
			return this.windowClosed(state, warnings, plan.closed);
		}
		if (plan.at > this.now)
			return this.wait(state, warnings, plan.at, plan.deferredBy ?? 'not_due', stepIndex + 1);
		if (this.sentThisRun.has(contactId))
			return this.wait(state, warnings, plan.at, 'already_sent_this_run', stepIndex + 1);
		if (this.perRunCap > 0 && this.sends >= this.perRunCap)
			return this.wait(state, warnings, plan.at, 'run_cap', stepIndex + 1);
		return this.send(contact, state, warnings, stepIndex, plan.at, enrolledAt, clock, hash);
	}

	/** The opt-out sentence for a contact's language (cached per language tag). */
	private optOutSentence(language: string | null): string {
		const tag = language ?? this.defaultLanguage;
		let sentence = this.sentenceByTag.get(tag);
		if (sentence === undefined) {
			sentence =
				this.optOutSentences[languageOf(tag)] ??
				this.optOutSentences[this.defaultLanguage] ??
				DEFAULT_OPT_OUT_SENTENCES.en;
			this.sentenceByTag.set(tag, sentence);
		}
		return sentence;
	}

	/** Whether the template text itself already tells people how to opt out (decided once per variant and sentence). */
	private templateHasOptOut(stepIndex: number, variantIndex: number, sentence: string): boolean {
		const key = `${stepIndex}:${variantIndex}:${sentence}`;
		let has = this.optOutByTemplate.get(key);
		if (has === undefined) {
			has = hasOptOut(this.steps[stepIndex].variants[variantIndex], sentence);
			this.optOutByTemplate.set(key, has);
		}
		return has;
	}

	private clockFor(timeZone: string | null, warnings: string[]): ZoneClock {
		if (timeZone === null) return this.clocks.defaultZone;
		const clock = this.clocks.get(timeZone);
		if (clock) return clock;
		warnings.push(`Unknown time zone "${timeZone}"; used ${this.clocks.defaultZone.timeZone}.`);
		return this.clocks.defaultZone;
	}

	private stopReason(
		raw: Readonly<Record<string, unknown>>,
		enrolledAt: number,
		inbound: number | undefined,
	): [DoneReason, string] | undefined {
		if (isSet(raw.optedOutAt)) return ['opted_out', 'The contact opted out.'];
		if (this.sequence.stopOnConversion && isSet(raw.convertedAt))
			return ['converted', 'The contact converted.'];
		const replied = readTime(raw.repliedAt);
		if (replied !== undefined && (Number.isNaN(replied) || replied > enrolledAt)) {
			return ['replied', 'The contact replied after enrolment.'];
		}
		if (inbound !== undefined && !Number.isNaN(inbound) && inbound > enrolledAt) {
			return ['replied', 'The contact sent a message after enrolment.'];
		}
		if (isSet(raw.stoppedAt)) return ['manual_stop', 'The sequence was stopped by hand.'];
		return undefined;
	}

	/** When step `index` is due, or why it can no longer be sent. */
	private plan(
		index: number,
		base: number,
		lastInbound: number | undefined,
		clock: ZoneClock,
		hash: number,
	): Plan {
		const step = this.steps[index];
		const rules = step.quietHours ? this.rules : NO_RULES;
		const delayed = step.delay.min > 0 || (step.delay.max ?? 0) > 0;
		const raw = this.addDelay(clock, base, step.delay, mixHash(hash, SALT.range * 64 + index));
		const jitter =
			this.jitterMinutes === 0
				? 0
				: (mixHash(hash, SALT.jitter * 64 + index) % (this.jitterMinutes + 1)) * MINUTE_MS;
		let planned = this.deferred(clock, delayed ? raw + jitter : raw, rules, jitter);
		if (planned.at <= this.now) {
			// Due (or late): it goes out now unless now itself is blocked.
			const block = blockedReason(clock, this.now, rules);
			if (block === null) planned = { at: planned.at, deferredBy: null };
			else planned = this.deferred(clock, this.now, rules, jitter);
		}
		if (step.windowMs === 0) return planned;
		return this.fitWindow(step, planned, base, lastInbound, clock, rules);
	}

	private deferred(
		clock: ZoneClock,
		at: number,
		rules: SendingRules,
		jitter: number,
	): { at: number; deferredBy: WaitReason | null } {
		const next = nextAllowed(clock, at, rules);
		if (next.deferredBy === null) return { at, deferredBy: null };
		const jittered = next.instantMs + jitter;
		const ok = blockedReason(clock, jittered, rules) === null;
		return { at: ok ? jittered : next.instantMs, deferredBy: next.deferredBy };
	}

	private closedText(step: CompiledStep, windowEnd: number): string {
		return `The ${step.windowMs / HOUR_MS} h window after the last inbound message closed at ${toIso(windowEnd)}.`;
	}

	private fitWindow(
		step: CompiledStep,
		planned: { at: number; deferredBy: WaitReason | null },
		base: number,
		lastInbound: number | undefined,
		clock: ZoneClock,
		rules: SendingRules,
	): Plan {
		const hours = step.windowMs / HOUR_MS;
		if (lastInbound === undefined || Number.isNaN(lastInbound)) {
			return {
				closed: `No inbound message on record; ${step.channel} allows automated messages only within ${hours} h of the person's last message.`,
			};
		}
		const windowEnd = lastInbound + step.windowMs;
		const latest = windowEnd - this.marginMs;
		const due = planned.at <= this.now;
		if (due ? this.now < windowEnd : planned.at <= latest) return planned;
		const closed = { closed: this.closedText(step, windowEnd), closesAt: windowEnd };
		if (!step.allowEarlier || this.now >= windowEnd) return closed;
		const earliest = Math.max(this.now, base + this.minGapMs);
		const pulled = latestAllowed(clock, latest, rules);
		if (pulled !== undefined && pulled >= earliest) return { at: pulled, deferredBy: null };
		if (this.now >= base + this.minGapMs && blockedReason(clock, this.now, rules) === null)
			return { at: this.now, deferredBy: null };
		return closed;
	}

	/** base + delay: minutes and hours as elapsed time, days as calendar days in the contact's zone; ranges resolved by hash. */
	private addDelay(
		clock: ZoneClock,
		base: number,
		delay: StepDelay | undefined,
		draw: number,
	): number {
		if (!delay) return base;
		const unitMinutes = delay.unit === 'minutes' ? 1 : delay.unit === 'hours' ? 60 : 1440;
		const lo = Math.round(delay.min * unitMinutes);
		const hi = Math.max(lo, Math.round((delay.max ?? delay.min) * unitMinutes));
		const minutes = hi === lo ? lo : lo + (draw % (hi - lo + 1));
		if (delay.unit !== 'days') return base + minutes * MINUTE_MS;
		const days = Math.floor(minutes / 1440);
		return (
			(days === 0 ? base : clock.addCalendarDays(base, days)) + (minutes - days * 1440) * MINUTE_MS
		);
	}

	private send(
		contact: CadenceContact,
		state: CadenceState,
		warnings: string[],
		index: number,
		dueAt: number,
		enrolledAt: number,
		clock: ZoneClock,
		hash: number,
	): CadenceDecision {
		const step = this.steps[index];
		const variantIndex =
			step.templates.length === 1
				? 0
				: mixHash(hash, SALT.variant * 64 + index) % step.templates.length;
		const variant = VARIANT_LABELS[variantIndex] ?? String(variantIndex + 1);
		const rendered = renderTemplate(step.templates[variantIndex], (path) =>
			lookup(contact, state, path),
		);
		if (!rendered.ok) {
			return this.done(
				state,
				warnings,
				'template_error',
				`Step ${index + 1} variant ${variant}: no value for ${rendered.missing.join(', ')} and no fallback.`,
			);
		}
		let message = rendered.text;
		let attribution: Pick<SendDecision, 'utm' | 'links'> = {};
		const sendKey = idempotencyKey(
			contact.contactId,
			this.sequence.id,
			state.enrolledAt,
			enrolledAt,
			index + 1,
		);
		if (this.utm) {
			const context = { sequence: this.sequence.id, stepId: step.id, variant };
			const tracking = this.clickTracking;
			const wrap = tracking
				? (url: string) =>
						trackedLink(
							tracking.baseUrl,
							signClickToken({ url, contactKey: contact.contactId, sendKey }, tracking.secret),
						)
				: undefined;
			const links = tagLinks(message, this.utm, context, wrap);
			const values = Object.fromEntries(utmParameters(this.utm, context));
			message = links.text;
			attribution = {
				utm: { campaign: values.utm_campaign ?? '', content: values.utm_content ?? '' },
				links: links.tagged,
			};
		}
		if (this.appendOptOut) {
			const sentence = this.optOutSentence(state.language);
			if (!this.templateHasOptOut(index, variantIndex, sentence))
				message = `${message.trimEnd()}\n\n${sentence}`;
		}
		const inBytes = BYTE_LIMITED_CHANNELS.includes(step.channel);
		const length = inBytes ? utf8Bytes(message) : message.length;
		if (step.lengthLimit > 0 && length > step.lengthLimit) {
			const unit = inBytes ? `bytes in UTF-8 (${Array.from(message).length} characters)` : 'characters';
			return this.done(
				state,
				warnings,
				'template_error',
				`Step ${index + 1} variant ${variant}: the message has ${length} ${unit}; ${step.channel} allows ${step.lengthLimit}${inBytes ? ' bytes' : ''}.`,
			);
		}
		this.sentThisRun.add(contact.contactId);
		this.sends += 1;
		const sent: CadenceState = {
			...state,
			currentStep: index + 1,
			sentCount: state.sentCount + 1,
			lastSentAt: this.nowIso,
			lastStepId: step.id,
			lastVariant: variant,
		};
		sent.nextDueAt = toIso(
			this.nextDueAfterSend(index + 1, clock, hash, readTime(state.lastInboundAt)),
		);
		return {
			kind: 'send',
			contactId: contact.contactId,
			step: index + 1,
			stepId: step.id,
			channel: step.channel,
			message,
			variant,
			idempotencyKey: sendKey,
			dueAt: toIso(dueAt),
			...attribution,
			state: sent,
			warnings,
		};
	}

	private nextDueAfterSend(
		nextIndex: number,
		clock: ZoneClock,
		hash: number,
		lastInbound: number | undefined,
	): number {
		if (nextIndex >= this.steps.length)
			return this.addDelay(clock, this.now, this.sequence.completeAfter, 0);
		const plan = this.plan(nextIndex, this.now, lastInbound, clock, hash);
		if ('closed' in plan) return Math.max(plan.closesAt ?? this.now, this.now);
		return Math.max(plan.at, this.now);
	}

	private wait(
		state: CadenceState,
		warnings: string[],
		at: number,
		waitReason: WaitReason,
		nextStep: number,
		iso?: string | null,
	): WaitDecision {
		const nextDueAt = iso ?? toIso(at);
		state.nextDueAt = nextDueAt;
		return {
			kind: 'wait',
			contactId: state.contactId,
			nextDueAt,
			waitReason,
			nextStep,
			state,
			warnings,
		};
	}

	private windowClosed(state: CadenceState, warnings: string[], text: string): DoneDecision {
		const handoff = this.sequence.handoffChannel;
		return this.done(
			state,
			warnings,
			'window_closed',
			handoff ? `${text} Handing over to ${handoff}.` : text,
			handoff ? { handoffChannel: handoff } : {},
		);
	}

	private done(
		state: CadenceState,
		warnings: string[],
		reason: DoneReason,
		reasonText: string,
		extra: { handoffChannel?: string; moveTo?: string } = {},
	): DoneDecision {
		state.status = 'done';
		state.doneReason = reason;
		state.doneAt = this.nowIso;
		state.nextDueAt = null;
		return {
			kind: 'done',
			contactId: state.contactId,
			reason,
			reasonText,
			...extra,
			state,
			warnings,
		};
	}
}

function error(contactId: string, message: string, description: string): ErrorDecision {
	return { kind: 'error', contactId, message: `Contact "${contactId}" ${message}`, description };
}

/** Template variables first, then state fields (`{{sentCount}}`), then the stored item fields. */
function lookup(contact: CadenceContact, state: CadenceState, path: string[]): unknown {
	const sources: unknown[] = [contact.variables, state, contact.state];
	for (const source of sources) {
		let value: unknown = source;
		for (const key of path) {
			if (
				value === null ||
				typeof value !== 'object' ||
				!Object.prototype.hasOwnProperty.call(value, key)
			) {
				value = undefined;
				break;
			}
			value = (value as Record<string, unknown>)[key];
		}
		if (value !== undefined && value !== null && value !== '') return value;
	}
	return undefined;
}
