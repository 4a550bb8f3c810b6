import type { Kysely } from 'kysely'

// Frozen: the utility of an API key as Akto's token pages send it on addApiToken (`tokenUtility`:
// BURP, CICD, BROWSER_EXTENSION, EXTERNAL_API), answered as `utility` so each page lists its own
// keys (akto-compat.md §8). Nullable: keys made before this column, and by the CLI or account
// creation, have none; they are answered as EXTERNAL_API, Akto's kind for a key over the whole
// API (api-keys/token-utility.ts), decided when read rather than copied into the rows here.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('api_keys').addColumn('utility', 'varchar(30)').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('api_keys').dropColumn('utility').execute()
}
