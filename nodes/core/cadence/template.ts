/**
 * Message templates: `{{name}}`, `{{storyTopic}}`, any state variable or dotted path (`{{offer.code}}`), with
 * fallbacks `{{name|there}}`. A rendered message never contains an unresolved token.
 */
export const DEFAULT_OPT_OUT_SENTENCES: Readonly<Record<string, string>> = {
	en: 'Reply STOP to opt out.',
	fr: 'Répondez STOP pour ne plus recevoir de messages.',
	de: 'Antworte STOPP, um keine Nachrichten mehr zu erhalten.',
	es: 'Responde BAJA para no recibir más mensajes.',
	it: 'Rispondi STOP per non ricevere più messaggi.',
	pt: 'Responda PARAR para não receber mais mensagens.',
	nl: 'Antwoord STOP om je af te melden.',
};

/** Upper-case opt-out keywords that count as an opt-out instruction already present in a message. */
const OPT_OUT_INSTRUCTION =
	/(^|[^A-Za-z])(STOP|STOPP|ARRET|ARRÊT|BAJA|ALTO|PARAR|UNSUBSCRIBE)([^A-Za-z]|$)/;

type Segment = string | { path: string[]; token: string; fallback?: string };

export interface CompiledTemplate {
	source: string;
	segments: Segment[];
}

const TOKEN = /\{\{\s*([^{}|]*?)\s*(?:\|([^{}]*))?\}\}/g;

export function compileTemplate(source: string): CompiledTemplate {
	const segments: Segment[] = [];
	let last = 0;
	for (const match of source.matchAll(TOKEN)) {
		const index = match.index ?? 0;
		if (index > last) segments.push(source.slice(last, index));
		const name = match[1];
		segments.push({
			path: name.split('.').filter((p) => p !== ''),
			token: match[0],
			fallback: match[2] === undefined ? undefined : match[2].trim(),
		});
		last = index + match[0].length;
	}
	if (last < source.length) segments.push(source.slice(last));
	return { source, segments };
}

export type RenderResult = { ok: true; text: string } | { ok: false; missing: string[] };

/** Renders with `lookup(path)`; empty, null and missing values use the fallback or fail. */
export function renderTemplate(
	template: CompiledTemplate,
	lookup: (path: string[]) => unknown,
): RenderResult {
	let text = '';
	let missing: string[] | undefined;
	for (const segment of template.segments) {
		if (typeof segment === 'string') {
			text += segment;
			continue;
		}
		const value = segment.path.length === 0 ? undefined : lookup(segment.path);
		const rendered = valueToText(value);
		if (rendered !== undefined) text += rendered;
		else if (segment.fallback !== undefined) text += segment.fallback;
		else (missing ??= []).push(segment.token);
	}
	if (missing) return { ok: false, missing };
	// A value that itself holds a token must not leak one into the message.
	const leftover = text.includes('{{') ? /\{\{[\s\S]*?\}\}/.exec(text) : null;
	if (leftover) return { ok: false, missing: [leftover[0]] };
	return { ok: true, text };
}

function valueToText(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'string') return value.trim() === '' ? undefined : value;
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
	if (typeof value === 'boolean') return String(value);
	return undefined;
}

/** True when the message already tells people how to opt out (the sentence itself, or an upper-case keyword). */
export function hasOptOut(message: string, sentence: string): boolean {
	if (OPT_OUT_INSTRUCTION.test(message)) return true;
	const norm = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();
	return norm(message).includes(norm(sentence));
}

/** Language code of a locale (`fr-FR` → `fr`), lower-case. */
export function languageOf(locale: string): string {
	return locale.trim().toLowerCase().split(/[-_]/)[0];
}
