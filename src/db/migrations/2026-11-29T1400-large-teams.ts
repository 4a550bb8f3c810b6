import { sql, type Kysely } from 'kysely'

// Frozen: large teams are listed by login (the member's email) with keyset paging. The email
// lives in users, the account in memberships: the login is copied into memberships (an email
// never changes) so that one index, (account_id, login), both filters by account and orders the
// page; (account_id, role, login) does the same for a role filter.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('memberships').addColumn('login', 'varchar(320)').execute()
  await sql`update memberships set login = (select email from users where users.id = memberships.user_id)`.execute(
    db,
  )
  await db.schema
    .createIndex('memberships_account_login_idx')
    .on('memberships')
    .columns(['account_id', 'login'])
    .unique()
    .execute()
  await db.schema
    .createIndex('memberships_account_role_login_idx')
    .on('memberships')
    .columns(['account_id', 'role', 'login'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('memberships_account_role_login_idx').execute()
  await db.schema.dropIndex('memberships_account_login_idx').execute()
  await db.schema.alterTable('memberships').dropColumn('login').execute()
}
