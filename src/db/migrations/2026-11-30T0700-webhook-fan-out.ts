import { sql, type Kysely } from 'kysely'
import { engineOf } from '../engine.ts'

// Frozen: webhook events are read from the audit log after the change commits, instead of being
// written as one delivery per endpoint inside the change's transaction (webhooks/webhook.fan-out.ts).
// - audit_events.subject_user_id: the user a change is about (the events carry it).
// - PostgreSQL: audit_events.tx, the writing transaction's id. Ids come from a sequence, so a
//   smaller id can commit after a larger one; reading in (tx, id) order below the oldest running
//   transaction never skips a row that commits later.
// - webhooks.enabled_since: when the endpoint was created or last enabled; it is sent the events
//   made from then on (and, once disabled, those made before it was).
// - webhook_fan_out: the one position up to which events have been fanned out. A database that
//   already has an audit log starts after it (its changes already made their deliveries); an empty
//   one has no row, which means "from the start".
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_events').addColumn('subject_user_id', 'integer').execute()
  const postgres = engineOf(db) === 'postgres'
  if (postgres) {
    await sql`alter table audit_events add column tx xid8 not null default pg_current_xact_id()`.execute(db)
    await db.schema.createIndex('audit_events_tx_idx').on('audit_events').columns(['tx', 'id']).execute()
  }
  await db.schema
    .alterTable('webhooks')
    .addColumn('enabled_since', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute()
  await db
    .updateTable('webhooks')
    .set((eb) => ({ enabled_since: eb.ref('created_at') }))
    .execute()
  await db.schema
    .createTable('webhook_fan_out')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('tx', 'varchar(24)')
    .addColumn('audit_id', 'bigint', (c) => c.notNull())
    .execute()
  const last = postgres
    ? await sql<{
        tx: string
        id: number
      }>`select tx::text as tx, id from audit_events order by tx desc, id desc limit 1`.execute(db)
    : await sql<{
        tx: null
        id: number
      }>`select null as tx, id from audit_events order by id desc limit 1`.execute(db)
  const row = last.rows[0]
  if (row)
    await db
      .insertInto('webhook_fan_out')
      .values({ id: 1, tx: row.tx, audit_id: Number(row.id) })
      .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('webhook_fan_out').execute()
  await db.schema.alterTable('webhooks').dropColumn('enabled_since').execute()
  if (engineOf(db) === 'postgres') {
    await db.schema.dropIndex('audit_events_tx_idx').execute()
    await db.schema.alterTable('audit_events').dropColumn('tx').execute()
  }
  await db.schema.alterTable('audit_events').dropColumn('subject_user_id').execute()
}
