// OWASP API2:2023 Broken Authentication: only a live key in the X-API-KEY header authenticates.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'
import { roster } from '../helpers/cli.ts'

describe('API2 authentication', () => {
  let t: TestApp
  let admin: string
  let accountId: number

  before(async () => {
    t = await startTestApp()
    ;({ accountId, adminKey: admin } = await t.account())
  })
  after(() => t.close())

  it('slows a brute force of keys from one address with 429, without locking out the real key holder', async () => {
    const guesser = await startTestApp({ env: { AUTH_FAILURE_LIMIT: '5', AUTH_FAILURE_WINDOW: '60' } })
    try {
      const { adminKey } = await guesser.account()
      const from = (ip: string, key: string) => guesser.server.inject({ method: 'POST', url: '/api/getTeamData', remoteAddress: ip, headers: { 'x-api-key': key } })
      const statuses = []
      for (let i = 0; i < 8; i++) statuses.push((await from('10.0.0.66', `rst_${String(i).padStart(32, 'g')}`)).statusCode)
      assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429, 429])
      const limited = await from('10.0.0.66', 'rst_' + 'z'.repeat(32))
      assert.ok(Number(limited.headers['retry-after']) >= 1)
      assert.equal(json(limited).code, 'RATE_LIMITED')
      // The real key still works, from another address and from the guessing one.
      assert.equal((await from('10.0.0.7', adminKey)).statusCode, 200)
      assert.equal((await from('10.0.0.66', adminKey)).statusCode, 200)
      // Another address is not affected by the guesser.
      assert.equal((await from('10.0.0.8', 'rst_' + 'y'.repeat(32))).statusCode, 401)
    } finally {
      await guesser.close()
    }
  })

  const teamWith = (headers: Record<string, string>, url = '/api/getTeamData') =>
    t.server.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, payload: '{}' })

  it('ignores a key in the query string or in a cookie', async () => {
    for (const url of [`/api/getTeamData?apiKey=${admin}`, `/api/getTeamData?X-API-KEY=${admin}`, `/api/getTeamData?x-api-key=${admin}`]) {
      assert.equal((await teamWith({}, url)).statusCode, 401, url)
    }
    assert.equal((await teamWith({ cookie: `X-API-KEY=${admin}` })).statusCode, 401)
    assert.equal((await teamWith({ authorization: `Bearer ${admin}` })).statusCode, 401)
  })

  it('refuses a key with whitespace, changed case, truncated or extended', async () => {
    for (const key of [` ${admin}`, `${admin}\t`, admin.toUpperCase(), admin.toLowerCase(), admin.slice(0, -1), `${admin}x`, `${admin},${admin}`]) {
      const res = await teamWith({ 'x-api-key': key })
      assert.equal(res.statusCode, 401, JSON.stringify(key))
      assert.deepEqual(Object.keys(json(res)).sort(), ['actionErrors', 'code'])
    }
  })

  it('refuses a revoked key at once', async () => {
    const { key } = await t.member(accountId, 'rev@acme.com', 'MEMBER')
    assert.equal((await teamWith({ 'x-api-key': key })).statusCode, 200)
    const listed = await roster(['api-key', 'list', '--account', String(accountId), '--json'], { DATABASE_URL: t.testDb.url })
    const id = JSON.parse(listed.stdout).apiKeys.find((k: any) => k.email === 'rev@acme.com').id
    await t.services.accounts.revokeApiKey(id)
    assert.equal((await teamWith({ 'x-api-key': key })).statusCode, 401)
  })

  it('refuses the key of a removed member', async () => {
    const { key } = await t.member(accountId, 'gone@acme.com', 'DEVELOPER')
    await t.post('/api/removeUser', admin, { email: 'gone@acme.com' })
    assert.equal((await teamWith({ 'x-api-key': key })).statusCode, 401)
  })

  it('refuses the keys of a deleted account, while its people keep their other accounts', async () => {
    const doomed = await t.account('Doomed', ['doomed.io'], 'd@doomed.io')
    const shared = await t.member(doomed.accountId, 'both@doomed.io', 'MEMBER')
    const elsewhere = await t.member(accountId, 'both@doomed.io', 'GUEST')
    assert.equal((await teamWith({ 'x-api-key': doomed.adminKey })).statusCode, 200)
    const res = await roster(['account', 'delete', '--id', String(doomed.accountId), '--json'], { DATABASE_URL: t.testDb.url })
    assert.equal(res.code, 0, res.stderr)
    for (const key of [doomed.adminKey, shared.key]) assert.equal((await teamWith({ 'x-api-key': key })).statusCode, 401)
    assert.equal((await teamWith({ 'x-api-key': elsewhere.key })).statusCode, 200)
  })

  it('gives no hint whether a key exists: unknown and revoked keys get the same answer', async () => {
    const { key } = await t.member(accountId, 'hint@acme.com', 'GUEST')
    assert.equal((await teamWith({ 'x-api-key': key })).statusCode, 200, 'the control: the key worked')
    assert.equal((await t.post('/api/removeUser', admin, { email: 'hint@acme.com' })).statusCode, 200)
    const revoked = await teamWith({ 'x-api-key': key })
    const unknown = await teamWith({ 'x-api-key': 'rst_' + 'Q'.repeat(32) })
    // Both reach the key lookup and are refused by it (two equal rate-limit answers would not do).
    for (const res of [revoked, unknown]) {
      assert.equal(res.statusCode, 401, res.body)
      assert.equal(json(res).code, 'UNAUTHENTICATED')
    }
    assert.equal(revoked.body, unknown.body)
  })
})
