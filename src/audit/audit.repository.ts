import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import type { AuditEventTable } from './audit.table.ts'

type Db = Kysely<Database>

export async function insertAuditEvent(db: Db, event: Omit<AuditEventTable, 'id'>) {
  await db.insertInto('audit_events').values(event).execute()
}

export function listAuditEvents(db: Db, accountId: number, opts: { limit: number; before?: number }) {
  let query = db.selectFrom('audit_events').selectAll().where('account_id', '=', accountId)
  if (opts.before !== undefined) query = query.where('id', '<', opts.before)
  return query.orderBy('id', 'desc').limit(opts.limit).execute()
}
