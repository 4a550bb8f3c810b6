/**
 * The origin of a link Roster emails (an invitation, a password reset): the client's
 * `websiteHostName` when it names one of the configured public origins, else PUBLIC_URL.
 * Any other host is refused, never put in the link: Akto takes any, which turns the email into
 * a phishing link (spec §4.6).
 */
import type { Config } from '../config.ts'

/** The link's origin, or undefined when `websiteHostName` is given and not allowed. */
export function linkOrigin(
  config: Pick<Config, 'publicUrl' | 'allowedOrigins'>,
  websiteHostName: unknown,
): string | undefined {
  if (websiteHostName === undefined || websiteHostName === null || websiteHostName === '')
    return config.publicUrl
  if (typeof websiteHostName !== 'string' || websiteHostName.length > 2048) return undefined
  try {
    const origin = new URL(websiteHostName.trim()).origin
    return config.allowedOrigins.includes(origin) ? origin : undefined
  } catch {
    return undefined
  }
}
