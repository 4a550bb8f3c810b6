import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'
import { ERROR, PATCH, USER, scimClient, scimToken, type Scim } from './helpers.ts'

const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group'

// Groups are the account's roles: found by displayName as /Schemas declares it; POST links to
// an existing custom role and DELETE removes one by Roster's own rules; built-in roles stay.
describe('SCIM Groups as roles', () => {
  let t: TestApp
  let scim: Scim
  let accountId: number
  let adminKey: string
  let webhookId: number

  before(async () => {
    // No webhook worker: the events a change writes stay in the delivery log to be read.
    t = await startTestApp({ env: { WEBHOOK_ALLOW_HTTP: '1', WEBHOOK_ALLOW_PRIVATE: '1' } })
    ;({ accountId, adminKey } = await t.account('Acme', ['acme.com']))
    scim = scimClient(t, await scimToken(t, accountId))
    const hook = await t.post('/api/addWebhook', adminKey, { url: 'http://127.0.0.1:9/hook' })
    assert.equal(hook.statusCode, 200, hook.body)
    webhookId = json(hook).id
  })
  after(() => t.close())

  const ids = async (filter: string) =>
    (await scim('GET', `/Groups?filter=${encodeURIComponent(filter)}`)).json.Resources.map(
      (g: { id: string }) => g.id,
    )
  const createRole = async (roleName: string) =>
    assert.equal(
      (await t.post('/api/createCustomRole', adminKey, { roleName, baseRole: 'MEMBER' })).statusCode,
      200,
    )
  const postGroup = (displayName: string) => scim('POST', '/Groups', { schemas: [GROUP], displayName })
  function assertScimError(res: { statusCode: number; json: any }, status: number) {
    assert.equal(res.statusCode, status, JSON.stringify(res.json))
    assert.deepEqual(res.json.schemas, [ERROR])
    assert.equal(res.json.status, String(status))
  }

  it('finds a group by displayName eq in any case, as its caseExact: false says, but by id exactly', async () => {
    assert.deepEqual(await ids('displayName eq "DEVELOPER"'), ['DEVELOPER'])
    assert.deepEqual(await ids('displayName eq "developer"'), ['DEVELOPER'])
    assert.deepEqual(await ids('id eq "DEVELOPER"'), ['DEVELOPER'])
    assert.deepEqual(await ids('id eq "developer"'), [])
  })

  it('answers POST /Groups naming an existing custom role with that group, creating nothing', async () => {
    await createRole('auditor')
    const linked = await postGroup('Auditor')
    assert.equal(linked.statusCode, 201, linked.body)
    assert.equal(linked.json.id, 'AUDITOR')
    assert.equal(linked.json.displayName, 'AUDITOR')
    assert.equal(linked.headers.location, linked.json.meta.location)
    assert.deepEqual(linked.json, (await scim('GET', '/Groups/AUDITOR')).json)
    assert.equal((await scim('GET', '/Groups')).json.totalResults, 5)
  })

  it('refuses POST /Groups naming a built-in role or no role with 403, creating nothing', async () => {
    assertScimError(await postGroup('MEMBER'), 403)
    assertScimError(await postGroup('Nobody'), 403)
    assert.deepEqual(await ids('displayName eq "Nobody"'), [])
  })

  it('deletes an unused custom role with DELETE /Groups, audited as scim with its webhook event', async () => {
    await createRole('temp')
    assert.equal((await scim('DELETE', '/Groups/TEMP')).statusCode, 204)
    assertScimError(await scim('GET', '/Groups/TEMP'), 404)
    const roles = await t.post('/api/getCustomRoles', adminKey)
    assert.equal(roles.statusCode, 200)
    assert.ok(roles.body.includes('AUDITOR') && !roles.body.includes('TEMP'), roles.body)
    const log = json(await t.post('/api/getAuditLogs', adminKey, { limit: 50 })) as {
      auditLogs: { action: string; target: string; actorSystem: string | null }[]
    }
    const deletion = log.auditLogs.find((e) => e.action === 'custom_role.delete' && e.target === 'TEMP')
    assert.equal(deletion?.actorSystem, 'scim')
    const deliveries = json(await t.post('/api/fetchWebhookDeliveries', adminKey, { webhookId }))
      .deliveries as { type: string }[]
    assert.ok(deliveries.some((d) => d.type === 'custom_role.deleted'))
  })

  it('refuses DELETE /Groups of a custom role its members hold with 409, and of a built-in role with 403', async () => {
    await createRole('held')
    const user = await scim('POST', '/Users', {
      schemas: [USER],
      userName: 'holder@acme.com',
      roles: [{ value: 'HELD', primary: true }],
    })
    assert.equal(user.statusCode, 201, user.body)
    const refused = await scim('DELETE', '/Groups/HELD')
    assertScimError(refused, 409)
    assert.match(refused.json.detail, /Members hold/)
    assert.deepEqual(await ids('id eq "HELD"'), ['HELD'])
    assertScimError(await scim('DELETE', '/Groups/MEMBER'), 403)
    assert.deepEqual(await ids('id eq "MEMBER"'), ['MEMBER'])
  })

  it('dates a group from its role and the account, and moves its version and lastModified when its members change', async () => {
    const group = async (id: string) => {
      const res = await scim('GET', `/Groups/${id}`)
      assert.equal(res.statusCode, 200, res.body)
      assert.equal(res.headers.etag, res.json.meta.version)
      return res.json.meta as { created: string; lastModified: string; version: string }
    }
    const account = (await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "ada@acme.com"')}`))
      .json.Resources[0].meta.created as string
    const before = await group('DEVELOPER')
    assert.equal(before.created, account, 'a built-in role is as old as its account')
    assert.ok(before.lastModified >= before.created)
    assert.match(before.version, /^W\/"\d+"$/)
    const member = await group('MEMBER')
    assert.deepEqual(await group('DEVELOPER'), before, 'reading changes nothing')

    t.clock.advance(60_000)
    const user = await scim('POST', '/Users', { schemas: [USER], userName: 'dev@acme.com' })
    assert.equal(user.statusCode, 201, user.body)
    const add = await scim('PATCH', '/Groups/DEVELOPER', {
      schemas: [PATCH],
      Operations: [{ op: 'add', path: 'members', value: [{ value: user.json.id }] }],
    })
    assert.equal(add.statusCode, 204, add.body)
    const after = await group('DEVELOPER')
    assert.equal(after.created, before.created)
    assert.notEqual(after.version, before.version)
    assert.ok(after.lastModified > before.lastModified)
    assert.deepEqual(await group('MEMBER'), member, 'another group is unchanged')

    await createRole('dated')
    const custom = await group('DATED')
    assert.ok(custom.created > before.created, 'a custom role is dated from its creation')
  })

  it('applies a PATCH /Groups as a whole or not at all: a bad member in it changes no one (RFC 7644 §3.5.2)', async () => {
    const first = await scim('POST', '/Users', { schemas: [USER], userName: 'atom1@acme.com' })
    const second = await scim('POST', '/Users', { schemas: [USER], userName: 'atom2@acme.com' })
    const role = async (id: string) => (await scim('GET', `/Users/${id}`)).json.roles[0].value as string
    const before = (await scim('GET', '/Groups/DEVELOPER')).json
    const patch = (last: string) =>
      scim('PATCH', '/Groups/DEVELOPER', {
        schemas: [PATCH],
        Operations: [
          { op: 'add', path: 'members', value: [{ value: first.json.id }] },
          { op: 'add', path: 'members', value: [{ value: second.json.id }, { value: last }] },
        ],
      })
    assertScimError(await patch('999999'), 400)
    assert.equal(await role(first.json.id), 'GUEST')
    assert.equal(await role(second.json.id), 'GUEST')
    assert.deepEqual((await scim('GET', '/Groups/DEVELOPER')).json, before)
    // The last ADMIN cannot become a MEMBER: the member added before them in the same PATCH is not either.
    const ada = (await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "ada@acme.com"')}`)).json
      .Resources[0].id as string
    const demote = await scim('PATCH', '/Groups/MEMBER', {
      schemas: [PATCH],
      Operations: [
        { op: 'add', path: 'members', value: [{ value: first.json.id }] },
        { op: 'add', path: 'members', value: [{ value: ada }] },
      ],
    })
    assertScimError(demote, 409)
    assert.equal(await role(first.json.id), 'GUEST')
    assert.equal(await role(ada), 'ADMIN')
    // The same PATCH with valid members only: both move.
    assert.equal((await patch(first.json.id)).statusCode, 204)
    assert.equal(await role(first.json.id), 'DEVELOPER')
    assert.equal(await role(second.json.id), 'DEVELOPER')
  })

  it('honours If-Match on PATCH and DELETE /Groups: a stale version is 412 and changes nothing', async () => {
    const user = await scim('POST', '/Users', { schemas: [USER], userName: 'im@acme.com' })
    const add = {
      schemas: [PATCH],
      Operations: [{ op: 'add', path: 'members', value: [{ value: user.json.id }] }],
    }
    const current = (await scim('GET', '/Groups/DEVELOPER')).json
    const stale = 'W/"999999"'
    assertScimError(await scim('PATCH', '/Groups/DEVELOPER', add, { 'if-match': stale }), 412)
    assert.deepEqual((await scim('GET', '/Groups/DEVELOPER')).json, current)
    assert.equal((await scim('GET', `/Users/${user.json.id}`)).json.roles[0].value, 'GUEST')
    const ok = await scim('PATCH', '/Groups/DEVELOPER', add, { 'if-match': current.meta.version })
    assert.equal(ok.statusCode, 204, ok.body)
    assert.equal((await scim('GET', `/Users/${user.json.id}`)).json.roles[0].value, 'DEVELOPER')

    await createRole('gone')
    const gone = (await scim('GET', '/Groups/GONE')).json.meta.version as string
    assertScimError(await scim('DELETE', '/Groups/GONE', undefined, { 'if-match': stale }), 412)
    assert.equal((await scim('GET', '/Groups/GONE')).statusCode, 200)
    assert.equal((await scim('DELETE', '/Groups/GONE', undefined, { 'if-match': gone })).statusCode, 204)
  })
})
