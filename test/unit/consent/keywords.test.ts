import { KeywordMatcher, defaultKeywordMatcher } from '../../../nodes/core/consent/keywords';

describe('keyword families in the listed languages', () => {
	it.each([
		...['STOP', 'STOPALL', 'unsubscribe', 'Cancel', 'end', 'QUIT', 'revoke', 'OptOut', 'opt out', 'ARRET', 'Arrêt !', 'alto', 'BASTA', 'Stopp'].map(
			(word) => [word, 'opt_out'],
		),
		...['START', 'yes', 'Unstop', 'Oui', 'SÌ', 'sì', 'si', 'JA', 'Ja!'].map((word) => [word, 'opt_in']),
		...['HELP', 'info', 'Help?'].map((word) => [word, 'help']),
	])('%p → %p', (text, family) => {
		expect(defaultKeywordMatcher.match(text)).toBe(family);
	});

	it.each([
		'stop by our shop',
		'STOP PLEASE',
		'please stop',
		'yes please',
		'I want to unsubscribe',
		'information',
		'stopped',
		'stop stop',
	])('%p is a near-miss, not a keyword', (text) => {
		expect(defaultKeywordMatcher.match(text)).toBeUndefined();
	});

	it('"STOP PLEASE" matches once the user adds it, and reports the normalised keyword', () => {
		const matcher = new KeywordMatcher({ opt_out: ['Stop please'] });
		expect(matcher.matchKeyword('stop, please!')).toEqual({ family: 'opt_out', keyword: 'STOP PLEASE' });
		expect(matcher.matchKeyword('Stop all')).toEqual({ family: 'opt_out', keyword: 'STOP ALL' });
		expect(matcher.matchKeyword('hello')).toBeUndefined();
	});

	it('replacing the defaults keeps only the user lists', () => {
		const matcher = new KeywordMatcher({ opt_out: ['DESABONNER'] }, true);
		expect(matcher.match('stop')).toBeUndefined();
		expect(matcher.match('Désabonner')).toBe('opt_out');
	});
});

describe('keywords in compatibility forms and look-alike letters', () => {
	it.each([
		['full-width', 'ＳＴＯＰ'],
		['full-width lower case with an ideographic space', 'ｓｔｏｐ　ａｌｌ'],
		['mathematical bold', '𝐒𝐓𝐎𝐏'],
		['mathematical double-struck', '𝕊𝕋𝕆ℙ'],
		['mathematical script', '𝓢𝓽𝓸𝓹'],
		['mathematical monospace', '𝚄𝙽𝚂𝚄𝙱𝚂𝙲𝚁𝙸𝙱𝙴'],
		['circled', 'Ⓢⓣⓞⓟ'],
		['parenthesised', '⒮⒯⒪⒫'],
		['squared', '🅂🅃🄾🄿'],
		['negative circled', '🅢🅣🅞🅟'],
		['negative squared with emoji presentation', '🆂🆃🅾️🅿️'],
		['regional indicators', '🇸🇹🇴🇵'],
		['small capitals', 'ꜱᴛᴏᴘ'],
		['small capitals, long word', 'ᴜɴꜱᴜʙꜱᴄʀɪʙᴇ'],
		['Cyrillic look-alikes', 'ѕтор'],
		['Cyrillic capitals mixed with Latin', 'SТОР'],
		['superscript modifier letters', 'ˢᵗᵒᵖ'],
		['accents decomposed (NFD)', 'ARRE\u0302T'],
		['zero-width characters inside', 'S\u200bT\u2060O\ufeffP'],
	])('%s: %p is an opt-out', (_name, text) => {
		expect(defaultKeywordMatcher.match(text)).toBe('opt_out');
	});

	it.each([
		['full-width', 'ＳＴＡＲＴ'],
		['small capitals', 'ʏᴇꜱ'],
		['mathematical bold italic', '𝑱𝑨'],
	])('%s: %p is an opt-in', (_name, text) => {
		expect(defaultKeywordMatcher.match(text)).toBe('opt_in');
	});

	it('still a whole-message match: a compatibility-form sentence is no keyword', () => {
		expect(defaultKeywordMatcher.match('ꜱᴛᴏᴘ ʙʏ ᴏᴜʀ ꜱʜᴏᴘ')).toBeUndefined();
		expect(defaultKeywordMatcher.match('ＳＴＯＰ ＰＬＥＡＳＥ')).toBeUndefined();
		expect(defaultKeywordMatcher.match('С Т О П')).toBeUndefined();
	});

	it('user keywords are folded the same way, whatever form they are typed in', () => {
		const matcher = new KeywordMatcher({ opt_out: ['ＢＡＪＡ'] });
		expect(matcher.match('ʙᴀᴊᴀ')).toBe('opt_out');
		expect(matcher.match('baja')).toBe('opt_out');
	});
});
