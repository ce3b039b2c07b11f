import type { KeywordFamily } from '../events/schema';

/**
 * Keyword families matched against a whole inbound message (never a substring: "stop by our shop" is
 * not an opt-out). Defaults follow Twilio/Braze/AWS lists plus common non-English words; users extend them.
 */
export const DEFAULT_KEYWORDS: Readonly<Record<KeywordFamily, readonly string[]>> = {
	opt_out: [
		'STOP',
		'STOPALL',
		'STOP ALL',
		'UNSUBSCRIBE',
		'CANCEL',
		'END',
		'QUIT',
		'REVOKE',
		'OPTOUT',
		'OPT OUT',
		'ARRET',
		'ARRÊT',
		'ALTO',
		'BASTA',
		'STOPP',
	],
	opt_in: ['START', 'YES', 'UNSTOP', 'OUI', 'SÌ', 'SI', 'JA'],
	help: ['HELP', 'INFO'],
};

/** Opt-out is checked first so that a word in two lists can never re-subscribe someone. */
const FAMILY_ORDER: readonly KeywordFamily[] = ['opt_out', 'opt_in', 'help'];

export type KeywordLists = Partial<Record<KeywordFamily, readonly string[]>>;

/**
 * Upper-case, accents removed, punctuation and emoji dropped, whitespace collapsed:
 * "  Arrêt ! " → "ARRET", "opt-out" → "OPTOUT", "Stop all." → "STOP ALL".
 */
export function normaliseKeywordText(text: string): string {
	return text
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toUpperCase()
		.replace(/[^\p{L}\p{N}\s]/gu, '')
		.replace(/\s+/g, ' ')
		.trim();
}

export class KeywordMatcher {
	private readonly lookup = new Map<string, KeywordFamily>();

	/** `extra` words are added to the defaults; `replaceDefaults` uses only the given lists. */
	constructor(extra: KeywordLists = {}, replaceDefaults = false) {
		for (const family of FAMILY_ORDER) {
			const words = [...(replaceDefaults ? [] : DEFAULT_KEYWORDS[family]), ...(extra[family] ?? [])];
			for (const word of words) {
				const key = normaliseKeywordText(word);
				if (key && !this.lookup.has(key)) this.lookup.set(key, family);
			}
		}
	}

	/** The family of a message that is exactly one keyword, else undefined. */
	match(text: string | undefined | null): KeywordFamily | undefined {
		return this.matchKeyword(text)?.family;
	}

	/** The family and the normalised keyword (e.g. `STOP ALL`) of a message that is exactly one keyword. */
	matchKeyword(text: string | undefined | null): { family: KeywordFamily; keyword: string } | undefined {
		if (!text) return undefined;
		const keyword = normaliseKeywordText(text);
		const family = keyword ? this.lookup.get(keyword) : undefined;
		return family ? { family, keyword } : undefined;
	}
}

/** Opt-out words that mean every channel and every purpose (Twilio's STOPALL). */
export const ALL_CHANNELS_KEYWORDS: ReadonlySet<string> = new Set(['STOPALL', 'STOP ALL']);

export const defaultKeywordMatcher = new KeywordMatcher();
