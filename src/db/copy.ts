/**
 * The one-way move from a SQLite file to PostgreSQL: the target is migrated to the latest schema,
 * then every table is copied, parents before children, inside one transaction on the target, and
 * the SERIAL sequences are moved past the copied ids. A target that already holds data is
 * refused, so the copy never merges two histories. The source is only read (the operator keeps
 * it as the way back): one on an older schema is copied from a migrated temporary copy of it.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql, type Kysely, type Transaction } from 'kysely'
import { catalogue } from '../shared/app-error.ts'
import { openDatabase, type DatabaseHandle } from './engine.ts'
import { migrateToLatest, migrationState } from './migrate.ts'

export const copyError = catalogue({
  SOURCE_NOT_SQLITE: '--from must be a SQLite file.',
  TARGET_NOT_POSTGRES: '--to must be a postgres:// or postgresql:// URL.',
  TARGET_NOT_EMPTY: 'The target database already holds data; copy only into an empty database.',
  COUNT_MISMATCH: 'The copied row counts do not match the source; nothing was committed.',
  SOURCE_NEWER: 'The SQLite file was written by a newer version of Roster; copy it with that version.',
  SOURCE_NOT_ROSTER: "The SQLite file is not a Roster database: it has no record of Roster's migrations.",
})

const PAGE = 500

/** Rows copied per table, in copy order. */
export type CopyCounts = Record<string, number>

export async function copySqliteToPostgres(
  source: DatabaseHandle,
  target: DatabaseHandle,
): Promise<CopyCounts> {
  if (source.engine.kind !== 'sqlite') throw copyError('SOURCE_NOT_SQLITE')
  if (target.engine.kind !== 'postgres') throw copyError('TARGET_NOT_POSTGRES')
  const { ran, pending, unknown } = await migrationState(source.db)
  // Another program's file (or an empty one) would otherwise be migrated in its temporary copy
  // and copied as an empty Roster, or fail on a table name both happen to use.
  if (ran.length === 0) throw copyError('SOURCE_NOT_ROSTER')
  if (unknown.length > 0) throw copyError('SOURCE_NEWER')
  await migrateToLatest(target.db)
  if (pending.length === 0) return copyAll(source.db, target)
  return withMigratedCopy(source, (copy) => copyAll(copy.db, target))
}

/**
 * Runs `work` on a migrated copy of a SQLite database in a temporary folder, removed afterwards.
 * `VACUUM INTO` reads the source in one transaction, as a backup does, so it may be read-only.
 */
async function withMigratedCopy<T>(source: DatabaseHandle, work: (copy: DatabaseHandle) => Promise<T>) {
  const dir = mkdtempSync(join(tmpdir(), 'roster-copy-'))
  try {
    const file = join(dir, 'source.db')
    await sql`vacuum into ${file}`.execute(source.db)
    const copy = openDatabase(file, { mustExist: true, poolSize: 1 })
    try {
      await migrateToLatest(copy.db)
      return await work(copy)
    } finally {
      await copy.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function copyAll(source: Kysely<any>, target: DatabaseHandle): Promise<CopyCounts> {
  const tables = await tablesInDependencyOrder(source)
  return target.db.transaction().execute(async (trx) => {
    for (const table of tables) {
      if ((await countRows(trx, table)) > 0) throw copyError('TARGET_NOT_EMPTY')
    }
    const counts: CopyCounts = {}
    for (const table of tables) {
      counts[table] = await copyTable(source, trx, table)
      if ((await countRows(trx, table)) !== counts[table]) throw copyError('COUNT_MISMATCH')
      await resetSequence(trx, table)
    }
    return counts
  })
}

/** The application's tables (not Kysely's own), each after the tables it references. */
async function tablesInDependencyOrder(db: Kysely<any>): Promise<string[]> {
  const names = (await db.introspection.getTables()).map((t) => t.name).sort()
  const parents = new Map<string, string[]>()
  for (const name of names) {
    const { rows } = await sql<{
      table: string
    }>`select "table" from pragma_foreign_key_list(${name})`.execute(db)
    parents.set(
      name,
      rows.map((r) => r.table).filter((p) => p !== name),
    )
  }
  const ordered: string[] = []
  const visit = (name: string, path: string[]) => {
    if (ordered.includes(name) || path.includes(name)) return
    for (const parent of parents.get(name) ?? []) visit(parent, [...path, name])
    ordered.push(name)
  }
  for (const name of names) visit(name, [])
  return ordered
}

async function copyTable(source: Kysely<any>, target: Transaction<any>, table: string): Promise<number> {
  let copied = 0
  for (let offset = 0; ; offset += PAGE) {
    // rowid order is insertion order: ids come out as they went in.
    const { rows } = await sql<
      Record<string, unknown>
    >`select * from ${sql.table(table)} order by rowid limit ${PAGE} offset ${offset}`.execute(source)
    if (rows.length === 0) return copied
    await target.insertInto(table).values(rows).execute()
    copied += rows.length
  }
}

async function countRows(db: Kysely<any>, table: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db)
  return Number(rows[0]?.n ?? 0)
}

/** Moves a SERIAL `id` sequence past the copied ids (tables without one are left alone). */
async function resetSequence(trx: Transaction<any>, table: string) {
  const { rows } = await sql<{ seq: string | null }>`
    select pg_get_serial_sequence(quote_ident(table_name), column_name) as seq from information_schema.columns
    where table_schema = current_schema() and table_name = ${table} and column_name = 'id'`.execute(trx)
  const seq = rows[0]?.seq
  if (!seq) return
  await sql`select setval(${seq}, coalesce((select max(id) from ${sql.table(table)}), 0) + 1, false)`.execute(
    trx,
  )
}
