/** The few reads a scrape makes: outbox depth and age, live sessions. Counts only, never rows. */
import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { hasStatus, isFailed, isOpen } from '../outbox/open-rows.ts'

export async function mailOutboxDepth(db: Kysely<Database>): Promise<{ status: string; count: number }[]> {
  const rows = await db
    .selectFrom('mail_outbox')
    .select(['status', sql<number>`count(*)`.as('count')])
    .groupBy('status')
    .execute()
  return rows.map((r) => ({ status: r.status, count: Number(r.count) }))
}

/**
 * created_at of the oldest message still waiting to go out, or null when none waits. Pending and
 * claimed messages each have a partial index (migration 2026-11-29T2000): a minimum per index.
 */
export async function oldestPendingMail(db: Kysely<Database>): Promise<number | null> {
  const oldest = (status: 'pending' | 'sending') =>
    db
      .selectFrom('mail_outbox')
      .select(sql<number | null>`min(created_at)`.as('oldest'))
      .where(hasStatus('status', status))
  const row = await db
    .selectNoFrom([oldest('pending').as('pending'), oldest('sending').as('sending')])
    .executeTakeFirstOrThrow()
  const times = [row.pending, row.sending].filter((t) => t !== null).map(Number)
  return times.length === 0 ? null : Math.min(...times)
}

export async function activeSessions(db: Kysely<Database>, now: number, idleMs: number): Promise<number> {
  const row = await db
    .selectFrom('sessions')
    .select(sql<number>`count(*)`.as('count'))
    .where('expires_at', '>', now)
    .where('last_seen_at', '>', now - idleMs)
    .executeTakeFirst()
  return Number(row?.count ?? 0)
}

/**
 * Deliveries by status, as the API shows them (one being sent counts as pending). One statement,
 * so the three counts share a snapshot: "delivered" (all rows but the open and failed ones, which
 * have indexes of their own) cannot come out negative while deliveries are deleted.
 */
export async function webhookOutboxDepth(db: Kysely<Database>): Promise<{ status: string; count: number }[]> {
  const count = (where?: ReturnType<typeof isOpen>) => {
    const q = db.selectFrom('webhook_deliveries').select(sql<number>`count(*)`.as('n'))
    return where ? q.where(where) : q
  }
  const row = await db
    .selectNoFrom([
      count(isOpen('status')).as('open'),
      count(isFailed('status')).as('failed'),
      count().as('total'),
    ])
    .executeTakeFirstOrThrow()
  const [open, failed, total] = [row.open, row.failed, row.total].map(Number) as [number, number, number]
  return [
    { status: 'pending', count: open },
    { status: 'failed', count: failed },
    { status: 'delivered', count: total - open - failed },
  ]
}

export async function oldestPendingWebhook(db: Kysely<Database>): Promise<number | null> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .select(sql<number | null>`min(created_at)`.as('oldest'))
    .where(isOpen('status'))
    .where('status', '=', 'pending')
    .executeTakeFirst()
  return row?.oldest == null ? null : Number(row.oldest)
}
