/**
 * A fresh, empty database for one test: a temporary SQLite file, or — when the suite runs with
 * ROSTER_TEST_ENGINE=postgres — a new PostgreSQL database on TEST_DATABASE_URL, dropped afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { openDatabase, type DatabaseHandle } from '../../src/db/engine.ts'

export interface TestDatabase {
  /** The DATABASE_URL of this database, for child processes (CLI, servers). */
  readonly url: string
  /** Opens a handle; the caller closes it. */
  open(): DatabaseHandle
  /** Removes the database. */
  drop(): Promise<void>
}

export const testEngine: 'sqlite' | 'postgres' = process.env.ROSTER_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite'

function withDatabase(url: string, name: string): string {
  const u = new URL(url)
  u.pathname = `/${name}`
  return u.toString()
}

export async function createTestDatabase(engine: 'sqlite' | 'postgres' = testEngine): Promise<TestDatabase> {
  if (engine === 'postgres') {
    const admin = process.env.TEST_DATABASE_URL
    if (!admin) throw new Error('a PostgreSQL test database needs TEST_DATABASE_URL')
    const name = `roster_t_${process.pid}_${randomBytes(4).toString('hex')}`
    const client = new pg.Client({ connectionString: admin })
    await client.connect()
    await client.query(`create database ${name}`)
    await client.end()
    const url = withDatabase(admin, name)
    return {
      url,
      open: () => openDatabase(url, { poolSize: 10 }),
      async drop() {
        const c = new pg.Client({ connectionString: admin })
        await c.connect()
        await c.query(`drop database if exists ${name} with (force)`)
        await c.end()
      },
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'roster-test-'))
  const url = join(dir, 'roster.db')
  return {
    url,
    open: () => openDatabase(url),
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  }
}
