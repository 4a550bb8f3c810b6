import type { Kysely } from 'kysely'

// Frozen: which of Akto's SAML pages (AZURE or GOOGLE_SAML) set the account's SAML configuration,
// so fetchSAMLSso and deleteSamlSso of the other page leave it alone (akto-compat.md §8). Null for
// rows written before this column and for configurations set through Roster's own SSO API or the
// CLI, which know no Akto page: those are shown on the page their login URL points at (Google's
// accounts.google.com → GOOGLE_SAML, else AZURE; see sso/saml-config-type.ts), decided when read,
// not copied into the rows here.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sso_configs').addColumn('saml_config_type', 'varchar(20)').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sso_configs').dropColumn('saml_config_type').execute()
}
