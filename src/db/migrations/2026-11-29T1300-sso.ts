import type { Kysely } from 'kysely'

// Frozen. Per-account single sign-on: the account's identity provider, the sign-in flows in
// flight (in the database, so a flow started on one instance ends on another), the SAML
// assertion IDs already consumed (kept until they expire), and how each session was opened.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sso_configs')
    .addColumn('account_id', 'integer', (c) => c.primaryKey().references('accounts.id').onDelete('cascade'))
    .addColumn('protocol', 'varchar(10)', (c) => c.notNull())
    .addColumn('oidc_issuer', 'varchar(2000)')
    .addColumn('oidc_client_id', 'varchar(500)')
    .addColumn('oidc_client_secret', 'varchar(2000)')
    .addColumn('oidc_scopes', 'varchar(1000)')
    .addColumn('saml_entity_id', 'varchar(2000)')
    .addColumn('saml_sso_url', 'varchar(2000)')
    .addColumn('saml_certificate', 'text')
    .addColumn('required', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('break_glass_email', 'varchar(320)')
    .addColumn('jit_role', 'varchar(50)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('sso_flows')
    .addColumn('state', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('protocol', 'varchar(10)', (c) => c.notNull())
    .addColumn('nonce', 'varchar(64)')
    .addColumn('code_verifier', 'varchar(128)')
    .addColumn('saml_request_id', 'varchar(200)')
    .addColumn('invitation_code', 'text')
    .addColumn('invitation_email', 'varchar(320)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('sso_flows_expiry_idx').on('sso_flows').column('expires_at').execute()
  await db.schema
    .createTable('sso_assertions')
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('assertion_id', 'varchar(400)', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sso_assertions_pk', ['account_id', 'assertion_id'])
    .execute()
  await db.schema.createIndex('sso_assertions_expiry_idx').on('sso_assertions').column('expires_at').execute()
  await db.schema
    .alterTable('sessions')
    .addColumn('method', 'varchar(20)', (c) => c.notNull().defaultTo('password'))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sessions').dropColumn('method').execute()
  await db.schema.dropTable('sso_assertions').execute()
  await db.schema.dropTable('sso_flows').execute()
  await db.schema.dropTable('sso_configs').execute()
}
