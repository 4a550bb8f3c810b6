import type { Kysely } from 'kysely'

// Frozen: every committed account transaction raises its account's team_version (the account
// lock is this update, see accounts.repository lockAccount), so a team listing built at version v stays
// valid exactly as long as the version is still v, on every instance.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('accounts')
    .addColumn('team_version', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('accounts').dropColumn('team_version').execute()
}
