import { NodeConnectionTypes } from 'n8n-workflow';

export interface OutputConfiguration {
	type: string;
	displayName: string;
}

/**
 * The node's outputs from its parameters. n8n evaluates this in an expression (`outputs` below), so the function
 * must be self-contained: no imports, no helpers, no optional chaining (it is stringified as compiled). Route
 * mode: one output per enabled segment in priority order — High Engagement, Profile Visitor, Repeat Viewer,
 * Top Score, Language or Place, each custom segment (first appearance), Possible Bot — then "No Segment".
 * The core's `segmentOrder` uses the same order (checked by test/unit/segment/outputs.test.ts).
 */
export function configuredOutputs(parameters: Record<string, unknown>, main: string): OutputConfiguration[] {
	if (parameters.outputMode !== 'route') return [{ type: main, displayName: 'Viewers' }];
	const labels: Record<string, string> = {
		highEngagement: 'High Engagement',
		profileVisitor: 'Profile Visitor',
		repeatViewer: 'Repeat Viewer',
		topScore: 'Top Score',
		languagePlace: 'Language or Place',
	};
	const builtIn = ['highEngagement', 'profileVisitor', 'repeatViewer', 'topScore', 'languagePlace'];
	const chosen = Array.isArray(parameters.segments) ? (parameters.segments as unknown[]) : [];
	const outputs: OutputConfiguration[] = [];
	for (const name of builtIn) {
		if (chosen.indexOf(name) !== -1) outputs.push({ type: main, displayName: labels[name] });
	}
	const custom = parameters.customSegments as { conditions?: unknown } | undefined;
	const conditions = custom && Array.isArray(custom.conditions) ? (custom.conditions as unknown[]) : [];
	const seen: string[] = [];
	for (const condition of conditions) {
		const raw = condition && typeof condition === 'object' ? (condition as Record<string, unknown>).segment : '';
		const name = typeof raw === 'string' ? raw.trim() : '';
		if (name !== '' && seen.indexOf(name) === -1) {
			seen.push(name);
			outputs.push({ type: main, displayName: name });
		}
	}
	if (chosen.indexOf('possibleBot') !== -1) outputs.push({ type: main, displayName: 'Possible Bot' });
	outputs.push({ type: main, displayName: 'No Segment' });
	return outputs;
}

/** The `outputs` expression n8n evaluates over the node's parameters (Switch V3's pattern). */
export const outputsExpression = `={{(${configuredOutputs.toString()})($parameter, ${JSON.stringify(
	NodeConnectionTypes.Main,
)})}}` as `={{${string}}}`;
