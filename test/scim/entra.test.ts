import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../helpers/app.ts'
import { PATCH, USER, scimClient, scimToken, type Scim } from './helpers.ts'

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

// The requests Microsoft Entra ID's provisioning service sends: lookups by filter, a create with
// the enterprise extension, PATCH with capitalised ops, string booleans and path-less objects,
// group membership by PATCH, and `members[value eq "…"]` removal.
describe("SCIM as Microsoft Entra ID's provisioning service calls it", () => {
  let t: TestApp
  let scim: Scim
  let accountId: number
  let id: string

  before(async () => {
    t = await startTestApp()
    ;({ accountId } = await t.account('Acme', ['acme.com']))
    scim = scimClient(t, await scimToken(t, accountId))
  })
  after(() => t.close())

  it('creates a user from an Entra body with the enterprise extension and a role', async () => {
    const res = await scim('POST', '/Users', {
      schemas: [USER, ENTERPRISE],
      externalId: 'dana',
      userName: 'dana@acme.com',
      active: true,
      displayName: 'Dana Scully',
      emails: [{ primary: true, type: 'work', value: 'dana@acme.com' }],
      meta: { resourceType: 'User' },
      name: { formatted: 'Dana Scully', familyName: 'Scully', givenName: 'Dana' },
      roles: [{ primary: 'True', type: 'WindowsAzureActiveDirectoryRole', value: 'DEVELOPER' }],
      title: 'Agent',
      [ENTERPRISE]: { department: 'X' },
    })
    assert.equal(res.statusCode, 201)
    assert.equal(res.json.roles[0].value, 'DEVELOPER')
    id = res.json.id
  })

  it('looks the user up by externalId and by id', async () => {
    const byExternal = await scim('GET', `/Users?filter=${encodeURIComponent('externalId eq "dana"')}`)
    assert.deepEqual(
      byExternal.json.Resources.map((u: { id: string }) => u.id),
      [id],
    )
    const byId = await scim('GET', `/Users?filter=${encodeURIComponent(`id eq "${id}"`)}&attributes=userName`)
    assert.deepEqual(byId.json.Resources, [{ schemas: [USER], id, userName: 'dana@acme.com' }])
    const none = await scim('GET', `/Users?filter=${encodeURIComponent('externalId eq "DANA"')}`)
    assert.equal(none.json.totalResults, 0)
  })

  it('suspends with "op":"Replace" and "value":"False", and restores with "True"', async () => {
    const off = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    })
    assert.equal(off.statusCode, 200)
    assert.equal(off.json.active, false)
    const on = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Replace', path: 'active', value: 'True' }],
    })
    assert.equal(on.json.active, true)
    assert.equal(on.json.roles[0].value, 'DEVELOPER')
  })

  it('applies path-less replaces with dotted keys, value-filtered paths and the enterprise extension', async () => {
    const res = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [
        { op: 'Replace', value: { 'name.givenName': 'Danielle', displayName: 'Danielle Scully' } },
        { op: 'Add', path: 'emails[type eq "work"].value', value: 'dana@acme.com' },
        { op: 'Replace', path: `${ENTERPRISE}:department`, value: 'Y' },
        { op: 'Replace', path: 'roles[primary eq "True"].value', value: 'MEMBER' },
        { op: 'Remove', path: 'name.familyName' },
      ],
    })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(res.json.name, { givenName: 'Danielle', formatted: 'Danielle' })
    assert.equal(res.json.displayName, 'Danielle Scully')
    assert.equal(res.json.roles[0].value, 'MEMBER')
  })

  it('honours If-Match: the current version passes, a stale one is 412', async () => {
    const current = await scim('GET', `/Users/${id}`)
    const stale = current.json.meta.version.replace(/\d+/, (n: string) => String(Number(n) - 1))
    const refused = await scim(
      'PATCH',
      `/Users/${id}`,
      { schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: 'D' }] },
      { 'if-match': stale },
    )
    assert.equal(refused.statusCode, 412)
    assert.equal(refused.json.status, '412')
    const accepted = await scim(
      'PATCH',
      `/Users/${id}`,
      { schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: 'D' }] },
      { 'if-match': current.headers.etag as string },
    )
    assert.equal(accepted.statusCode, 200)
  })

  it('answers a conditional GET with If-None-Match of the current version 304, and of another version the resource (RFC 7644 §3.14)', async () => {
    for (const path of [`/Users/${id}`, '/Groups/MEMBER']) {
      const current = await scim('GET', path)
      const etag = current.headers.etag as string
      assert.match(etag, /^W\/"\d+"$/)
      const unchanged = await scim('GET', path, undefined, { 'if-none-match': etag })
      assert.equal(unchanged.statusCode, 304, unchanged.body)
      assert.equal(unchanged.body, '')
      assert.equal(unchanged.headers.etag, etag)
      const other = etag.replace(/\d+/, (n: string) => String(Number(n) + 1))
      const changed = await scim('GET', path, undefined, { 'if-none-match': other })
      assert.equal(changed.statusCode, 200)
      assert.deepEqual(changed.json, current.json)
    }
  })

  it('adds to a group and removes with members[value eq "…"]', async () => {
    const add = await scim('PATCH', '/Groups/ADMIN', {
      schemas: [PATCH],
      Operations: [{ op: 'Add', path: 'members', value: [{ value: id }] }],
    })
    assert.equal(add.statusCode, 204)
    assert.equal((await scim('GET', `/Users/${id}`)).json.roles[0].value, 'ADMIN')
    const remove = await scim('PATCH', '/Groups/ADMIN', {
      schemas: [PATCH],
      Operations: [{ op: 'Remove', path: `members[value eq "${id}"]` }],
    })
    assert.equal(remove.statusCode, 204)
    assert.equal((await scim('GET', `/Users/${id}`)).json.roles[0].value, 'GUEST')
  })

  it('lists groups without members when excludedAttributes=members', async () => {
    const res = await scim('GET', '/Groups?excludedAttributes=members')
    assert.equal(res.statusCode, 200)
    assert.deepEqual(
      res.json.Resources.map((g: { id: string }) => g.id),
      ['ADMIN', 'MEMBER', 'DEVELOPER', 'GUEST'],
    )
    assert.ok(res.json.Resources.every((g: object) => !('members' in g)))
  })

  it('answers the discovery endpoints', async () => {
    const config = await scim('GET', '/ServiceProviderConfig')
    assert.equal(config.statusCode, 200)
    assert.deepEqual(
      {
        patch: config.json.patch.supported,
        bulk: config.json.bulk.supported,
        filter: config.json.filter,
        sort: config.json.sort.supported,
        etag: config.json.etag.supported,
      },
      { patch: true, bulk: false, filter: { supported: true, maxResults: 200 }, sort: false, etag: true },
    )
    assert.deepEqual(
      (await scim('GET', '/ResourceTypes')).json.Resources.map((r: { id: string }) => r.id),
      ['User', 'Group'],
    )
    const declared = (await scim('GET', '/Schemas')).json.Resources.map((s: { id: string }) => s.id)
    const user = (await scim('GET', '/ResourceTypes/User')).json
    assert.deepEqual(declared, [user.schema, ENTERPRISE, 'urn:ietf:params:scim:schemas:core:2.0:Group'])
    for (const { schema } of user.schemaExtensions) {
      const extension = await scim('GET', `/Schemas/${schema}`)
      assert.equal(extension.statusCode, 200)
      assert.ok(extension.json.attributes.some((a: { name: string }) => a.name === 'department'))
    }
  })
})
