import {
	CadenceRun,
	parseSequence,
	type CadenceDecision,
	type CadenceOptions,
} from '../../../nodes/core/cadence';
import { compileTemplate, hasOptOut, renderTemplate } from '../../../nodes/core/cadence/template';
import { at, iso } from './simulate';

const NOW = at('2026-11-18T10:00:00Z');

function sendWith(
	template: string,
	variables: Record<string, unknown>,
	options: CadenceOptions = {},
	channel = 'email',
	state: Record<string, unknown> = {},
): CadenceDecision {
	const seq = parseSequence({
		id: 't',
		steps: [{ delay: { min: 0, unit: 'minutes' }, channel, variants: [template] }],
	});
	return new CadenceRun(seq, options, NOW).decide({
		contactId: 'c1',
		state: { enrolledAt: iso(NOW), lastInboundAt: iso(NOW - 60_000), timeZone: 'UTC', ...state },
		variables,
	});
}

const message = (d: CadenceDecision) => {
	if (d.kind !== 'send') throw new Error(`expected send, got ${d.kind}: ${JSON.stringify(d)}`);
	return d.message;
};

describe('templates', () => {
	it('fills variables, dotted paths, state fields and fallbacks', () => {
		expect(
			message(
				sendWith(
					'Hi {{name|there}}, about {{ storyTopic }}: code {{offer.code}}, step {{currentStep}} of {{sequence}}.',
					{
						storyTopic: 'yoga',
						offer: { code: 'Y10' },
					},
				),
			),
		).toBe('Hi there, about yoga: code Y10, step 0 of t.\n\nReply STOP to opt out.');
		expect(message(sendWith('Hi {{name|there}}', { name: '  ' }))).toMatch(/^Hi there/);
		expect(message(sendWith('Hi {{name|}}!', {}))).toMatch(/^Hi !/);
	});

	it('never sends an unresolved token: Done template_error naming it', () => {
		const d = sendWith('Hi {{name}}, your {{storyTopic}}', { name: 'Ana' });
		expect(d).toMatchObject({
			kind: 'done',
			reason: 'template_error',
			state: { status: 'done', doneReason: 'template_error', sentCount: 0 },
		});
		expect((d as { reasonText: string }).reasonText).toBe(
			'Step 1 variant A: no value for {{storyTopic}} and no fallback.',
		);
		expect(sendWith('Hi {{name}}', { name: 'sneaky {{x}}' })).toMatchObject({
			kind: 'done',
			reason: 'template_error',
		});
		expect(sendWith('Hi {{}}', {})).toMatchObject({ kind: 'done', reason: 'template_error' });
	});

	it('appends the opt-out sentence in the contact’s language, only when the template lacks one', () => {
		expect(message(sendWith('Bonjour', {}, {}, 'email', { language: 'fr-FR' }))).toBe(
			'Bonjour\n\nRépondez STOP pour ne plus recevoir de messages.',
		);
		expect(message(sendWith('Hallo', {}, {}, 'email', { language: 'xx' }))).toBe(
			'Hallo\n\nReply STOP to opt out.',
		);
		expect(message(sendWith('Hi. Text STOP to end.', {}))).toBe('Hi. Text STOP to end.');
		expect(message(sendWith('Hi. reply stop to opt out.', {}))).toBe('Hi. reply stop to opt out.');
		expect(
			message(
				sendWith('Hola', {}, { optOutSentences: { es: 'Escribe BAJA.' } }, 'email', {
					language: 'es',
				}),
			),
		).toBe('Hola\n\nEscribe BAJA.');
		expect(message(sendWith('Hi', {}, { appendOptOut: false }))).toBe('Hi');
		expect(message(sendWith('Hi', {}, { defaultLanguage: 'de' }))).toBe(
			'Hi\n\nAntworte STOPP, um keine Nachrichten mehr zu erhalten.',
		);
	});

	it('checks Instagram’s 1,000-byte limit (opt-out sentence included)', () => {
		const long = 'x'.repeat(990);
		const d = sendWith(long, {}, {}, 'instagram_dm');
		expect(d).toMatchObject({ kind: 'done', reason: 'template_error' });
		expect((d as { reasonText: string }).reasonText).toMatch(
			/1014 bytes in UTF-8 \(1014 characters\); instagram_dm allows 1000 bytes/,
		);
		// Meta counts UTF-8 bytes: 600 "é" are 1,200 bytes, refused before any send; Messenger counts characters.
		const accented = sendWith('é'.repeat(600), {}, { appendOptOut: false }, 'instagram_dm');
		expect(accented).toMatchObject({ kind: 'done', reason: 'template_error' });
		expect((accented as { reasonText: string }).reasonText).toMatch(/1200 bytes in UTF-8 \(600 characters\)/);
		expect(sendWith('é'.repeat(600), {}, { appendOptOut: false }, 'messenger').kind).toBe('send');
		expect(sendWith(long, {}, { appendOptOut: false }, 'instagram_dm').kind).toBe('send');
		expect(sendWith(long, {}, {}, 'email').kind).toBe('send');
	});

	it('compiles once and renders many times', () => {
		const t = compileTemplate('{{a}}-{{b|B}}-{{c.d}}');
		expect(renderTemplate(t, (p) => ({ a: 1, 'c.d': true })[p.join('.')])).toEqual({
			ok: true,
			text: '1-B-true',
		});
		expect(renderTemplate(t, () => undefined)).toEqual({
			ok: false,
			missing: ['{{a}}', '{{c.d}}'],
		});
		expect(hasOptOut('Questions? Reply ARRET', 'x')).toBe(true);
		expect(hasOptOut('Stop by our shop', 'Reply STOP to opt out.')).toBe(false);
	});
});
