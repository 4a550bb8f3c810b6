/**
 * Builds Roster in-process on a fresh, migrated database and talks to it over HTTP (inject, or a
 * real port for concurrency tests). Arranging data goes through the operator services — the ones
 * the CLI runs — and every assertion through the public interface.
 */
import assert from 'node:assert/strict'
import type { LightMyRequestResponse } from 'fastify'
import pino, { type Logger } from 'pino'
import { buildApp, type App } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import type { DatabaseHandle } from '../../src/db/engine.ts'
import { createTestDatabase, type TestDatabase } from './database.ts'

/**
 * Env for sweep, fuzz and load-shaped tests: every limiter that answers 429 is off or out of
 * reach (the per-address /api/* limit, the sign-in limit, the failed-key limit, the invitation
 * budgets), so each request reaches the handler the test claims to exercise. The limits keep
 * their own dedicated tests. Pair it with `assertNotLimited` on every answer.
 */
export const LIMITS_OFF: Readonly<Record<string, string>> = Object.freeze({
  RATE_LIMIT_MAX: '0',
  LOGIN_RATE_LIMIT: '100000',
  AUTH_FAILURE_LIMIT: '10000000',
  INVITE_LIMIT_PER_ACCOUNT: '10000000',
  INVITE_LIMIT_PER_KEY: '10000000',
  INVITE_LIMIT_PER_EMAIL: '10000000',
})

/** Fails when an answer came from a rate limiter: a sweep must never pass by hitting one. */
export function assertNotLimited(response: { statusCode: number; body: string }, what = 'request'): void {
  assert.notEqual(
    response.statusCode,
    429,
    `${what} was answered by a rate limiter, not the handler: ${response.body}`,
  )
}

export interface TestClock {
  (): number
  advance(ms: number): void
}

export function testClock(start = Date.now()): TestClock {
  let now = start
  return Object.assign(() => now, { advance: (ms: number) => void (now += ms) })
}

export interface TestApp extends App {
  readonly database: DatabaseHandle
  readonly testDb: TestDatabase
  readonly clock: TestClock
  /** POST a JSON body (object, or raw string) with an API key. */
  post(
    path: string,
    key: string | undefined,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>
  /** Creates an account whose ADMIN holds `adminKey`. */
  account(
    name?: string,
    domains?: string[],
    admin?: string,
  ): Promise<{ accountId: number; userId: number; adminKey: string }>
  /** Adds a member with a role and returns an API key acting as them. */
  member(
    accountId: number,
    email: string,
    role: string,
    name?: string,
  ): Promise<{ userId: number; key: string }>
  /** Sets a user's password (operator service). */
  password(email: string, password: string): Promise<void>
  /** Signs in through POST /api/login and returns the `Cookie` header value. */
  login(email: string, password: string): Promise<string>
  /** POST as a browser would: session cookie plus our own Origin. */
  browser(
    path: string,
    cookie: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>
  /** Closes the app; `keepDatabase` leaves the data for a restart. */
  close(options?: { keepDatabase?: boolean }): Promise<void>
}

export async function startTestApp(
  options: {
    env?: Record<string, string>
    clock?: TestClock
    testDb?: TestDatabase
    mailWorker?: boolean
    webhookWorker?: boolean
    logger?: Logger
  } = {},
): Promise<TestApp> {
  const testDb = options.testDb ?? (await createTestDatabase())
  const database = testDb.open()
  const clock = options.clock ?? testClock()
  const config = loadConfig({ DATABASE_URL: testDb.url, LOG_LEVEL: 'silent', ...options.env })
  const app = await buildApp(config, {
    database,
    clock,
    logger: options.logger ?? pino({ level: 'silent' }),
    mailWorker: options.mailWorker ?? false,
    webhookWorker: options.webhookWorker ?? false,
  })

  async function post(
    path: string,
    key: string | undefined,
    body: unknown = {},
    headers: Record<string, string> = {},
  ) {
    return app.server.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}), ...headers },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    })
  }

  return {
    ...app,
    database,
    testDb,
    clock,
    post,
    async account(name = 'Acme', domains = ['acme.com'], admin = `ada@${domains[0]}`) {
      const r = await app.services.accounts.createAccount({
        name,
        domains,
        adminEmail: admin,
        adminName: 'Ada',
      })
      return { accountId: r.accountId, userId: r.userId, adminKey: r.apiKey }
    },
    async member(accountId, email, role, name) {
      const { userId } = await app.services.accounts.addUser({ accountId, email, role, name })
      const { apiKey } = await app.services.accounts.createApiKey({ accountId, email })
      return { userId, key: apiKey }
    },
    async password(email, password) {
      await app.services.accounts.setPassword({ email, password })
    },
    async login(email, password) {
      const res = await post('/api/login', undefined, { email, password }, { origin: config.publicUrl })
      if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`)
      return sessionCookie(res)
    },
    browser(path, cookie, body = {}, headers = {}) {
      return post(path, undefined, body, { cookie, origin: config.publicUrl, ...headers })
    },
    async close({ keepDatabase = false } = {}) {
      await app.server.close()
      await database.close()
      if (!keepDatabase) await testDb.drop()
    },
  }
}

/** The `name=value` of the roster_session cookie a response sets. */
export function sessionCookie(response: LightMyRequestResponse): string {
  const cookie = response.cookies.find((c) => c.name === 'roster_session')
  if (!cookie) throw new Error('no session cookie in the response')
  return `roster_session=${cookie.value}`
}

export function json<T = any>(response: LightMyRequestResponse): T {
  return JSON.parse(response.body) as T
}
