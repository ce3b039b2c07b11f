import {
	CadenceRun,
	DEFAULT_UTM,
	hostOf,
	normaliseSkipHost,
	parseSequence,
	tagLinks,
	type CadenceSequenceInput,
	type SendDecision,
	type UtmSettings,
} from '../../../nodes/core/cadence';
import { at, iso, MIN } from './simulate';

const CONTEXT = { sequence: 'storyReplyWindow', stepId: 'step2', variant: 'B' };
const UTM =
	'utm_source=instagram&utm_medium=story_dm&utm_campaign=storyReplyWindow&utm_content=step2-B';
const tag = (text: string, settings: Partial<UtmSettings> = {}) =>
	tagLinks(text, { ...DEFAULT_UTM, ...settings }, CONTEXT);

describe('tagLinks', () => {
	it('adds source, medium, campaign (sequence) and content (step-variant) to a bare link', () => {
		const r = tag('See https://shop.example.com/yoga now');
		expect(r.text).toBe(`See https://shop.example.com/yoga?${UTM} now`);
		expect(r.tagged).toEqual([`https://shop.example.com/yoga?${UTM}`]);
	});

	it('keeps an existing query string and the fragment, in place', () => {
		expect(tag('https://x.com/p?ref=ig&size=M#reviews').text).toBe(
			`https://x.com/p?ref=ig&size=M&${UTM}#reviews`,
		);
		expect(tag('https://x.com/#top').text).toBe(`https://x.com/?${UTM}#top`);
		expect(tag('https://x.com/p?a=1&').text).toBe(`https://x.com/p?a=1&${UTM}`);
		// A question mark that ends the sentence is not the link's.
		expect(tag('Seen https://x.com/p?').text).toBe(`Seen https://x.com/p?${UTM}?`);
	});

	it('leaves sentence punctuation outside the link but keeps brackets the link opened', () => {
		expect(tag('Shop: https://x.com/a.').text).toBe(`Shop: https://x.com/a?${UTM}.`);
		expect(tag('(https://x.com/a)').text).toBe(`(https://x.com/a?${UTM})`);
		expect(tag('https://en.wikipedia.org/wiki/Yoga_(exercise)!').text).toBe(
			`https://en.wikipedia.org/wiki/Yoga_(exercise)?${UTM}!`,
		);
	});

	it('tags every link of a message', () => {
		const r = tag('A https://a.com and B http://b.com/x?y=1');
		expect(r.tagged).toEqual([`https://a.com?${UTM}`, `http://b.com/x?y=1&${UTM}`]);
	});

	it('leaves links that already carry utm_* parameters exactly as written', () => {
		const link = 'https://x.com/p?utm_source=newsletter&utm_medium=email';
		const r = tag(`Go ${link}`);
		expect(r.text).toBe(`Go ${link}`);
		expect(r.skipped).toEqual([{ link, reason: 'has_utm' }]);
	});

	it('leaves non-http links alone (mailto, tel, app links, bare domains)', () => {
		const text = 'Mail me mailto:a@b.com, call tel:+331234, open instagram://user?u=x or www.x.com';
		const r = tag(text);
		expect(r.text).toBe(text);
		expect(r.tagged).toEqual([]);
	});

	it('skips listed hosts and their subdomains, whatever the case, port or userinfo', () => {
		const r = tag(
			'https://wa.me/331 https://WWW.Calendly.com:443/x https://u@calendly.com https://notcalendly.com',
			{
				skipHosts: ['wa.me', 'calendly.com'],
			},
		);
		expect(r.text).toBe(
			`https://wa.me/331 https://WWW.Calendly.com:443/x https://u@calendly.com https://notcalendly.com?${UTM}`,
		);
		expect(r.skipped.map((s) => s.reason)).toEqual([
			'skipped_host',
			'skipped_host',
			'skipped_host',
		]);
	});

	it('uses overridden values with {sequence}/{step}/{variant} and encodes them; empty values are dropped', () => {
		const r = tag('https://x.com', {
			source: 'ig story',
			campaign: 'spring-{sequence}',
			content: '{variant}',
			medium: '',
		});
		expect(r.text).toBe(
			'https://x.com?utm_source=ig%20story&utm_campaign=spring-storyReplyWindow&utm_content=B',
		);
	});

	// Issue 23, item 8: each case below was tagged wrongly by the text-only rewriter (the tag went after the
	// punctuation or emoji, into markdown or brackets, or the link was judged tagged / untagged wrongly).
	it.each([
		// Ellipsis, CJK full stop, guillemets, emoji: not part of the path ("/a…" would be a 404).
		['Voir https://x.com/a…', `Voir https://x.com/a?${UTM}…`],
		['詳細はhttps://x.com/a。次へ', `詳細はhttps://x.com/a?${UTM}。次へ`],
		['«https://x.com/a»', `«https://x.com/a?${UTM}»`],
		['👉https://x.com/a👉 go', `👉https://x.com/a?${UTM}👉 go`],
		['https://x.com/a!!! ', `https://x.com/a?${UTM}!!! `],
		['Ответ: https://x.com/a!', `Ответ: https://x.com/a?${UTM}!`],
		// Markdown bold, italics and links; [b] brackets: the tag goes inside the URL, never after ** or ].
		['**https://x.com/a**', `**https://x.com/a?${UTM}**`],
		['__https://x.com/a__', `__https://x.com/a?${UTM}__`],
		['[shop](https://x.com/a)', `[shop](https://x.com/a?${UTM})`],
		[
			'[https://x.com/a](https://x.com/b)',
			`[https://x.com/a?${UTM}](https://x.com/b?${UTM})`,
		],
		['see [https://x.com/a] ok', `see [https://x.com/a?${UTM}] ok`],
		['[b]https://x.com/a[/b]', `[b]https://x.com/a?${UTM}[/b]`],
		['[url=https://x.com/a]shop[/url]', `[url=https://x.com/a?${UTM}]shop[/url]`],
		// A bracket the link opened stays in it.
		['https://x.com/list[1]/a', `https://x.com/list[1]/a?${UTM}`],
		// utm_ in the fragment is not a query parameter, even after a "?": the link is tagged (before the fragment).
		['https://x.com/a#utm_source=x', `https://x.com/a?${UTM}#utm_source=x`],
		['https://x.com/a#tab?utm_source=x', `https://x.com/a?${UTM}#tab?utm_source=x`],
	])('%s → tag inside the link', (message, expected) => {
		expect(tag(message).text).toBe(expected);
	});

	it('counts a percent-encoded utm_source in the query as tagged (WHATWG decoding)', () => {
		const link = 'https://x.com/a?utm%5Fsource=newsletter';
		expect(tag(link)).toEqual({ text: link, tagged: [], skipped: [{ link, reason: 'has_utm' }] });
	});

	it('normalises Hosts to Skip like a URL host: IDN to punycode, URL-shaped entries, wildcards', () => {
		// bücher.de is xn--bcher-kva.de in punycode (RFC 3492); a URL entry means its host.
		expect(normaliseSkipHost('BÜCHER.de')).toBe('xn--bcher-kva.de');
		expect(normaliseSkipHost('https://Shop.Example.com/path?q=1')).toBe('shop.example.com');
		expect(normaliseSkipHost('*.example.org.')).toBe('example.org');
		expect(normaliseSkipHost('not a host')).toBe('');
		const r = tag('https://bücher.de/x https://xn--bcher-kva.de/y https://www.shop.example.com/a https://x.com', {
			skipHosts: ['BÜCHER.de', 'https://shop.example.com/path'],
		});
		expect(r.tagged).toEqual([`https://x.com?${UTM}`]);
		expect(r.skipped.map((s) => s.reason)).toEqual(['skipped_host', 'skipped_host', 'skipped_host']);
	});

	it('reads hosts', () => {
		expect(hostOf('https://User:pw@Shop.Example.COM.:8443/a?b#c')).toBe('shop.example.com');
		expect(hostOf('http://[::1]:80/')).toBe('[::1]');
	});
});

describe('Cadence run with link tracking', () => {
	const NOW = at('2026-11-18T10:00:00Z');
	const sequence: CadenceSequenceInput = {
		id: 'spring',
		steps: [
			{
				id: 'hello',
				delay: { min: 0, unit: 'minutes' },
				channel: 'email',
				variants: ['Hi, see https://shop.example.com/new'],
			},
		],
	};
	const run = (utm: UtmSettings | null) =>
		new CadenceRun(parseSequence(sequence), { utm, quietHours: null }, NOW).decide({
			contactId: 'c1',
			state: { enrolledAt: iso(NOW - MIN) },
		}) as SendDecision;

	it('sends the tagged message and reports campaign, content and links; the opt-out sentence comes after', () => {
		const d = run(DEFAULT_UTM);
		expect(d.kind).toBe('send');
		const link =
			'https://shop.example.com/new?utm_source=instagram&utm_medium=story_dm&utm_campaign=spring&utm_content=hello-A';
		expect(d.message).toBe(`Hi, see ${link}\n\nReply STOP to opt out.`);
		expect(d.utm).toEqual({ campaign: 'spring', content: 'hello-A' });
		expect(d.links).toEqual([link]);
	});

	it('leaves the message as written when tracking is off', () => {
		const d = run(null);
		expect(d.message).toBe('Hi, see https://shop.example.com/new\n\nReply STOP to opt out.');
		expect(d.utm).toBeUndefined();
	});
});

describe('tagLinks on generated messages', () => {
	// Every URL below is followed by text that is not part of it; the tagged link must be exactly URL?UTM (or
	// URL&UTM with a query, before any fragment) and everything after it must stay as written.
	const urls = ['https://x.com/a', 'https://x.com/a/b?q=1', 'http://shop.example.org/p#top', 'https://x.com/wiki/Yoga_(exercise)'];
	const tails = ['.', '…', '。', '!', '?', '»', '”', '👉', '**', ')', ']', '!!!', '.)', '…»', '?!', ',', ';', ':', '」', '️⃣'];
	const heads = ['', ' ', '(', '[', '«', '“', '**', '👉', '「'];
	const expected = (url: string) => {
		const hash = url.indexOf('#');
		const base = hash === -1 ? url : url.slice(0, hash);
		const fragment = hash === -1 ? '' : url.slice(hash);
		return `${base}${base.includes('?') ? '&' : '?'}${UTM}${fragment}`;
	};
	const cases = urls.flatMap((url) => tails.flatMap((tail) => heads.map((head) => [head, url, tail] as const)));

	it(`tags ${cases.length} combinations of link, leading and trailing text`, () => {
		for (const [head, url, tail] of cases) {
			const message = `Hi ${head}${url}${tail} bye`;
			expect([message, tag(message).text]).toEqual([message, `Hi ${head}${expected(url)}${tail} bye`]);
		}
	});
});
