import { EVENT_TYPES } from '../events/schema';
import {
	BOT_SEGMENT,
	BUILT_IN_SEGMENTS,
	CUSTOM_OPERATIONS,
	NO_SEGMENT,
	type CustomCondition,
	type SegmentOptions,
} from './types';

const SEGMENT_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const NUMERIC_OPERATIONS = new Set(['gt', 'gte', 'lt', 'lte']);
const RESERVED = new Set<string>([...BUILT_IN_SEGMENTS, BOT_SEGMENT, NO_SEGMENT]);

/** Configuration problems, worded for the user; empty when the options are usable. */
export function validateSegmentOptions(options: SegmentOptions): string[] {
	const errors: string[] = [];
	if (!Number.isFinite(options.asOfMs)) errors.push('As of must be a valid date and time');
	if (!(options.windowDays > 0) || !Number.isFinite(options.windowDays)) {
		errors.push('Window (days) must be a number greater than 0');
	}
	if (options.halfLifeDays !== undefined && !(options.halfLifeDays >= 0)) {
		errors.push('Recency half-life (days) must be 0 (off) or more');
	}
	for (const type of EVENT_TYPES) {
		const w = options.weights[type];
		if (w !== undefined && !Number.isFinite(w)) errors.push(`Score weight for ${type} must be a number`);
	}
	const { rules } = options;
	if (rules.repeatViewer && !(rules.repeatViewer.minStories >= 1)) {
		errors.push('Repeat viewer: minimum distinct stories must be 1 or more');
	}
	if (rules.profileVisitor && !(rules.profileVisitor.minVisits >= 1)) {
		errors.push('Profile visitor: minimum visits must be 1 or more');
	}
	if (rules.highEngagement) {
		if (!(rules.highEngagement.minInteractions >= 1)) {
			errors.push('High engagement: minimum interactions must be 1 or more');
		}
		if (rules.highEngagement.eventTypes.length === 0) {
			errors.push('High engagement: choose at least one event type');
		}
	}
	if (rules.languagePlace) {
		if (!rules.languagePlace.field.trim()) errors.push('Language or place: the field is empty');
		if (rules.languagePlace.values.length === 0) {
			errors.push('Language or place: list at least one value, e.g. "de, fr-CH"');
		}
	}
	if (rules.topScore) {
		const pct = rules.topScore.topPercent;
		if (!(pct > 0 && pct <= 100)) errors.push('Top score: the percentage must be more than 0 and at most 100');
	}
	if (rules.possibleBot) {
		if (!(rules.possibleBot.minSignals >= 1)) errors.push('Possible bot: minimum signals must be 1 or more');
		if (rules.possibleBot.signals.length === 0) errors.push('Possible bot: choose at least one signal');
	}
	if (rules.custom) errors.push(...validateConditions(rules.custom.conditions));
	return errors;
}

function validateConditions(conditions: CustomCondition[]): string[] {
	const errors: string[] = [];
	conditions.forEach((condition, index) => {
		const where = `Custom segment condition ${index + 1}`;
		if (!SEGMENT_NAME.test(condition.segment)) {
			errors.push(`${where}: the segment name "${condition.segment}" must be a machine name (letters, digits, _)`);
		} else if (RESERVED.has(condition.segment)) {
			errors.push(`${where}: "${condition.segment}" is a built-in name; choose another`);
		}
		if (!condition.field.trim()) errors.push(`${where}: the field is empty`);
		if (!CUSTOM_OPERATIONS.includes(condition.operation)) {
			errors.push(`${where}: unknown operation "${condition.operation}"`);
		}
		if (NUMERIC_OPERATIONS.has(condition.operation) && !Number.isFinite(Number(condition.value.trim() || 'x'))) {
			errors.push(`${where}: "${condition.value}" is not a number`);
		}
	});
	return errors;
}

/** Every segment the options can produce, in priority order. */
export function segmentOrder(options: SegmentOptions): string[] {
	const order: string[] = BUILT_IN_SEGMENTS.filter((name) => options.rules[name] !== undefined);
	for (const condition of options.rules.custom?.conditions ?? []) {
		if (!order.includes(condition.segment)) order.push(condition.segment);
	}
	if (options.rules.possibleBot) order.push(BOT_SEGMENT);
	return order;
}

/** Splits a comma- or newline-separated list, trimming and dropping empty entries. */
export function splitList(text: string): string[] {
	return text
		.split(/[,\n]/)
		.map((part) => part.trim())
		.filter((part) => part !== '');
}
