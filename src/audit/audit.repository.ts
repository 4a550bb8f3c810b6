import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import type { AuditEventTable } from './audit.table.ts'

type Db = Kysely<Database>

export async function insertAuditEvent(db: Db, event: Omit<AuditEventTable, 'id'>) {
  await db.insertInto('audit_events').values(event).execute()
}

/** Newest first, keyset-paginated by id; scoped to one account. */
export function listAuditEvents(db: Db, accountId: number, opts: { limit: number; before?: number | undefined }) {
  let query = db
    .selectFrom('audit_events')
    .leftJoin('users', 'users.id', 'audit_events.actor_user_id')
    .selectAll('audit_events')
    .select('users.email as actor_email')
    .where('audit_events.account_id', '=', accountId)
  if (opts.before !== undefined) query = query.where('audit_events.id', '<', opts.before)
  return query.orderBy('audit_events.id', 'desc').limit(opts.limit).execute()
}

/** How many of these actions an account recorded since `since`, optionally by one key or on one target. */
export async function countRecentEvents(
  db: Db,
  filter: { accountId: number; actions: readonly string[]; since: number; apiKeyId?: number; actorUserId?: number; target?: string },
): Promise<{ count: number; oldest: number | null }> {
  let query = db
    .selectFrom('audit_events')
    .where('account_id', '=', filter.accountId)
    .where('created_at', '>', filter.since)
    .where('action', 'in', filter.actions)
  if (filter.apiKeyId !== undefined) query = query.where('actor_api_key_id', '=', filter.apiKeyId)
  if (filter.actorUserId !== undefined) query = query.where('actor_user_id', '=', filter.actorUserId)
  if (filter.target !== undefined) query = query.where('target', '=', filter.target)
  const row = await query
    .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min<number>('created_at').as('oldest')])
    .executeTakeFirstOrThrow()
  return { count: Number(row.count), oldest: row.oldest === null ? null : Number(row.oldest) }
}
