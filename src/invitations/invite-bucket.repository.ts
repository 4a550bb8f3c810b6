import type { Kysely } from 'kysely'
import { prepared } from '../db/prepared.ts'
import type { Database } from '../db/schema.ts'

type Db = Kysely<Database>

/** An invitation's three buckets, always read and written together: account, credential, email. */
export type Three<T> = readonly [T, T, T]

const bucketsOf = prepared((db, p: { accountId: number; s1: string; s2: string; s3: string }) =>
  db
    .selectFrom('invite_buckets')
    .select(['scope', 'tat'])
    .where('account_id', '=', p.accountId)
    .where('scope', 'in', [p.s1, p.s2, p.s3]),
)

/** The stored arrival times of the three buckets, by scope (absent: full). */
export async function findBuckets(db: Db, accountId: number, [s1, s2, s3]: Three<string>) {
  const rows = await bucketsOf.all(db, { accountId, s1, s2, s3 })
  return new Map(rows.map((r) => [r.scope, Number(r.tat)]))
}

const saveThree = prepared(
  (db, p: { accountId: number; s1: string; t1: number; s2: string; t2: number; s3: string; t3: number }) =>
    db
      .insertInto('invite_buckets')
      .values([
        { account_id: p.accountId, scope: p.s1, tat: p.t1 },
        { account_id: p.accountId, scope: p.s2, tat: p.t2 },
        { account_id: p.accountId, scope: p.s3, tat: p.t3 },
      ])
      .onConflict((oc) =>
        oc.columns(['account_id', 'scope']).doUpdateSet((eb) => ({ tat: eb.ref('excluded.tat') })),
      ),
)

/** Stores the three buckets' new arrival times in one statement. */
export async function saveBuckets(
  db: Db,
  accountId: number,
  [[s1, t1], [s2, t2], [s3, t3]]: Three<readonly [string, number]>,
) {
  await saveThree.all(db, { accountId, s1, t1, s2, t2, s3, t3 })
}

const idle = prepared((db, p: { accountId: number; now: number }) =>
  db.deleteFrom('invite_buckets').where('account_id', '=', p.accountId).where('tat', '<=', p.now),
)

/** Drops the account's buckets that are full again (a full bucket is the same as none). */
export async function dropFullBuckets(db: Db, accountId: number, now: number) {
  await idle.all(db, { accountId, now })
}
