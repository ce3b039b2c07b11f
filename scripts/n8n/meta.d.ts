/** Types for the parts of the plain-JS Meta delivery helpers (scripts/n8n/meta.js) that TypeScript tests use. */
export type JsonStyle = 'compact' | 'escaped' | 'pretty';
export function rawJson(payload: unknown, style?: JsonStyle): string;
export function signature(rawBody: string | Buffer, appSecret: string): string;
