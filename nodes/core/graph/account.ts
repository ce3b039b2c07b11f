import type { LoginType } from './errors';

/**
 * Which Instagram professional account a token belongs to, and whether the credential names the same one.
 *
 * The professional account ID is what webhooks carry in `entry.id` and what `/{id}/messages` expects:
 * - Instagram Login: `user_id` of `GET /me?fields=user_id,username` (`id` there is app-scoped and is NOT it),
 *   https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/get-started
 * - Facebook Login: `/me` is the Page; the Instagram account is the Page's `instagram_business_account`
 *   (`GET /{page-id}?fields=instagram_business_account`),
 *   https://developers.facebook.com/docs/instagram-platform/instagram-api-with-facebook-login/get-started
 */

export interface AccountLookup {
	/** Path and query for the one GET that resolves the account. */
	path: string;
	fields: string;
}

/** The request that resolves the professional account for the credential's login type. */
export function accountLookup(loginType: LoginType, pageId: string): AccountLookup {
	if (loginType === 'facebook') {
		return { path: `/${pageId === '' ? 'me' : encodeURIComponent(pageId)}`, fields: 'id,name,instagram_business_account' };
	}
	return { path: '/me', fields: 'user_id,username' };
}

export type AccountCheck =
	| { ok: true; accountId: string; label: string; message: string }
	| { ok: false; accountId?: string; message: string };

function text(value: unknown): string {
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return '';
}

function isObj(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads the lookup's answer and compares it with what the user typed. A credential without an account ID, or
 * with another one (e.g. the app-scoped `id`), is refused with the right ID in the message.
 */
export function checkAccount(input: {
	loginType: LoginType;
	body: unknown;
	typedAccountId: string;
	typedPageId: string;
}): AccountCheck {
	const body = isObj(input.body) ? input.body : {};
	const typed = input.typedAccountId.trim();
	let accountId: string;
	let label: string;
	if (input.loginType === 'facebook') {
		const pageId = text(body.id);
		const pageName = text(body.name);
		if (input.typedPageId.trim() !== '' && pageId !== '' && pageId !== input.typedPageId.trim()) {
			return {
				ok: false,
				message: `The token belongs to Page ${pageId}${pageName ? ` (${pageName})` : ''}, not to the Facebook Page ID ${input.typedPageId.trim()} in this credential: use that Page's access token or correct the Page ID`,
			};
		}
		accountId = isObj(body.instagram_business_account) ? text(body.instagram_business_account.id) : '';
		label = `Page ${pageId || input.typedPageId}${pageName ? ` (${pageName})` : ''}`;
		if (accountId === '') {
			return {
				ok: false,
				message: `${label} has no linked Instagram professional account (instagram_business_account is empty): link the Instagram account to the Page, and use a Page access token with instagram_basic and pages_show_list`,
			};
		}
		if (input.typedPageId.trim() === '') {
			return {
				ok: false,
				accountId,
				message: `Set Facebook Page ID to ${pageId} and Instagram Account ID to ${accountId} (the Instagram account linked to ${label})`,
			};
		}
	} else {
		accountId = text(body.user_id);
		const username = text(body.username);
		label = username ? `@${username}` : 'the token\'s account';
		if (accountId === '') {
			return {
				ok: false,
				message: 'Meta did not return user_id for GET /me?fields=user_id,username: use an Instagram user token from "API setup with Instagram login" (instagram_business_basic)',
			};
		}
	}
	if (typed === '') {
		return {
			ok: false,
			accountId,
			message: `Set Instagram Account ID to ${accountId}: the professional account ID of ${label} (the ID webhooks and sends use)`,
		};
	}
	if (typed !== accountId) {
		const hint =
			input.loginType === 'instagram' && typed === text(body.id)
				? ' (the ID you typed is the app-scoped "id" of /me, not the professional account ID "user_id")'
				: '';
		return {
			ok: false,
			accountId,
			message: `Instagram Account ID ${typed} does not match the token's professional account ${accountId} (${label})${hint}: set it to ${accountId}`,
		};
	}
	return { ok: true, accountId, label, message: `Connected to ${label}, professional account ID ${accountId}` };
}

/**
 * The story ID of a story mention, from `GET /{message-id}?fields=story`
 * (`{"story":{"mention":{"link":"<CDN_URL>","id":"<STORY_ID>"}},"id":"<MID>"}`,
 * https://developers.facebook.com/docs/messenger-platform/instagram/features/story-mention).
 */
export function mentionStoryId(body: unknown): string | undefined {
	if (!isObj(body) || !isObj(body.story) || !isObj(body.story.mention)) return undefined;
	const id = text(body.story.mention.id);
	return id === '' ? undefined : id;
}
