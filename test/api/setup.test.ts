import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import fc from 'fast-check'
import {
  assertNotLimited,
  json,
  LIMITS_OFF,
  sessionCookie,
  startTestApp,
  type TestApp,
} from '../helpers/app.ts'

const ORIGIN = 'http://localhost:8080'
const FIRST = {
  accountName: 'Acme',
  domains: ['acme.com', 'acme.io'],
  name: 'Ada',
  email: 'Ada@Acme.com',
  password: 'tangerine-octopus-41',
}

describe('first-run setup: /api/setupStatus and /api/setup', () => {
  let t: TestApp
  afterEach(() => t.close())
  const setup = (body: unknown, headers: Record<string, string> = { origin: ORIGIN }) =>
    t.post('/api/setup', undefined, body, headers)
  const status = async () => json(await t.post('/api/setupStatus', undefined, {})).needsSetup as boolean

  it('creates the first account and its ADMIN, signs them in, and is then gone', async () => {
    t = await startTestApp()
    assert.equal(await status(), true)
    const res = await setup(FIRST)
    assert.equal(res.statusCode, 200, res.body)
    assert.deepEqual(json(res), { accountId: 1, userId: 1, email: 'ada@acme.com', role: 'ADMIN' })
    const me = await t.browser('/api/me', sessionCookie(res))
    assert.equal(me.statusCode, 200, me.body)
    assert.equal(json(me).accountName, 'Acme')
    assert.equal(json(me).role, 'ADMIN')
    assert.equal(await status(), false)
    // The password works for signing in later; the account has no API key nobody asked for.
    const cookie = await t.login('ada@acme.com', FIRST.password)
    assert.deepEqual(json(await t.browser('/api/fetchApiTokens', cookie)).apiTokenList, [])
    const again = await setup({ ...FIRST, accountName: 'Evil', email: 'eve@acme.com' })
    assert.equal(again.statusCode, 409)
    assert.deepEqual(json(again), {
      actionErrors: ['Roster is already set up; sign in instead.'],
      code: 'SETUP_DONE',
    })
  })

  it('refuses once an operator has created an account with the CLI', async () => {
    t = await startTestApp()
    await t.account()
    assert.equal(await status(), false)
    assert.equal((await setup(FIRST)).statusCode, 409)
  })

  it('lets only one of several concurrent setups succeed', async () => {
    t = await startTestApp()
    const results = await Promise.all(
      ['a', 'b', 'c'].map((n) => setup({ ...FIRST, accountName: `Acme ${n}`, email: `${n}@acme.com` })),
    )
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 409, 409])
    const key = await t.services.accounts.createApiKey({
      accountId: 1,
      email: json(results.find((r) => r.statusCode === 200)!).email,
    })
    assert.equal(json(await t.post('/api/getTeamData', key.apiKey)).length, 1)
    assert.equal((await t.services.accounts.requireAccount(2).catch((e: Error) => e)) instanceof Error, true)
  })

  it('explains each invalid field and leaves setup open', async () => {
    t = await startTestApp()
    const cases: [Record<string, unknown>, string][] = [
      [{ accountName: ' ' }, 'INVALID_ACCOUNT_NAME'],
      [{ domains: [] }, 'NO_DOMAIN'],
      [{ domains: ['not a domain'] }, 'INVALID_DOMAIN'],
      [{ email: 'ada' }, 'INVALID_EMAIL'],
      [{ email: 'ada@elsewhere.com' }, 'ADMIN_OUTSIDE_DOMAINS'],
      [{ password: 'short' }, 'WEAK_PASSWORD'],
      [{ password: 'password123' }, 'WEAK_PASSWORD'],
    ]
    for (const [change, code] of cases) {
      const res = await setup({ ...FIRST, ...change })
      assert.equal(res.statusCode, 422, `${JSON.stringify(change)}: ${res.body}`)
      assert.equal(json(res).code, code)
      assert.equal(json(res).actionErrors.length, 1)
    }
    assert.equal(await status(), true)
  })

  it('refuses a setup posted from a foreign page', async () => {
    t = await startTestApp()
    const res = await setup(FIRST, { origin: 'https://evil.example' })
    assert.equal(res.statusCode, 403)
    assert.equal(json(res).code, 'CROSS_SITE_REQUEST')
    assert.equal(await status(), true)
  })

  it('answers arbitrary bodies in the error shape, never with a 5xx', async () => {
    // The sign-in limit (LOGIN_RATE_LIMIT per minute) also guards /api/setup: off here, so each
    // body reaches the setup handler (issue 21).
    t = await startTestApp({ env: LIMITS_OFF })
    const statuses = new Set<number>()
    const field = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.integer(),
      fc.constant(null),
      fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }),
    )
    const body = fc.oneof(
      fc
        .record(
          { accountName: field, domains: field, name: field, email: field, password: field },
          { requiredKeys: [] },
        )
        .map((b) => JSON.stringify(b)),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null'),
      fc.string({ maxLength: 40 }),
    )
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const res = await setup(b)
        assertNotLimited(res, b)
        statuses.add(res.statusCode)
        if (res.statusCode >= 500 || res.statusCode === 200) return false
        const parsed = json(res)
        return Array.isArray(parsed.actionErrors) && typeof parsed.code === 'string'
      }),
      { numRuns: 300 },
    )
    // The handler's own refusals were reached: bad JSON shapes (400) and invalid fields (422).
    assert.ok(statuses.has(400) && statuses.has(422), `statuses: ${[...statuses]}`)
    assert.equal(await status(), true)
  })
})
