import type { Generated } from 'kysely'

export interface PasskeyTable {
  id: Generated<number>
  user_id: number
  /** base64url, as the authenticator names it. */
  credential_id: string
  /** COSE public key, base64url. */
  public_key: string
  /** The authenticator's signature counter: it must rise (a clone would repeat an old value). */
  counter: number
  /** JSON array of transports. */
  transports: string
  name: string
  created_at: number
  last_used_at: number | null
}

/** A challenge handed to the browser, used once, before it expires. */
export interface WebauthnChallengeTable {
  id: Generated<number>
  challenge: string
  purpose: 'register' | 'login'
  user_id: number | null
  expires_at: number
}
