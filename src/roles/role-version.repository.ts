/**
 * Who holds a role changed: its version and time move (the SCIM Group's meta.version and
 * meta.lastModified). Called by the membership writes (team/membership.repository.ts), in the
 * transaction of the change, so no door that gives or takes a role can miss it.
 */
import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'

export async function touchRoles(
  db: Kysely<Database>,
  accountId: number,
  roles: Iterable<string>,
  now: number,
) {
  for (const role of new Set(roles)) {
    await db
      .insertInto('role_versions')
      // The first change after the implied version 1.
      .values({ account_id: accountId, role, version: 2, updated_at: now })
      .onConflict((oc) =>
        oc
          .columns(['account_id', 'role'])
          .doUpdateSet({ version: sql<number>`role_versions.version + 1`, updated_at: now }),
      )
      .execute()
  }
}
