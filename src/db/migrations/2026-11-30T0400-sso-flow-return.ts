import type { Kysely } from 'kysely'

// Frozen: where a single sign-on flow returns once signed in. An application's sign-in (Sign in
// with Roster) sends a person who is not signed in to the sign-in page with the provider's
// interaction to come back to; a flow started there must land back in it, not on Roster's own
// page. Null for a flow started for Roster itself. The SAML way back is a cross-site POST that
// carries no cookie, so the flow's row, found by its RelayState, is where this is kept.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sso_flows').addColumn('return_to', 'varchar(200)').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sso_flows').dropColumn('return_to').execute()
}
