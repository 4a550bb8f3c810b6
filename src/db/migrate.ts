import { setTimeout as sleep } from 'node:timers/promises'
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely'
import { isLockContention } from './engine.ts'
import { withMigrationLock } from './migration-lock.ts'
import * as initial from './migrations/2026-11-27T0000-initial.ts'
import * as sessions from './migrations/2026-11-27T0100-sessions.ts'
import * as inviteLimits from './migrations/2026-11-27T0300-invite-limits.ts'
import * as mailOutbox from './migrations/2026-11-27T0400-mail-outbox.ts'
import * as installation from './migrations/2026-11-27T0500-installation.ts'
import * as teamVersion from './migrations/2026-11-28T0600-team-version.ts'
import * as inviteBuckets from './migrations/2026-11-28T0700-invite-buckets.ts'
import * as oidc from './migrations/2026-11-29T1000-oidc.ts'
import * as webhooks from './migrations/2026-11-29T1100-webhooks.ts'
import * as scim from './migrations/2026-11-29T1200-scim.ts'
import * as sso from './migrations/2026-11-29T1300-sso.ts'
import * as largeTeams from './migrations/2026-11-29T1400-large-teams.ts'
import * as accountSecurity from './migrations/2026-11-29T1500-account-security.ts'
import * as auditLookups from './migrations/2026-11-29T1700-audit-lookups.ts'
import * as memberSearch from './migrations/2026-11-29T1800-member-search.ts'
import * as openDeliveries from './migrations/2026-11-29T1900-open-deliveries.ts'
import * as openMail from './migrations/2026-11-29T2000-open-mail.ts'
import * as idleAddressBuckets from './migrations/2026-11-29T2100-idle-address-buckets.ts'
import * as mailInputs from './migrations/2026-11-29T2200-mail-inputs.ts'
import * as signInIndex from './migrations/2026-11-29T2300-sign-in-index.ts'
import * as samlConfigType from './migrations/2026-11-30T0100-saml-config-type.ts'
import * as apiKeyUtility from './migrations/2026-11-30T0200-api-key-utility.ts'
import * as roleVersions from './migrations/2026-11-30T0300-role-versions.ts'
import * as ssoFlowReturn from './migrations/2026-11-30T0400-sso-flow-return.ts'
import * as searchWordSeparators from './migrations/2026-11-30T0500-search-word-separators.ts'
import * as oidcClientTombstones from './migrations/2026-11-30T0600-oidc-client-tombstones.ts'
import * as webhookFanOut from './migrations/2026-11-30T0700-webhook-fan-out.ts'
import * as webhookDirectSend from './migrations/2026-12-01T0000-webhook-direct-send.ts'

/** Migrations are listed here in order; each file is frozen once it has shipped. */
const migrations: Record<string, Migration> = {
  '2026-11-27T0000-initial': initial,
  '2026-11-27T0100-sessions': sessions,
  '2026-11-27T0300-invite-limits': inviteLimits,
  '2026-11-27T0400-mail-outbox': mailOutbox,
  '2026-11-27T0500-installation': installation,
  '2026-11-28T0600-team-version': teamVersion,
  '2026-11-28T0700-invite-buckets': inviteBuckets,
  '2026-11-29T1000-oidc': oidc,
  '2026-11-29T1100-webhooks': webhooks,
  '2026-11-29T1200-scim': scim,
  '2026-11-29T1300-sso': sso,
  '2026-11-29T1400-large-teams': largeTeams,
  '2026-11-29T1500-account-security': accountSecurity,
  '2026-11-29T1700-audit-lookups': auditLookups,
  '2026-11-29T1800-member-search': memberSearch,
  '2026-11-29T1900-open-deliveries': openDeliveries,
  '2026-11-29T2000-open-mail': openMail,
  '2026-11-29T2100-idle-address-buckets': idleAddressBuckets,
  '2026-11-29T2200-mail-inputs': mailInputs,
  '2026-11-29T2300-sign-in-index': signInIndex,
  '2026-11-30T0100-saml-config-type': samlConfigType,
  '2026-11-30T0200-api-key-utility': apiKeyUtility,
  '2026-11-30T0300-role-versions': roleVersions,
  '2026-11-30T0400-sso-flow-return': ssoFlowReturn,
  '2026-11-30T0500-search-word-separators': searchWordSeparators,
  '2026-11-30T0600-oidc-client-tombstones': oidcClientTombstones,
  '2026-11-30T0700-webhook-fan-out': webhookFanOut,
  '2026-12-01T0000-webhook-direct-send': webhookDirectSend,
}

const provider: MigrationProvider = { getMigrations: async () => migrations }

export class MigrationError extends Error {
  override name = 'MigrationError'
}

/**
 * The migrations a database has run (none: not a Roster database), which of this version's it
 * has not, and which it has run that this version does not know (a newer Roster wrote it). Only
 * reads: for a file opened read-only.
 */
export async function migrationState(
  db: Kysely<any>,
): Promise<{ ran: string[]; pending: string[]; unknown: string[] }> {
  const known = await new Migrator({ db, provider }).getMigrations()
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true })
  const ran = tables.some((t) => t.name === 'kysely_migration')
    ? (await db.selectFrom('kysely_migration').select('name').execute()).map((r) => r.name as string)
    : []
  return {
    ran,
    pending: known.filter((m) => m.executedAt === undefined).map((m) => m.name),
    unknown: ran.filter((name) => !(name in migrations)),
  }
}

/**
 * Brings the schema to the latest version; throws (and so exits non-zero) when a step fails.
 * Several processes may start at once on one database: one migrates at a time (Kysely's advisory
 * lock on PostgreSQL, migration-lock.ts on SQLite), and the others then find nothing to do. A
 * SQLite file busy with another process's writes (a running server) is tried again.
 */
export function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  return withMigrationLock(db, () => migrateUnderLock(db))
}

async function migrateUnderLock(db: Kysely<any>): Promise<string[]> {
  for (let attempt = 1; ; attempt++) {
    const migrator = new Migrator({ db, provider })
    const { error, results } = await migrator.migrateToLatest()
    const failed = results?.find((r) => r.status === 'Error')
    if (!error && !failed)
      return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
    if (attempt < 20 && isLockContention(error)) {
      await sleep(50 * attempt)
      continue
    }
    const cause = error instanceof Error ? error.message : String(error ?? '')
    throw new MigrationError(
      failed ? `Migration ${failed.migrationName} failed: ${cause}` : `Migrations could not run: ${cause}`,
    )
  }
}
