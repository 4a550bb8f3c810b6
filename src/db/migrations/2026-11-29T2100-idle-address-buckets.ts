import { sql, type Kysely } from 'kysely'

// Frozen: the index that finds idle flood-limit buckets holds the invitee addresses' buckets
// only. Every invitation moves its account's and its credential's bucket on, and each move left
// an entry behind in an index of every bucket by arrival time; under an invitation stream the
// search for idle buckets (one per invitation) walked more of those left-behind entries with
// every second until a vacuum (docs/benchmarks.md). Those two buckets are one per account and one
// per credential, never many, so they need no search: the addresses' buckets, one per invitee,
// are what would pile up. Queries that use the index say `scope like 'email:%'` as written here.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('invite_buckets_idle_idx').execute()
  await db.schema
    .createIndex('invite_buckets_idle_idx')
    .on('invite_buckets')
    .columns(['account_id', 'tat'])
    .where(sql<boolean>`scope like 'email:%'`)
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('invite_buckets_idle_idx').execute()
  await db.schema
    .createIndex('invite_buckets_idle_idx')
    .on('invite_buckets')
    .columns(['account_id', 'tat'])
    .execute()
}
