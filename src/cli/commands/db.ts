import type { Command } from 'commander'
import { copyError, copySqliteToPostgres } from '../../db/copy.ts'
import { isPostgresUrl, openDatabase } from '../../db/engine.ts'
import { AppError } from '../../shared/app-error.ts'
import { print } from '../context.ts'

/** Hides a password in a database URL before it is printed. */
function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')
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
        const source = openDatabase(opts.from, { mustExist: true })
        handles.push(source)
        const target = openDatabase(opts.to, { poolSize: 1 })
        handles.push(target)
        const tables = await copySqliteToPostgres(source, target)
        const rows = Object.values(tables).reduce((n, c) => n + c, 0)
        const lines = Object.entries(tables).map(([table, count]) => `  ${table}: ${count}`)
        print(opts, { tables, rows }, `Copied ${rows} rows into ${redact(opts.to)}:\n${lines.join('\n')}`)
      } catch (error) {
        const message =
          error instanceof AppError
            ? `${error.message} (${error.code})`
            : error instanceof Error
              ? error.message
              : String(error)
        process.stderr.write(`roster: ${message}\n`)
        process.exitCode = 1
      } finally {
        for (const handle of handles) await handle.close().catch(() => {})
      }
    })
}
