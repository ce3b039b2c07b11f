export * from './model';
export * from './presets';
export * from './state';
export * from './run';
export { DEFAULT_OPT_OUT_SENTENCES } from './template';
export * from './links';
export * from './clickToken';
