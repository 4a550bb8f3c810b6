import type { Command } from 'commander'
import { loadConfig } from '../../config.ts'
import { openDatabase } from '../../db/engine.ts'
import { migrateToLatest } from '../../db/migrate.ts'
import { print } from '../context.ts'

export function migrateCommand(program: Command) {
  program
    .command('migrate')
    .description('Bring the database schema up to date')
    .option('--json', 'print one JSON line')
    .action(async (opts: { json?: boolean }) => {
      const database = openDatabase(loadConfig().databaseUrl, { poolSize: 1 })
      try {
        const applied = await migrateToLatest(database.db)
        print(
          opts,
          { applied },
          applied.length > 0 ? `Applied: ${applied.join(', ')}` : 'Already up to date.',
        )
      } catch (error) {
        process.stderr.write(`roster: ${error instanceof Error ? error.message : String(error)}\n`)
        process.exitCode = 1
      } finally {
        await database.close()
      }
    })
}
