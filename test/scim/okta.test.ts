import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'
import { ERROR, PATCH, USER, scimClient, scimToken, type Scim } from './helpers.ts'

// The requests Okta's SCIM 2.0 provisioning sends, in its order: look up by userName, create,
// read, deactivate and reactivate with PATCH, PUT the profile, push a group, remove.
describe("SCIM as Okta's provisioning client calls it", () => {
  let t: TestApp
  let scim: Scim
  let accountId: number
  let adminKey: string

  before(async () => {
    t = await startTestApp()
    ;({ accountId, adminKey } = await t.account('Acme', ['acme.com']))
    scim = scimClient(t, await scimToken(t, accountId))
  })
  after(() => t.close())

  const oktaUser = (email: string) => ({
    schemas: [USER],
    userName: email,
    name: { givenName: 'Bob', familyName: 'Jones' },
    emails: [{ primary: true, value: email, type: 'work' }],
    displayName: 'Bob Jones',
    locale: 'en-US',
    externalId: '00u1abcd',
    groups: [],
    password: 'ignored-Secret-1',
    active: true,
  })

  it('finds no user before creating, creates one as GUEST, and finds it by userName in any case', async () => {
    const none = await scim(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "bob@acme.com"')}&startIndex=1&count=100`,
    )
    assert.equal(none.statusCode, 200)
    assert.deepEqual(none.json, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 0,
      itemsPerPage: 0,
      startIndex: 1,
      Resources: [],
    })

    const created = await scim('POST', '/Users', oktaUser('bob@acme.com'))
    assert.equal(created.statusCode, 201)
    assert.match(String(created.headers['content-type']), /^application\/scim\+json/)
    assert.equal(created.json.userName, 'bob@acme.com')
    assert.equal(created.json.active, true)
    assert.equal(created.json.externalId, '00u1abcd')
    assert.deepEqual(created.json.name, { givenName: 'Bob', familyName: 'Jones', formatted: 'Bob Jones' })
    assert.deepEqual(created.json.roles, [{ value: 'GUEST', display: 'GUEST', primary: true }])
    assert.equal(created.json.meta.resourceType, 'User')
    assert.equal(created.headers.etag, created.json.meta.version)
    assert.equal(created.headers.location, created.json.meta.location)

    const found = await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "BOB@Acme.com"')}`)
    assert.equal(found.json.totalResults, 1)
    assert.equal(found.json.Resources[0].id, created.json.id)

    const team = json(await t.post('/api/getTeamData', adminKey)) as { login: string; role: string }[]
    assert.ok(team.some((m) => m.login === 'bob@acme.com' && m.role === 'GUEST'))
  })

  it('refuses the same userName again with 409 uniqueness', async () => {
    const res = await scim('POST', '/Users', oktaUser('Bob@acme.com'))
    assert.equal(res.statusCode, 409)
    assert.equal(res.json.scimType, 'uniqueness')
    assert.equal(res.json.status, '409')
    assert.deepEqual(res.json.schemas, [ERROR])
  })

  it('deactivates with PATCH active false: the member leaves the team list and their API key stops working; true restores the role', async () => {
    const bob = await t.member(accountId, 'carol@acme.com', 'DEVELOPER')
    const id = String(bob.userId)
    assert.equal((await t.post('/api/getTeamData', bob.key)).statusCode, 200)

    const off = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', value: { active: false } }],
    })
    assert.equal(off.statusCode, 200)
    assert.equal(off.json.active, false)
    assert.equal((await t.post('/api/getTeamData', bob.key)).statusCode, 401)
    const team = json(await t.post('/api/getTeamData', adminKey)) as { login: string }[]
    assert.ok(!team.some((m) => m.login === 'carol@acme.com'))
    const inactive = await scim('GET', `/Users?filter=${encodeURIComponent('active eq false')}`)
    assert.deepEqual(
      inactive.json.Resources.map((u: { id: string }) => u.id),
      [id],
    )

    const on = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', value: { active: true } }],
    })
    assert.equal(on.statusCode, 200)
    assert.equal(on.json.active, true)
    assert.equal(on.json.roles[0].value, 'DEVELOPER')
    const back = json(await t.post('/api/getTeamData', adminKey)) as { login: string; role: string }[]
    assert.ok(back.some((m) => m.login === 'carol@acme.com' && m.role === 'DEVELOPER'))
  })

  it('replaces the profile with PUT and keeps the role when the body names none', async () => {
    const found = await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "bob@acme.com"')}`)
    const id = found.json.Resources[0].id as string
    const res = await scim('PUT', `/Users/${id}`, {
      ...oktaUser('bob@acme.com'),
      name: { givenName: 'Robert', familyName: 'Jones' },
      id,
    })
    assert.equal(res.statusCode, 200)
    assert.equal(res.json.name.givenName, 'Robert')
    assert.equal(res.json.roles[0].value, 'GUEST')
    assert.notEqual(res.json.meta.version, found.json.Resources[0].meta.version)
  })

  it('pushes a group: adding a member to MEMBER gives that role, removing them returns the default role', async () => {
    const found = await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "bob@acme.com"')}`)
    const id = found.json.Resources[0].id as string
    const groups = await scim('GET', `/Groups?filter=${encodeURIComponent('displayName eq "MEMBER"')}`)
    assert.equal(groups.json.totalResults, 1)
    assert.equal(groups.json.Resources[0].id, 'MEMBER')

    const add = await scim('PATCH', '/Groups/MEMBER', {
      schemas: [PATCH],
      Operations: [{ op: 'add', path: 'members', value: [{ value: id }] }],
    })
    assert.equal(add.statusCode, 204)
    assert.equal((await scim('GET', `/Users/${id}`)).json.roles[0].value, 'MEMBER')
    const group = await scim('GET', '/Groups/MEMBER')
    assert.deepEqual(
      group.json.members.map((m: { value: string }) => m.value),
      [id],
    )

    const remove = await scim('PATCH', '/Groups/MEMBER', {
      schemas: [PATCH],
      Operations: [{ op: 'remove', path: 'members', value: [{ value: id }] }],
    })
    assert.equal(remove.statusCode, 204)
    assert.equal((await scim('GET', `/Users/${id}`)).json.roles[0].value, 'GUEST')
  })

  it('deletes the user: 204, then 404 in SCIM form, and the audit log names scim as the actor', async () => {
    const found = await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "bob@acme.com"')}`)
    const id = found.json.Resources[0].id as string
    assert.equal((await scim('DELETE', `/Users/${id}`)).statusCode, 204)
    const gone = await scim('GET', `/Users/${id}`)
    assert.equal(gone.statusCode, 404)
    assert.deepEqual(gone.json.schemas, [ERROR])
    assert.equal(gone.json.status, '404')

    const log = json(await t.post('/api/getAuditLogs', adminKey, { limit: 50 })) as {
      auditLogs: { action: string; target: string; actorSystem: string | null }[]
    }
    const removal = log.auditLogs.find((e) => e.action === 'member.remove' && e.target === 'bob@acme.com')
    assert.equal(removal?.actorSystem, 'scim')
    assert.ok(log.auditLogs.some((e) => e.action === 'member.suspend' && e.actorSystem === 'scim'))
  })
})
