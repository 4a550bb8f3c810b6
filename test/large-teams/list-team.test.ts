import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'
import { listPage, type Page } from './list-page.ts'
import { PATCH, scimClient, scimToken } from '../scim/helpers.ts'

describe('POST /api/listTeam', () => {
  let t: TestApp

  before(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_MAX: '0' } })
  })
  after(() => t.close())

  const list = (key: string, body: Record<string, unknown>) => listPage(t, key, body)
  const logins = (page: Page) => page.items.map((i) => i.login)

  async function team(domain: string, members: { email: string; name?: string; role?: string }[]) {
    const acc = await t.account(domain, [domain], `ada@${domain}`)
    const results = await t.services.memberImport.importMembers(acc.accountId, members)
    assert.ok(
      results.every((r) => r.ok),
      JSON.stringify(results),
    )
    return acc
  }

  it('pages through the members in login order, with the total and the member fields', async () => {
    const emails = ['d', 'b', 'f', 'c', 'e'].map((l) => `${l}@page.io`)
    const { adminKey, userId } = await team(
      'page.io',
      emails.map((email) => ({ email, role: 'GUEST' })),
    )
    const first = await list(adminKey, { limit: 4 })
    assert.deepEqual(logins(first), ['ada@page.io', 'b@page.io', 'c@page.io', 'd@page.io'])
    assert.equal(first.total, 6)
    assert.deepEqual(first.items[0], {
      id: userId,
      login: 'ada@page.io',
      name: 'Ada',
      role: 'ADMIN',
      baseRole: 'ADMIN',
      status: 'active',
      joinedAt: first.items[0]!.joinedAt,
      lastSeenAt: null,
    })
    assert.ok(first.nextCursor)
    const second = await list(adminKey, { limit: 4, cursor: first.nextCursor })
    assert.deepEqual(logins(second), ['e@page.io', 'f@page.io'])
    assert.equal(second.nextCursor, null)
  })

  it('keeps its place while members are added and removed between pages', async () => {
    const emails = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'].map((l) => `${l}@stable.io`)
    const { accountId, adminKey } = await team(
      'stable.io',
      emails.map((email) => ({ email })),
    )
    const first = await list(adminKey, { limit: 3 })
    assert.deepEqual(logins(first), ['a1@stable.io', 'a2@stable.io', 'a3@stable.io'])
    // Before the cursor: added and removed; after it: one removed, one added.
    await t.services.accounts.addUser({ accountId, email: 'a0@stable.io', role: 'GUEST' })
    await t.post('/api/removeUser', adminKey, { email: 'a2@stable.io' })
    await t.post('/api/removeUser', adminKey, { email: 'a4@stable.io' })
    await t.services.accounts.addUser({ accountId, email: 'a45@stable.io', role: 'GUEST' })
    const second = await list(adminKey, { limit: 3, cursor: first.nextCursor })
    assert.deepEqual(logins(second), ['a45@stable.io', 'a5@stable.io', 'a6@stable.io'])
    assert.equal(second.total, 7)
  })

  it('refuses a forged cursor with 422 Invalid cursor, and one reused for another query', async () => {
    const { adminKey } = await team('forge.io', [{ email: 'x@forge.io' }, { email: 'y@forge.io' }])
    const { nextCursor } = await list(adminKey, { limit: 1 })
    assert.ok(nextCursor)
    const valid = await t.post('/api/listTeam', adminKey, { limit: 1, cursor: nextCursor })
    assert.equal(valid.statusCode, 200)

    const [body, kid, mac] = nextCursor.split('.') as [string, string, string]
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>
    const altered = Buffer.from(JSON.stringify({ ...payload, after: 'a' })).toString('base64url')
    const forged = [
      `${altered}.${kid}.${mac}`,
      `${body}.${kid}.${mac.slice(0, -2)}AA`,
      `${body}.unknown-kid.${mac}`,
      'not-a-cursor',
    ]
    for (const cursor of forged) {
      const res = await t.post('/api/listTeam', adminKey, { limit: 1, cursor })
      assert.equal(res.statusCode, 422, cursor)
      assert.deepEqual(json(res), { actionErrors: ['Invalid cursor'], code: 'INVALID_CURSOR' })
    }
    const otherSearch = await t.post('/api/listTeam', adminKey, { limit: 1, cursor: nextCursor, search: 'x' })
    assert.equal(otherSearch.statusCode, 422)
    assert.equal(json(otherSearch).code, 'INVALID_CURSOR')
    const otherAccount = await team('other-forge.io', [{ email: 'z@other-forge.io' }])
    const stolen = await t.post('/api/listTeam', otherAccount.adminKey, { limit: 1, cursor: nextCursor })
    assert.equal(stolen.statusCode, 422)
    assert.equal(json(stolen).code, 'INVALID_CURSOR')
  })

  it('searches the start of the email, the name or any word of it, case-insensitively and in any script', async () => {
    const { adminKey } = await team('search.io', [
      { email: 'zoe@search.io', name: 'Zoë Ökonomou' },
      { email: 'li@search.io', name: 'Ли Вэй' },
      { email: 'bob@search.io', name: 'Bob Martin' },
      { email: 'martina@search.io', name: 'Tina Ross' },
    ])
    assert.deepEqual(logins(await list(adminKey, { search: 'ÖKO' })), ['zoe@search.io'])
    assert.deepEqual(logins(await list(adminKey, { search: 'вэй' })), ['li@search.io'])
    assert.deepEqual(logins(await list(adminKey, { search: 'MART' })), ['bob@search.io', 'martina@search.io'])
    // Inside a word is not the start of one.
    assert.deepEqual(logins(await list(adminKey, { search: 'artin' })), [])
    const page = await list(adminKey, { search: 'zo' })
    assert.equal(page.total, 5, 'the total counts the whole team, not the hits')
  })

  it('matches %, _, quotes and backslashes literally', async () => {
    const { adminKey } = await team('literal.io', [
      { email: 'pct@literal.io', name: '100% Sure' },
      { email: 'under@literal.io', name: 'a_b Person' },
      { email: 'quote@literal.io', name: `O'Brien "Q"` },
      { email: 'slash@literal.io', name: 'back\\slash' },
      { email: 'plain@literal.io', name: '100 aXb' },
    ])
    assert.deepEqual(logins(await list(adminKey, { search: '100%' })), ['pct@literal.io'])
    assert.deepEqual(logins(await list(adminKey, { search: '%' })), [])
    assert.deepEqual(logins(await list(adminKey, { search: 'a_b' })), ['under@literal.io'])
    assert.deepEqual(logins(await list(adminKey, { search: "o'b" })), ['quote@literal.io'])
    assert.deepEqual(logins(await list(adminKey, { search: '"q' })), ['quote@literal.io'])
    assert.deepEqual(logins(await list(adminKey, { search: 'back\\' })), ['slash@literal.io'])
  })

  it('filters by role, while the total still counts every member', async () => {
    const { adminKey } = await team('roles.io', [
      { email: 'g1@roles.io', role: 'GUEST' },
      { email: 'd1@roles.io', role: 'DEVELOPER' },
      { email: 'g2@roles.io', role: 'GUEST' },
    ])
    const page = await list(adminKey, { role: 'guest' })
    assert.deepEqual(logins(page), ['g1@roles.io', 'g2@roles.io'])
    assert.equal(page.total, 4)
  })

  it('lists pending invitations by login, with who invited and the email status', async () => {
    const { adminKey } = await team('inv.io', [])
    for (const e of ['zed', 'amy', 'kim']) {
      const res = await t.post('/api/inviteUsers', adminKey, {
        inviteeEmail: `${e}@inv.io`,
        inviteeRole: 'GUEST',
        inviteeName: `${e} Person`,
      })
      assert.equal(res.statusCode, 200, res.body)
    }
    const first = await list(adminKey, { kind: 'invitations', limit: 2 })
    assert.deepEqual(logins(first), ['amy@inv.io', 'kim@inv.io'])
    assert.equal(first.total, 3)
    const item = first.items[0]!
    assert.equal(item.invitedBy, 'ada@inv.io')
    assert.equal(item.role, 'GUEST')
    assert.equal(item.emailStatus, 'pending')
    const second = await list(adminKey, { kind: 'invitations', limit: 2, cursor: first.nextCursor })
    assert.deepEqual(logins(second), ['zed@inv.io'])
    assert.deepEqual(logins(await list(adminKey, { kind: 'invitations', search: 'kim p' })), ['kim@inv.io'])
    const crossKind = await t.post('/api/listTeam', adminKey, {
      kind: 'members',
      limit: 2,
      cursor: first.nextCursor,
    })
    assert.equal(crossKind.statusCode, 422)
  })

  it('keeps the total current after a change', async () => {
    const { accountId, adminKey } = await team('total.io', [{ email: 'a@total.io' }])
    assert.equal((await list(adminKey, {})).total, 2)
    await t.services.accounts.addUser({ accountId, email: 'b@total.io', role: 'GUEST' })
    assert.equal((await list(adminKey, {})).total, 3)
  })

  it('shows a member suspended by SCIM (PATCH active false) as suspended, and active again once restored', async () => {
    const { accountId, adminKey } = await team('status.io', [
      { email: 'kept@status.io', role: 'GUEST' },
      { email: 'off@status.io', role: 'DEVELOPER' },
    ])
    const scim = scimClient(t, await scimToken(t, accountId))
    const found = await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "off@status.io"')}`)
    const id = found.json.Resources[0].id as string
    const statuses = async () =>
      Object.fromEntries((await list(adminKey, {})).items.map((i) => [i.login, i.status]))
    const patch = async (active: boolean) => {
      const res = await scim('PATCH', `/Users/${id}`, {
        schemas: [PATCH],
        Operations: [{ op: 'replace', value: { active } }],
      })
      assert.equal(res.statusCode, 200, res.body)
    }
    await patch(false)
    assert.deepEqual(await statuses(), {
      'ada@status.io': 'active',
      'kept@status.io': 'active',
      'off@status.io': 'suspended',
    })
    const searched = await list(adminKey, { search: 'off' })
    assert.deepEqual(
      searched.items.map((i) => [i.login, i.status]),
      [['off@status.io', 'suspended']],
    )
    await patch(true)
    assert.equal((await statuses())['off@status.io'], 'active')
  })

  it('refuses a limit above 200 with 422', async () => {
    const { adminKey } = await team('limit.io', [])
    assert.equal((await t.post('/api/listTeam', adminKey, { limit: 200 })).statusCode, 200)
    const res = await t.post('/api/listTeam', adminKey, { limit: 201 })
    assert.equal(res.statusCode, 422)
    assert.equal(json(res).code, 'INVALID_REQUEST')
  })
})
