/** Types for the plain-JS fake Graph API (scripts/fakes/graphApi.js). */
export type FakeBehaviour =
	| 'ok'
	| 'outside_window'
	| 'unavailable'
	| 'throttle_once'
	| 'throttle_always'
	| 'throttle_buc'
	| 'token_expired'
	| 'permission'
	| 'blocked'
	| 'invalid_recipient'
	| 'already_replied'
	| 'transient_once'
	| 'server_error_once'
	| 'not_json'
	| 'not_enough_viewers'
	| 'token_echo';

export interface FakeRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
	/** True on a message the fake accepted (sent). */
	accepted?: boolean;
}

export interface FakeGraphApiOptions {
	port?: number;
	accessToken?: string;
	accountId?: string;
	username?: string;
	stories?: string[];
	storiesPageSize?: number;
	profiles?: Record<string, Record<string, unknown>>;
}

export interface FakeGraphApi {
	url: string;
	port: number;
	requests: FakeRequest[];
	accessToken: string;
	accountId: string;
	setRecipientBehaviour(igsid: string, behaviour: FakeBehaviour): void;
	setDefaultBehaviour(behaviour: FakeBehaviour): void;
	/** Every call fails with 190/463 (token expired) once `count` messages were accepted. */
	expireTokenAfterSends(count: number): void;
	/** Ends expireTokenAfterSends (the user reconnected). */
	renewToken(): void;
	/** A slow Graph API: each accepted message is answered `ms` later (0 = at once). */
	slowSends(ms: number): void;
	reset(): void;
	close(): Promise<void>;
}

export declare const BEHAVIOURS: FakeBehaviour[];
export declare function startFakeGraphApi(options?: FakeGraphApiOptions): Promise<FakeGraphApi>;
