// In-process workflow runner: real n8n-core WorkflowExecute, our real node classes, v1 execution order.
import 'reflect-metadata';
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	NodeConnectionTypes,
	Workflow,
	type ICredentialDataDecryptedObject,
	type IConnections,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type INodeTypes,
	type IRun,
	type IRunExecutionData,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

export const PACKAGE = 'n8n-nodes-story-leads';

/** Emits nothing but one empty item: the workflow's start. */
class TestTrigger implements INodeType {
	description = {
		displayName: 'Test Trigger',
		name: 'testTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Starts a test workflow',
		defaults: { name: 'Start' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	} as unknown as INodeTypeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [[{ json: {} }]];
	}
}

/** Emits the items given in its `items` parameter (a JSON array of objects). */
class TestSeed implements INodeType {
	description = {
		displayName: 'Test Seed',
		name: 'testSeed',
		group: ['transform'],
		version: 1,
		description: 'Emits fixed items',
		defaults: { name: 'Seed' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	} as unknown as INodeTypeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string | IDataObject[];
		const list = (typeof raw === 'string' ? JSON.parse(raw) : raw) as IDataObject[];
		return [list.map((json) => ({ json, pairedItem: { item: 0 } }))];
	}
}

export type CredentialStore = Record<string, ICredentialDataDecryptedObject>;

export interface WorkflowDefinition {
	nodes: INode[];
	connections: IConnections;
}

export interface RunResult {
	run: IRun;
	/** Output items of a node's first run, per output index. */
	outputOf(nodeName: string): INodeExecutionData[][];
	/** Error thrown by the workflow, if any. */
	error?: Error;
}

function registry(extraTypes: Record<string, INodeType>): INodeTypes {
	const types: Record<string, INodeType> = {
		'test.trigger': new TestTrigger(),
		'test.seed': new TestSeed(),
		...extraTypes,
	};
	const lookup = (name: string): INodeType => {
		const type = types[name];
		if (!type) throw new Error(`Unknown node type ${name} in test workflow`);
		return type;
	};
	return {
		getByName: lookup,
		getByNameAndVersion: lookup,
		getKnownTypes: () => ({}),
	} as unknown as INodeTypes;
}

/**
 * Builds the credentials helper the engine needs. `authenticate` applies a credential class's
 * generic `authenticate` block (headers and query), enough for our Instagram API credential.
 */
function credentialsHelper(store: CredentialStore, credentialTypes: Record<string, unknown>) {
	const resolve = (template: unknown, data: ICredentialDataDecryptedObject): unknown => {
		if (typeof template !== 'string' || !template.startsWith('=')) return template;
		return template
			.slice(1)
			.replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_m, key: string) => String(data[key] ?? ''));
	};
	return {
		getParentTypes: () => [],
		isCredentialUsableByNode: () => true,
		getDecrypted: async (_a: unknown, nodeCredentials: { name: string }, type: string) => {
			const data = store[type];
			if (!data) throw new Error(`No test credentials of type ${type}`);
			return data;
		},
		getCredentials: async () => ({}),
		updateCredentials: async () => undefined,
		updateCredentialsOauthTokenData: async () => undefined,
		getCredentialsProperties: () => [],
		preAuthentication: async () => undefined,
		authenticate: async (
			data: ICredentialDataDecryptedObject,
			typeName: string,
			requestOptions: { headers?: IDataObject; qs?: IDataObject },
		) => {
			const type = credentialTypes[typeName] as
				| { authenticate?: { properties?: { headers?: IDataObject; qs?: IDataObject } } }
				| undefined;
			const props = type?.authenticate?.properties ?? {};
			for (const [key, value] of Object.entries(props.headers ?? {})) {
				requestOptions.headers = { ...(requestOptions.headers ?? {}), [key]: resolve(value, data) as string };
			}
			for (const [key, value] of Object.entries(props.qs ?? {})) {
				requestOptions.qs = { ...(requestOptions.qs ?? {}), [key]: resolve(value, data) as string };
			}
			return requestOptions;
		},
	};
}

export interface RunOptions {
	/** Our node classes keyed by type, e.g. { 'n8n-nodes-story-leads.viewerSegment': new ViewerSegment() }. */
	nodeTypes: Record<string, INodeType>;
	credentials?: CredentialStore;
	credentialTypes?: Record<string, unknown>;
}

/** Runs a whole workflow definition in-process, starting from its `test.trigger` node. */
export async function runWorkflow(definition: WorkflowDefinition, options: RunOptions): Promise<RunResult> {
	const workflow = new Workflow({
		id: 'wf-test',
		name: 'test',
		active: false,
		nodeTypes: registry(options.nodeTypes),
		nodes: definition.nodes,
		connections: definition.connections,
		settings: { executionOrder: 'v1' },
	});
	const start = definition.nodes.find((node) => node.type === 'test.trigger');
	if (!start) throw new Error('A test workflow needs a test.trigger node');
	const hooks = new ExecutionLifecycleHooks('manual', 'exec-1', {
		id: 'wf-test',
		name: 'test',
		nodes: [],
		connections: {},
	} as never);
	const finished = new Promise<IRun>((resolve) => hooks.addHandler('workflowExecuteAfter', (run: IRun) => resolve(run)));
	const additionalData = {
		executionId: 'exec-1',
		hooks,
		variables: {},
		credentialsHelper: credentialsHelper(options.credentials ?? {}, options.credentialTypes ?? {}),
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		currentNodeParameters: undefined,
	} as unknown as IWorkflowExecuteAdditionalData;
	const runData = {
		startData: {},
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			waitingExecution: {},
			waitingExecutionSource: null,
			nodeExecutionStack: [{ node: workflow.getNode(start.name) as INode, data: { main: [[{ json: {} }]] }, source: null }],
		},
	} as unknown as IRunExecutionData;
	await new WorkflowExecute(additionalData, 'manual', runData).processRunExecutionData(workflow);
	const run = await finished;
	return {
		run,
		error: run.data.resultData.error as Error | undefined,
		outputOf(nodeName: string) {
			const taskData = run.data.resultData.runData[nodeName]?.[0];
			if (!taskData) throw new Error(`Node "${nodeName}" did not run`);
			return (taskData.data?.main ?? []).map((items) => items ?? []);
		},
	};
}

let nodeCounter = 0;
function node(name: string, type: string, parameters: IDataObject, extra: Partial<INode> = {}): INode {
	nodeCounter += 1;
	return {
		id: `node-${nodeCounter}`,
		name,
		type,
		typeVersion: 1,
		position: [nodeCounter * 200, 0],
		parameters,
		...extra,
	} as INode;
}

export interface SingleNodeRun {
	/** Node type, e.g. `${PACKAGE}.viewerSegment`. */
	type: string;
	parameters: IDataObject;
	/** Items for each input (index 0, 1, …); `undefined` leaves that input unconnected. */
	inputs: Array<IDataObject[] | undefined>;
	credentials?: Record<string, { id: string; name: string }>;
	continueOnFail?: boolean;
	/** The node's "On Error" setting; wins over continueOnFail. */
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
}

/**
 * Trigger → one seed node per connected input → the node under test. Returns the node's outputs.
 */
export async function runSingleNode(spec: SingleNodeRun, options: RunOptions): Promise<RunResult> {
	const nodes: INode[] = [node('Start', 'test.trigger', {})];
	const connections: IConnections = { Start: { main: [[]] } };
	const underTest = node('Node Under Test', spec.type, spec.parameters, {
		credentials: spec.credentials,
		...(spec.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		...(spec.onError ? { onError: spec.onError } : {}),
	});
	spec.inputs.forEach((items, index) => {
		if (items === undefined) return;
		const seedName = `Input ${index}`;
		nodes.push(node(seedName, 'test.seed', { items: JSON.stringify(items) }));
		connections.Start.main[0]!.push({ node: seedName, type: 'main', index: 0 });
		connections[seedName] = { main: [[{ node: underTest.name, type: 'main', index }]] };
	});
	nodes.push(underTest);
	return await runWorkflow({ nodes, connections }, options);
}
