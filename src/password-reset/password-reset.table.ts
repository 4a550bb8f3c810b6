import type { Generated } from 'kysely'

/** One live reset link per user (a newer request replaces it); only the token's SHA-256 is stored. */
export interface PasswordResetTable {
  id: Generated<number>
  user_id: number
  token_hash: string
  created_at: number
  expires_at: number
}
