/** The bounds of the two-factor step (account-security.md): fixed, not configuration. */

/** An mfaToken lives 5 minutes... */
export const MFA_CHALLENGE_TTL_MS = 5 * 60_000
/** ...and allows 5 tries. */
export const MFA_CHALLENGE_MAX_ATTEMPTS = 5
/** RFC 6238 defaults, which every authenticator app reads. */
export const TOTP_PERIOD_SECONDS = 30
export const TOTP_DIGITS = 6
/** Steps of clock drift accepted either side. */
export const TOTP_WINDOW = 1
export const RECOVERY_CODE_COUNT = 10
