import type { Generated } from 'kysely'

export interface AuditEventTable {
  id: Generated<number>
  account_id: number
  actor_user_id: number | null
  actor_api_key_id: number | null
  /** A system actor such as 'scim' (an identity provider), when no member acted. */
  actor_system: string | null
  action: string
  target: string | null
  /** JSON text. */
  details: string | null
  ip: string | null
  user_agent: string | null
  created_at: number
  /** The user the change is about, when it is a member (webhook events carry it). */
  subject_user_id: number | null
}
