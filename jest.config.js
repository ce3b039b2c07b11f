/** Three levels, one runner: `npm test` runs them (unit, in-process workflow, end-to-end in a real n8n);
 * `npm run test:queue` runs the fourth, n8n in queue mode (PostgreSQL, Redis, workers), and `npm run test:faults`
 * the fifth, the same stack under faults (a worker killed, PostgreSQL and Redis restarted), after them in CI. */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.test.json' }];
const common = {
	testEnvironment: 'node',
	transform: { '^.+\\.ts$': tsJest },
	moduleFileExtensions: ['ts', 'js', 'json'],
	setupFiles: ['<rootDir>/test/setup-env.js'],
	modulePathIgnorePatterns: ['<rootDir>/dist/'],
};

module.exports = {
	projects: [
		{ ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.{ts,js}'] },
		{ ...common, displayName: 'workflow', testMatch: ['<rootDir>/test/workflow/**/*.test.{ts,js}'] },
		{ ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.js'] },
		{ ...common, displayName: 'queue', testMatch: ['<rootDir>/test/queue/**/*.test.js'] },
		{ ...common, displayName: 'faults', testMatch: ['<rootDir>/test/faults/**/*.test.js'] },
	],
};
