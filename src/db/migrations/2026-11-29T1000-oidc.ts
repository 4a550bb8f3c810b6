import type { Kysely } from 'kysely'

// Frozen. Sign in with Roster (OpenID Provider): the applications (OIDC clients) of an account,
// the provider's signing and cookie keys, and the provider's state (sessions, interactions,
// codes, grants, tokens) as one table keyed by model and id, shared by every instance.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('oidc_clients')
    .addColumn('client_id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('secret_hash', 'varchar(64)')
    .addColumn('redirect_uris', 'text', (c) => c.notNull())
    .addColumn('post_logout_redirect_uris', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('oidc_clients_account_idx').on('oidc_clients').column('account_id').execute()

  await db.schema
    .createTable('oidc_keys')
    .addColumn('kid', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('kind', 'varchar(10)', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('retired_at', 'bigint')
    .execute()

  await db.schema
    .createTable('oidc_payloads')
    .addColumn('model', 'varchar(40)', (c) => c.notNull())
    .addColumn('id', 'varchar(255)', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('consumed_at', 'bigint')
    .addColumn('grant_id', 'varchar(255)')
    .addColumn('uid', 'varchar(255)')
    .addColumn('user_code', 'varchar(255)')
    .addColumn('client_id', 'varchar(64)')
    .addColumn('subject', 'varchar(64)')
    .addPrimaryKeyConstraint('oidc_payloads_pk', ['model', 'id'])
    .execute()
  for (const column of ['grant_id', 'uid', 'user_code', 'expires_at'])
    await db.schema.createIndex(`oidc_payloads_${column}_idx`).on('oidc_payloads').column(column).execute()
  await db.schema
    .createIndex('oidc_payloads_client_subject_idx')
    .on('oidc_payloads')
    .columns(['client_id', 'subject'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('oidc_payloads').execute()
  await db.schema.dropTable('oidc_keys').execute()
  await db.schema.dropTable('oidc_clients').execute()
}
