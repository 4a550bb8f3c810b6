import type { Kysely } from 'kysely'
import { withId } from '../columns.ts'

// Frozen: SCIM provisioning. Per-account bearer tokens (hashed); the SCIM profile of a membership
// (externalId, names), its suspension, and a version for ETags; the account's default SCIM role;
// the system actor (e.g. 'scim') of an audit event.
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('scim_tokens'))
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('prefix', 'varchar(20)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .execute()
  await db.schema.createIndex('scim_tokens_account_idx').on('scim_tokens').column('account_id').execute()

  for (const [name, type] of [
    ['suspended_at', 'bigint'],
    ['external_id', 'varchar(200)'],
    ['given_name', 'varchar(200)'],
    ['family_name', 'varchar(200)'],
    ['display_name', 'varchar(200)'],
    ['updated_at', 'bigint'],
  ] as const) {
    await db.schema.alterTable('memberships').addColumn(name, type).execute()
  }
  await db.schema
    .alterTable('memberships')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
  await db.schema
    .createIndex('memberships_external_id_idx')
    .on('memberships')
    .columns(['account_id', 'external_id'])
    .execute()
  await db.schema
    .createIndex('memberships_role_idx')
    .on('memberships')
    .columns(['account_id', 'role'])
    .execute()

  await db.schema.alterTable('accounts').addColumn('scim_default_role', 'varchar(50)').execute()
  await db.schema.alterTable('audit_events').addColumn('actor_system', 'varchar(20)').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_events').dropColumn('actor_system').execute()
  await db.schema.alterTable('accounts').dropColumn('scim_default_role').execute()
  await db.schema.dropIndex('memberships_role_idx').execute()
  await db.schema.dropIndex('memberships_external_id_idx').execute()
  for (const name of [
    'version',
    'updated_at',
    'display_name',
    'family_name',
    'given_name',
    'external_id',
    'suspended_at',
  ]) {
    await db.schema.alterTable('memberships').dropColumn(name).execute()
  }
  await db.schema.dropTable('scim_tokens').execute()
}
