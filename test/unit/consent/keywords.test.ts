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
