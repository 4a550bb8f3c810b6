import { AppError, catalogue } from '../shared/app-error.ts'

/** Configuring an account's single sign-on. */
export const ssoConfigError = catalogue({
  SSO_NOT_CONFIGURED: 'Single sign-on is not configured for this account.',
  SSO_EXISTS: 'A SSO Integration already exists.',
  SSO_INVALID_PROTOCOL:
    'Choose OIDC (issuer, client id, client secret) or SAML (IdP metadata, or entity id, SSO URL and certificate).',
  SSO_INVALID_ISSUER: 'The OIDC issuer must be an https URL.',
  SSO_INVALID_CLIENT:
    'The OIDC client id and client secret are required (1 to 500 and 1 to 2000 characters).',
  SSO_INVALID_SCOPES: 'Extra scopes are space-separated words.',
  SSO_INVALID_SAML: 'The SAML settings need the IdP entity id, an https SSO URL and its signing certificate.',
  SSO_INVALID_METADATA:
    'The IdP metadata could not be read: it needs an entity id, an HTTP-Redirect SSO URL and a signing certificate.',
  SSO_INVALID_BREAK_GLASS: 'The break-glass user must be an ADMIN of this account.',
  SSO_INVALID_JIT_ROLE: 'Invalid role',
  SSO_INVALID_REQUIRED: '`required` must be true or false.',
  SSO_INVALID_OKTA_DOMAIN:
    'The Okta domain must be a host name such as acme.okta.com, without https:// or a path.',
  SSO_INVALID_OKTA_SERVER:
    "The authorisation server id may only contain letters, digits, '-' and '_' (or be empty for the org server).",
  SSO_INVALID_CONFIG_TYPE: 'configType must be AZURE or GOOGLE_SAML.',
})

/** Signing in through an identity provider. Messages reach the page; IdP details never do. */
export const ssoSignInError = catalogue({
  SSO_INVALID_EMAIL: 'Invalid email',
  SSO_INVALID_RETURN: "returnTo must be an application's sign-in step (/oidc/interaction/…).",
  SSO_NOT_AVAILABLE: "Single sign-on is not set up for this email's organisation.",
  SSO_FLOW_INVALID: 'This sign-in was not started in this browser or has expired. Please start again.',
  SSO_IDP_UNAVAILABLE: 'The identity provider could not be reached. Please try again later.',
  SSO_IDP_REFUSED: 'The identity provider did not sign you in. Please try again.',
  SSO_RESPONSE_INVALID: "The identity provider's answer could not be verified. Please start again.",
  SSO_REPLAYED: 'This sign-in answer was already used. Please start again.',
  SSO_NO_EMAIL: 'The identity provider did not give a verified email address.',
  SSO_WRONG_DOMAIN: "The identity provider signed you in with an address outside this account's domains.",
  SSO_NOT_INVITED: 'Please ask admin to invite you!',
  SSO_REQUIRED: 'This account requires single sign-on.',
  SSO_OTHER_ACCOUNT:
    "You signed in through another account's identity provider: sign in again to open this account.",
})

/**
 * A refusal on the way back from the IdP of a flow started from an application's sign-in step:
 * the sign-in page it lands on keeps that step, so that signing in another way still returns to
 * the application.
 */
export class SsoRefusal extends AppError {
  constructor(
    error: AppError,
    readonly returnTo: string,
  ) {
    super(error.code, error.message, error.retryAfterSeconds)
  }
}
