import { sql, type Kysely } from 'kysely'

// Frozen: the webhook worker's queue as a small index. Every delivery row was written into three
// secondary indexes, two of them only for the worker: (webhook_id, status, id) for each
// endpoint's queue and (status, next_attempt_at) for what is due. They held every delivery ever
// made, and the row an invitation writes in its own transaction paid for both (docs/benchmarks.md).
// Now one partial index holds the open rows (pending or sending), in queue order per endpoint: a
// row leaves it once delivered or failed. Failed rows, which the metrics count and the delivery
// log filters, get a partial index of their own, written only when a delivery fails. Queries
// that use them say `status in ('pending', 'sending')` or `status = 'failed'` as written here,
// literally: that is how SQLite and PostgreSQL know an index holds every row they ask for.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('webhook_deliveries_queue_idx').execute()
  await db.schema.dropIndex('webhook_deliveries_due_idx').execute()
  await db.schema
    .createIndex('webhook_deliveries_open_idx')
    .on('webhook_deliveries')
    .columns(['webhook_id', 'id'])
    .where(sql<boolean>`status in ('pending', 'sending')`)
    .execute()
  await db.schema
    .createIndex('webhook_deliveries_failed_idx')
    .on('webhook_deliveries')
    .columns(['account_id', 'id'])
    .where(sql<boolean>`status = 'failed'`)
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('webhook_deliveries_failed_idx').execute()
  await db.schema.dropIndex('webhook_deliveries_open_idx').execute()
  await db.schema
    .createIndex('webhook_deliveries_queue_idx')
    .on('webhook_deliveries')
    .columns(['webhook_id', 'status', 'id'])
    .execute()
  await db.schema
    .createIndex('webhook_deliveries_due_idx')
    .on('webhook_deliveries')
    .columns(['status', 'next_attempt_at'])
    .execute()
}
