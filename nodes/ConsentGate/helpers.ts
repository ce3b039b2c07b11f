import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import type { SentEntry } from '../core/consent/gate';
import { isBlank, parseInstantFast, readStoredConsent, type StoredConsent } from '../core/consent/record';
import { idempotencyKeyIn } from '../core/consent/sendLog';

export interface ConsentInput {
	records: StoredConsent[];
	recordIds: Set<string>;
	sent: SentEntry[];
	/** Idempotency keys of send-log rows that were sent (they carry a sentAt). */
	sentKeys: Set<string>;
	/** Rows that could not be read, with the reason (input index is the row's position on that input). */
	problems: Array<{ index: number; reason: string }>;
}

/**
 * Reads the "Consent records" input: consent rows (status opt_in/opt_out) are indexed, send-log rows
 * (a `sentAt` timestamp and no consent status) count towards the hour/day caps, other rows are ignored.
 */
export function readConsentRows(
	rows: INodeExecutionData[],
	options: { sentAtField?: string; accountField?: string; idempotencyKeyField?: string } = {},
): ConsentInput {
	const out: ConsentInput = { records: [], recordIds: new Set(), sent: [], sentKeys: new Set(), problems: [] };
	rows.forEach((item, index) => {
		const row = item.json;
		const read = readStoredConsent(row);
		if (read.ok === true) {
			out.records.push(read.record);
			if (read.record.recordId) out.recordIds.add(read.record.recordId);
			return;
		}
		if (read.ok === false) {
			out.problems.push({ index, reason: read.reason });
			return;
		}
		if (!options.sentAtField || isBlank(row[options.sentAtField])) return;
		const sentAtMs = parseInstantFast(row[options.sentAtField]);
		if (sentAtMs === undefined) {
			out.problems.push({ index, reason: `${options.sentAtField}: not a readable timestamp` });
			return;
		}
		const account = options.accountField ? row[options.accountField] : undefined;
		out.sent.push({ account: typeof account === 'string' ? account.trim() : '', sentAtMs });
		const key = idempotencyKeyIn(row, options.idempotencyKeyField ?? '');
		if (key !== undefined) out.sentKeys.add(key);
	});
	return out;
}

export function consentInputError(ctx: IExecuteFunctions, problem: { index: number; reason: string }): NodeOperationError {
	return new NodeOperationError(
		ctx.getNode(),
		`Consent records input, item ${problem.index}: ${problem.reason}`,
		{
			description:
				'Fix or remove the stored row. Consent rows need subjectKey, channel (* for all), status (opt_in or opt_out) and recordedAt (ISO 8601).',
		},
	);
}

/** Comma- or newline-separated list parameter → trimmed, non-empty names. */
export function listParameter(value: unknown): string[] {
	return String(value ?? '')
		.split(/[,\n]/)
		.map((part) => part.trim())
		.filter(Boolean);
}

export function str(value: unknown, fallback = ''): string {
	return typeof value === 'string' ? value.trim() : fallback;
}

export function withoutUndefined(object: Record<string, unknown>): IDataObject {
	const out: IDataObject = {};
	for (const [key, value] of Object.entries(object)) if (value !== undefined) out[key] = value as IDataObject[string];
	return out;
}
