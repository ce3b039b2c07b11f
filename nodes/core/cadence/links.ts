/**
 * Attributed links: UTM parameters added to every http(s) link of a message, so a visit or an order can be
 * traced back to the sequence, step and A/B variant that sent it. Links are read with WHATWG URL semantics (host,
 * query and fragment as a browser sees them), but the link text is edited as text (never re-serialised through
 * URL), so everything the author wrote — query, fragment, case, encoding — stays as it was.
 */

/** The WHATWG URL parser of the runtime (Node and browsers); the core's tsconfig has no DOM or Node types. */
declare const URL: new (input: string) => { hostname: string; search: string; protocol: string };
/** The WHATWG query parser of the runtime. */
declare const URLSearchParams: new (init: string) => { keys(): Iterable<string> };

export interface UtmSettings {
	/** utm_source (default `instagram`). Values may hold `{sequence}`, `{step}` and `{variant}`. */
	source: string;
	/** utm_medium (default `story_dm`). */
	medium: string;
	/** utm_campaign (default `{sequence}`). */
	campaign: string;
	/** utm_content (default `{step}-{variant}`: the step id and the A/B variant). */
	content: string;
	/** Hosts whose links are left alone; a host also covers its subdomains (`shop.example.com` skips `www.shop.example.com`). */
	skipHosts: readonly string[];
}

export const DEFAULT_UTM: Readonly<UtmSettings> = {
	source: 'instagram',
	medium: 'story_dm',
	campaign: '{sequence}',
	content: '{step}-{variant}',
	skipHosts: [],
};

export interface UtmContext {
	sequence: string;
	stepId: string;
	variant: string;
}

export interface TaggedMessage {
	text: string;
	/** Every link that got parameters, as sent. */
	tagged: string[];
	/** Links found but left alone, with why. */
	skipped: Array<{ link: string; reason: 'has_utm' | 'skipped_host' }>;
}

/** An http(s) link up to the next blank or a character URLs never hold raw; not glued to a Latin word (`xhttps:`). */
const LINK = /(?<![A-Za-z0-9])https?:\/\/[^\s<>"'`{}|\\^]+/giu;
/**
 * Characters that end a link written in text, wherever they appear: quotes and brackets other than () and []
 * (« » “ ” 「 」 …), CJK sentence punctuation, the ellipsis, and emoji (👉).
 */
const ENDS_LINK =
	/[\p{Pi}\p{Pf}\u2026\u3001\u3002\uFF01\uFF0C\uFF1A\uFF1B\uFF1F\p{Extended_Pictographic}]|(?![()[\]])[\p{Ps}\p{Pe}]/u;
/** A BBCode tag at the start of the text: `[b]`, `[/b]`, `[url=…]`. */
const BBCODE_TAG = /^\[\/?[a-z]+(=[^\]\s]*)?\]/i;
/** Punctuation and symbols a link does not end with in prose (". , ; : ! ? * _ ~" and the like, in any script, and
 * the variation selectors, joiners and enclosing marks of emoji). */
const TRAILING = /^(?![/&=#%@+\-$)\]])[\p{P}\p{S}\p{Me}\uFE0E\uFE0F\u200D]$/u;

/** The UTM pairs for one send, in a fixed order (source, medium, campaign, content); empty values are dropped. */
export function utmParameters(settings: UtmSettings, context: UtmContext): Array<[string, string]> {
	const fill = (template: string) =>
		template
			.replace(/\{sequence\}/g, context.sequence)
			.replace(/\{step\}/g, context.stepId)
			.replace(/\{variant\}/g, context.variant)
			.trim();
	const pairs: Array<[string, string]> = [
		['utm_source', fill(settings.source)],
		['utm_medium', fill(settings.medium)],
		['utm_campaign', fill(settings.campaign)],
		['utm_content', fill(settings.content)],
	];
	return pairs.filter(([, value]) => value !== '');
}

/** Adds the UTM pairs to every http(s) link of `message` that is not on a skipped host and has no utm_* yet. */
export function tagLinks(
	message: string,
	settings: UtmSettings,
	context: UtmContext,
	/** Rewrites each tagged link as it goes into the text (the click-tracking redirect); `tagged` keeps the link itself. */
	wrap: (tagged: string) => string = (tagged) => tagged,
): TaggedMessage {
	const pairs = utmParameters(settings, context);
	const query = pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
	const skipHosts = settings.skipHosts.map(normaliseSkipHost).filter((h) => h !== '');
	const tagged: string[] = [];
	const skipped: TaggedMessage['skipped'] = [];
	if (query === '') return { text: message, tagged, skipped };
	// A run may hold several links (`[url](url)`): after each link, the search resumes right behind it.
	const pattern = new RegExp(LINK.source, LINK.flags);
	let text = '';
	let copied = 0;
	for (let match = pattern.exec(message); match; match = pattern.exec(message)) {
		const { link } = splitLink(match[0]);
		pattern.lastIndex = match.index + Math.max(1, link.length);
		const url = parseUrl(link);
		if (!url || hostOfUrl(url) === '') continue;
		const host = hostOfUrl(url);
		if (skipHosts.some((skip) => host === skip || host.endsWith(`.${skip}`))) {
			skipped.push({ link, reason: 'skipped_host' });
			continue;
		}
		if (hasUtm(url.search)) {
			skipped.push({ link, reason: 'has_utm' });
			continue;
		}
		const out = withQuery(link, query);
		tagged.push(out);
		text += message.slice(copied, match.index) + wrap(out);
		copied = match.index + link.length;
	}
	text += message.slice(copied);
	return { text, tagged, skipped };
}

/**
 * Splits a matched run into the link and what follows it: the link ends before a `)` or `]` it did not open
 * (markdown `[t](url)`, `[url]`), before a BBCode tag (`[/b]`), before any character of ENDS_LINK, and without trailing punctuation or
 * symbols (`**url**`, `url.`, `url!`).
 */
function splitLink(match: string): { link: string } {
	let end = 0;
	let parens = 0;
	let brackets = 0;
	for (const c of match) {
		// A BBCode tag ("[b]", "[/url]") is markup around the link, not a bracket of its path.
		if (c === '[' && BBCODE_TAG.test(match.slice(end))) break;
		if (c === '(') parens += 1;
		else if (c === '[') brackets += 1;
		else if ((c === ')' && parens-- === 0) || (c === ']' && brackets-- === 0)) break;
		else if (ENDS_LINK.test(c)) break;
		end += c.length;
	}
	let link = match.slice(0, end);
	for (let last = lastChar(link); TRAILING.test(last); last = lastChar(link))
		link = link.slice(0, link.length - last.length);
	return { link };
}

/** The last code point of `text` (a whole emoji half is never left behind). */
function lastChar(text: string): string {
	const code = text.codePointAt(text.length - 2);
	return code !== undefined && code > 0xffff ? text.slice(-2) : text.slice(-1);
}

function parseUrl(link: string): { hostname: string; search: string; protocol: string } | undefined {
	try {
		return new URL(link);
	} catch {
		return undefined;
	}
}

/** The host as WHATWG URL reads it (lower case, IDN in punycode), without a trailing dot. */
function hostOfUrl(url: { hostname: string }): string {
	return url.hostname.replace(/\.$/, '');
}

/** Lower-case host (IDN in punycode) without userinfo, port or a trailing dot; '' when there is none. */
export function hostOf(link: string): string {
	const url = parseUrl(link);
	return url ? hostOfUrl(url) : '';
}

/**
 * A Hosts to Skip entry as a host: `shop.example.com`, `*.example.com`, `https://example.com/path` or an IDN
 * (`bücher.de` → `xn--bcher-kva.de`), read as WHATWG URL would; '' when it is not a host.
 */
export function normaliseSkipHost(entry: string): string {
	const trimmed = entry.trim().replace(/^\*\./, '');
	if (trimmed === '') return '';
	const url = parseUrl(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`);
	return url ? hostOfUrl(url) : '';
}

/** Whether the query (WHATWG-decoded, so `utm%5Fsource` counts; the fragment does not) has a utm_* key. */
function hasUtm(search: string): boolean {
	for (const key of new URLSearchParams(search).keys()) if (/^utm_/i.test(key)) return true;
	return false;
}

/** Inserts `query` before the fragment, after an existing query string when there is one. */
function withQuery(link: string, query: string): string {
	const hash = link.indexOf('#');
	const base = hash === -1 ? link : link.slice(0, hash);
	const fragment = hash === -1 ? '' : link.slice(hash);
	const q = base.indexOf('?');
	const joiner = q === -1 ? '?' : q === base.length - 1 || base.endsWith('&') ? '' : '&';
	return `${base}${joiner}${query}${fragment}`;
}
