import { sql, type Kysely } from 'kysely'
import { withId } from '../columns.ts'

// Frozen: the schema as it shipped with the first release. Timestamps are epoch milliseconds.
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('accounts'))
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('account_domains')
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('domain', 'varchar(253)', (c) => c.notNull())
    .addPrimaryKeyConstraint('account_domains_pk', ['account_id', 'domain'])
    .execute()

  await withId(db, db.schema.createTable('users'))
    .addColumn('email', 'varchar(320)', (c) => c.notNull().unique())
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('password_hash', 'varchar(512)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('memberships')
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'varchar(50)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('memberships_pk', ['account_id', 'user_id'])
    .execute()
  await db.schema.createIndex('memberships_user_idx').on('memberships').column('user_id').execute()

  await db.schema
    .createTable('custom_roles')
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('name', 'varchar(50)', (c) => c.notNull())
    .addColumn('base_role', 'varchar(20)', (c) => c.notNull())
    .addColumn('default_invite_role', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('custom_roles_pk', ['account_id', 'name'])
    .execute()
  // At most one default invite role per account, held by the database.
  await db.schema
    .createIndex('custom_roles_one_default_idx')
    .on('custom_roles')
    .column('account_id')
    .unique()
    .where(sql.ref('default_invite_role'), '=', 1)
    .execute()

  // Only pending invitations live here: accepting or cancelling one deletes its row.
  await withId(db, db.schema.createTable('invitations'))
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('email', 'varchar(320)', (c) => c.notNull())
    .addColumn('name', 'varchar(200)')
    .addColumn('role', 'varchar(50)', (c) => c.notNull())
    .addColumn('inviter_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('token_id', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('invitations_account_email_uq', ['account_id', 'email'])
    .execute()

  await withId(db, db.schema.createTable('api_keys'))
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('key_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('prefix', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .execute()
  await db.schema
    .createIndex('api_keys_account_user_idx')
    .on('api_keys')
    .columns(['account_id', 'user_id'])
    .execute()

  await withId(db, db.schema.createTable('audit_events'))
    .addColumn('account_id', 'integer', (c) => c.notNull())
    .addColumn('actor_user_id', 'integer')
    .addColumn('actor_api_key_id', 'integer')
    .addColumn('action', 'varchar(50)', (c) => c.notNull())
    .addColumn('target', 'varchar(320)')
    .addColumn('details', 'text')
    .addColumn('ip', 'varchar(64)')
    .addColumn('user_agent', 'varchar(512)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('audit_events_account_idx')
    .on('audit_events')
    .columns(['account_id', 'id'])
    .execute()

  // Invitation signing keys, shared by every instance through the database; the newest
  // generation signs, any generation verifies (by `kid`).
  await db.schema
    .createTable('signing_keys')
    .addColumn('generation', 'integer', (c) => c.primaryKey())
    .addColumn('kid', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('secret', 'varchar(128)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'signing_keys',
    'audit_events',
    'api_keys',
    'invitations',
    'custom_roles',
    'memberships',
    'users',
    'account_domains',
    'accounts',
  ]) {
    await db.schema.dropTable(table).execute()
  }
}
