export * from './config';
export * from './fields';
export * from './tiers';
export * from './contacts';
export * from './record';
