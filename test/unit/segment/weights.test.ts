import { EVENT_TYPES } from '../../../nodes/core/events/schema';
import { DEFAULT_WEIGHTS } from '../../../nodes/core/segment/types';
import { WEIGHT_PARAMETERS } from '../../../nodes/ViewerSegment/description';

describe('Viewer Segment weight parameters', () => {
	it('name every event type once, with the core default weight as the parameter default', () => {
		expect(WEIGHT_PARAMETERS.map(([type]) => type).sort()).toEqual([...EVENT_TYPES].sort());
		for (const [type, , , value] of WEIGHT_PARAMETERS) expect([type, value]).toEqual([type, DEFAULT_WEIGHTS[type]]);
	});
});
