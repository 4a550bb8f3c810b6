import type { Kysely } from 'kysely'

// Frozen. Akto's dashboard reads the audit log by time range (fetchApiAuditLogsFromDb) and a
// user's last sign-in (fetchUserLastLoginTs): each is an index range scan, not a table scan.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('audit_events_account_created_idx')
    .on('audit_events')
    .columns(['account_id', 'created_at'])
    .execute()
  await db.schema
    .createIndex('audit_events_actor_action_idx')
    .on('audit_events')
    .columns(['actor_user_id', 'action', 'created_at'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('audit_events_actor_action_idx').execute()
  await db.schema.dropIndex('audit_events_account_created_idx').execute()
}
