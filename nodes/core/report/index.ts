export * from './funnel';
export * from './stats';
export * from './rows';
export * from './conversions';
export type { GroupRow, VariantRow, TestResult } from './variants';
export * from './html';
export * from './shopify';
