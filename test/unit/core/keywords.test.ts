import { KeywordMatcher, defaultKeywordMatcher, normaliseKeywordText } from '../../../nodes/core/consent/keywords';

describe('keyword matching', () => {
	it.each([
		['STOP', 'opt_out'],
		['stop', 'opt_out'],
		['  Stop! ', 'opt_out'],
		['Arrêt', 'opt_out'],
		['ARRET.', 'opt_out'],
		['alto', 'opt_out'],
		['Basta', 'opt_out'],
		['stopp', 'opt_out'],
		['opt-out', 'opt_out'],
		['Stop all', 'opt_out'],
		['unsubscribe', 'opt_out'],
		['START', 'opt_in'],
		['Sì', 'opt_in'],
		['oui', 'opt_in'],
		['ja', 'opt_in'],
		['unstop', 'opt_in'],
		['help', 'help'],
		['Info?', 'help'],
	])('%p is %p', (text, family) => {
		expect(defaultKeywordMatcher.match(text)).toBe(family);
	});

	it.each([['stop by our shop'], ['STOP PLEASE'], ['stopping'], ['yes please'], [''], ['🛑']])(
		'%p is not a keyword',
		(text) => {
			expect(defaultKeywordMatcher.match(text)).toBeUndefined();
		},
	);

	it('accepts user words, and opt-out wins when a word is in two lists', () => {
		const matcher = new KeywordMatcher({ opt_out: ['stop please', 'yes'] });
		expect(matcher.match('STOP PLEASE')).toBe('opt_out');
		expect(matcher.match('yes')).toBe('opt_out');
	});

	it('normalises accents, case and punctuation', () => {
		expect(normaliseKeywordText('  Désabonner !! ')).toBe('DESABONNER');
	});
});
