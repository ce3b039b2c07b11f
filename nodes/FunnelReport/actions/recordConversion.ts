import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { conversionFromShopifyOrder, recordConversions } from '../../core/report';
import { readNowParameter } from '../../shared/items';
import { inputRows, isEmptyRow, paired } from '../helpers';

export const OUTPUT = { fresh: 0, duplicate: 1, invalid: 2 } as const;

const properties: INodeProperties[] = [
	{
		displayName:
			'Input 1: conversion events <code>{ contactKey | viewerKey | email, type: "conversion", value, currency, occurredAt, orderId }</code>; a refund is <code>type: "refund"</code>, a negative value, or a re-post of the order with value 0 (New, with <code>refund: true</code> and a negative value). A Shopify order (Shopify Trigger, orders/create) may come as <code>{ shopifyOrder: $json }</code>: UTM values from its landing page or cart attributes, the contact from its email or the <code>story_leads_contact</code> cart attribute. Input 2 (optional): the stored conversions, so an order is recorded once.',
		name: 'recordConversionNotice',
		type: 'notice',
		default: '',
	},
];

export const description = updateDisplayOptions(
	{ show: { operation: ['recordConversion'] } },
	properties,
);

/**
 * New conversions to store (once per orderId), duplicates and invalid events, each with its reason. Its first
 * output leads to storing orders and stopping cadences: the router sends failures to Invalid, never to New.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const now = readNowParameter(this, 'asOf');
	// A Shopify order (n8n's Shopify Trigger, orders/create) posted as `{ shopifyOrder: <order> }` becomes its event.
	const posted = inputRows(this, 0).map((json) =>
		json.shopifyOrder && typeof json.shopifyOrder === 'object' && !Array.isArray(json.shopifyOrder)
			? (conversionFromShopifyOrder(json.shopifyOrder as Record<string, unknown>) as typeof json)
			: json,
	);
	const stored = inputRows(this, 1).filter((json) => !isEmptyRow(json));
	const result = recordConversions(posted, stored, now);
	const outputs: INodeExecutionData[][] = [[], [], []];
	for (const entry of result.fresh) {
		outputs[OUTPUT.fresh].push({
			json: {
				...entry.row,
				refund: entry.refund,
				firstConversion: entry.firstConversion,
				contactRevenue: entry.contactRevenue,
				contactOrders: entry.contactOrders,
			},
			pairedItem: paired(entry.index, 0),
		});
	}
	for (const [list, output] of [
		[result.duplicates, OUTPUT.duplicate],
		[result.invalid, OUTPUT.invalid],
	] as const) {
		for (const entry of list) {
			outputs[output].push({
				json: { ...posted[entry.index], reason: entry.reason, reasonText: entry.reasonText },
				pairedItem: paired(entry.index, 0),
			});
		}
	}
	return outputs;
}
