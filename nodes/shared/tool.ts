import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

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
