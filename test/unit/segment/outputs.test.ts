import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { segmentOrder } from '../../../nodes/core/segment/options';
import { readOptions } from '../../../nodes/ViewerSegment/actions/segment';
import { configuredOutputs } from '../../../nodes/ViewerSegment/helpers';

const LABELS: Record<string, string> = {
	highEngagement: 'High Engagement',
	profileVisitor: 'Profile Visitor',
	repeatViewer: 'Repeat Viewer',
	topScore: 'Top Score',
	languagePlace: 'Language or Place',
	possibleBot: 'Possible Bot',
};

function context(parameters: IDataObject): IExecuteFunctions {
	return {
		getNodeParameter: (name: string, _i: number, fallback?: unknown) => parameters[name] ?? fallback,
		continueOnFail: () => false,
		getNode: () => ({ name: 'Segment' }),
	} as unknown as IExecuteFunctions;
}

const ALL = ['highEngagement', 'languagePlace', 'possibleBot', 'profileVisitor', 'repeatViewer', 'topScore'];

describe('route outputs', () => {
	it('match the core’s segment order for every combination of segments and custom names', () => {
		const customs = [
			[],
			[{ segment: 'vip', field: 'score', operation: 'gt', value: '1' }],
			[
				{ segment: ' vip ', field: 'score', operation: 'gt', value: '1' },
				{ segment: 'berlin', field: 'extra.city', operation: 'equals', value: 'Berlin' },
				{ segment: 'vip', field: 'rank', operation: 'lte', value: '3' },
			],
		];
		for (let mask = 0; mask < 1 << ALL.length; mask++) {
			const segments = ALL.filter((_, i) => mask & (1 << i));
			for (const conditions of customs) {
				const parameters: IDataObject = {
					asOf: '2026-11-22T12:00:00Z',
					outputMode: 'route',
					segments,
					languagePlaceValues: 'de',
					customSegments: { conditions },
				};
				const order = segmentOrder(readOptions(context(parameters)));
				const names = configuredOutputs(parameters, 'main').map((o) => o.displayName);
				expect(names).toEqual([...order.map((name) => LABELS[name] ?? name), 'No Segment']);
			}
		}
	});

	it('is a single Viewers output in tag mode', () => {
		expect(configuredOutputs({ outputMode: 'tag', segments: ALL }, 'main')).toEqual([
			{ type: 'main', displayName: 'Viewers' },
		]);
	});
});
