/**
 * What an API key is for, as Akto's token pages name it (akto-compat.md §8): each page creates
 * keys with its `tokenUtility` and lists those whose `utility` matches. These are the values of
 * Akto's ApiToken.Utility that name a key; SLACK names a webhook, not a key, and is refused.
 */
export const TOKEN_UTILITIES = ['EXTERNAL_API', 'BURP', 'CICD', 'BROWSER_EXTENSION'] as const
export type TokenUtility = (typeof TOKEN_UTILITIES)[number]

/** Akto files a key of no particular page as EXTERNAL_API: so does Roster, and a key with none stored. */
export const DEFAULT_TOKEN_UTILITY: TokenUtility = 'EXTERNAL_API'
