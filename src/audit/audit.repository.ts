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
