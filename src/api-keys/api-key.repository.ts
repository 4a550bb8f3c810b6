import { sql, type Kysely } from 'kysely'
import { prepared } from '../db/prepared.ts'
import type { Database } from '../db/schema.ts'
import type { TokenUtility } from './token-utility.ts'

type Db = Kysely<Database>

export async function insertApiKey(
  db: Db,
  key: {
    accountId: number
    userId: number
    name: string
    keyHash: string
    prefix: string
    now: number
    utility?: TokenUtility | undefined
  },
) {
  const row = await db
    .insertInto('api_keys')
    .values({
      account_id: key.accountId,
      user_id: key.userId,
      name: key.name,
      key_hash: key.keyHash,
      prefix: key.prefix,
      utility: key.utility ?? null,
      created_at: key.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/**
 * The live key with this hash and its creator's *current* membership: a key of a removed
 * member, or a revoked key, finds nothing. One indexed read, no write.
 */
const activeKeyByHash = prepared((db, p: { keyHash: string }) =>
  db
    .selectFrom('api_keys')
    .innerJoin('memberships', (join) =>
      join
        .onRef('memberships.account_id', '=', 'api_keys.account_id')
        .onRef('memberships.user_id', '=', 'api_keys.user_id'),
    )
    // A suspended member's credentials are refused as well as ended.
    .where('memberships.suspended_at', 'is', null)
    .innerJoin('users', 'users.id', 'api_keys.user_id')
    .innerJoin('accounts', 'accounts.id', 'api_keys.account_id')
    .leftJoin('custom_roles', (join) =>
      join
        .onRef('custom_roles.account_id', '=', 'memberships.account_id')
        .onRef('custom_roles.name', '=', 'memberships.role'),
    )
    .where('api_keys.key_hash', '=', p.keyHash)
    .where('api_keys.revoked_at', 'is', null)
    .select([
      'api_keys.id as id',
      'api_keys.key_hash as keyHash',
      'api_keys.account_id as accountId',
      'api_keys.user_id as userId',
      'api_keys.last_used_at as lastUsedAt',
      'users.email as email',
      'memberships.role as role',
      sql<string>`coalesce(custom_roles.base_role, memberships.role)`.as('baseRole'),
      'accounts.team_version as teamVersion',
    ]),
)

export function findActiveKeyByHash(db: Db, keyHash: string) {
  return activeKeyByHash.first(db, { keyHash })
}

/** Records use, at most once per `staleBefore` window (the caller only calls it when stale). */
export async function touchApiKey(db: Db, id: number, now: number, staleBefore: number) {
  await db
    .updateTable('api_keys')
    .set({ last_used_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', staleBefore)]))
    .execute()
}

export function listApiKeys(db: Db, filter: { accountId: number; userId?: number }) {
  let query = db
    .selectFrom('api_keys')
    .innerJoin('users', 'users.id', 'api_keys.user_id')
    .select([
      'api_keys.id as id',
      'api_keys.name as name',
      'api_keys.prefix as prefix',
      'api_keys.utility as utility',
      'api_keys.created_at as createdAt',
      'api_keys.last_used_at as lastUsedAt',
      'api_keys.revoked_at as revokedAt',
      'users.email as email',
    ])
    .where('api_keys.account_id', '=', filter.accountId)
  if (filter.userId !== undefined) query = query.where('api_keys.user_id', '=', filter.userId)
  return query.orderBy('api_keys.id').execute()
}

export function findApiKey(db: Db, id: number) {
  return db
    .selectFrom('api_keys')
    .select(['id', 'account_id', 'user_id', 'revoked_at'])
    .where('id', '=', id)
    .executeTakeFirst()
}

export async function revokeApiKey(db: Db, id: number, now: number): Promise<boolean> {
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

/** Revokes every live key a user holds in one account (on removal and suspension); their ids. */
export async function revokeKeysOfMember(
  db: Db,
  accountId: number,
  userId: number,
  now: number,
): Promise<number[]> {
  const rows = await db
    .updateTable('api_keys')
    .set({ revoked_at: now })
    .where('account_id', '=', accountId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute()
  return rows.map((r) => r.id).sort((a, b) => a - b)
}
