/** Portable column helpers for migrations. */
import type { CreateTableBuilder, Kysely } from 'kysely'
import { engineOf } from './engine.ts'

/** An integer surrogate key that the database assigns: SERIAL on PostgreSQL, AUTOINCREMENT on SQLite. */
export function withId<T extends string>(db: Kysely<any>, table: CreateTableBuilder<T, any>) {
  return engineOf(db) === 'postgres'
    ? table.addColumn('id', 'serial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
}
