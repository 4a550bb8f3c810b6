import { sql, type Kysely } from 'kysely'

// Frozen: the mail worker's queue in small indexes, as 2026-11-29T1900 did for webhooks. The
// (status, next_attempt_at) index held every message ever queued, and the worker's question
// (pending and due, or sending with an expired claim, oldest first) could not be read from it in
// order: PostgreSQL took 3-9 ms per question under an invitation stream (pg_stat_statements),
// visiting every row version the stream had left behind. Now each half of the question has a
// partial index of its own, read in order as a range: pending messages by due time, claimed ones
// by claim expiry. A message leaves them once delivered, failed or superseded. Queries that use
// them say `status = 'pending'` or `status = 'sending'` as written here, literally
// (outbox/open-rows.ts).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('mail_outbox_due_idx').execute()
  await db.schema
    .createIndex('mail_outbox_pending_idx')
    .on('mail_outbox')
    .columns(['next_attempt_at', 'id'])
    .where(sql<boolean>`status = 'pending'`)
    .execute()
  await db.schema
    .createIndex('mail_outbox_sending_idx')
    .on('mail_outbox')
    .column('claimed_until')
    .where(sql<boolean>`status = 'sending'`)
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('mail_outbox_sending_idx').execute()
  await db.schema.dropIndex('mail_outbox_pending_idx').execute()
  await db.schema
    .createIndex('mail_outbox_due_idx')
    .on('mail_outbox')
    .columns(['status', 'next_attempt_at'])
    .execute()
}
