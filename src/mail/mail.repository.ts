import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import type { MailStatus } from './mail.table.ts'

type Db = Kysely<Database>

export interface NewMail {
  accountId: number
  kind: string
  tokenId: string | null
  recipient: string
  subject: string
  text: string
  html: string
  now: number
}

export async function insertMail(db: Db, m: NewMail) {
  await db
    .insertInto('mail_outbox')
    .values({
      account_id: m.accountId,
      kind: m.kind,
      token_id: m.tokenId,
      recipient: m.recipient,
      subject: m.subject,
      text_body: m.text,
      html_body: m.html,
      status: 'pending',
      next_attempt_at: m.now,
      created_at: m.now,
    })
    .execute()
}

/** An undelivered message to this address is moot once its invitation is replaced, cancelled or used. */
export async function supersedePendingMail(db: Db, accountId: number, recipient: string) {
  await db
    .updateTable('mail_outbox')
    .set({ status: 'superseded' })
    .where('account_id', '=', accountId)
    .where('recipient', '=', recipient)
    .where('status', '=', 'pending')
    .execute()
}

/** Due messages: pending ones whose time has come, and claims left behind by a worker that died. */
export function findDueMail(db: Db, now: number, limit: number) {
  return db
    .selectFrom('mail_outbox')
    .select(['id', 'account_id', 'status', 'claim_token'])
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]),
        eb.and([eb('status', '=', 'sending'), eb('claimed_until', '<=', now)]),
      ]),
    )
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(limit)
    .execute()
}

/**
 * Claims one message if it is still as we saw it (same status, same previous claim): of two
 * workers racing for it, exactly one updates the row. Returns the claimed message.
 */
export async function claimMail(
  db: Db,
  seen: { id: number; status: MailStatus; claim_token: string | null },
  claim: { token: string; until: number },
) {
  const result = await db
    .updateTable('mail_outbox')
    .set({
      status: 'sending',
      claim_token: claim.token,
      claimed_until: claim.until,
      attempts: sql`attempts + 1`,
    })
    .where('id', '=', seen.id)
    .where('status', '=', seen.status)
    .where((eb) =>
      seen.claim_token === null ? eb('claim_token', 'is', null) : eb('claim_token', '=', seen.claim_token),
    )
    .executeTakeFirst()
  if (result.numUpdatedRows === 0n) return undefined
  return db
    .selectFrom('mail_outbox')
    .selectAll()
    .where('id', '=', seen.id)
    .where('claim_token', '=', claim.token)
    .executeTakeFirst()
}

/** Records the outcome of a claimed message; only the claim's holder can. */
export async function settleMail(
  db: Db,
  id: number,
  claimToken: string,
  outcome: { status: 'sent' | 'pending' | 'failed'; now: number; nextAttemptAt?: number; error?: string },
) {
  await db
    .updateTable('mail_outbox')
    .set({
      status: outcome.status,
      claim_token: null,
      claimed_until: null,
      sent_at: outcome.status === 'sent' ? outcome.now : null,
      last_error: outcome.error?.slice(0, 1000) ?? null,
      ...(outcome.nextAttemptAt !== undefined ? { next_attempt_at: outcome.nextAttemptAt } : {}),
    })
    .where('id', '=', id)
    .where('claim_token', '=', claimToken)
    .execute()
}

export function listMail(
  db: Db,
  filter: { status?: MailStatus | undefined; accountId?: number | undefined },
) {
  let query = db
    .selectFrom('mail_outbox')
    .select([
      'id',
      'account_id as accountId',
      'kind',
      'recipient',
      'subject',
      'status',
      'attempts',
      'next_attempt_at as nextAttemptAt',
      'last_error as lastError',
      'created_at as createdAt',
      'sent_at as sentAt',
    ])
  if (filter.status) query = query.where('status', '=', filter.status)
  if (filter.accountId !== undefined) query = query.where('account_id', '=', filter.accountId)
  return query.orderBy('id').execute()
}
