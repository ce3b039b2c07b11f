import { DAY_MS, EARLIEST_ISO, FUTURE_TOLERANCE_MS, HOUR_MS, showValue, toIso } from '../time/instant';
import {
	DECISION_NONE,
	DECISION_OPT_IN,
	DECISION_OPT_IN_CONSENT,
	DECISION_OPT_OUT,
	type ConsentIndex,
	decide,
} from './precedence';
import { isBlank, normaliseKeyName, normaliseSubjectKey, parseInstantFast, type StoredConsent } from './record';
import { ALLOWED, CODE } from './reasons';
import { CandidatePool } from './sendOrder';

/** Channels with a platform messaging window (Instagram DM: 24 h after the person's last message). */
export const WINDOW_CHANNELS: ReadonlySet<string> = new Set(['instagram_dm']);
export const STANDARD_WINDOW_MS = 24 * HOUR_MS;
export const HUMAN_AGENT_WINDOW_MS = 7 * DAY_MS;

/** Where the gate reads each value on a contact item (dot paths allowed, e.g. `contact.viewerKey`). */
export interface GateFields {
	subjectKey: string;
	channel: string;
	lastInboundAt: string;
	/** Timestamp the retention period runs from (e.g. last interaction). */
	retentionFrom: string;
	bot: string;
	score: string;
	account: string;
	sentLastHour: string;
	sentLastDay: string;
}

export const DEFAULT_GATE_FIELDS: GateFields = {
	subjectKey: 'viewerKey',
	channel: 'channel',
	lastInboundAt: 'lastInboundAt',
	retentionFrom: 'lastSeenAt',
	bot: 'possibleBot',
	score: 'score',
	account: 'accountId',
	sentLastHour: 'sentLastHour',
	sentLastDay: 'sentLastDay',
};

export interface GateCaps {
	/** 0 = no cap. */
	perRun: number;
	perHour: number;
	perDay: number;
}

export interface GateConfig {
	nowMs: number;
	/** Used when a contact has no channel; empty = such contacts are `missing_identity`. */
	defaultChannel: string;
	purpose: string;
	/** The purpose needs an active opt-in (otherwise only opt-outs block). */
	requireOptIn: boolean;
	/** Messages are typed by a person and sent with the HUMAN_AGENT tag: 7-day window instead of 24 h. */
	humanAgent: boolean;
	/** Safety margin taken off the window's end (ms). */
	windowMarginMs: number;
	/** 0 = no retention check. */
	retentionDays: number;
	caps: GateCaps;
	fields: GateFields;
}

/** One message already sent by an account (from a send log), for the hour/day caps. */
export interface SentEntry {
	account: string;
	sentAtMs: number;
}

export interface AllowedInfo {
	subjectKey: string;
	channel: string;
	purpose: string;
	account: string;
	consent?: StoredConsent;
	consentState: 'opt_in' | 'none';
	windowClosesAt?: string;
	humanAgentTag: boolean;
	sendRank: number;
}

type Getter = (item: Record<string, unknown>) => unknown;

function getter(path: string): Getter {
	if (!path.includes('.')) return (item) => item[path];
	const parts = path.split('.');
	return (item) => {
		let value: unknown = item;
		for (const part of parts) {
			if (value === null || typeof value !== 'object') return undefined;
			value = (value as Record<string, unknown>)[part];
		}
		return value;
	};
}

function text(value: unknown): string {
	if (typeof value === 'string') {
		const n = value.length;
		// Skip trim() (and its copy) when there is nothing to trim: the common case, on the hot path.
		return n === 0 || (value.charCodeAt(0) > 32 && value.charCodeAt(n - 1) > 32) ? value : value.trim();
	}
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return '';
}

function truthy(value: unknown): boolean {
	if (value === true || value === 1) return true;
	if (typeof value === 'string') {
		const v = value.trim().toLowerCase();
		return v === 'true' || v === 'yes' || v === '1';
	}
	return false;
}

/** Count fields: a non-negative number, or blank (= 0). NaN means unreadable. */
function count(value: unknown): number {
	if (isBlank(value)) return 0;
	const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
	return Number.isFinite(n) && n >= 0 ? n : NaN;
}

/**
 * The result of one gate run over a batch: a reason code per contact (0 = allowed), the allowed
 * contacts in send order, and a detail per unreadable item.
 */
export class GateRun {
	readonly sendOrder: number[] = [];
	readonly invalid = new Map<number, string>();
	/** Remaining sends per account for this run, after the caps. */
	readonly budgets = new Map<string, number>();

	constructor(
		readonly codes: Uint8Array,
		private readonly contacts: ReadonlyArray<Record<string, unknown>>,
		private readonly index: ConsentIndex,
		private readonly config: GateConfig,
		private readonly read: ContactReader,
	) {}

	/** What the next nodes need about an allowed contact. */
	allowedInfo(i: number, rank: number): AllowedInfo {
		const contact = this.contacts[i];
		const keyAsGiven = text(this.read.subjectKey(contact));
		const subjectKey = normaliseSubjectKey(keyAsGiven);
		const channel = normaliseKeyName(text(this.read.channel(contact))) || normaliseKeyName(this.config.defaultChannel);
		const consent = this.index.lookup(keyAsGiven, channel, this.config.purpose);
		const lastInbound = parseInstantFast(this.read.lastInboundAt(contact));
		const windowed = WINDOW_CHANNELS.has(channel) && lastInbound !== undefined;
		// A lastInboundAt up to a day ahead (clock skew) is read as now: the window never runs past now + 24 h.
		const windowFrom = lastInbound === undefined ? 0 : Math.min(lastInbound, this.config.nowMs);
		return {
			subjectKey,
			channel,
			purpose: this.config.purpose,
			account: text(this.read.account(contact)),
			...(consent && this.index.state(consent) === 'opt_in' ? { consent } : {}),
			consentState: consent && this.index.state(consent) === 'opt_in' ? 'opt_in' : 'none',
			...(windowed ? { windowClosesAt: toIso(windowFrom + windowLength(this.config)) } : {}),
			humanAgentTag: WINDOW_CHANNELS.has(channel) && this.config.humanAgent,
			sendRank: rank,
		};
	}
}

interface ContactReader {
	subjectKey: Getter;
	channel: Getter;
	lastInboundAt: Getter;
	retentionFrom: Getter;
	bot: Getter;
	score: Getter;
	account: Getter;
	sentLastHour: Getter;
	sentLastDay: Getter;
}

function windowLength(config: GateConfig): number {
	return (config.humanAgent ? HUMAN_AGENT_WINDOW_MS : STANDARD_WINDOW_MS) - config.windowMarginMs;
}

interface AccountState {
	pool: CandidatePool;
	/** Highest sent-last-hour / sent-last-day count seen on the account's contacts. */
	hour: number;
	day: number;
}

/**
 * Decides every contact of a batch in one pass after the records were indexed (O(1) per contact: one lookup
 * of the subject key in the purpose's table of decisions, resolved once per index; see ConsentIndex.view and
 * SubjectTable). Checks run in this order
 * and the first that applies is the reason: missing_identity, invalid_input (unreadable lastInboundAt or
 * retention timestamp, or one before 2000 or more than a day after now), opted_out, no_consent, retention_expired, possible_bot, outside_window, then
 * invalid_input for unreadable counts; contacts that pass all of them compete for the account's remaining
 * sends (highest score first, then earliest lastInboundAt, then input order) and the rest are rate_limited.
 */
export function runGate(
	contacts: ReadonlyArray<Record<string, unknown>>,
	index: ConsentIndex,
	config: GateConfig,
	sent: readonly SentEntry[] = [],
): GateRun {
	const f = config.fields;
	const read: ContactReader = {
		subjectKey: getter(f.subjectKey),
		channel: getter(f.channel),
		lastInboundAt: getter(f.lastInboundAt),
		retentionFrom: getter(f.retentionFrom),
		bot: getter(f.bot),
		score: getter(f.score),
		account: getter(f.account),
		sentLastHour: getter(f.sentLastHour),
		sentLastDay: getter(f.sentLastDay),
	};
	// Hot loop: plain field names are read as contact[name] at separate sites, which V8 keeps monomorphic
	// (one shared getter would go megamorphic); only dot paths use the getters.
	const gSubject = dotted(f.subjectKey);
	const gChannel = dotted(f.channel);
	const gInbound = dotted(f.lastInboundAt);
	const gRetention = dotted(f.retentionFrom);
	const gBot = dotted(f.bot);
	const gScore = dotted(f.score);
	const gAccount = dotted(f.account);
	const gHour = dotted(f.sentLastHour);
	const gDay = dotted(f.sentLastDay);
	const fSubject = f.subjectKey;
	const fChannel = f.channel;
	const fInbound = f.lastInboundAt;
	const fRetention = f.retentionFrom;
	const fBot = f.bot;
	const fScore = f.score;
	const fAccount = f.account;
	const fHour = f.sentLastHour;
	const fDay = f.sentLastDay;

	const MISSING_IDENTITY = CODE.missing_identity;
	const OPTED_OUT = CODE.opted_out;
	const NO_CONSENT = CODE.no_consent;
	const RETENTION_EXPIRED = CODE.retention_expired;
	const POSSIBLE_BOT = CODE.possible_bot;
	const OUTSIDE_WINDOW = CODE.outside_window;
	const RATE_LIMITED = CODE.rate_limited;
	const n = contacts.length;
	const codes = new Uint8Array(n);
	const run = new GateRun(codes, contacts, index, config, read);
	const nowMs = config.nowMs;
	// Keys are matched in their normalised form, like stored records (record.ts: normaliseSubjectKey, normaliseKeyName).
	const purpose = normaliseKeyName(config.purpose);
	const defaultChannel = normaliseKeyName(config.defaultChannel);
	const requireOptIn = config.requireOptIn;
	const retentionMs = config.retentionDays > 0 ? config.retentionDays * DAY_MS : 0;
	// Outside when nowMs - lastInbound >= window, i.e. lastInbound <= now - window (compared as ISO text).
	const windowCut = toIso(nowMs - windowLength(config));
	// Times that already happened: 2000 … now + 1 day (compared as ISO text, like windowCut).
	const latestHappened = toIso(nowMs + FUTURE_TOLERANCE_MS);
	const view = index.view(purpose);
	const subjects = view.subjects;
	const channelIds = view.channelIds;
	const hashed = view.hasHashed;

	const caps = [config.caps.perRun, config.caps.perHour, config.caps.perDay].filter((c) => c > 0);
	const limit = caps.length ? Math.min(...caps) : Infinity;
	const accounts = new Map<string, AccountState>();
	const uncapped = new CandidatePool(Infinity);
	let lastAccount: string | undefined;
	let last: AccountState | undefined;
	let lastRawChannel: unknown = NOT_READ;
	let lastChannel = '';
	let lastWindowed = false;
	let channelId = 0;

	for (let i = 0; i < n; i++) {
		const contact = contacts[i];
		const keyAsGiven = text(gSubject === undefined ? contact[fSubject] : gSubject(contact));
		const subjectKey = normaliseSubjectKey(keyAsGiven);
		const rawChannel = gChannel === undefined ? contact[fChannel] : gChannel(contact);
		if (rawChannel !== lastRawChannel) {
			// Contacts of a batch nearly always share one channel string: read it and its window once.
			lastRawChannel = rawChannel;
			lastChannel = normaliseKeyName(text(rawChannel)) || defaultChannel;
			lastWindowed = WINDOW_CHANNELS.has(lastChannel);
			channelId = channelIds.get(lastChannel) ?? 0;
		}
		const channel = lastChannel;
		if (subjectKey === '' || channel === '') {
			codes[i] = MISSING_IDENTITY;
			continue;
		}
		const rawInbound = gInbound === undefined ? contact[fInbound] : gInbound(contact);
		const lastInbound = canonicalIso(rawInbound);
		if (lastInbound === null) {
			invalid(run, i, fInbound, rawInbound);
			continue;
		}
		if (lastInbound !== undefined && (lastInbound > latestHappened || lastInbound < EARLIEST_ISO)) {
			invalid(run, i, fInbound, rawInbound, OUT_OF_RANGE);
			continue;
		}
		let retentionFrom: number | undefined;
		if (retentionMs !== 0) {
			const rawRetention = gRetention === undefined ? contact[fRetention] : gRetention(contact);
			if (!isBlank(rawRetention)) {
				retentionFrom = parseInstantFast(rawRetention);
				if (retentionFrom === undefined) {
					invalid(run, i, fRetention, rawRetention);
					continue;
				}
				if (retentionFrom > nowMs + FUTURE_TOLERANCE_MS) {
					invalid(run, i, fRetention, rawRetention, OUT_OF_RANGE);
					continue;
				}
			}
		}
		let decision = DECISION_NONE;
		if (hashed) {
			// As given: lookup also matches tombstones hashed before keys were normalised.
			decision = index.decisionOf(index.lookup(keyAsGiven, channel, purpose));
		} else {
			const resolved = subjects.get(subjectKey);
			if (resolved !== undefined) decision = decide(resolved, channelId, channel);
		}
		if (decision === DECISION_OPT_OUT) {
			codes[i] = OPTED_OUT;
			continue;
		}
		if (requireOptIn && decision !== DECISION_OPT_IN_CONSENT && decision !== DECISION_OPT_IN) {
			codes[i] = NO_CONSENT;
			continue;
		}
		if (retentionFrom !== undefined && nowMs - retentionFrom >= retentionMs && decision !== DECISION_OPT_IN_CONSENT) {
			codes[i] = RETENTION_EXPIRED;
			continue;
		}
		if (truthy(gBot === undefined ? contact[fBot] : gBot(contact))) {
			codes[i] = POSSIBLE_BOT;
			continue;
		}
		if (lastWindowed && (lastInbound === undefined || lastInbound <= windowCut)) {
			codes[i] = OUTSIDE_WINDOW;
			continue;
		}
		// A candidate: rate_limited until it wins a place in its account's budget.
		const account = text(gAccount === undefined ? contact[fAccount] : gAccount(contact));
		const rawHour = gHour === undefined ? contact[fHour] : gHour(contact);
		const hour = rawHour === undefined ? 0 : count(rawHour);
		if (hour !== hour) {
			invalid(run, i, fHour, rawHour);
			continue;
		}
		const rawDay = gDay === undefined ? contact[fDay] : gDay(contact);
		const day = rawDay === undefined ? 0 : count(rawDay);
		if (day !== day) {
			invalid(run, i, fDay, rawDay);
			continue;
		}
		codes[i] = RATE_LIMITED;
		const rawScore = gScore === undefined ? contact[fScore] : gScore(contact);
		const score = typeof rawScore === 'number' ? rawScore : isBlank(rawScore) ? NaN : Number(rawScore);
		const rank = score - score === 0 ? score : -Infinity; // finite, else last
		if (limit === Infinity) {
			uncapped.offer(i, rank, lastInbound);
			continue;
		}
		if (account !== lastAccount || last === undefined) {
			lastAccount = account;
			last = accounts.get(account);
			if (last === undefined) {
				last = { pool: new CandidatePool(limit), hour: 0, day: 0 };
				accounts.set(account, last);
			}
		}
		if (hour > last.hour) last.hour = hour;
		if (day > last.day) last.day = day;
		last.pool.offer(i, rank, lastInbound);
	}

	const selected = limit === Infinity ? uncapped : withinBudgets(run, accounts, config, sent);
	const order = selected.ranked();
	for (let k = 0; k < order.length; k++) {
		const i = selected.index[order[k]];
		// The pass checked only the shape of canonical timestamps; the few selected get the full check
		// (digits, real calendar dates). A failure is invalid_input and its slot stays unused this run.
		const raw = read.lastInboundAt(contacts[i]);
		if (!isBlank(raw) && parseInstantFast(raw) === undefined) {
			invalid(run, i, fInbound, raw);
			continue;
		}
		codes[i] = ALLOWED;
		run.sendOrder.push(i);
	}
	return run;
}

/** Each account's budget (caps minus what was sent in the last hour/day) and its best candidates within it. */
function withinBudgets(
	run: GateRun,
	accounts: ReadonlyMap<string, AccountState>,
	config: GateConfig,
	sent: readonly SentEntry[],
): CandidatePool {
	const selected = new CandidatePool(Infinity);
	const nowMs = config.nowMs;
	const sentHour = new Map<string, number>();
	const sentDay = new Map<string, number>();
	for (const entry of sent) {
		const age = nowMs - entry.sentAtMs;
		if (age < 0) continue;
		if (age < DAY_MS) sentDay.set(entry.account, (sentDay.get(entry.account) ?? 0) + 1);
		if (age < HOUR_MS) sentHour.set(entry.account, (sentHour.get(entry.account) ?? 0) + 1);
	}
	for (const [account, state] of accounts) {
		const hour = Math.max(state.hour, sentHour.get(account) ?? 0);
		const day = Math.max(state.day, sentDay.get(account) ?? 0);
		let budget = Infinity;
		if (config.caps.perRun > 0) budget = Math.min(budget, config.caps.perRun);
		if (config.caps.perHour > 0) budget = Math.min(budget, config.caps.perHour - hour);
		if (config.caps.perDay > 0) budget = Math.min(budget, config.caps.perDay - day);
		budget = Math.max(0, Math.floor(budget));
		run.budgets.set(account, budget);
		const pool = state.pool;
		const best = pool.ranked();
		for (let k = 0; k < best.length && k < budget; k++) {
			selected.offer(pool.index[best[k]], pool.score[best[k]], pool.at[best[k]]);
		}
	}
	return selected;
}

const NOT_READ = Symbol('not read');

function dotted(path: string): Getter | undefined {
	return path.includes('.') ? getter(path) : undefined;
}

/**
 * A timestamp as canonical ISO text (`YYYY-MM-DDTHH:MM:SS.sssZ`), cheaply: a string already in that shape
 * is returned as is (its digits are checked later, for the contacts that get through); anything else is
 * parsed and re-written. Blank → undefined; unreadable → null.
 */
function canonicalIso(value: unknown): string | undefined | null {
	if (typeof value === 'string' && value.length === 24) {
		if (
			value.charCodeAt(23) === 90 &&
			value.charCodeAt(10) === 84 &&
			value.charCodeAt(4) === 45 &&
			value.charCodeAt(7) === 45 &&
			value.charCodeAt(13) === 58 &&
			value.charCodeAt(16) === 58 &&
			value.charCodeAt(19) === 46
		) {
			return value;
		}
	}
	if (isBlank(value)) return undefined;
	const ms = parseInstantFast(value);
	return ms === undefined ? null : toIso(ms);
}

const OUT_OF_RANGE = 'is outside 2000-01-01 … now + 1 day';

function invalid(run: GateRun, i: number, field: string, value: unknown, why = 'is not a readable value'): void {
	run.codes[i] = CODE.invalid_input;
	run.invalid.set(i, `Field "${field}" ${why} (${showValue(value)})`);
}
