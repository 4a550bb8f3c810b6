import type { Kysely } from 'kysely'

// Frozen. Invitation flood limits as token buckets (GCRA): one row per account, credential and
// invitee address holding its "theoretical arrival time", instead of counting the audit log
// (a count that grew with every invitation of the window). The time index on the audit log
// served only those counts.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('invite_buckets')
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('scope', 'varchar(400)', (c) => c.notNull())
    .addColumn('tat', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('invite_buckets_pk', ['account_id', 'scope'])
    .execute()
  await db.schema
    .createIndex('invite_buckets_idle_idx')
    .on('invite_buckets')
    .columns(['account_id', 'tat'])
    .execute()
  await db.schema.dropIndex('audit_events_account_time_idx').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('audit_events_account_time_idx')
    .on('audit_events')
    .columns(['account_id', 'created_at'])
    .execute()
  await db.schema.dropTable('invite_buckets').execute()
}
