import type { Generated } from 'kysely'

export interface InvitationTable {
  id: Generated<number>
  account_id: number
  email: string
  name: string | null
  role: string
  inviter_id: number
  /** The `jti` of the current invitation code; replacing or consuming it voids older links. */
  token_id: string
  expires_at: number
  created_at: number
}
