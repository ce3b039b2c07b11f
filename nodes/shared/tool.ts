import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

/**
 * Whether the node runs as an AI agent's tool: n8n registers each `usableAsTool` node a second time as
 * `<type>Tool` and runs the same class under that type.
 */
export function runsAsTool(ctx: IExecuteFunctions): boolean {
	return ctx.getNode().type.endsWith('Tool');
}

/** Refuses, when the node runs as a tool, something an agent must never do (checked at run time too). */
export function refuseAsTool(ctx: IExecuteFunctions, what: string, why: string, itemIndex = 0): void {
	if (!runsAsTool(ctx)) return;
	throw new NodeOperationError(ctx.getNode(), `${what} is not available when this node runs as an AI tool`, {
		itemIndex,
		description: why,
	});
}

/** HUMAN_AGENT is for messages a person typed; an agent's message never is one. */
export function assertNotTool(ctx: IExecuteFunctions, itemIndex: number): void {
	refuseAsTool(
		ctx,
		'"A Person Typed This Message" (the HUMAN_AGENT tag)',
		'Meta allows the HUMAN_AGENT tag only for messages a person typed. Use the node outside the agent for human replies.',
		itemIndex,
	);
}

/**
 * Tool mode narrows only: an agent (or a value it reaches through an expression) can never make a node let more
 * through than the node's defaults do. A setting that could widen is hidden in the tool variant and checked at
 * run time: it must stay at its default (`fixedInTool`) or within a range that only narrows (`withinInTool`).
 */
export interface ToolLimit {
	/** Parameter name; dot paths reach collection options (`options.accountField`). */
	parameter: string;
	label: string;
	allows: (value: unknown) => boolean;
	/** What the tool variant allows, for the error. */
	rule: string;
}

/** The setting must stay at `value` (absent counts as the default). */
export function fixedInTool(parameter: string, label: string, value: string | boolean): ToolLimit {
	return {
		parameter,
		label,
		allows: (given) => given === undefined || given === value || (typeof given === 'string' && given.trim() === value),
		rule: `stays ${value === '' ? 'empty' : JSON.stringify(value)}`,
	};
}

/** A number setting may only narrow: `min` … `max` (the node's default is the widest value; absent = default). */
export function withinInTool(parameter: string, label: string, min: number, max: number): ToolLimit {
	return {
		parameter,
		label,
		allows: (given) => given === undefined || (typeof given === 'number' && given >= min && given <= max),
		rule: `is ${min} … ${max}`,
	};
}

/** Hides a property in the tool variant (keeps its other display conditions). */
export function hideInTool(property: INodeProperties): INodeProperties {
	const displayOptions = property.displayOptions ?? {};
	return { ...property, displayOptions: { ...displayOptions, hide: { ...(displayOptions.hide ?? {}), '@tool': [true] } } };
}

/** Fallback that marks a parameter not set (n8n throws on a missing parameter without one, and copies objects). */
const ABSENT = '\u0000not set';

/** Refuses, as a tool, the first setting outside its tool limit. */
export function enforceToolLimits(ctx: IExecuteFunctions, limits: readonly ToolLimit[], itemIndex = 0): void {
	if (!runsAsTool(ctx)) return;
	for (const limit of limits) {
		const read = ctx.getNodeParameter(limit.parameter, itemIndex, ABSENT) as unknown;
		const value = read === ABSENT ? undefined : read;
		if (limit.allows(value)) continue;
		refuseAsTool(
			ctx,
			`"${limit.label}" set to ${JSON.stringify(value) ?? String(value)}`,
			`As an AI tool, "${limit.label}" ${limit.rule}: an agent may narrow what is sent, never widen it. Use the node outside the agent for other settings.`,
			itemIndex,
		);
	}
}
