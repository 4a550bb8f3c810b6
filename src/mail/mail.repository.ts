import { sql, type CompiledQuery, type Kysely } from 'kysely'
import { idList } from '../db/id-list.ts'
import { prepared } from '../db/prepared.ts'
import { hasStatus } from '../outbox/open-rows.ts'
import type { Database } from '../db/schema.ts'
import { storedContent, type MailContent } from './mail-content.ts'
import type { MailStatus } from './mail.table.ts'

type Db = Kysely<Database>

export type NewMail = {
  accountId: number
  tokenId: string | null
  recipient: string
  content: MailContent
  now: number
}

/**
 * A message's text once it can no longer be sent (delivered, logged or superseded): its link is a
 * credential (an invitation, a password reset) that the database otherwise keeps only hashed or
 * signed, so the copy in the outbox does not outlive its use. Subject and recipient stay listed.
 */
const NO_BODY = { text_body: '', html_body: '', inputs: null }

type MailRow = Omit<NewMail, 'content'> & { kind: string; subject: string; inputs: string }
const rowOf = ({ content, ...m }: NewMail): MailRow => ({ ...m, ...storedContent(content) })

// The outbox's statements run for every invitation and delivery: prepared once.
const insertStatement = prepared((db, m: MailRow) =>
  db.insertInto('mail_outbox').values({
    account_id: m.accountId,
    kind: m.kind,
    token_id: m.tokenId,
    recipient: m.recipient,
    subject: m.subject,
    text_body: '',
    html_body: '',
    inputs: m.inputs,
    status: 'pending',
    next_attempt_at: m.now,
    created_at: m.now,
  }),
)

export async function insertMail(db: Db, m: NewMail) {
  await insertStatement.all(db, rowOf(m))
}

export function insertMailStatement(db: Db, m: NewMail): CompiledQuery {
  return insertStatement.bind(db, rowOf(m))
}

const supersedeStatement = prepared((db, p: { accountId: number; recipient: string }) =>
  db
    .updateTable('mail_outbox')
    .set({ status: 'superseded', ...NO_BODY })
    .where('account_id', '=', p.accountId)
    .where('recipient', '=', p.recipient)
    .where('status', '=', 'pending'),
)

/** An undelivered message to this address is moot once its invitation is replaced, cancelled or used. */
export async function supersedePendingMail(db: Db, accountId: number, recipient: string) {
  await supersedeStatement.all(db, { accountId, recipient })
}

export function supersedePendingMailStatement(db: Db, accountId: number, recipient: string): CompiledQuery {
  return supersedeStatement.bind(db, { accountId, recipient })
}

/**
 * Rows of one status whose time (by that status's index) has come, in its order. A pass asks
 * both; each is built and compiled once (building them with Kysely cost more than running them).
 */
const dueStatement = (status: 'pending' | 'sending', time: 'next_attempt_at' | 'claimed_until') =>
  prepared((db, p: { now: number; limit: number }) =>
    db
      .selectFrom('mail_outbox')
      .select(['id', 'account_id', 'next_attempt_at'])
      .where(hasStatus('status', status))
      .where(time, '<=', p.now)
      .orderBy(time)
      .orderBy('id')
      .limit(p.limit),
  )
const duePending = dueStatement('pending', 'next_attempt_at')
const dueAbandoned = dueStatement('sending', 'claimed_until')

/**
 * Due messages, oldest first: pending ones whose time has come, and claims left behind by a
 * worker that died. Each half is a range of its own partial index, read in order (migration
 * 2026-11-29T2000).
 */
export async function findDueMail(db: Db, now: number, limit: number) {
  const pending = await duePending.all(db, { now, limit })
  const abandoned = await dueAbandoned.all(db, { now, limit })
  if (abandoned.length === 0) return pending
  const all = [...pending, ...abandoned].map((r) => ({ ...r, next_attempt_at: Number(r.next_attempt_at) }))
  return all.sort((a, b) => a.next_attempt_at - b.next_attempt_at || a.id - b.id).slice(0, limit)
}

/**
 * Claims those of these messages that are still due, in one statement, and returns them. The
 * condition is checked again on each row as it is updated: of two workers racing for a message,
 * the first makes it not due (sending, claimed until later), so exactly one updates the row.
 */
export function claimDueMail(
  db: Db,
  ids: readonly number[],
  now: number,
  claim: { token: string; until: number },
) {
  return db
    .updateTable('mail_outbox')
    .set({
      status: 'sending',
      claim_token: claim.token,
      claimed_until: claim.until,
      attempts: sql`attempts + 1`,
    })
    .where('id', 'in', idList(ids))
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]),
        eb.and([eb('status', '=', 'sending'), eb('claimed_until', '<=', now)]),
      ]),
    )
    .returningAll()
    .execute()
}

/** Marks claimed messages delivered (sent, or logged), in one statement; only the claim's holder can. */
export async function settleSentMail(
  db: Db,
  ids: readonly number[],
  claimToken: string,
  now: number,
  status: 'sent' | 'logged',
) {
  if (ids.length === 0) return
  await db
    .updateTable('mail_outbox')
    .set({ status, claim_token: null, claimed_until: null, sent_at: now, last_error: null, ...NO_BODY })
    .where('id', 'in', idList(ids))
    .where('claim_token', '=', claimToken)
    .execute()
}

/** Gives claimed messages back untried: pending again, as due as before, the attempt not counted. */
export async function releaseMail(db: Db, ids: readonly number[], claimToken: string) {
  if (ids.length === 0) return
  await db
    .updateTable('mail_outbox')
    .set({ status: 'pending', claim_token: null, claimed_until: null, attempts: sql`attempts - 1` })
    .where('id', 'in', idList(ids))
    .where('claim_token', '=', claimToken)
    .execute()
}

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
  (
    db,
    p: {
      id: number
      claimToken: string
      status: MailStatus
      sentAt: number | null
      error: string | null
      nextAttemptAt: number | null
    },
  ) =>
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
        // Delivered: the text goes (NO_BODY); kept while it may still be sent.
        text_body: sql<string>`case when ${p.status} = 'sent' then '' else text_body end`,
        html_body: sql<string>`case when ${p.status} = 'sent' then '' else html_body end`,
        inputs: sql<string | null>`case when ${p.status} = 'sent' then null else inputs end`,
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

/** An undelivered message of one kind to this address is moot once a newer one replaces it. */
export async function supersedePendingMailOfKind(db: Db, accountId: number, recipient: string, kind: string) {
  await db
    .updateTable('mail_outbox')
    .set({ status: 'superseded', ...NO_BODY })
    .where('account_id', '=', accountId)
    .where('recipient', '=', recipient)
    .where('kind', '=', kind)
    .where('status', '=', 'pending')
    .execute()
}
