// The only module that imports date-fns. The build bundles this file (gulpfile.js), so dist/ never
// requires date-fns at run time. Add a name here before using it anywhere else.
export {
	addDays,
	addHours,
	addMilliseconds,
	addMinutes,
	differenceInMilliseconds,
	isValid,
	parse,
} from 'date-fns';
export { TZDate, tz } from '@date-fns/tz';
