import { sql, type Kysely } from 'kysely'
import { prepared } from '../db/prepared.ts'
import type { Database } from '../db/schema.ts'
import type { MailStatus } from './mail.table.ts'

type Db = Kysely<Database>

export type NewMail = {
  accountId: number
  kind: string
  tokenId: string | null
  recipient: string
  subject: string
  text: string
  html: string
  now: number
}

// The outbox's statements run for every invitation and delivery: prepared once.
const insertStatement = prepared((db, m: NewMail) =>
  db.insertInto('mail_outbox').values({
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
  }),
)

export async function insertMail(db: Db, m: NewMail) {
  await insertStatement.all(db, m)
}

const supersedeStatement = prepared((db, p: { accountId: number; recipient: string }) =>
  db
    .updateTable('mail_outbox')
    .set({ status: 'superseded' })
    .where('account_id', '=', p.accountId)
    .where('recipient', '=', p.recipient)
    .where('status', '=', 'pending'),
)

/** An undelivered message to this address is moot once its invitation is replaced, cancelled or used. */
export async function supersedePendingMail(db: Db, accountId: number, recipient: string) {
  await supersedeStatement.all(db, { accountId, recipient })
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
  const guarded = seen.claim_token === null ? claimUnclaimed : claimExpired
  return guarded.first(db, { id: seen.id, status: seen.status, previous: seen.claim_token ?? '', token: claim.token, until: claim.until })
}
type ClaimParams = { id: number; status: MailStatus; previous: string; token: string; until: number }
const claimStatement = (db: Db, p: ClaimParams, unclaimed: boolean) =>
  db
    .updateTable('mail_outbox')
    .set({ status: 'sending', claim_token: p.token, claimed_until: p.until, attempts: sql`attempts + 1` })
    .where('id', '=', p.id)
    .where('status', '=', p.status)
    .where((eb) => (unclaimed ? eb('claim_token', 'is', null) : eb('claim_token', '=', p.previous)))
    .returningAll()
const claimUnclaimed = prepared((db, p: ClaimParams) => claimStatement(db, p, true))
const claimExpired = prepared((db, p: ClaimParams) => claimStatement(db, p, false))

/** Records the outcome of a claimed message; only the claim's holder can. */
export async function settleMail(
  db: Db,
  id: number,
  claimToken: string,
  outcome: { status: 'sent' | 'pending' | 'failed'; now: number; nextAttemptAt?: number; error?: string },
) {
  await settleStatement.all(db, {
    id,
    claimToken,
    status: outcome.status,
    sentAt: outcome.status === 'sent' ? outcome.now : null,
    error: outcome.error?.slice(0, 1000) ?? null,
    nextAttemptAt: outcome.nextAttemptAt ?? null,
  })
}
const settleStatement = prepared(
  (db, p: { id: number; claimToken: string; status: MailStatus; sentAt: number | null; error: string | null; nextAttemptAt: number | null }) =>
    db
      .updateTable('mail_outbox')
      .set({
        status: p.status,
        claim_token: null,
        claimed_until: null,
        sent_at: p.sentAt,
        last_error: p.error,
        // Unchanged unless a retry is scheduled.
        next_attempt_at: sql<number>`coalesce(${p.nextAttemptAt}, next_attempt_at)`,
      })
      .where('id', '=', p.id)
      .where('claim_token', '=', p.claimToken),
)

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
