/** The seed of the property suites; STORY_LEADS_SEED=<n> overrides it (test/setup-env.js). */
export declare const SEED: number;
