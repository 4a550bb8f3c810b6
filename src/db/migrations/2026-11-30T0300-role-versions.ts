import type { Kysely } from 'kysely'

// Frozen: a role's version and the time its members last changed (someone was given it or left
// it), which SCIM answers as its Group's meta.version and meta.lastModified. A role without a row
// has not changed since it was created (the account's creation for a built-in role): version 1.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('role_versions')
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('role', 'varchar(50)', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('role_versions_pk', ['account_id', 'role'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('role_versions').execute()
}
