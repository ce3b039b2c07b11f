import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import {
	CadenceRun,
	DEFAULT_QUIET_HOURS,
	DEFAULT_UTM,
	PRESET_IDS,
	parseClock,
	parseSequence,
	presetSequence,
	type CadenceDecision,
	type CadenceOptions,
	type CadenceSequence,
	type CadenceSequenceInput,
	type PresetId,
	type UtmSettings,
	isHttpUrl,
	type ClickTracking,
} from '../../core/cadence';
import { PRIVACY_CREDENTIAL, readPepper } from '../../shared/privacy';
import { isValidTimeZone } from '../../core/time/instant';
import { readNowParameter, routeEachItem, type RoutedItem } from '../../shared/items';
import { boundedNumber, optionOr, readBoundedNumber, readStrictBoolean, type Bounds } from '../../shared/settings';

export const OUTPUT = { send: 0, wait: 1, done: 2 } as const;

/** Ranges of the settings that bound sending, checked at run time too (the UI's limits do not hold for expressions). */
export const CADENCE_BOUNDS = {
	perRunCap: { min: 0, max: 1_000_000, integer: true },
	completeAfterHours: { min: 0, max: 8_760 },
	/** Any unit (minutes, hours, days): 0 … 10,000. */
	delay: { min: 0, max: 10_000 },
	jitterMinutes: { min: 0, max: 1_440 },
	windowMarginMinutes: { min: 0, max: 1_440 },
	weekday: { min: 0, max: 6, integer: true },
} satisfies Record<string, Bounds>;

interface FieldNames {
	contactIdField: string;
	stateField: string;
	variablesField: string;
	/** Whether output items also carry the input item's fields (the decision's fields win on a clash). */
	keepInputFields: boolean;
}

/** The node's only operation: its parameters all live in ../description.ts. */
export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const now = readNowParameter(this, 'now');
	const sequence = readSequence(this);
	const options = { ...readOptions(this), clickTracking: await readClickTracking(this) };
	const fields = readFieldNames(this);
	const run = new CadenceRun(sequence, options, now);

	return await routeEachItem.call(
		this,
		3,
		(itemIndex, item) => {
			const json = item.json;
			const contactId = readContactId(json, fields.contactIdField);
			if (contactId === undefined) {
				throw new NodeOperationError(
					this.getNode(),
					`Item ${itemIndex} has no contact ID in "${fields.contactIdField}"`,
					{
						itemIndex,
						description:
							'Map the contact’s ID (IGSID, viewerKey or CRM ID) to that field, or change "Contact ID Field".',
					},
				);
			}
			const state = fields.stateField === '' ? json : asObject(json[fields.stateField]);
			const decision = run.decide({
				contactId,
				state,
				variables: { ...json, ...asObject(json[fields.variablesField]) },
			});
			const routed = toItem(this, decision, json, sequence.id, itemIndex);
			if (fields.keepInputFields) routed.json = { ...json, ...routed.json };
			return [routed];
		},
		{ safeOutput: OUTPUT.done },
	);
}

function toItem(
	ctx: IExecuteFunctions,
	decision: CadenceDecision,
	json: IDataObject,
	sequenceId: string,
	itemIndex: number,
): RoutedItem {
	if (decision.kind === 'error') {
		throw new NodeOperationError(ctx.getNode(), `Item ${itemIndex}: ${decision.message}`, {
			itemIndex,
			description: decision.description,
		});
	}
	const warnings = decision.warnings.length > 0 ? { warnings: decision.warnings } : {};
	const state = decision.state as unknown as IDataObject;
	if (decision.kind === 'send') {
		return {
			output: OUTPUT.send,
			json: {
				contactId: decision.contactId,
				recipientId: decision.contactId,
				...(typeof json.viewerKey === 'string' ? { viewerKey: json.viewerKey } : {}),
				channel: decision.channel,
				message: decision.message,
				step: decision.step,
				stepId: decision.stepId,
				variant: decision.variant,
				idempotencyKey: decision.idempotencyKey,
				sequence: sequenceId,
				dueAt: decision.dueAt,
				...(decision.utm
					? {
							utmCampaign: decision.utm.campaign,
							utmContent: decision.utm.content,
							links: decision.links ?? [],
						}
					: {}),
				state,
				...warnings,
			},
		};
	}
	if (decision.kind === 'wait') {
		return {
			output: OUTPUT.wait,
			json: {
				contactId: decision.contactId,
				nextDueAt: decision.nextDueAt,
				waitReason: decision.waitReason,
				nextStep: decision.nextStep,
				sequence: sequenceId,
				state,
				...warnings,
			},
		};
	}
	return {
		output: OUTPUT.done,
		json: {
			contactId: decision.contactId,
			reason: decision.reason,
			reasonText: decision.reasonText,
			...(decision.handoffChannel ? { handoffChannel: decision.handoffChannel } : {}),
			...(decision.moveTo ? { moveTo: decision.moveTo } : {}),
			sequence: sequenceId,
			state,
			...warnings,
		},
	};
}

function readContactId(json: IDataObject, field: string): string | undefined {
	for (const key of [field, 'contactId', 'recipientId']) {
		const value = json[key];
		if (typeof value === 'string' && value.trim() !== '') return value.trim();
		if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	}
	return undefined;
}

function asObject(value: unknown): IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value)
		? (value as IDataObject)
		: {};
}

function readSequence(ctx: IExecuteFunctions): CadenceSequence {
	const choice = String(ctx.getNodeParameter('sequence', 0)).trim();
	if (choice !== 'custom' && !(PRESET_IDS as readonly string[]).includes(choice)) {
		throw new NodeOperationError(ctx.getNode(), `Unknown sequence "${choice}"`, {
			itemIndex: 0,
			description: `Sequence must be one of ${[...PRESET_IDS, 'custom'].join(', ')}.`,
		});
	}
	let input: CadenceSequenceInput;
	if ((PRESET_IDS as readonly string[]).includes(choice)) {
		const channel =
			choice === 'storyReplyWindow'
				? 'presetDefault'
				: (ctx.getNodeParameter('presetChannel', 0, 'presetDefault') as string);
		const handoff = ctx.getNodeParameter('handoffChannel', 0, 'presetDefault') as string;
		input = presetSequence(choice as PresetId, {
			channel: channel === 'presetDefault' ? undefined : channel,
			handoffChannel: handoff === 'presetDefault' || handoff === 'none' ? undefined : handoff,
		});
		if (handoff === 'none') input.handoffChannel = undefined;
		applyOverrides(ctx, input);
	} else {
		input = readCustomSequence(ctx);
	}
	try {
		return parseSequence(input);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), (error as Error).message, {
			itemIndex: 0,
			description: 'Check the sequence steps: each needs a message and a delay.',
		});
	}
}

function applyOverrides(ctx: IExecuteFunctions, input: CadenceSequenceInput): void {
	const raw = ctx.getNodeParameter('messageOverrides', 0, {}) as {
		message?: Array<{ step: number; variant: string; template: string }>;
	};
	for (const override of raw.message ?? []) {
		const step = input.steps[override.step - 1];
		if (!step || override.template.trim() === '') continue;
		const variantIndex = Math.max(0, 'ABC'.indexOf(override.variant));
		if (variantIndex > step.variants.length) {
			throw new NodeOperationError(
				ctx.getNode(),
				`Message override for step ${override.step} variant ${override.variant} skips a variant`,
				{
					itemIndex: 0,
					description: 'Override variant A or B first.',
				},
			);
		}
		step.variants[variantIndex] = override.template;
	}
}

interface CustomStepParameters {
	delayMin: number;
	delayMax: number;
	delayUnit: 'minutes' | 'hours' | 'days';
	channel: string;
	template: string;
	templateB?: string;
	templateC?: string;
	allowEarlier?: boolean;
	quietHours?: boolean;
}

function readCustomSequence(ctx: IExecuteFunctions): CadenceSequenceInput {
	const raw = ctx.getNodeParameter('steps', 0, {}) as { step?: CustomStepParameters[] };
	const handoff = ctx.getNodeParameter('customHandoffChannel', 0, 'none') as string;
	const moveTo = (ctx.getNodeParameter('moveTo', 0, '') as string).trim();
	const steps = raw.step ?? [];
	if (steps.length === 0) {
		throw new NodeOperationError(ctx.getNode(), 'The custom sequence has no steps', {
			itemIndex: 0,
			description: 'Add at least one step.',
		});
	}
	return {
		id: (ctx.getNodeParameter('sequenceId', 0, 'custom') as string).trim(),
		handoffChannel: handoff === 'none' ? undefined : handoff,
		completeAfter: {
			min: readBoundedNumber(ctx, 'completeAfterHours', 'Complete After (Hours)', 24, CADENCE_BOUNDS.completeAfterHours),
			unit: 'hours',
		},
		moveToOnExhausted: moveTo === '' ? undefined : moveTo,
		stopOnConversion: readStrictBoolean(ctx, 'stopOnConversion', 'Stop on Conversion', true),
		steps: steps.map((step, index) => ({
			delay: stepDelay(ctx, step, index),
			channel: step.channel,
			variants: [step.template, step.templateB ?? '', step.templateC ?? ''].filter(
				(t) => t.trim() !== '',
			),
			allowEarlier: step.allowEarlier ?? true,
			quietHours: step.quietHours ?? true,
		})),
	};
}

/** A custom step's delay, range-checked: a negative or non-numeric delay would send a follow-up early. */
function stepDelay(ctx: IExecuteFunctions, step: CustomStepParameters, index: number): CadenceSequenceInput['steps'][number]['delay'] {
	const label = (name: string) => `Steps → step ${index + 1} → ${name}`;
	const min = boundedNumber(ctx, label('Delay'), optionOr(step.delayMin, 0), CADENCE_BOUNDS.delay);
	const max = boundedNumber(ctx, label('Delay Up To'), optionOr(step.delayMax, 0), CADENCE_BOUNDS.delay);
	return { min, max: max > min ? max : undefined, unit: step.delayUnit };
}

function readOptions(ctx: IExecuteFunctions): CadenceOptions {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	let quietHours: CadenceOptions['quietHours'] = null;
	if (readStrictBoolean(ctx, 'quietHours', 'Quiet Hours', true)) {
		const startText = ctx.getNodeParameter('quietStart', 0, '21:00') as string;
		const endText = ctx.getNodeParameter('quietEnd', 0, '08:00') as string;
		const startMinute = parseClock(startText);
		const endMinute = parseClock(endText);
		if (startMinute === undefined || endMinute === undefined) {
			throw new NodeOperationError(
				ctx.getNode(),
				`Quiet hours "${startText}"–"${endText}" are not valid times`,
				{
					itemIndex: 0,
					description: 'Use 24-hour HH:MM, e.g. 21:00 and 08:00.',
				},
			);
		}
		quietHours =
			startMinute === DEFAULT_QUIET_HOURS.startMinute && endMinute === DEFAULT_QUIET_HOURS.endMinute
				? DEFAULT_QUIET_HOURS
				: { startMinute, endMinute };
	}
	const businessDays = readStrictBoolean(ctx, 'businessDaysOnly', 'Business Days Only', false)
		? readBusinessDays(ctx)
		: null;
	const zoneParameter = (ctx.getNodeParameter('defaultTimeZone', 0, '') as string).trim();
	const defaultTimeZone = zoneParameter || ctx.getTimezone() || 'UTC';
	if (!isValidTimeZone(defaultTimeZone)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Default Time Zone "${defaultTimeZone}" is not a known IANA zone`,
			{
				itemIndex: 0,
				description: 'Use a zone such as Europe/Paris or America/New_York.',
			},
		);
	}
	const sentences: Record<string, string> = {};
	const rawSentences = ctx.getNodeParameter('optOutSentences', 0, {}) as {
		sentence?: Array<{ language: string; text: string }>;
	};
	for (const entry of rawSentences.sentence ?? []) {
		if (entry.language.trim() !== '' && entry.text.trim() !== '')
			sentences[entry.language.trim().toLowerCase()] = entry.text.trim();
	}
	return {
		quietHours,
		businessDays,
		defaultTimeZone,
		autoEnrol: ctx.getNodeParameter('autoEnrol', 0, false) as boolean,
		appendOptOut: readStrictBoolean(ctx, 'appendOptOut', 'Append Opt-Out Sentence', true),
		optOutSentences: sentences,
		perRunCap: readBoundedNumber(ctx, 'perRunCap', 'Max Sends per Run', 0, CADENCE_BOUNDS.perRunCap),
		utm: readUtm(ctx),
		jitterMinutes: boundedNumber(ctx, 'Jitter (Minutes)', optionOr(options.jitterMinutes, 15), CADENCE_BOUNDS.jitterMinutes),
		windowMarginMinutes: boundedNumber(ctx, 'Window Margin (Minutes)', optionOr(options.windowMarginMinutes, 30), CADENCE_BOUNDS.windowMarginMinutes),
		defaultLanguage:
			typeof options.defaultLanguage === 'string' && options.defaultLanguage.trim() !== ''
				? options.defaultLanguage.trim().toLowerCase()
				: 'en',
	};
}

function readBusinessDays(ctx: IExecuteFunctions): number[] {
	const days = ctx.getNodeParameter('businessDays', 0, [1, 2, 3, 4, 5]) as unknown;
	if (!Array.isArray(days)) return [boundedNumber(ctx, 'Business Days', days, CADENCE_BOUNDS.weekday)];
	return days.map((day) => boundedNumber(ctx, 'Business Days', day, CADENCE_BOUNDS.weekday));
}

function readUtm(ctx: IExecuteFunctions): UtmSettings | null {
	if (!(ctx.getNodeParameter('trackLinks', 0, true) as boolean)) return null;
	const raw = ctx.getNodeParameter('utm', 0, {}) as IDataObject;
	const text = (value: unknown, fallback: string) =>
		typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback;
	return {
		source: text(raw.source, DEFAULT_UTM.source),
		medium: text(raw.medium, DEFAULT_UTM.medium),
		campaign: text(raw.campaign, DEFAULT_UTM.campaign),
		content: text(raw.content, DEFAULT_UTM.content),
		skipHosts: text(raw.skipHosts, '')
			.split(',')
			.map((host) => host.trim())
			.filter((host) => host !== ''),
	};
}

/** The click redirect and its signing secret when Track Clicks is on; a missing or unusable setting stops the run. */
async function readClickTracking(ctx: IExecuteFunctions): Promise<ClickTracking | null> {
	if (!(ctx.getNodeParameter('trackLinks', 0, true) as boolean)) return null;
	if (!(ctx.getNodeParameter('trackClicks', 0, false) as boolean)) return null;
	const baseUrl = String(ctx.getNodeParameter('clickRedirectUrl', 0, '') ?? '').trim();
	if (!isHttpUrl(baseUrl)) {
		throw new NodeOperationError(ctx.getNode(), `Track Clicks Through "${baseUrl}" is not an http(s) URL`, {
			description:
				'Set it to the Production URL of the Click redirect webhook (Part 2) without its last part /:token, or turn Track Clicks off.',
		});
	}
	if (!ctx.getNode().credentials?.[PRIVACY_CREDENTIAL]) {
		throw new NodeOperationError(ctx.getNode(), 'Track Clicks is on but no Story Leads Privacy API credential is selected', {
			description:
				'Select the Story Leads Privacy API credential (the pepper Part 2’s Record click verifies links with) in this node, or turn Track Clicks off.',
		});
	}
	let secret: string | undefined;
	try {
		secret = await readPepper(ctx, true);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), (error as Error).message, {
			description: 'Track Clicks signs each link with the pepper of the Story Leads Privacy API credential.',
		});
	}
	return { baseUrl, secret: secret ?? '' };
}

function readFieldNames(ctx: IExecuteFunctions): FieldNames {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const text = (value: unknown, fallback: string) =>
		typeof value === 'string' ? value.trim() : fallback;
	return {
		contactIdField: text(options.contactIdField, 'viewerKey') || 'viewerKey',
		stateField: text(options.stateField, ''),
		variablesField: text(options.variablesField, 'variables') || 'variables',
		keepInputFields: options.keepInputFields === true,
	};
}
