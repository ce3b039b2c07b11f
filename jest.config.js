/** Three levels, one runner: `npm test` runs them all (unit, in-process workflow, end-to-end in a real n8n). */
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
	],
};
