import type { Insertable, Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import type { SsoConfigTable, SsoFlowTable } from './sso.table.ts'

type Db = Kysely<Database>

export type SsoConfigRow = Awaited<ReturnType<typeof findSsoConfig>> & {}

export function findSsoConfig(db: Db, accountId: number) {
  return db.selectFrom('sso_configs').selectAll().where('account_id', '=', accountId).executeTakeFirst()
}

/** Creates or replaces the account's configuration (one per account: the primary key). */
export async function upsertSsoConfig(db: Db, row: Insertable<SsoConfigTable>) {
  // The creation time stays; everything else is replaced.
  const changes: Partial<Insertable<SsoConfigTable>> = { ...row }
  delete changes.account_id
  delete changes.created_at
  await db
    .insertInto('sso_configs')
    .values(row)
    .onConflict((oc) => oc.column('account_id').doUpdateSet(changes))
    .execute()
}

export async function deleteSsoConfig(db: Db, accountId: number): Promise<boolean> {
  const result = await db.deleteFrom('sso_configs').where('account_id', '=', accountId).executeTakeFirst()
  return result.numDeletedRows > 0n
}

/** Accounts with single sign-on that own this email domain, with their names. */
export function ssoAccountsForDomain(db: Db, domain: string) {
  return db
    .selectFrom('account_domains')
    .innerJoin('sso_configs', 'sso_configs.account_id', 'account_domains.account_id')
    .innerJoin('accounts', 'accounts.id', 'account_domains.account_id')
    .where('account_domains.domain', '=', domain)
    .select(['accounts.id as accountId', 'accounts.name as name'])
    .orderBy('accounts.id')
    .execute()
}

/** The configurations of the accounts that require SSO among these (for password refusals). */
export function requiredSsoConfigs(db: Db, accountIds: readonly number[]) {
  if (accountIds.length === 0) return Promise.resolve([])
  return db
    .selectFrom('sso_configs')
    .select(['account_id', 'break_glass_email'])
    .where('account_id', 'in', accountIds)
    .where('required', '=', 1)
    .execute()
}

export async function insertSsoFlow(db: Db, flow: Insertable<SsoFlowTable>) {
  await db.insertInto('sso_flows').values(flow).execute()
}

/** Takes the flow out: a state is honoured once, also when two callbacks race. */
export async function consumeSsoFlow(db: Db, state: string, now: number) {
  const row = await db.deleteFrom('sso_flows').where('state', '=', state).returningAll().executeTakeFirst()
  return row && Number(row.expires_at) > now ? row : undefined
}

export async function deleteExpiredSsoFlows(db: Db, now: number) {
  await db.deleteFrom('sso_flows').where('expires_at', '<=', now).execute()
}

/** Records an assertion ID; false when it was already consumed (the primary key refuses it). */
export async function recordAssertion(
  db: Db,
  a: { accountId: number; assertionId: string; expiresAt: number; now: number },
) {
  await db.deleteFrom('sso_assertions').where('expires_at', '<=', a.now).execute()
  const row = await db
    .insertInto('sso_assertions')
    .values({ account_id: a.accountId, assertion_id: a.assertionId, expires_at: a.expiresAt })
    .onConflict((oc) => oc.doNothing())
    .returning('assertion_id')
    .executeTakeFirst()
  return row !== undefined
}
