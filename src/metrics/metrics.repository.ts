/** The few reads a scrape makes: outbox depth and age, live sessions. Counts only, never rows. */
import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'

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
  const rows = await db
    .selectFrom('webhook_deliveries')
    .select(['status', sql<number>`count(*)`.as('count')])
    .groupBy('status')
    .execute()
  return rows.map((r) => ({ status: r.status, count: Number(r.count) }))
}

export async function oldestPendingWebhook(db: Kysely<Database>): Promise<number | null> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .select(sql<number | null>`min(created_at)`.as('oldest'))
    .where('status', '=', 'pending')
    .executeTakeFirst()
  return row?.oldest == null ? null : Number(row.oldest)
}
