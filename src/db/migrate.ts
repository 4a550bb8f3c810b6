import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely'
import * as initial from './migrations/2026-11-27T0000-initial.ts'
import * as sessions from './migrations/2026-11-27T0100-sessions.ts'
import * as installation from './migrations/2026-11-27T0500-installation.ts'

/** Migrations are listed here in order; each file is frozen once it has shipped. */
const migrations: Record<string, Migration> = {
  '2026-11-27T0000-initial': initial,
  '2026-11-27T0100-sessions': sessions,
  '2026-11-27T0500-installation': installation,
}

const provider: MigrationProvider = { getMigrations: async () => migrations }

export class MigrationError extends Error {
  override name = 'MigrationError'
}

/** Brings the schema to the latest version; throws (and so exits non-zero) when a step fails. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider })
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find((r) => r.status === 'Error')
  if (error || failed) {
    const cause = error instanceof Error ? error.message : String(error ?? '')
    throw new MigrationError(`Migration ${failed?.migrationName ?? ''} failed: ${cause}`.trim())
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}
