/** The few reads a scrape makes: outbox depth and age, live sessions. Counts only, never rows. */
import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { isFailed, isOpen } from '../webhooks/webhook.repository.ts'

export async function mailOutboxDepth(db: Kysely<Database>): Promise<{ status: string; count: number }[]> {
  const rows = await db
    .selectFrom('mail_outbox')
    .select(['status', sql<number>`count(*)`.as('count')])
    .groupBy('status')
    .execute()
  return rows.map((r) => ({ status: r.status, count: Number(r.count) }))
}

/** created_at of the oldest message still waiting to go out, or null when none waits. */
export async function oldestPendingMail(db: Kysely<Database>): Promise<number | null> {
  const row = await db
    .selectFrom('mail_outbox')
    .select(sql<number | null>`min(created_at)`.as('oldest'))
    .where('status', 'in', ['pending', 'sending'])
    .executeTakeFirst()
  return row?.oldest == null ? null : Number(row.oldest)
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

export async function webhookOutboxDepth(db: Kysely<Database>): Promise<{ status: string; count: number }[]> {
  // Open and failed rows through their own indexes; the delivered ones as all the others.
  const open = await db
    .selectFrom('webhook_deliveries')
    .select(['status', sql<number>`count(*)`.as('count')])
    .where(isOpen('status'))
    .groupBy('status')
    .execute()
  const failed = await db
    .selectFrom('webhook_deliveries')
    .select(sql<number>`count(*)`.as('count'))
    .where(isFailed('status'))
    .executeTakeFirstOrThrow()
  const all = await db
    .selectFrom('webhook_deliveries')
    .select(sql<number>`count(*)`.as('count'))
    .executeTakeFirstOrThrow()
  const counts = [
    ...open.map((r) => ({ status: r.status, count: Number(r.count) })),
    { status: 'failed', count: Number(failed.count) },
  ]
  const notDelivered = counts.reduce((n, r) => n + r.count, 0)
  return [...counts, { status: 'delivered', count: Number(all.count) - notDelivered }]
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
