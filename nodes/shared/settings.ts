import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

/**
 * Run-time checks for settings that bound what may be sent (caps, windows, margins, delays, quiet hours…).
 * The UI's minValue/maxValue do not hold for a value from an expression or an imported workflow, and a value
 * outside its range must never widen sending (a negative window margin opened a window longer than 24 h).
 * So such a value is refused as a configuration error, never clamped or replaced by a default.
 */
export interface Bounds {
	min: number;
	max: number;
	/** Whole numbers only (counts). */
	integer?: boolean;
}

/** Plain decimal text (an expression's result): no hex, no empty text, no trailing letters. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

const WHY =
	'This setting bounds what may be sent, so a value outside its range is refused instead of being clamped. Check the expression or the imported workflow.';

function settingError(ctx: IExecuteFunctions, message: string, itemIndex: number): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), message, { itemIndex, description: WHY });
}

function show(value: unknown): string {
	if (typeof value === 'string') return `"${value.slice(0, 40)}"`;
	if (typeof value === 'number') return String(value);
	return value === null ? 'null' : typeof value;
}

/** A number setting's value (a number, or a numeric text from an expression), checked against `bounds`. */
export function boundedNumber(
	ctx: IExecuteFunctions,
	label: string,
	value: unknown,
	bounds: Bounds,
	itemIndex = 0,
): number {
	const n = typeof value === 'number' ? value : typeof value === 'string' && DECIMAL.test(value.trim()) ? Number(value.trim()) : NaN;
	const range = `${bounds.min} … ${bounds.max}${bounds.integer ? ', a whole number' : ''}`;
	if (!Number.isFinite(n) || n < bounds.min || n > bounds.max || (bounds.integer === true && !Number.isInteger(n))) {
		throw settingError(ctx, `"${label}" is ${show(value)}; it must be ${range}`, itemIndex);
	}
	return n;
}

/** An option's value, or `fallback` when the option is not set at all (null stays: it is checked and refused). */
export function optionOr(value: unknown, fallback: number): unknown {
	return value === undefined ? fallback : value;
}

/** Reads a number parameter (dot paths like `options.margin` work) and checks it; absent = `fallback`. */
export function readBoundedNumber(
	ctx: IExecuteFunctions,
	name: string,
	label: string,
	fallback: number,
	bounds: Bounds,
	itemIndex = 0,
): number {
	return boundedNumber(ctx, label, ctx.getNodeParameter(name, itemIndex, fallback) as unknown, bounds, itemIndex);
}

/**
 * Reads a switch that bounds sending: true/false (or the text "true"/"false" from an expression). Anything
 * else is refused, so the text "false" never counts as on.
 */
export function readStrictBoolean(
	ctx: IExecuteFunctions,
	name: string,
	label: string,
	fallback: boolean,
	itemIndex = 0,
): boolean {
	const value = ctx.getNodeParameter(name, itemIndex, fallback) as unknown;
	if (typeof value === 'boolean') return value;
	if (value === 'true' || value === 'false') return value === 'true';
	throw settingError(ctx, `"${label}" is ${show(value)}; it must be true or false`, itemIndex);
}
