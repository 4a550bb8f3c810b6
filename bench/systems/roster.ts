/**
 * Roster under test: seeded through its own operator services (the ones the CLI runs), then the
 * real entry point (src/server.ts) started in its own process on SQLite or PostgreSQL.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import pg from 'pg'
import pino from 'pino'
import { loadConfig } from '../../src/config.ts'
import { openDatabase, type DatabaseHandle } from '../../src/db/engine.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { createServices, type Services } from '../../src/services.ts'
import { startServer, type ServerProcess } from '../lib/process.ts'

/**
 * The load comes from one address and one key: the per-address /api/* limit and the invitation
 * flood limits (which protect production) would answer 429 and measure nothing else. Better Auth
 * runs with its rate limit off too.
 */
export const UNLIMITED = {
  RATE_LIMIT_MAX: '0',
  INVITE_LIMIT_PER_ACCOUNT: '10000000',
  INVITE_LIMIT_PER_KEY: '10000000',
  INVITE_LIMIT_PER_EMAIL: '10000000',
}

export const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

export interface RosterDatabase {
  readonly url: string
  drop(): Promise<void>
}

export function sqliteDatabase(): RosterDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'bench-roster-'))
  return { url: join(dir, 'roster.db'), drop: async () => rmSync(dir, { recursive: true, force: true }) }
}

async function adminQuery(text: string) {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 })
  await client.connect()
  try {
    await client.query(text)
  } finally {
    await client.end()
  }
}

/** A fresh PostgreSQL database, or undefined when the server is not reachable. */
export async function postgresDatabase(label = 'roster'): Promise<RosterDatabase | undefined> {
  const name = `${label}_bench_${process.pid}`
  try {
    await adminQuery(`drop database if exists ${name} with (force)`)
    await adminQuery(`create database ${name}`)
  } catch {
    return undefined
  }
  const url = new URL(PG_ADMIN_URL)
  url.pathname = `/${name}`
  return { url: url.toString(), drop: () => adminQuery(`drop database if exists ${name} with (force)`) }
}

export interface Seeder {
  readonly services: Services
  readonly database: DatabaseHandle
  close(): Promise<void>
}

/** Webhook endpoints on this machine (the bench's receiver), as the webhook tests allow them. */
export const LOCAL_WEBHOOKS = { WEBHOOK_ALLOW_HTTP: '1', WEBHOOK_ALLOW_PRIVATE: '1' }

/**
 * Opens the database with the services. Durability is relaxed while seeding (SQLite), unless
 * `durable`: then it is the server's own (a timed import must pay what production pays).
 */
export async function openSeeder(url: string, options: { durable?: boolean } = {}): Promise<Seeder> {
  // Seeding invites thousands from one key: the flood limits would refuse them.
  const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent', ...LOCAL_WEBHOOKS, ...UNLIMITED })
  const database = openDatabase(url)
  await migrateToLatest(database.db)
  if (database.engine.kind === 'sqlite' && !options.durable)
    await sql`pragma synchronous = OFF`.execute(database.db)
  const services = await createServices({ config, database, clock: Date.now, log: pino({ level: 'silent' }) })
  return { services, database, close: () => database.close() }
}

/** An account with `members` members (the ADMIN included) and `invitations` pending invitations. */
export async function seedTeam(seeder: Seeder, domain: string, members: number, invitations: number) {
  const { accounts, apiKeys, invitations: invites } = seeder.services
  const account = await accounts.createAccount({
    name: domain,
    domains: [domain],
    adminEmail: `admin@${domain}`,
    adminName: 'Admin',
  })
  // The operator import (`roster user import`): a 100k team in seconds, not 100k transactions.
  const rows = Array.from({ length: members - 1 }, (_, i) => ({
    email: `member${i + 1}@${domain}`,
    name: `Member ${i + 1}`,
    role: 'DEVELOPER',
  }))
  const imported = await seeder.services.memberImport.importMembers(account.accountId, rows)
  const refused = imported.find((r) => !r.ok)
  if (refused) throw new Error(`seeding ${domain}: ${JSON.stringify(refused)}`)
  const actor = await apiKeys.authenticate(account.apiKey)
  if (!actor) throw new Error('seeded key does not authenticate')
  const ctx = { actor, ip: null, userAgent: 'bench' }
  for (let i = 0; i < invitations; i++) {
    await invites.invite(ctx, { inviteeEmail: `invitee${i}@${domain}`, inviteeRole: 'GUEST' })
  }
  return { accountId: account.accountId, apiKey: account.apiKey }
}

/** `npm start`'s build step (scripts/build.mjs bundles src/server.ts into dist/server.mjs). */
export function buildRoster() {
  const result = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' })
  if (result.status !== 0) throw new Error('scripts/build.mjs failed')
}

/** `npm start`'s node arguments (package.json): its V8 flags, then the bundle. */
export function startArgs(): string[] {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }
  const [node, ...args] = pkg.scripts.start.split(' ')
  if (node !== 'node') throw new Error(`npm start runs "${pkg.scripts.start}", not node`)
  return args
}

/** The production entry point, as `npm start` runs it, minus per-request info logs. */
export function startRoster(
  name: string,
  url: string,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  return startServer(name, startArgs(), {
    DATABASE_URL: url,
    LOG_LEVEL: 'warn',
    ...UNLIMITED,
    ...env,
  })
}
