/**
 * What the sign-in page says when the identity provider's way back ends in a refusal: the
 * server redirects with a code only (`/login?ssoError=CODE`), never with text a link could forge.
 * The messages are the server's own catalogues (data-only modules, bundled into the page).
 */
import { acceptanceError } from '../../src/invitations/invitation.errors.ts'
import { ssoSignInError } from '../../src/sso/sso.errors.ts'

const { INVITATION_NOT_FOUND, INVITATION_WRONG_USER, INVITATION_EXPIRED } = acceptanceError.messages
const MESSAGES: Record<string, string> = {
  ...ssoSignInError.messages,
  // Joining through SSO with an invitation link.
  INVITATION_NOT_FOUND,
  INVITATION_WRONG_USER,
  INVITATION_EXPIRED,
}

export function ssoErrorMessage(code: string | null): string | undefined {
  if (!code) return undefined
  return MESSAGES[code] ?? 'Single sign-on did not complete. Please try again.'
}
