import { sql, type Kysely } from 'kysely'

// Frozen: a user's last sign-in (Akto's fetchUserLastLoginTs) is read from an index of sign-in
// events only. The index it replaces held every audit event by actor and action, so every write
// use case, inviteUsers first, paid an entry nobody reads (docs/benchmarks.md). Queries that use
// the index state its condition as written here (audit.repository.ts).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('audit_events_actor_action_idx').execute()
  await db.schema
    .createIndex('audit_events_sign_in_idx')
    .on('audit_events')
    .columns(['actor_user_id', 'created_at'])
    .where(sql<boolean>`action in ('session.login', 'invitation.accept', 'sso.login')`)
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('audit_events_sign_in_idx').execute()
  await db.schema
    .createIndex('audit_events_actor_action_idx')
    .on('audit_events')
    .columns(['actor_user_id', 'action', 'created_at'])
    .execute()
}
