/** Errors that belong to no single domain: authentication, authorisation, transport. */
import type { BaseRole } from '../roles/role.ts'
import { AppError, catalogue } from './app-error.ts'

export const commonError = catalogue({
  UNAUTHENTICATED: 'Unauthorized: a valid X-API-KEY header or session is required.',
  INVALID_BODY: 'The request body must be a JSON object.',
  API_KEY_NOT_ALLOWED: 'API keys cannot create or list API keys; sign in instead.',
  DATABASE_UNAVAILABLE: 'The database is unavailable; try again shortly.',
  CROSS_SITE_REQUEST: 'Cross-site request refused.',
  /** An emailed link's origin that is not a configured public origin (shared/link-origin.ts). */
  INVALID_WEBSITE_HOST: 'Invalid websiteHostName',
})

/**
 * 403 with the message Akto's clients know. It names the base role, never a custom role's name
 * (spec §2: permissions are the base role's), so the parameter takes only a BaseRole.
 */
export function roleForbidden(baseRole: BaseRole): AppError {
  return new AppError('FORBIDDEN_ROLE', `The role '${baseRole}' does not have access.`)
}
