// OWASP API4:2023 Unrestricted Resource Consumption: invitation floods are limited per account,
// per key and per address (429 with Retry-After, nothing created past the limit); huge, deeply
// nested and pathological bodies are refused at once.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { json, startTestApp, testClock, type TestApp } from '../helpers/app.ts'

describe('API4 resource consumption', () => {
  let t: TestApp
  const clock = testClock()

  before(async () => {
    t = await startTestApp({
      clock,
      env: { INVITE_LIMIT_PER_ACCOUNT: '8', INVITE_LIMIT_PER_KEY: '5', INVITE_LIMIT_PER_EMAIL: '3', INVITE_LIMIT_WINDOW: '60' },
    })
  })
  after(() => t.close())

  const pending = async (key: string) => json<any[]>(await t.post('/api/getTeamData', key)).filter((i) => i.isInvitation).length

  it('stops an invite flood from one key at its limit, with Retry-After, and creates nothing past it', async () => {
    const { adminKey } = await t.account('Flood', ['flood.io'], 'a@flood.io')
    const statuses: number[] = []
    for (let i = 0; i < 8; i++) {
      const res = await t.post('/api/inviteUsers', adminKey, { inviteeEmail: `f${i}@flood.io`, inviteeRole: 'GUEST' })
      statuses.push(res.statusCode)
      if (res.statusCode === 429) {
        assert.deepEqual(json(res), { actionErrors: ['Too many invitations; try again later.'], code: 'RATE_LIMITED' })
        const retry = Number(res.headers['retry-after'])
        assert.ok(retry >= 1 && retry <= 60, `Retry-After ${retry}`)
      }
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429, 429])
    assert.equal(await pending(adminKey), 5)
    // The window passes: inviting works again.
    clock.advance(61_000)
    assert.equal((await t.post('/api/inviteUsers', adminKey, { inviteeEmail: 'later@flood.io', inviteeRole: 'GUEST' })).statusCode, 200)
  })

  it('refills evenly: after Retry-After one more invitation passes, then the limit holds again', async () => {
    const { adminKey } = await t.account('Refill', ['refill.io'], 'a@refill.io')
    const invite = (i: number) => t.post('/api/inviteUsers', adminKey, { inviteeEmail: `r${i}@refill.io`, inviteeRole: 'GUEST' })
    for (let i = 0; i < 5; i++) assert.equal((await invite(i)).statusCode, 200)
    const refused = await invite(5)
    assert.equal(refused.statusCode, 429)
    // 5 per 60 s: one every 12 s.
    assert.equal(refused.headers['retry-after'], '12')
    clock.advance(11_000)
    assert.equal((await invite(6)).statusCode, 429)
    clock.advance(1_000)
    assert.equal((await invite(7)).statusCode, 200)
    assert.equal((await invite(8)).statusCode, 429)
    assert.equal(await pending(adminKey), 6)
  })

  it('limits the whole account across its keys', async () => {
    const { accountId, adminKey } = await t.account('Many', ['many.io'], 'a@many.io')
    const other = (await t.member(accountId, 'b@many.io', 'MEMBER')).key
    let ok = 0
    for (let i = 0; i < 12; i++) {
      const key = i % 2 ? adminKey : other
      if ((await t.post('/api/inviteUsers', key, { inviteeEmail: `m${i}@many.io`, inviteeRole: 'GUEST' })).statusCode === 200) ok++
    }
    assert.equal(ok, 8)
    assert.equal(await pending(adminKey), 8)
  })

  it('stops re-invite bombing of one address', async () => {
    const { adminKey } = await t.account('Bomb', ['bomb.io'], 'a@bomb.io')
    const statuses = []
    for (let i = 0; i < 5; i++) {
      statuses.push((await t.post('/api/inviteUsers', adminKey, { inviteeEmail: 'victim@bomb.io', inviteeRole: 'GUEST' })).statusCode)
    }
    assert.deepEqual(statuses, [200, 200, 200, 429, 429])
    assert.equal((await t.post('/api/inviteUsers', adminKey, { inviteeEmail: 'other@bomb.io', inviteeRole: 'GUEST' })).statusCode, 200)
  })

  it('forgets the buckets of invitee addresses once full again, so they do not pile up', async () => {
    const { accountId, adminKey } = await t.account('Forget', ['forget.io'], 'a@forget.io')
    const invite = (name: string) =>
      t.post('/api/inviteUsers', adminKey, { inviteeEmail: `${name}@forget.io`, inviteeRole: 'GUEST' })
    const scopes = async () =>
      (
        await t.database.db
          .selectFrom('invite_buckets')
          .select('scope')
          .where('account_id', '=', accountId)
          .orderBy('scope')
          .execute()
      ).map((r) => r.scope.replace(/:\d+$/, ':<id>'))
    assert.equal((await invite('ann')).statusCode, 200)
    assert.equal((await invite('ben')).statusCode, 200)
    assert.deepEqual(await scopes(), ['account', 'email:ann@forget.io', 'email:ben@forget.io', 'key:<id>'])
    // 3 per 60 s for an address: full again after 20 s.
    clock.advance(20_000)
    assert.equal((await invite('cat')).statusCode, 200)
    assert.deepEqual(await scopes(), ['account', 'email:cat@forget.io', 'key:<id>'])
  })

  it('refuses huge, deeply nested and pathological bodies at once without a 5xx', async () => {
    const { adminKey } = await t.account('Big', ['big.io'], 'a@big.io')
    const huge = await t.post('/api/inviteUsers', adminKey, JSON.stringify({ inviteeEmail: 'x'.repeat(2 * 1024 * 1024) }))
    assert.equal(huge.statusCode, 413)
    const nested = await t.post('/api/inviteUsers', adminKey, '['.repeat(50_000) + ']'.repeat(50_000))
    // Parsed without a stack overflow, then refused by the check each reaches first.
    assert.equal(nested.statusCode, 400, nested.body)
    assert.equal(json(nested).code, 'INVALID_BODY')
    const deepObject = await t.post('/api/inviteUsers', adminKey, '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000))
    assert.equal(deepObject.statusCode, 422, deepObject.body)
    assert.equal(json(deepObject).code, 'INVALID_EMAIL')
    for (const inviteeEmail of ['a'.repeat(50_000) + '@big.io', 'a@' + 'a.'.repeat(25_000) + 'io!', 'a@' + '-'.repeat(50_000)]) {
      const res = await t.post('/api/inviteUsers', adminKey, { inviteeEmail, inviteeRole: 'GUEST' })
      assert.equal(res.statusCode, 422)
      assert.deepEqual(json(res).actionErrors, ['Invalid email'])
    }
    assert.equal(await pending(adminKey), 0)
  })
})
