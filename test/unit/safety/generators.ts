import { rng } from '../../helpers/random';

/** The run's seed: STORY_LEADS_SEED overrides it (test/setup-env.js); a failing case prints it. */
export { SEED } from '../../helpers/seed';

export const NOW = Date.parse('2026-03-10T12:00:00.000Z');
const H = 3_600_000;
const D = 24 * H;

export class Gen {
	readonly next: () => number;
	constructor(seed: number) {
		this.next = rng(seed);
	}
	int(n: number): number {
		return Math.floor(this.next() * n);
	}
	pick<T>(list: readonly T[]): T {
		return list[this.int(list.length)];
	}
	chance(p: number): boolean {
		return this.next() < p;
	}
}

/** Words that opt out in many languages (the defaults, with case, accents and punctuation varied). */
export const STOP_WORDS = ['STOP', 'stop', ' Stop! ', 'STOPALL', 'stop all', 'Unsubscribe', 'ARRÊT', 'arret', 'Alto', 'BASTA', 'Stopp', 'opt-out', 'CANCEL', 'quit.', 'End', 'REVOKE'];
export const START_WORDS = ['START', 'Yes', 'yes!', 'UNSTOP', 'Oui', 'sì', 'SI', 'ja'];
/** Text that is no keyword: substrings, spaced letters, control characters, long text, a keyword in a sentence. */
export const OTHER_TEXT = ['hi', 'stop by our shop', '😀', 'ＳＴＯＰ ＰＬＥＡＳＥ', 'S T O P', '', 'information please', 'Ümlaut', '\u0000', 'x'.repeat(300)];

/**
 * Characters that show nothing: zero-width space, non-joiner and joiner, word joiner, BOM, soft hyphen, Hangul
 * filler, blank braille pattern, variation selector, a tag character, left-to-right mark.
 */
export const INVISIBLE = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u3164', '\u2800', '\ufe0f', '\u{e0020}', '\u200e'];

/** One to three invisible characters, sometimes with spaces: looks empty, is not ''. */
export function invisibleText(g: Gen): string {
	let text = '';
	for (let k = 1 + g.int(3); k > 0; k--) text += g.pick(INVISIBLE) + (g.chance(0.3) ? ' ' : '');
	return text;
}

/** The text with invisible characters put between some of its characters. */
export function withInvisible(g: Gen, text: string): string {
	return [...text].map((char) => (g.chance(0.3) ? g.pick(INVISIBLE) + char : char)).join('');
}

/** How another tool or a person may spell each status our writer stores: case, spaces, hyphens, synonyms, width. */
export const STATUS_SPELLINGS: Readonly<Record<'opt_in' | 'opt_out', readonly string[]>> = {
	opt_out: ['opt_out', 'OPT_OUT', ' opt_out ', 'Opt-Out', 'opt out', 'OptOut', 'opted_out', 'Opted Out', 'unsubscribed', 'Unsubscribed', 'UNSUBSCRIBE', 'revoked', 'withdrawn', 'stopped', 'do_not_contact', 'ｏｐｔ＿ｏｕｔ', 'opt\u2010out'],
	opt_in: ['opt_in', 'OPT_IN', ' opt_in', 'Opt-In', 'opt in', 'OptIn', 'opted_in', 'Opted-In', 'subscribed', 'Subscribed', 'ｏｐｔ＿ｉｎ'],
};

/** A status as stored by some tool (our own spelling about a third of the time). */
export function spellStatus(g: Gen, status: 'opt_in' | 'opt_out'): string {
	const spelled = g.chance(0.35) ? status : g.pick(STATUS_SPELLINGS[status]);
	return g.chance(0.1) ? withInvisible(g, spelled) : spelled;
}

/** A subject key as another tool stores or sends it: other case, NFD or NFC, invisible characters, spaces around. */
export function spellKey(g: Gen, key: string): string {
	let spelled = key;
	if (g.chance(0.3)) spelled = g.chance(0.5) ? spelled.toUpperCase() : [...spelled].map((c) => (g.chance(0.5) ? c.toUpperCase() : c)).join('');
	if (g.chance(0.3)) spelled = spelled.normalize(g.chance(0.5) ? 'NFD' : 'NFC');
	if (g.chance(0.15)) spelled = withInvisible(g, spelled);
	if (g.chance(0.15)) spelled = ` ${spelled}\t`;
	return spelled;
}

/** A channel or purpose name as another tool stores it: case, hyphen or space for the underscore, full width, spaces. */
export function spellName(g: Gen, name: string): string {
	switch (g.int(8)) {
		case 0:
			return name.toUpperCase();
		case 1:
			return name.replace(/_/g, '-');
		case 2:
			return ` ${name.replace(/_/g, ' ')} `;
		case 3:
			return name.replace(/[a-z_]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
		case 4:
			return name.charAt(0).toUpperCase() + name.slice(1).replace(/_(.)/g, (_, c: string) => `-${c.toUpperCase()}`);
		default:
			return name;
	}
}

const SMALL_CAPITALS = 'ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘꞯʀꜱᴛᴜᴠᴡxʏᴢ';
const CYRILLIC_LOOK_ALIKES: Readonly<Record<string, string>> = { A: 'А', B: 'В', C: 'С', E: 'Е', H: 'Н', K: 'К', M: 'М', O: 'О', P: 'Р', S: 'Ѕ', T: 'Т', X: 'Х', Y: 'У', a: 'а', c: 'с', e: 'е', o: 'о', p: 'р', s: 'ѕ', y: 'у' };

/**
 * A word in one of the forms keyboards and "font" apps produce: full width, mathematical alphanumerics (bold, bold
 * italic, sans-serif bold, monospace), circled, parenthesised, squared, negative circled or squared, regional
 * indicators, small capitals, Cyrillic look-alikes, or accents decomposed (NFD). Characters a form has no letter for
 * (accented letters, punctuation) stay as they are.
 */
export function compatibilityForm(g: Gen, word: string): string {
	const letters = (upper: number, lower: number | undefined) =>
		[...word]
			.map((c) => {
				if (c >= 'A' && c <= 'Z') return String.fromCodePoint(upper + c.charCodeAt(0) - 65);
				if (c >= 'a' && c <= 'z') return String.fromCodePoint((lower ?? upper) + c.charCodeAt(0) - 97);
				return c === ' ' && upper === 0xff21 ? '\u3000' : c;
			})
			.join('');
	switch (g.int(14)) {
		case 0:
			return letters(0xff21, 0xff41); // full width
		case 1:
			return letters(0x1d400, 0x1d41a); // mathematical bold
		case 2:
			return letters(0x1d468, 0x1d482); // mathematical bold italic
		case 3:
			return letters(0x1d5d4, 0x1d5ee); // mathematical sans-serif bold
		case 4:
			return letters(0x1d670, 0x1d68a); // mathematical monospace
		case 5:
			return letters(0x24b6, 0x24d0); // circled
		case 6:
			return letters(0x249c, 0x249c); // parenthesised small letters (for capitals too)
		case 7:
			return letters(0x1f130, undefined); // squared capitals
		case 8:
			return letters(0x1f150, undefined); // negative circled capitals
		case 9:
			return letters(0x1f170, undefined); // negative squared capitals
		case 10:
			return letters(0x1f1e6, undefined); // regional indicators
		case 11:
			return [...word].map((c) => (/[a-z]/i.test(c) ? SMALL_CAPITALS[c.toLowerCase().charCodeAt(0) - 97] : c)).join('');
		case 12:
			return [...word].map((c) => (g.chance(0.6) ? (CYRILLIC_LOOK_ALIKES[c] ?? c) : c)).join('');
		default:
			return word.normalize('NFD');
	}
}

/** Happened-time values of every hostile kind, with the epoch ms a correct reader gives (undefined = refuse). */
export function hostileTime(g: Gen, nowMs = NOW): { value: unknown; ms: number | undefined } {
	const recent = nowMs - g.int(60 * D);
	switch (g.int(20)) {
		case 0:
			return { value: new Date(recent).toISOString(), ms: recent };
		case 1:
			return { value: Math.floor(recent / 1000), ms: Math.floor(recent / 1000) * 1000 };
		case 2:
			return { value: String(recent), ms: recent };
		case 3:
			return { value: recent, ms: recent };
		case 4:
			return { value: new Date(recent).toISOString().replace('Z', '+00:00'), ms: recent };
		case 5:
			return { value: new Date(recent).toISOString().slice(0, 19), ms: Math.floor(recent / 1000) * 1000 }; // zone-less: UTC
		case 6:
			return { value: g.pick(['99999999999999999999', 8.64e15, 8.64e15 + 1, 1e300, -1e300]), ms: undefined };
		case 7:
			return { value: g.pick([-1, 0, 1, 946_684_799_999, '1970-01-01T00:00:00.000Z', '0000-01-01T00:00:00.000Z']), ms: undefined };
		case 8:
			return { value: g.pick([NaN, Infinity, -Infinity]), ms: undefined };
		case 9:
			return { value: g.pick(['', null, undefined]), ms: undefined };
		case 10:
			return { value: g.pick([{}, [], true, { toISOString: 'x' }, ['2026-03-01T00:00:00Z']]), ms: undefined };
		case 11:
			return { value: g.pick(['yesterday', 'n/a', '２０２６-03-01', '2026-02-30T00:00:00Z', '2026-13-01T00:00:00.000Z', '9999-99-99T99:99:99.999Z']), ms: undefined };
		case 12: {
			const future = nowMs + D + 1 + g.int(1000 * D);
			return { value: new Date(future).toISOString(), ms: future };
		}
		case 13: {
			const soon = nowMs + g.int(D);
			return { value: new Date(soon).toISOString(), ms: soon };
		}
		case 14:
			return { value: g.pick(['+275760-09-13T00:00:00.000Z', '10000-01-01T00:00:00Z', '-000001-01-01T00:00:00Z']), ms: undefined };
		default:
			return { value: new Date(recent).toISOString(), ms: recent };
	}
}

export function hostileKey(g: Gen, subjects: readonly string[]): unknown {
	switch (g.int(12)) {
		case 0:
			return g.pick(['', '   ', null, undefined]);
		case 1:
			return g.pick([42, {}, ['s0'], true, NaN]);
		case 2:
			return ` ${g.pick(subjects)} `;
		case 3:
		case 4:
			return spellKey(g, g.pick(subjects));
		default:
			return g.pick(subjects);
	}
}

/**
 * Idempotency keys as a generator (a cadence step, a CRM, a spreadsheet, a Set node) may spell one key:
 * composed and decomposed accents, digits as a number, surrounding white space and a byte-order mark.
 */
export const KEY_POOL = ['k1', 'café:2', 'Ångström:step-3', '42', 'ñandú:1', '1784:storyReplyWindow:20261122T100000Z:2'];

/** One spelling of `key` that compares equal to it (trimmed, NFC). */
export function keySpelling(g: Gen, key: string): unknown {
	switch (g.int(7)) {
		case 0:
			return key.normalize('NFD');
		case 1:
			return ` ${key} `;
		case 2:
			return `\t${key.normalize('NFD')}\n`;
		case 3:
			return `\uFEFF${key}`;
		case 4:
			return /^\d+$/.test(key) ? Number(key) : key;
		default:
			return key.normalize('NFC');
	}
}

/** A batch where keys repeat (in any spelling) and some items carry none: `key` is the comparison form. */
export function duplicateKeyBatch(g: Gen, size: number): Array<{ key: string | undefined; value: unknown }> {
	const pool = KEY_POOL.slice(0, 1 + g.int(KEY_POOL.length));
	return Array.from({ length: size }, () => {
		if (g.chance(0.15)) return { key: undefined, value: g.pick(['', '   ', null, undefined, NaN]) };
		const key = g.pick(pool).normalize('NFC');
		return { key, value: keySpelling(g, key) };
	});
}

/** A setting's allowed range, as the node checks it at run time. */
export interface SettingBounds {
	min: number;
	max: number;
	integer?: boolean;
}

/**
 * A value for a numeric setting as an expression or an imported workflow may give it, with whether the node
 * must accept it: below the minimum, above the maximum, fractions of counts, NaN/Infinity, text, other types.
 */
export function hostileSetting(g: Gen, bounds: SettingBounds): { value: unknown; valid: boolean } {
	const inside = bounds.integer
		? bounds.min + g.int(Math.min(bounds.max - bounds.min, 1000) + 1)
		: bounds.min + g.next() * Math.min(bounds.max - bounds.min, 1000);
	switch (g.int(12)) {
		case 0:
			return { value: bounds.min - 1 - g.int(1000), valid: false };
		case 1:
			return { value: -Number.MIN_VALUE, valid: bounds.min < 0 };
		case 2:
			return { value: bounds.max + 1 + g.int(1_000_000), valid: false };
		case 3:
			return { value: g.pick([NaN, Infinity, -Infinity]), valid: false };
		case 4:
			return { value: g.pick(['many', '', '  ', '1e400', '12abc', '0x10']), valid: false };
		case 5:
			return { value: g.pick([null, true, {}, [3]]), valid: false };
		case 6:
			return { value: bounds.min + 0.5, valid: !bounds.integer && bounds.min + 0.5 <= bounds.max };
		case 7:
			return { value: String(-1 - g.int(100)), valid: false };
		case 8:
			return { value: ` ${inside} `, valid: true };
		case 9:
			return { value: g.pick([bounds.min, bounds.max]), valid: true };
		default:
			return { value: inside, valid: true };
	}
}

/** The privacy credential as a workflow may meet it: absent, unusable in each way, or usable (`usable`). */
export function privacyCredential(g: Gen): { pepper: unknown; present: boolean; usable: boolean } {
	switch (g.int(6)) {
		case 0:
			return { pepper: undefined, present: false, usable: false };
		case 1:
			return { pepper: g.pick(['', undefined, null, 42]), present: true, usable: false };
		case 2:
			return { pepper: 'short-pepper', present: true, usable: false };
		case 3:
			return { pepper: ' padded-pepper-0123456789 ', present: true, usable: false };
		default:
			return { pepper: `pepper-${g.int(1e9)}-0123456789abcdef`, present: true, usable: true };
	}
}
