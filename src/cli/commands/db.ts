import type { Command } from 'commander'
import { copyError, copySqliteToPostgres } from '../../db/copy.ts'
import { isPostgresUrl, openDatabase, type DatabaseHandle } from '../../db/engine.ts'
import { backupSqlite, restore } from '../../db/backup.ts'
import { checkDatabase, damageFinding, type Finding } from '../../db/integrity.ts'
import { loadConfig } from '../../config.ts'
import { fail, print } from '../context.ts'

/** Hides a password in a database URL before it is printed. */
function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')
}

/**
 * Runs `work` on the configured database (DATABASE_URL), closing it whatever happens. An error
 * that `handled` takes care of (it answers true) is not printed as a failure.
 */
async function onConfiguredDatabase(
  work: (database: DatabaseHandle, url: string) => Promise<void>,
  handled: (error: unknown) => boolean = () => false,
) {
  let database: DatabaseHandle | undefined
  try {
    const url = loadConfig().databaseUrl
    database = openDatabase(url, { poolSize: 1, mustExist: !isPostgresUrl(url) })
    await work(database, url)
  } catch (error) {
    if (!handled(error)) fail(error)
  } finally {
    await database?.close().catch(() => {})
  }
}

export function dbCommands(program: Command) {
  const db = program.command('db').description('Database maintenance')
  db.command('copy')
    .description(
      'Copy every row of a SQLite file into an empty PostgreSQL database (one-way, one transaction)',
    )
    .requiredOption('--from <file>', 'the SQLite file, e.g. ./data/roster.db')
    .requiredOption('--to <url>', 'the PostgreSQL URL, e.g. postgres://roster@db:5432/roster')
    .option('--json', 'print one JSON line')
    .action(async (opts: { from: string; to: string; json?: boolean }) => {
      const handles: { close(): Promise<void> }[] = []
      try {
        if (isPostgresUrl(opts.from)) throw copyError('SOURCE_NOT_SQLITE')
        if (!isPostgresUrl(opts.to)) throw copyError('TARGET_NOT_POSTGRES')
        // Only read: the file is the way back until the operator is satisfied with the copy.
        const source = openDatabase(opts.from, { readonly: true })
        handles.push(source)
        const target = openDatabase(opts.to, { poolSize: 1 })
        handles.push(target)
        const tables = await copySqliteToPostgres(source, target)
        const rows = Object.values(tables).reduce((n, c) => n + c, 0)
        const lines = Object.entries(tables).map(([table, count]) => `  ${table}: ${count}`)
        print(opts, { tables, rows }, `Copied ${rows} rows into ${redact(opts.to)}:\n${lines.join('\n')}`)
      } catch (error) {
        fail(error)
      } finally {
        for (const handle of handles) await handle.close().catch(() => {})
      }
    })

  db.command('backup')
    .description(
      'Write a consistent copy of the running SQLite database to a new file (PostgreSQL: use pg_dump)',
    )
    .requiredOption('--to <file>', 'the backup file to create, e.g. ./backups/roster-2026-11-29.db')
    .option('--json', 'print one JSON line')
    .action((opts: { to: string; json?: boolean }) =>
      onConfiguredDatabase(async (database) => {
        await backupSqlite(database, opts.to)
        print(opts, { backup: opts.to }, `Backed up to ${opts.to}`)
      }),
    )
  db.command('restore')
    .description('Restore a backup file into the empty database DATABASE_URL names (SQLite or PostgreSQL)')
    .requiredOption('--from <file>', 'a file written by roster db backup')
    .option('--json', 'print one JSON line')
    .action(async (opts: { from: string; json?: boolean }) => {
      try {
        const target = loadConfig().databaseUrl
        const tables = await restore(opts.from, target)
        const rows = Object.values(tables).reduce((n, c) => n + c, 0)
        print(opts, { tables, rows }, `Restored ${rows} rows into ${redact(target)}`)
      } catch (error) {
        fail(error)
      }
    })
  db.command('check')
    .description("Check the database's integrity and Roster's invariants; exit 1 on any finding")
    .option('--json', 'print one JSON line')
    .action((opts: { json?: boolean }) => {
      const report = (findings: Finding[]) => {
        const human =
          findings.length === 0
            ? 'No problems found.'
            : findings.map((f) => `${f.check}: ${f.detail}`).join('\n')
        print(opts, { ok: findings.length === 0, findings }, human)
        if (findings.length > 0) process.exitCode = 1
      }
      // A damaged file is what this command is for: a finding like any other, not a crash.
      return onConfiguredDatabase(
        async (database) => report(await checkDatabase(database)),
        (error) => {
          const damage = damageFinding(error)
          if (damage) report([damage])
          return damage !== undefined
        },
      )
    })
}
