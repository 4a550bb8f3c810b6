/**
 * Online backup and restore. SQLite: `VACUUM INTO` writes a consistent, self-contained copy from
 * one read transaction while the server keeps serving (readers and the WAL writer are not
 * blocked). PostgreSQL is backed up with its own tool, pg_dump, which does the same job better
 * than Roster could. A backup file restores into an empty database only: a SQLite file, or
 * PostgreSQL through the same copy as `roster db copy`.
 */
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
import { sql } from 'kysely'
import { AppError, catalogue } from '../shared/app-error.ts'
import { copySqliteToPostgres } from './copy.ts'
import { isDamagedSqliteFile, isPostgresUrl, openDatabase, type DatabaseHandle } from './engine.ts'
import { migrateToLatest } from './migrate.ts'

export const backupError = catalogue({
  POSTGRES_USES_PG_DUMP:
    'PostgreSQL is backed up with pg_dump: pg_dump --format=custom --file=roster.dump "$DATABASE_URL" (restore with pg_restore into an empty database).',
  BACKUP_SOURCE_MISSING: 'The backup file does not exist.',
  BACKUP_SOURCE_INVALID: 'The backup file is not a readable Roster database.',
  RESTORE_TARGET_NOT_EMPTY: 'The target database already holds data; restore only into an empty database.',
})

/** The file the operator named, so that a script's log says which backup was refused. */
function backupTargetExists(to: string): AppError {
  return new AppError('BACKUP_TARGET_EXISTS', `The backup file ${to} already exists; name a new file.`)
}

function backupFolderNotDirectory(to: string, file: string): AppError {
  return new AppError(
    'BACKUP_FOLDER_NOT_DIRECTORY',
    `The backup file ${to} cannot be created: ${file} is a file, not a folder.`,
  )
}

/** Writes a consistent copy of a running SQLite database to a new file. */
export async function backupSqlite(database: DatabaseHandle, to: string): Promise<void> {
  if (database.engine.kind !== 'sqlite') throw backupError('POSTGRES_USES_PG_DUMP')
  if (existsSync(to)) throw backupTargetExists(to)
  // A backups directory named for the first time is made, as the database's own directory is.
  try {
    mkdirSync(dirname(to), { recursive: true })
  } catch (error) {
    // A file where a folder of the path should be: mkdir's raw EEXIST or ENOTDIR, named here.
    const { code, path } = error as NodeJS.ErrnoException
    if ((code === 'EEXIST' || code === 'ENOTDIR') && path) throw backupFolderNotDirectory(to, path)
    throw error
  }
  await sql`vacuum into ${to}`.execute(database.db)
}

/** True when no table of Roster's holds a row (a fresh or merely migrated database). */
async function isEmpty(database: DatabaseHandle): Promise<boolean> {
  const tables = await database.db.introspection.getTables()
  for (const table of tables) {
    const row = await database.db
      .selectFrom(table.name as 'accounts')
      .select(sql<number>`1`.as('one'))
      .limit(1)
      .executeTakeFirst()
    if (row) return false
  }
  return true
}

/**
 * Refuses a file that SQLite cannot read whole, or that Roster did not write (no accounts table),
 * before anything of the target is touched: a refused restore leaves the target as it was. The
 * file is opened read-only, as it is: a backup is never changed by restoring from it (it may sit
 * on read-only media).
 */
async function assertReadableBackup(from: string): Promise<void> {
  let source: DatabaseHandle | undefined
  let readable = false
  try {
    source = openDatabase(from, { readonly: true })
    const check = await sql<{ quick_check: string }>`pragma quick_check`.execute(source.db)
    const roster = await sql<{ name: string }>`
      select name from sqlite_master where type = 'table' and name = 'accounts'`.execute(source.db)
    readable = check.rows.every((r) => r.quick_check === 'ok') && roster.rows.length === 1
  } catch (error) {
    if (!isDamagedSqliteFile(error)) throw error
  } finally {
    await source?.close()
  }
  if (!readable) throw backupError('BACKUP_SOURCE_INVALID')
}

/** Restores a backup file into `targetUrl`, which must be empty; returns rows per table. */
export async function restore(from: string, targetUrl: string): Promise<Record<string, number>> {
  if (!existsSync(from)) throw backupError('BACKUP_SOURCE_MISSING')
  await assertReadableBackup(from)
  if (isPostgresUrl(targetUrl)) return restoreIntoPostgres(from, targetUrl)
  if (existsSync(targetUrl)) {
    const target = openDatabase(targetUrl, { mustExist: true })
    const empty = await isEmpty(target).finally(() => target.close())
    if (!empty) throw backupError('RESTORE_TARGET_NOT_EMPTY')
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${targetUrl}${suffix}`, { force: true })
  }
  // The backup is one self-contained file (VACUUM INTO leaves no WAL): a copy is the restore.
  mkdirSync(dirname(targetUrl), { recursive: true })
  copyFileSync(from, targetUrl)
  const target = openDatabase(targetUrl, { mustExist: true })
  try {
    await migrateToLatest(target.db)
    return await rowCounts(target)
  } finally {
    await target.close()
  }
}

async function restoreIntoPostgres(from: string, targetUrl: string): Promise<Record<string, number>> {
  const source = openDatabase(from, { readonly: true })
  const target = openDatabase(targetUrl, { poolSize: 1 })
  try {
    return await copySqliteToPostgres(source, target)
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'TARGET_NOT_EMPTY')
      throw backupError('RESTORE_TARGET_NOT_EMPTY')
    throw error
  } finally {
    await source.close()
    await target.close()
  }
}

async function rowCounts(database: DatabaseHandle): Promise<Record<string, number>> {
  const counts: Record<string, number> = {}
  for (const table of await database.db.introspection.getTables()) {
    const row = await database.db
      .selectFrom(table.name as 'accounts')
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow()
    counts[table.name] = Number(row.n)
  }
  return counts
}
