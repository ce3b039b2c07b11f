/**
 * Resolves and validates where Graph API requests go, from the credential's fields.
 * `baseUrl` (advanced override, e.g. http://127.0.0.1:4010 for a proxy or local fake) replaces https://<host>.
 */
import type { LoginType } from './errors';

export const GRAPH_HOSTS = ['graph.facebook.com', 'graph.instagram.com'] as const;
export type GraphHost = (typeof GRAPH_HOSTS)[number];
export const DEFAULT_API_VERSION = 'v25.0';

export interface ConnectionFields {
	host?: unknown;
	apiVersion?: unknown;
	baseUrl?: unknown;
	accountId?: unknown;
	pageId?: unknown;
}

export interface GraphConnection {
	/** Origin and optional path prefix, no trailing slash, e.g. https://graph.instagram.com */
	origin: string;
	apiVersion: string;
	/** origin + '/' + apiVersion */
	root: string;
	host: GraphHost;
	loginType: LoginType;
	accountId: string;
	pageId: string;
}

export type ConnectionResult = { ok: true; connection: GraphConnection } | { ok: false; field: string; message: string };

const BASE_URL = /^https?:\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?(\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*)?$/;
const VERSION = /^v\d+\.\d+$/;

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
}

export function resolveConnection(fields: ConnectionFields): ConnectionResult {
	const hostText = text(fields.host) || 'graph.instagram.com';
	if (!(GRAPH_HOSTS as readonly string[]).includes(hostText)) {
		return { ok: false, field: 'host', message: `Unknown API host "${hostText}": use graph.instagram.com or graph.facebook.com` };
	}
	const host = hostText as GraphHost;
	const apiVersion = text(fields.apiVersion) || DEFAULT_API_VERSION;
	if (!VERSION.test(apiVersion)) {
		return { ok: false, field: 'apiVersion', message: `Graph API version "${apiVersion}" is not valid: use the form v25.0` };
	}
	let origin = `https://${host}`;
	const override = text(fields.baseUrl);
	if (override !== '') {
		const trimmed = override.replace(/\/+$/, '');
		const match = BASE_URL.exec(trimmed);
		const port = match?.[2] ? Number(match[2].slice(1)) : undefined;
		if (!match || (port !== undefined && (port < 1 || port > 65535))) {
			return {
				ok: false,
				field: 'baseUrl',
				message: `The Base URL override "${override.slice(0, 200)}" is not a valid http(s) URL: use e.g. http://127.0.0.1:4010 or https://proxy.example.com/graph, without a query string`,
			};
		}
		origin = trimmed;
	}
	return {
		ok: true,
		connection: {
			origin,
			apiVersion,
			root: `${origin}/${apiVersion}`,
			host,
			loginType: host === 'graph.facebook.com' ? 'facebook' : 'instagram',
			accountId: text(fields.accountId),
			pageId: text(fields.pageId),
		},
	};
}

/** The send endpoint for the login type: Page id for Facebook Login, account id for Instagram Login, else `me`. */
export function messagesPath(connection: GraphConnection): string {
	const id = connection.loginType === 'facebook' ? connection.pageId : connection.accountId;
	return `/${id !== '' ? encodeURIComponent(id) : 'me'}/messages`;
}

/** Graph object ids (IGSID, comment, media, page) are digits, occasionally with letters, `_`, `-` or `.`. */
export function isSafeGraphId(id: string): boolean {
	return /^[A-Za-z0-9_.-]{1,128}$/.test(id) && id !== '.' && id !== '..';
}

/** Splits a `paging.next` URL into query parameters (the token, if any, is dropped). */
export function queryFromUrl(url: string): Record<string, string> {
	const q = url.indexOf('?');
	const out: Record<string, string> = {};
	if (q < 0) return out;
	for (const part of url.slice(q + 1).split('#')[0].split('&')) {
		if (part === '') continue;
		const eq = part.indexOf('=');
		const rawKey = eq < 0 ? part : part.slice(0, eq);
		const rawValue = eq < 0 ? '' : part.slice(eq + 1);
		try {
			const key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
			if (key === 'access_token') continue;
			out[key] = decodeURIComponent(rawValue.replace(/\+/g, ' '));
		} catch {
			continue;
		}
	}
	return out;
}
