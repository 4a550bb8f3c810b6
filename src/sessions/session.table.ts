import type { Generated } from 'kysely'

export interface SessionTable {
  id: Generated<number>
  /** SHA-256 of the cookie's token, hex. The token itself is never stored. */
  token_hash: string
  user_id: number
  /** The account the session currently acts in (switchAccount changes it). */
  account_id: number
  created_at: number
  /** Refreshed at most once a minute; the idle expiry counts from here. */
  last_seen_at: number
  /** Absolute expiry, fixed at sign-in. */
  expires_at: number
  /** How the session was opened: `password` (also invitation acceptance) or `sso`. */
  method: Generated<string>
  /** Where and with what the session was opened, for the user's session list. */
  ip: string | null
  user_agent: string | null
  /** When this session proved a second factor (TOTP, recovery code or passkey); null if it did not. */
  mfa_at: number | null
}
