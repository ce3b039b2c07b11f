import { DAY_MS, HOUR_MS, toIso } from '../time/instant';
import type { ConsentIndex } from './precedence';
import { isBlank, parseInstantFast, type StoredConsent } from './record';
import { ALLOWED, CODE } from './reasons';

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
		const subjectKey = text(this.read.subjectKey(contact));
		const channel = text(this.read.channel(contact)) || this.config.defaultChannel;
		const consent = this.index.lookup(subjectKey, channel, this.config.purpose);
		const lastInbound = parseInstantFast(this.read.lastInboundAt(contact));
		const windowed = WINDOW_CHANNELS.has(channel) && lastInbound !== undefined;
		return {
			subjectKey,
			channel,
			purpose: this.config.purpose,
			account: text(this.read.account(contact)),
			...(consent && this.index.state(consent) === 'opt_in' ? { consent } : {}),
			consentState: consent && this.index.state(consent) === 'opt_in' ? 'opt_in' : 'none',
			...(windowed ? { windowClosesAt: toIso(lastInbound + windowLength(this.config)) } : {}),
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

/**
 * Keeps the best `limit` candidates of one account: a binary heap with the worst kept candidate on top,
 * so each new contact costs one comparison (or O(log limit) when it gets in).
 */
class TopK {
	readonly items: number[] = [];
	constructor(
		private readonly limit: number,
		private readonly better: (a: number, b: number) => boolean,
	) {}

	offer(i: number): void {
		const heap = this.items;
		if (heap.length < this.limit) {
			heap.push(i);
			let k = heap.length - 1;
			while (k > 0) {
				const parent = (k - 1) >> 1;
				if (!this.better(heap[parent], heap[k])) break;
				[heap[parent], heap[k]] = [heap[k], heap[parent]];
				k = parent;
			}
		} else if (this.limit > 0 && this.better(i, heap[0])) {
			heap[0] = i;
			let k = 0;
			for (;;) {
				const l = 2 * k + 1;
				const r = l + 1;
				let worst = k;
				if (l < heap.length && this.better(heap[worst], heap[l])) worst = l;
				if (r < heap.length && this.better(heap[worst], heap[r])) worst = r;
				if (worst === k) break;
				[heap[worst], heap[k]] = [heap[k], heap[worst]];
				k = worst;
			}
		}
	}
}

interface AccountState {
	pool: TopK;
	/** Highest sent-last-hour / sent-last-day count seen on the account's contacts. */
	hour: number;
	day: number;
}

/**
 * Decides every contact of a batch in one pass after the records were indexed (O(1) per contact).
 * Checks run in this order and the first that applies is the reason: invalid_input, missing_identity,
 * opted_out, no_consent, retention_expired, possible_bot, outside_window; contacts that pass all of them
 * compete for the account's remaining sends (highest score first, then earliest lastInboundAt, then input
 * order) and the rest are rate_limited.
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
	const dotted = (path: string) => (path.includes('.') ? getter(path) : undefined);
	const [gSubject, gChannel, gInbound, gRetention, gBot, gScore, gAccount, gHour, gDay] = [
		f.subjectKey,
		f.channel,
		f.lastInboundAt,
		f.retentionFrom,
		f.bot,
		f.score,
		f.account,
		f.sentLastHour,
		f.sentLastDay,
	].map(dotted);
	const n = contacts.length;
	const codes = new Uint8Array(n);
	const run = new GateRun(codes, contacts, index, config, read);
	const { nowMs, purpose } = config;
	const windowMs = windowLength(config);
	const retentionMs = config.retentionDays > 0 ? config.retentionDays * DAY_MS : 0;

	const caps = [config.caps.perRun, config.caps.perHour, config.caps.perDay].filter((c) => c > 0);
	const limit = caps.length ? Math.min(...caps) : Infinity;
	const windowCut = toIso(nowMs - windowMs);
	const scores = new Float64Array(n);
	// Last inbound time as canonical ISO text: same-format UTC strings sort like the instants they name.
	const inbound: Array<string | undefined> = new Array(n);
	const better = (a: number, b: number): boolean => {
		if (scores[a] !== scores[b]) return scores[a] > scores[b];
		const x = inbound[a];
		const y = inbound[b];
		if (x !== y) return y === undefined || (x !== undefined && x < y);
		return a < b;
	};
	const accounts = new Map<string, AccountState>();
	const uncapped: number[] = [];
	let lastAccount: string | undefined;
	let last: AccountState | undefined;

	for (let i = 0; i < n; i++) {
		const contact = contacts[i];
		const subjectKey = text(gSubject ? gSubject(contact) : contact[f.subjectKey]);
		const channel = text(gChannel ? gChannel(contact) : contact[f.channel]) || config.defaultChannel;
		if (!subjectKey || !channel) {
			codes[i] = CODE.missing_identity;
			continue;
		}
		const rawInbound = gInbound ? gInbound(contact) : contact[f.lastInboundAt];
		const lastInbound = canonicalIso(rawInbound);
		if (lastInbound === null) {
			invalid(run, i, f.lastInboundAt, rawInbound);
			continue;
		}
		const rawRetention = retentionMs ? (gRetention ? gRetention(contact) : contact[f.retentionFrom]) : undefined;
		const retentionFrom = isBlank(rawRetention) ? undefined : parseInstantFast(rawRetention);
		if (retentionFrom === undefined && !isBlank(rawRetention)) {
			invalid(run, i, f.retentionFrom, rawRetention);
			continue;
		}
		const consent = index.lookup(subjectKey, channel, purpose);
		const state = index.state(consent);
		if (state === 'opt_out') {
			codes[i] = CODE.opted_out;
			continue;
		}
		if (config.requireOptIn && state !== 'opt_in') {
			codes[i] = CODE.no_consent;
			continue;
		}
		if (
			retentionFrom !== undefined &&
			nowMs - retentionFrom >= retentionMs &&
			!index.isSeparateConsent(consent)
		) {
			codes[i] = CODE.retention_expired;
			continue;
		}
		if (truthy(gBot ? gBot(contact) : contact[f.bot])) {
			codes[i] = CODE.possible_bot;
			continue;
		}
		// Outside when nowMs - lastInbound >= windowMs, i.e. lastInbound <= now - window (compared as ISO text).
		if (WINDOW_CHANNELS.has(channel) && (lastInbound === undefined || lastInbound <= windowCut)) {
			codes[i] = CODE.outside_window;
			continue;
		}
		// A candidate: rate_limited until it wins a place in its account's budget.
		const account = text(gAccount ? gAccount(contact) : contact[f.account]);
		const hour = count(gHour ? gHour(contact) : contact[f.sentLastHour]);
		const day = count(gDay ? gDay(contact) : contact[f.sentLastDay]);
		if (Number.isNaN(hour) || Number.isNaN(day)) {
			invalid(run, i, Number.isNaN(hour) ? f.sentLastHour : f.sentLastDay, Number.isNaN(hour) ? read.sentLastHour(contact) : read.sentLastDay(contact));
			continue;
		}
		codes[i] = CODE.rate_limited;
		const rawScore = gScore ? gScore(contact) : contact[f.score];
		const score = typeof rawScore === 'number' ? rawScore : isBlank(rawScore) ? NaN : Number(rawScore);
		scores[i] = Number.isFinite(score) ? score : -Infinity;
		inbound[i] = lastInbound;
		if (limit === Infinity) {
			uncapped.push(i);
			continue;
		}
		if (account !== lastAccount || !last) {
			lastAccount = account;
			last = accounts.get(account);
			if (!last) {
				last = { pool: new TopK(limit, better), hour: 0, day: 0 };
				accounts.set(account, last);
			}
		}
		if (hour > last.hour) last.hour = hour;
		if (day > last.day) last.day = day;
		last.pool.offer(i);
	}

	const selected: number[] = [];
	if (limit === Infinity) {
		selected.push(...uncapped);
	} else {
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
			const best = state.pool.items.slice().sort((a, b) => (better(a, b) ? -1 : 1));
			selected.push(...best.slice(0, budget));
		}
	}
	selected.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
	for (const i of selected) {
		// The pass checked only the shape of canonical timestamps; the few selected get the full check
		// (digits, real calendar dates). A failure is invalid_input and its slot stays unused this run.
		const raw = read.lastInboundAt(contacts[i]);
		if (!isBlank(raw) && parseInstantFast(raw) === undefined) {
			invalid(run, i, f.lastInboundAt, raw);
			continue;
		}
		codes[i] = ALLOWED;
		run.sendOrder.push(i);
	}
	return run;
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

function invalid(run: GateRun, i: number, field: string, value: unknown): void {
	run.codes[i] = CODE.invalid_input;
	const shown = typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
	run.invalid.set(i, `Field "${field}" is not a readable value (${shown})`);
}
