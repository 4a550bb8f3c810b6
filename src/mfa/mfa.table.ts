import type { Generated } from 'kysely'

export interface TotpFactorTable {
  user_id: number
  /** Base32 RFC 6238 secret. */
  secret: string
  /** Null while enrolment awaits its first code. */
  confirmed_at: number | null
  /** The last 30-second step accepted: no code is accepted twice. */
  last_used_step: number | null
  created_at: number
}

export interface RecoveryCodeTable {
  id: Generated<number>
  user_id: number
  /** SHA-256 of the normalised code, hex. */
  code_hash: string
  used_at: number | null
}

/** The step between a correct password and the second factor: the mfaToken's hash, bounded in time and tries. */
export interface MfaChallengeTable {
  id: Generated<number>
  token_hash: string
  user_id: number
  attempts: Generated<number>
  expires_at: number
}
