import { sql, type CompiledQuery, type Kysely } from 'kysely'
import { prepared } from '../db/prepared.ts'
import type { Database } from '../db/schema.ts'

type Db = Kysely<Database>

/** An invitation's three buckets, always read and written together: account, credential, email. */
export type Three<T> = readonly [T, T, T]

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

/** Stores the three buckets' new arrival times (one statement, to be sent with the others). */
export function saveBucketsStatement(
  db: Db,
  accountId: number,
  [[s1, t1], [s2, t2], [s3, t3]]: Three<readonly [string, number]>,
): CompiledQuery {
  return saveThree.bind(db, { accountId, s1, t1, s2, t2, s3, t3 })
}

/** The invitee addresses' buckets, as the index of idle ones states it (migration 2026-11-29T2100). */
const ADDRESS_BUCKET = sql<boolean>`scope like 'email:%'`

const idle = prepared((db, p: { accountId: number; now: number; address: string }) =>
  db
    .deleteFrom('invite_buckets')
    .where('account_id', '=', p.accountId)
    .where(ADDRESS_BUCKET)
    .where('tat', '<=', p.now)
    .where('scope', '<>', p.address),
)

/**
 * Drops the account's address buckets that are full again (a full bucket is the same as none),
 * but for the one being saved beside it: that one is never full (its arrival time is after now),
 * and one statement may not both update and delete a row (write-together.ts). The account's and
 * the credentials' buckets, one each, are left: only the addresses' would pile up.
 */
export function dropFullBucketsStatement(
  db: Db,
  accountId: number,
  now: number,
  [, , address]: Three<string>,
): CompiledQuery {
  return idle.bind(db, { accountId, now, address })
}
