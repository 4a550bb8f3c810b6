import type { Generated } from 'kysely'

/** `logged`: delivered to the server's log because no SMTP server is configured (SMTP_URL). */
export type MailStatus = 'pending' | 'sending' | 'sent' | 'logged' | 'failed' | 'superseded'

export interface MailOutboxTable {
  id: Generated<number>
  account_id: number
  kind: string
  token_id: string | null
  recipient: string
  subject: string
  /** The rendered text of a message queued before 2026-11-29T2200; '' for later ones. */
  text_body: string
  html_body: string
  /** The template's inputs as JSON (mail-content.ts), rendered when the message is sent. */
  inputs: string | null
  status: MailStatus
  attempts: Generated<number>
  next_attempt_at: number
  /** Random per claim: only the worker holding it may record the outcome. */
  claim_token: string | null
  /** A claim older than this belongs to a worker that died; another may take the message. */
  claimed_until: number | null
  last_error: string | null
  created_at: number
  sent_at: number | null
}
