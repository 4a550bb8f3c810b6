/**
 * SCIM's read of an account's roles as Groups: each with its creation (the custom role's, or the
 * account's for a built-in role) and its version and last change (roles/role-version.repository.ts).
 */
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { BUILT_IN_ROLES } from '../roles/role.ts'

export interface GroupRow {
  name: string
  /** ADMIN, MEMBER, DEVELOPER, GUEST: managed by no one. */
  builtIn: boolean
  createdAt: number
  updatedAt: number | null
  version: number
}

export async function listGroupRows(db: Kysely<Database>, accountId: number): Promise<GroupRow[]> {
  const [account, custom, versions] = await Promise.all([
    db.selectFrom('accounts').select('created_at').where('id', '=', accountId).executeTakeFirstOrThrow(),
    db
      .selectFrom('custom_roles')
      .select(['name', 'created_at'])
      .where('account_id', '=', accountId)
      .orderBy('created_at')
      .orderBy('name')
      .execute(),
    db
      .selectFrom('role_versions')
      .select(['role', 'version', 'updated_at'])
      .where('account_id', '=', accountId)
      .execute(),
  ])
  const changed = new Map(versions.map((v) => [v.role, v]))
  const row = (name: string, createdAt: number, builtIn: boolean): GroupRow => {
    const v = changed.get(name)
    return {
      name,
      builtIn,
      createdAt: Number(createdAt),
      updatedAt: v ? Number(v.updated_at) : null,
      version: v ? Number(v.version) : 1,
    }
  }
  return [
    ...BUILT_IN_ROLES.map((name) => row(name, account.created_at, true)),
    ...custom.map((r) => row(r.name, r.created_at, false)),
  ]
}
