import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'

type Db = Kysely<Database>

export function listCustomRoles(db: Db, accountId: number) {
  return db
    .selectFrom('custom_roles')
    .select(['name', 'base_role', 'default_invite_role'])
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .orderBy('name')
    .execute()
}

export function findCustomRole(db: Db, accountId: number, name: string) {
  return db
    .selectFrom('custom_roles')
    .select(['name', 'base_role', 'default_invite_role'])
    .where('account_id', '=', accountId)
    .where('name', '=', name)
    .executeTakeFirst()
}

export async function insertCustomRole(
  db: Db,
  role: { accountId: number; name: string; baseRole: string; defaultInviteRole: boolean; now: number },
) {
  await db
    .insertInto('custom_roles')
    .values({
      account_id: role.accountId,
      name: role.name,
      base_role: role.baseRole,
      default_invite_role: role.defaultInviteRole ? 1 : 0,
      created_at: role.now,
    })
    .execute()
}

export async function clearDefaultInviteRole(db: Db, accountId: number) {
  await db
    .updateTable('custom_roles')
    .set({ default_invite_role: 0 })
    .where('account_id', '=', accountId)
    .where('default_invite_role', '=', 1)
    .execute()
}

export async function deleteCustomRole(db: Db, accountId: number, name: string): Promise<boolean> {
  const result = await db
    .deleteFrom('custom_roles')
    .where('account_id', '=', accountId)
    .where('name', '=', name)
    .executeTakeFirst()
  return result.numDeletedRows > 0n
}

export async function updateCustomRole(
  db: Db,
  role: { accountId: number; name: string; baseRole: string; defaultInviteRole: boolean },
) {
  await db
    .updateTable('custom_roles')
    .set({ base_role: role.baseRole, default_invite_role: role.defaultInviteRole ? 1 : 0 })
    .where('account_id', '=', role.accountId)
    .where('name', '=', role.name)
    .execute()
}
