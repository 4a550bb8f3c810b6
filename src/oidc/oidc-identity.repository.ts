import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'

/**
 * A user's current membership of the account that owns an application, read fresh. A suspended
 * member (SCIM `active: false`) has none: no sign-in, refresh, userinfo or introspection. Nor has
 * anyone of a deleted application, so every grant refuses it (`invalid_grant`).
 */
export function memberOfClientAccount(db: Kysely<Database>, clientId: string, userId: number) {
  return db
    .selectFrom('oidc_clients')
    .innerJoin('accounts', 'accounts.id', 'oidc_clients.account_id')
    .innerJoin('memberships', (join) =>
      join
        .onRef('memberships.account_id', '=', 'oidc_clients.account_id')
        .on('memberships.user_id', '=', userId)
        .on('memberships.suspended_at', 'is', null),
    )
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .leftJoin('custom_roles', (join) =>
      join
        .onRef('custom_roles.account_id', '=', 'memberships.account_id')
        .onRef('custom_roles.name', '=', 'memberships.role'),
    )
    .select([
      'users.id as userId',
      'users.email as email',
      'users.name as name',
      'accounts.id as accountId',
      'accounts.name as accountName',
      'memberships.role as role',
      'custom_roles.base_role as customBase',
    ])
    .where('oidc_clients.client_id', '=', clientId)
    .where('oidc_clients.deleted_at', 'is', null)
    .executeTakeFirst()
}
