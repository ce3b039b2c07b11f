/** Types for the plain-JS fake Graph API (scripts/fakes/graphApi.js). */
export type FakeBehaviour =
	| 'ok'
	| 'outside_window'
	| 'outside_window_2018278'
	| 'outside_window_2018065'
	| 'unavailable'
	| 'unavailable_200'
	| 'blocked'
	| 'invalid_recipient'
	| 'comment_invalid'
	/** Old name of comment_invalid (100/2534025). */
	| 'already_replied'
	| 'business_blocked'
	| 'page_not_linked'
	| 'object_not_found'
	| 'token_expired'
	| 'permission'
	| 'messages_access_disabled'
	| 'account_restricted'
	| 'unknown_error'
	/** 1/1357046: the message is delivered and Meta answers an error all the same. */
	| 'maybe_sent'
	| 'transient'
	| 'bothersome'
	| 'throttle_always'
	| 'throttle_buc'
	| 'not_enough_viewers'
	| 'profile_consent'
	| 'throttle_once'
	| 'transient_once'
	| 'server_error_once'
	| 'not_json'
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

export interface FakeMessage {
	recipientId: string;
	text: string | undefined;
	messageId: string;
}

export interface FakeStoryMention {
	/** The story's media ID; absent when the account cannot read the story (answer carries only the id). */
	storyId?: string;
	link?: string;
}

export interface FakeGraphApiOptions {
	port?: number;
	accessToken?: string;
	/** The Instagram professional account ID the token belongs to (user_id of /me; the Page's instagram_business_account). */
	accountId?: string;
	/** The app-scoped `id` of /me with Instagram Login (differs from accountId). */
	appScopedId?: string;
	/** Facebook Login: the token is the Page's, /me is the Page, /{page-id}/messages and subscribed_apps work. */
	loginType?: 'instagram' | 'facebook';
	pageId?: string;
	appId?: string;
	username?: string;
	/** Language of localized error texts: 'de_DE' gives German message and error_user_msg. */
	locale?: string;
	stories?: string[];
	storiesPageSize?: number;
	profiles?: Record<string, Record<string, unknown>>;
	storyMentions?: Record<string, FakeStoryMention>;
}

export interface FakeGraphApi {
	url: string;
	port: number;
	requests: FakeRequest[];
	messages: FakeMessage[];
	accessToken: string;
	accountId: string;
	pageId: string;
	appScopedId: string;
	loginType: 'instagram' | 'facebook';
	/** Webhook subscriptions made through subscribed_apps: node ID (account or Page) → subscribed fields. */
	subscriptions: Map<string, string[]>;
	setLocale(locale: string): void;
	addStoryMention(messageId: string, mention?: FakeStoryMention): void;
	setRecipientBehaviour(igsid: string, behaviour: FakeBehaviour): void;
	setDefaultBehaviour(behaviour: FakeBehaviour): void;
	/** GET /{mid}?fields=story answers with this story ID (same as addStoryMention(mid, { storyId })). */
	setMentionStory(mid: string, storyId: string): void;
	/** Every call fails with 190/463 (token expired) once `count` messages were accepted. */
	expireTokenAfterSends(count: number): void;
	/** Ends expireTokenAfterSends (the user reconnected). */
	renewToken(): void;
	/** A slow Graph API: each accepted message is answered `ms` later (0 = at once). */
	slowSends(ms: number): void;
	reset(): void;
	close(): Promise<void>;
}

export interface FakeRefusal {
	status: number;
	code: number;
	subcode?: number;
	type?: string;
	message: string;
	title?: string;
	user?: string;
	transient?: boolean;
	delivers?: boolean;
}

export declare const BEHAVIOURS: FakeBehaviour[];
export declare const REFUSALS: Record<string, FakeRefusal>;
export declare const INSTAGRAM_WEBHOOK_FIELDS: string[];
export declare function startFakeGraphApi(options?: FakeGraphApiOptions): Promise<FakeGraphApi>;
