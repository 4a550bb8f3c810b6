import type { Generated } from 'kysely'

export interface WebhookTable {
  id: Generated<number>
  account_id: number
  url: string
  description: string | null
  /** JSON array of event types; null means every type. */
  events: string | null
  /** `whsec_…`: kept as is, since every delivery is signed with it. */
  secret: string
  previous_secret: string | null
  previous_secret_until: number | null
  disabled_at: number | null
  disabled_reason: string | null
  created_at: number
  /** When it was created or last enabled: it is sent the events made from then until disabled_at. */
  enabled_since: number
}

export type DeliveryStatus = 'pending' | 'sending' | 'delivered' | 'failed'

export interface WebhookDeliveryTable {
  id: Generated<number>
  account_id: number
  webhook_id: number
  event_id: string
  type: string
  payload: string
  status: DeliveryStatus
  attempts: Generated<number>
  next_attempt_at: number
  claim_token: string | null
  claimed_until: number | null
  last_status_code: number | null
  last_error: string | null
  last_response: string | null
  created_at: number
  delivered_at: number | null
}

/** How far the audit log has been fanned out into deliveries: one row, id 1 (absent: from the start). */
export interface WebhookFanOutTable {
  id: number
  /** PostgreSQL: the transaction id (xid8, as text) of the last event fanned out; null on SQLite. */
  tx: string | null
  audit_id: number
  /** The worker sending a batch straight to its endpoints holds the position until then (ms). */
  lease_token: string | null
  lease_until: number | null
  /** Mixed into every webhook-id the fan-out derives (eventIdOf). */
  id_salt: string | null
}
