/**
 * What the sign-in page says when the identity provider's way back ends in a refusal: the
 * server redirects with a code only (`/login?ssoError=CODE`), never with text a link could forge.
 * The same messages as the server's catalogue (src/sso/sso.errors.ts).
 */
const MESSAGES: Record<string, string> = {
  SSO_NOT_AVAILABLE: "Single sign-on is not set up for this email's organisation.",
  SSO_FLOW_INVALID: 'This sign-in was not started in this browser or has expired. Please start again.',
  SSO_IDP_UNAVAILABLE: 'The identity provider could not be reached. Please try again later.',
  SSO_IDP_REFUSED: 'The identity provider did not sign you in. Please try again.',
  SSO_RESPONSE_INVALID: "The identity provider's answer could not be verified. Please start again.",
  SSO_REPLAYED: 'This sign-in answer was already used. Please start again.',
  SSO_NO_EMAIL: 'The identity provider did not give a verified email address.',
  SSO_WRONG_DOMAIN: "The identity provider signed you in with an address outside this account's domains.",
  SSO_NOT_INVITED: 'Please ask admin to invite you!',
  INVITATION_NOT_FOUND: 'Please ask admin to invite you!',
  INVITATION_WRONG_USER: "This invitation doesn't belong to you!",
  INVITATION_EXPIRED: 'This invitation has expired.',
}

export function ssoErrorMessage(code: string | null): string | undefined {
  if (!code) return undefined
  return MESSAGES[code] ?? 'Single sign-on did not complete. Please try again.'
}
