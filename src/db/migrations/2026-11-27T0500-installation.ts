import type { Kysely } from 'kysely'

// Frozen: a single row that first-run setup inserts. Its primary key is what lets only one of
// two concurrent setups succeed (the second insert violates it, also on PostgreSQL).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('installation')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('set_up_at', 'bigint', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('installation').execute()
}
