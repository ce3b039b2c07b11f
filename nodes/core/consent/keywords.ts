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
 * Letters that look like Latin capitals but that NFKC leaves alone: small capitals (ꜱᴛᴏᴘ), negative circled and
 * negative squared letters (🅢, 🆂), regional indicators (🇸), and the Cyrillic and Greek letters "font" apps and
 * keyboards put in their place (ѕ, т, о, р…). NFKC already folds full-width, mathematical, circled, squared and
 * parenthesised letters.
 */
const LOOK_ALIKES: ReadonlyMap<string, string> = new Map<string, string>([
	...pairs('ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘꞯʀꜱᴛᴜᴠᴡʏᴢ', 'ABCDEFGHIJKLMNOPQRSTUVWYZ'),
	...pairs('ǫ', 'Q'),
	...pairs('АВЕЅІЈКМНОРСТХУаеѕіјорсхуԁԛԝвкмнт', 'ABESIJKMHOPCTXYAESIJOPCXYDQWBKMHT'),
	...pairs('ΑΒΕΖΗΙΚΜΝΟΡΤΥΧοι', 'ABEZHIKMNOPTYXOI'),
	...letterRange(0x1f150), // negative circled 🅐…🅩
	...letterRange(0x1f170), // negative squared 🅰…🆉
	...letterRange(0x1f1e6), // regional indicators 🇦…🇿
]);
const LOOK_ALIKE_PATTERN = new RegExp(`[${[...LOOK_ALIKES.keys()].join('')}]`, 'gu');

function pairs(from: string, to: string): Array<[string, string]> {
	const letters = [...from];
	return letters.map((letter, i) => [letter, to[i]]);
}

function letterRange(first: number): Array<[string, string]> {
	return Array.from({ length: 26 }, (_, i) => [String.fromCodePoint(first + i), String.fromCharCode(65 + i)]);
}

/**
 * Upper-case, compatibility forms folded (NFKC: ＳＴＯＰ, 𝐒𝐓𝐎𝐏, Ⓢⓣⓞⓟ), look-alike letters mapped (ꜱᴛᴏᴘ, 🅢🅣🅞🅟),
 * accents removed, punctuation, emoji and invisible characters dropped, whitespace collapsed:
 * "  Arrêt ! " → "ARRET", "opt-out" → "OPTOUT", "Stop all." → "STOP ALL".
 */
export function normaliseKeywordText(text: string): string {
	const plain = /^[\x20-\x7e]*$/.test(text);
	const folded = plain
		? text
		: text
				.normalize('NFKC')
				// Invisible characters go first: a BOM counts as white space below and would split a word.
				.replace(/[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu, '')
				.replace(LOOK_ALIKE_PATTERN, (letter) => LOOK_ALIKES.get(letter) ?? letter);
	return folded
		.normalize('NFD')
		.replace(/\p{M}/gu, '')
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
