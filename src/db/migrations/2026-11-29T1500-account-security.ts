import type { Kysely } from 'kysely'
import { withId } from '../columns.ts'

// Frozen: account security. Password-reset links, TOTP two-factor with recovery codes and the
// sign-in step between password and second factor, passkeys (WebAuthn) and their challenges, the
// account's two-factor policy, and what a session list shows (address, browser, second factor).
export async function up(db: Kysely<any>): Promise<void> {
  // One live link per user: a newer request replaces the row. Only the token's SHA-256 is kept.
  await withId(db, db.schema.createTable('password_resets'))
    .addColumn('user_id', 'integer', (c) => c.notNull().unique().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('totp_factors')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('secret', 'varchar(64)', (c) => c.notNull())
    // Null while enrolment awaits its first code.
    .addColumn('confirmed_at', 'bigint')
    // The last time step accepted: a code is never accepted twice.
    .addColumn('last_used_step', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()

  await withId(db, db.schema.createTable('recovery_codes'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute()
  await db.schema
    .createIndex('recovery_codes_user_idx')
    .on('recovery_codes')
    .columns(['user_id', 'code_hash'])
    .execute()

  await withId(db, db.schema.createTable('mfa_challenges'))
    .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute()

  await withId(db, db.schema.createTable('passkeys'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('credential_id', 'varchar(1400)', (c) => c.notNull().unique())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('counter', 'bigint', (c) => c.notNull())
    .addColumn('transports', 'varchar(200)', (c) => c.notNull())
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .execute()
  await db.schema.createIndex('passkeys_user_idx').on('passkeys').column('user_id').execute()

  await withId(db, db.schema.createTable('webauthn_challenges'))
    .addColumn('challenge', 'varchar(128)', (c) => c.notNull().unique())
    .addColumn('purpose', 'varchar(16)', (c) => c.notNull())
    // The registering user; null for a sign-in, where the passkey names its user.
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute()

  await db.schema
    .alterTable('accounts')
    .addColumn('require_mfa', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema.alterTable('sessions').addColumn('ip', 'varchar(64)').execute()
  await db.schema.alterTable('sessions').addColumn('user_agent', 'varchar(400)').execute()
  // When this session proved a second factor (TOTP, recovery code, passkey); null when it did not.
  await db.schema.alterTable('sessions').addColumn('mfa_at', 'bigint').execute()
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('sessions_user_idx').execute()
  await db.schema.alterTable('sessions').dropColumn('mfa_at').execute()
  await db.schema.alterTable('sessions').dropColumn('user_agent').execute()
  await db.schema.alterTable('sessions').dropColumn('ip').execute()
  await db.schema.alterTable('accounts').dropColumn('require_mfa').execute()
  for (const table of [
    'webauthn_challenges',
    'passkeys',
    'mfa_challenges',
    'recovery_codes',
    'totp_factors',
    'password_resets',
  ])
    await db.schema.dropTable(table).execute()
}
