/** The one map from error codes to HTTP status. Any code not listed is a broken rule: 422. */
const STATUS: Readonly<Record<string, number>> = {
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  SESSION_REQUIRED: 403,
  SESSION_ONLY: 403,
  MFA_ENROLMENT_REQUIRED: 403,
  MFA_TOKEN_INVALID: 401,
  PASSKEY_NOT_FOUND: 404,
  PASSKEY_SIGN_IN_FAILED: 401,
  SESSION_NOT_FOUND: 404,
  FORBIDDEN_ROLE: 403,
  AUDIT_FORBIDDEN: 403,
  API_KEY_NOT_ALLOWED: 403,
  CROSS_SITE_REQUEST: 403,
  CORS_ORIGIN_REFUSED: 403,
  NOT_FOUND: 404,
  WEBHOOK_NOT_FOUND: 404,
  WEBHOOK_DELIVERY_NOT_FOUND: 404,
  WEBHOOK_DELIVERY_IN_PROGRESS: 409,
  WEBHOOK_DISABLED: 409,
  SCIM_TOKEN_NOT_FOUND: 404,
  OIDC_CLIENT_NOT_FOUND: 404,
  SETUP_DONE: 409,
  VERSION_MISMATCH: 412,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TIMEOUT: 408,
  URL_TOO_LONG: 414,
  EXPECTATION_FAILED: 417,
  HEADERS_TOO_LARGE: 431,
  MALFORMED_JSON: 400,
  INVALID_BODY: 400,
  BAD_REQUEST: 400,
  BODY_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  DATABASE_UNAVAILABLE: 503,
  // The account's identity provider did not answer: a bad gateway, not our database.
  SSO_IDP_UNAVAILABLE: 502,
  SSO_FLOW_INVALID: 400,
  INTERNAL: 500,
}

export function statusOf(code: string): number {
  return STATUS[code] ?? 422
}

/** Akto's error body plus Roster's stable code. */
export function errorBody(code: string, message: string) {
  return { actionErrors: [message], code }
}
