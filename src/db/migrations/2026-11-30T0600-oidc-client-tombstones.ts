import type { Kysely } from 'kysely'

// Frozen: a deleted application stays as a tombstone (deleted_at set). It still authenticates
// with the secret it had, so its refresh gets `invalid_grant` and its introspection
// `{"active": false}` rather than `invalid_client`; it is never listed, never signs anyone in,
// and its client id is never issued again.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('oidc_clients').addColumn('deleted_at', 'bigint').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('oidc_clients').dropColumn('deleted_at').execute()
}
