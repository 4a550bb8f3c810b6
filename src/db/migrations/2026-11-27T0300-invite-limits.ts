import type { Kysely } from 'kysely'

// Frozen. Invitation limits count recent audit events of an account by time.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('audit_events_account_time_idx')
    .on('audit_events')
    .columns(['account_id', 'created_at'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('audit_events_account_time_idx').execute()
}
