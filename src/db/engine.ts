/**
 * The one place where SQLite and PostgreSQL differ. Everything else talks to `Kysely<Database>`
 * and asks `Engine` for the few capabilities that are not portable SQL.
 */
import { existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SQLite from 'better-sqlite3'
import pg from 'pg'
import {
  Kysely,
  PostgresAdapter,
  PostgresDialect,
  SqliteDialect,
  sql,
  type RawBuilder,
  type SelectQueryBuilder,
} from 'kysely'
import { jsonArrayFrom as sqliteJsonArrayFrom } from 'kysely/helpers/sqlite'
import { AppError } from '../shared/app-error.ts'
import { namedStatements } from './prepared.ts'
import { AccountBatches } from './account-batches.ts'
import { GroupCommit } from './group-commit.ts'
import { checkpointInThread } from './wal-checkpoint.ts'
import { postgresWrites, sqliteWrites, type Writes } from './writes.ts'
import type { Database } from './schema.ts'

export type EngineKind = 'sqlite' | 'postgres'

export interface Engine {
  readonly kind: EngineKind
  /** True when the error is a unique-constraint violation. */
  isUniqueViolation(error: unknown): boolean
  /** True when the error means the database cannot be reached right now (answer 503). */
  isUnavailable(error: unknown): boolean
}

export interface DatabaseHandle {
  readonly db: Kysely<Database>
  readonly engine: Engine
  /** How write transactions run here (writes.ts): use cases that arrive together share commits. */
  readonly writes: Writes
  /**
   * SQLite only: a value that changes whenever the data may have changed (see changeSnapshot):
   * what was read after taking it is still exact while a new one is equal.
   */
  readonly snapshot?: () => string
  close(): Promise<void>
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url)
}

/** Tells a migration which engine it runs on (migrations only get a `Kysely<any>`). */
export function engineOf(db: Kysely<any>): EngineKind {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite'
}

/**
 * A subquery's rows as the text of one JSON array (objects keyed by the selected aliases, in
 * `orderKey` order), built by the database: for lists read on every request, this is several
 * times cheaper than materialising each row in JavaScript and serialising it again.
 */
export function jsonArrayText(
  db: Kysely<any>,
  rows: SelectQueryBuilder<any, any, any>,
  orderKey: string,
): RawBuilder<string> {
  if (engineOf(db) === 'postgres') {
    return sql<string>`(select coalesce(json_agg(agg order by agg.${sql.ref(orderKey)}), '[]')::text from ${rows} as agg)`
  }
  // SQLite aggregates in the subquery's order; without Kysely's JSON-parsing plugin the value stays text.
  return sqliteJsonArrayFrom(rows) as unknown as RawBuilder<string>
}

/**
 * Lower-cases text the way JavaScript does (every script, not only ASCII). PostgreSQL's lower()
 * already does; SQLite's built-in one folds ASCII only, so SQLite connections get `roster_lower`.
 */
export function unicodeLower(db: Kysely<any>, value: RawBuilder<unknown>): RawBuilder<string> {
  return engineOf(db) === 'postgres' ? sql<string>`lower(${value})` : sql<string>`roster_lower(${value})`
}

/**
 * `text` starts with `prefix`, or has it right after one of `separators` (single characters, not
 * GLOB's or LIKE's wildcards). SQLite's GLOB takes the separators as one character class, so
 * `text` (often `roster_lower(…)`, a JavaScript call per use) is computed twice per row rather
 * than once per separator; PostgreSQL's LIKE, one per separator, costs it nothing of the kind.
 */
export function startsAWord(
  db: Kysely<any>,
  text: RawBuilder<string>,
  prefix: string,
  separators: readonly string[],
): RawBuilder<boolean> {
  if (engineOf(db) === 'postgres') {
    const start = `${escapeLike(prefix)}%`
    const arms = [start, ...separators.map((s) => `%${escapeLike(s)}${start}`)]
    return sql<boolean>`(${sql.join(
      arms.map((pattern) => sql`${text} like ${pattern} escape '\\'`),
      sql` or `,
    )})`
  }
  // GLOB's specials are * ? [ ; each stands for itself inside brackets. `-` goes last in a class.
  const glob = prefix.replace(/[*?[]/g, (c) => `[${c}]`)
  const chars = [...separators.filter((s) => s !== '-'), ...(separators.includes('-') ? ['-'] : [])].join('')
  return sql<boolean>`(${text} glob ${`${glob}*`} or ${text} glob ${`*[${chars}]${glob}*`})`
}

/** Escapes LIKE's wildcards (and the escape itself) so that text matches only as itself; use with `escape '\\'`. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}

function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code
    return typeof code === 'string' ? code : undefined
  }
  return undefined
}

const sqliteEngine: Engine = {
  kind: 'sqlite',
  isUniqueViolation: (e) => {
    const code = errorCode(e)
    return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  },
  isUnavailable: (e) => {
    const code = errorCode(e) ?? ''
    return /^SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR|FULL)/.test(code)
  },
}

/** True when another process holds SQLite's write lock: the work can simply be tried again. */
export function isLockContention(error: unknown): boolean {
  return /^SQLITE_(BUSY|LOCKED)/.test(errorCode(error) ?? '')
}

/**
 * True when SQLite finds a file damaged (a page it cannot read as one) or not a database at all:
 * what `db check` reports as a finding and `db restore` refuses, rather than failing mid-way.
 */
export function isDamagedSqliteFile(error: unknown): boolean {
  return /^SQLITE_(CORRUPT|NOTADB)/.test(errorCode(error) ?? '')
}

// Connection-level failures from node-postgres and the server's "cannot serve now" classes.
const PG_UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  '57P01',
  '57P02',
  '57P03',
  '53300',
])

const postgresEngine: Engine = {
  kind: 'postgres',
  isUniqueViolation: (e) => errorCode(e) === '23505',
  isUnavailable: (e) => {
    const code = errorCode(e)
    if (code !== undefined && (PG_UNAVAILABLE.has(code) || code.startsWith('08'))) return true
    const message = e instanceof Error ? e.message : ''
    return /Connection terminated|timeout exceeded when trying to connect|connection timeout|not queryable|the database system is (starting up|shutting down)/i.test(
      message,
    )
  },
}

// int8 (bigint columns and count(*)) as numbers: our values are epoch milliseconds and counts.
pg.types.setTypeParser(20, (value) => Number(value))

/** The SQL text of a query carrying a pipelined batch (db/pipeline.ts); its one parameter is the batch. */
export const PIPELINE = '-- roster:pipeline'

export interface PipelinedStatement {
  readonly sql: string
  readonly parameters: readonly unknown[]
}

/**
 * Hot queries (db/prepared.ts) run as named statements: parsed and planned once per connection.
 * A pipelined batch (db/pipeline.ts) is unpacked here: its statements are all handed to the
 * client before any answer arrives, which the pool's `pipeline` mode sends at once.
 */
function patchClient(client: pg.PoolClient) {
  const query = client.query.bind(client) as (...args: unknown[]) => Promise<pg.QueryResult>
  const one = (text: string, values: readonly unknown[]) => {
    const name = namedStatements.get(text)
    return name ? query({ name, text, values }) : query(text, values)
  }
  client.query = ((...args: unknown[]) => {
    const [text, values] = args
    if (typeof text !== 'string' || args.length !== 2) return query(...args)
    if (text !== PIPELINE) return one(text, values as unknown[])
    return runPipelined((values as [PipelinedStatement[]])[0], one, client)
  }) as typeof client.query
}

/** The socket under a pg client (not in pg's types). */
interface Corkable {
  connection?: { stream?: { cork?: () => void; uncork?: () => void } }
}

/**
 * Every statement's answer is awaited (the connection is idle again after), then the first error
 * thrown. The socket is corked while the statements are handed over: pg writes each statement
 * with a system call of its own, and a batch is then one write instead of one per statement
 * (writes were a fifth of the PostgreSQL invite path's time in bench:profile).
 */
async function runPipelined(
  batch: readonly PipelinedStatement[],
  one: (text: string, values: readonly unknown[]) => Promise<pg.QueryResult>,
  client: Corkable,
) {
  const stream = client.connection?.stream
  stream?.cork?.()
  let answers: Promise<pg.QueryResult>[]
  try {
    answers = batch.map((q) => one(q.sql, q.parameters))
  } finally {
    stream?.uncork?.()
  }
  const settled = await Promise.allSettled(answers)
  const failed = settled.find((s) => s.status === 'rejected')
  if (failed) throw failed.reason
  const rows = settled.map((s) => (s.status === 'fulfilled' ? s.value.rows : []))
  return { command: 'SELECT', rowCount: null, rows }
}

const STATEMENT_CACHE_SIZE = 200

/**
 * Kysely prepares every query anew; preparing costs as much as running our small indexed
 * queries, so statements are kept by SQL text (the set is small and fixed: queries are built
 * from code, values are bound). The cache is bounded should a query ever vary in shape.
 */
function withStatementCache(database: SQLite.Database, onWrite: () => void) {
  const statements = new Map<string, SQLite.Statement>()
  return {
    close: () => database.close(),
    prepare(text: string) {
      let statement = statements.get(text)
      if (!statement) {
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.clear()
        statement = database.prepare(text)
        statements.set(text, statement)
      }
      // Kysely prepares every statement it runs: anything but a read counts as a change.
      if (!statement.reader) onWrite()
      return statement
    },
  }
}

/**
 * SQLite's cheap "has anything changed?": `data_version` moves when another connection (another
 * process) commits, and this connection counts its own writes (counted when they start, so an
 * uncommitted or rolled-back write counts too, which only ever costs a cache miss). Equal
 * snapshots taken before two reads mean the database did not change between them.
 */
function changeSnapshot(database: SQLite.Database) {
  const dataVersion = database.prepare('pragma data_version').pluck()
  let ownWrites = 0
  return {
    onWrite: () => void ownWrites++,
    snapshot: () => `${String(dataVersion.get())}:${ownWrites}`,
  }
}

export interface DatabaseOptions {
  readonly poolSize?: number
  /** How long a request waits for a PostgreSQL connection before it is answered 503. */
  readonly connectTimeoutMs?: number
  /** SQLite: fail when the file does not exist instead of creating it (reading a source). */
  readonly mustExist?: boolean
  /**
   * SQLite: the file read-only and as it is, its journal mode untouched (a backup being restored
   * from, which may sit on read-only media and must not change). Implies mustExist.
   */
  readonly readonly?: boolean
  /** SQLite file, long-running (the server): WAL checkpoints in a thread of their own (wal-checkpoint.ts). */
  readonly checkpointInThread?: boolean
}

export function openDatabase(url: string, options: DatabaseOptions = {}): DatabaseHandle {
  if (isPostgresUrl(url)) {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      // A request waiting for a connection gives up (503) rather than hang while the server is away.
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      keepAlive: true,
      // Statements handed over together go out together (db/pipeline.ts); alone, one at a time as ever.
      // In this mode pg refuses cursors (pg-cursor, query streams, Kysely's .stream()): none is used.
      pipeline: true,
    })
    // A connection lost while idle in the pool, or while checked out between two statements of a
    // transaction, emits 'error'; unheard, that would crash the process. The failed query reports
    // it instead (503), and the pool drops the broken client on release.
    pool.on('error', () => {})
    pool.on('connect', (client) => {
      client.on('error', () => {})
      patchClient(client)
    })
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    const writes = postgresWrites(db, new AccountBatches(db, postgresEngine.isUnavailable))
    return { db, engine: postgresEngine, writes, close: () => db.destroy() }
  }
  const path = url.replace(/^sqlite:(\/\/)?/i, '')
  // SQLite's own words ("unable to open database file") name neither the file nor the cause.
  const mustExist = options.mustExist || options.readonly
  if (mustExist && path !== ':memory:' && !existsSync(path))
    throw new AppError('DATABASE_FILE_MISSING', `The SQLite file ${path} does not exist.`)
  if (path !== ':memory:' && !mustExist) mkdirSync(dirname(path), { recursive: true })
  const database = new SQLite(path, {
    fileMustExist: mustExist ?? false,
    readonly: options.readonly ?? false,
  })
  if (!options.readonly) {
    database.pragma('journal_mode = WAL')
    // FULL: an acknowledged write survives a power cut, not only a process crash.
    database.pragma('synchronous = FULL')
  }
  database.pragma('foreign_keys = ON')
  database.pragma('busy_timeout = 5000')
  // Savepoints (every use case of a group commit has one, group-commit.ts) journal each page they
  // change first; past 64 KB SQLite spilled that journal to a new file in /var/tmp, created,
  // written and closed on the event loop for every batch: a third of an invitation's SQLite time,
  // most of a webhook delivery row's (docs/benchmarks.md). In memory it holds the pages that the
  // open savepoints change; sorts without an index stay there too (peak RSS under the 100,000
  // member benchmarks stayed at 140 MB); backups (VACUUM INTO) still write straight to their file.
  database.pragma('temp_store = memory')
  database.function('roster_lower', { deterministic: true }, (value: unknown) =>
    typeof value === 'string' ? value.toLowerCase() : value,
  )
  const changes = changeSnapshot(database)
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(database, changes.onWrite) }),
  })
  const groupCommit = new GroupCommit(db, path === ':memory:' ? undefined : `${path}-wal`)
  const checkpoints =
    options.checkpointInThread && path !== ':memory:' ? checkpointInThread(database, path) : undefined
  return {
    db,
    engine: sqliteEngine,
    writes: sqliteWrites(groupCommit),
    snapshot: changes.snapshot,
    close: async () => {
      await checkpoints?.close()
      await groupCommit.close()
      await db.destroy()
    },
  }
}
