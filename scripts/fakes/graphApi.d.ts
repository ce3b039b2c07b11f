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
	/** Facebook Login: the Page id; GET /{pageId} then answers with instagram_business_account = accountId. */
	pageId?: string;
}

export interface FakeGraphApi {
	url: string;
	port: number;
	requests: FakeRequest[];
	accessToken: string;
	accountId: string;
	setRecipientBehaviour(igsid: string, behaviour: FakeBehaviour): void;
	setDefaultBehaviour(behaviour: FakeBehaviour): void;
	/** Fields each account/Page is subscribed to through subscribed_apps (id → sorted field names). */
	subscriptions: Map<string, string[]>;
	/** GET /{mid}?fields=story answers with this story ID. */
	setMentionStory(mid: string, storyId: string): void;
	/** Every call fails with 190/463 (token expired) once `count` messages were accepted. */
	expireTokenAfterSends(count: number): void;
	/** Ends expireTokenAfterSends (the user reconnected). */
	renewToken(): void;
	reset(): void;
	close(): Promise<void>;
}

export declare const BEHAVIOURS: FakeBehaviour[];
export declare function startFakeGraphApi(options?: FakeGraphApiOptions): Promise<FakeGraphApi>;
