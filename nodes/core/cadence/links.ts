/**
 * Attributed links: UTM parameters added to every http(s) link of a message, so a visit or an order can be
 * traced back to the sequence, step and A/B variant that sent it. The link text is edited as text (never
 * re-serialised through URL), so everything the author wrote — query, fragment, case, encoding — stays as it was.
 */

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

/** An http(s) link up to the next blank or bracket-like delimiter. */
const LINK = /\bhttps?:\/\/[^\s<>"'`{}|\\^]+/gi;
/** Sentence punctuation that ends a link written in prose ("see https://x.com/a." → "https://x.com/a"). */
const TRAILING = /[.,;:!?)\]]+$/;

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
): TaggedMessage {
	const pairs = utmParameters(settings, context);
	const query = pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
	const skipHosts = settings.skipHosts.map(normaliseHost).filter((h) => h !== '');
	const tagged: string[] = [];
	const skipped: TaggedMessage['skipped'] = [];
	if (query === '') return { text: message, tagged, skipped };
	const text = message.replace(LINK, (match) => {
		const { link, rest } = splitTrailing(match);
		const host = hostOf(link);
		if (host === '') return match;
		if (skipHosts.some((skip) => host === skip || host.endsWith(`.${skip}`))) {
			skipped.push({ link, reason: 'skipped_host' });
			return match;
		}
		if (hasUtm(link)) {
			skipped.push({ link, reason: 'has_utm' });
			return match;
		}
		const out = withQuery(link, query);
		tagged.push(out);
		return out + rest;
	});
	return { text, tagged, skipped };
}

/** Splits sentence punctuation off a matched link; a `)` stays when the link itself opened a bracket. */
function splitTrailing(match: string): { link: string; rest: string } {
	const trailing = TRAILING.exec(match);
	let cut = trailing ? trailing[0].length : 0;
	const opens = (text: string) => text.split('(').length - text.split(')').length;
	while (
		cut > 0 &&
		match[match.length - cut] === ')' &&
		opens(match.slice(0, match.length - cut)) > 0
	)
		cut -= 1;
	return { link: match.slice(0, match.length - cut), rest: match.slice(match.length - cut) };
}

/** Lower-case host without userinfo, port or a trailing dot; '' when there is none. */
export function hostOf(link: string): string {
	const afterScheme = link.slice(link.indexOf('//') + 2);
	const end = afterScheme.search(/[/?#]/);
	let authority = end === -1 ? afterScheme : afterScheme.slice(0, end);
	const at = authority.lastIndexOf('@');
	if (at !== -1) authority = authority.slice(at + 1);
	if (authority.startsWith('['))
		return authority.slice(0, authority.indexOf(']') + 1).toLowerCase();
	return normaliseHost(authority.replace(/:\d*$/, ''));
}

function normaliseHost(host: string): string {
	return host.trim().toLowerCase().replace(/^\*\./, '').replace(/\.$/, '');
}

function hasUtm(link: string): boolean {
	const q = link.indexOf('?');
	if (q === -1) return false;
	const hash = link.indexOf('#', q);
	const search = hash === -1 ? link.slice(q + 1) : link.slice(q + 1, hash);
	return search.split('&').some((pair) => /^utm_/i.test(pair));
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
