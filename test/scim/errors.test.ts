import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'
import { ERROR, PATCH, USER, scimClient, scimToken, type Scim } from './helpers.ts'

// Each refusal differs from an accepted control by one property, and answers a SCIM error body.
describe('SCIM refusals', () => {
  let t: TestApp
  let scim: Scim
  let accountId: number
  let adminId: number
  let adminKey: string
  let otherUserId: number

  before(async () => {
    t = await startTestApp()
    ;({ accountId, adminKey, userId: adminId } = await t.account('Acme', ['acme.com']))
    scim = scimClient(t, await scimToken(t, accountId))
    const other = await t.account('Globex', ['globex.com'])
    otherUserId = (await t.member(other.accountId, 'gina@globex.com', 'MEMBER')).userId
  })
  after(() => t.close())

  const body = (email: string, extra: Record<string, unknown> = {}) => ({
    schemas: [USER],
    userName: email,
    ...extra,
  })

  function assertScimError(res: { statusCode: number; json: any }, status: number, scimType?: string) {
    assert.equal(res.statusCode, status, JSON.stringify(res.json))
    assert.deepEqual(res.json.schemas, [ERROR])
    assert.equal(res.json.status, String(status))
    assert.equal(res.json.scimType, scimType)
    assert.equal(typeof res.json.detail, 'string')
  }

  it('answers 401 in SCIM form without a token, with a wrong one, and after revocation', async () => {
    const token = await scimToken(t, accountId)
    const ok = scimClient(t, token)
    assert.equal((await ok('GET', '/Users')).statusCode, 200)
    assertScimError(await scimClient(t, `${token.slice(0, -1)}x`)('GET', '/Users'), 401)
    const none = await t.server.inject({ method: 'GET', url: '/scim/v2/Users' })
    assertScimError({ statusCode: none.statusCode, json: json(none) }, 401)
    const [live] = (
      json(await t.post('/api/fetchScimTokens', adminKey)) as { scimTokens: { id: number }[] }
    ).scimTokens.slice(-1)
    assert.equal((await t.post('/api/deleteScimToken', adminKey, { id: live!.id })).statusCode, 200)
    assertScimError(await ok('GET', '/Users'), 401)
  })

  it('refuses /api/deleteScimToken without an id as the malformed request it is (422), revoking nothing', async () => {
    const token = await scimToken(t, accountId)
    const missing = await t.post('/api/deleteScimToken', adminKey, {})
    assert.equal(missing.statusCode, 422, missing.body)
    assert.equal(json(missing).code, 'INVALID_REQUEST')
    assert.equal((await scimClient(t, token)('GET', '/Users')).statusCode, 200)
  })

  it('refuses malformed JSON with 400 invalidSyntax', async () => {
    assert.equal((await scim('POST', '/Users', JSON.stringify(body('m1@acme.com')))).statusCode, 201)
    assertScimError(await scim('POST', '/Users', '{"schemas": ['), 400, 'invalidSyntax')
  })

  it('deletes a user on a body-less DELETE that names a content type, but refuses an empty POST body', async () => {
    const idOf = async (email: string) => (await scim('POST', '/Users', body(email))).json.id as string
    const scimJson = { 'content-type': 'application/scim+json' }
    const deleted = await scim('DELETE', `/Users/${await idOf('d1@acme.com')}`, undefined, scimJson)
    assert.equal(deleted.statusCode, 204, deleted.body)
    const sized = await scim('DELETE', `/Users/${await idOf('d2@acme.com')}`, undefined, {
      ...scimJson,
      'content-length': '0',
    })
    assert.equal(sized.statusCode, 204, sized.body)
    assertScimError(await scim('POST', '/Users', undefined, scimJson), 400, 'invalidSyntax')
  })

  it('accepts application/json but refuses text/plain with 415', async () => {
    assert.equal(
      (await scim('POST', '/Users', body('m2@acme.com'), { 'content-type': 'application/json' })).statusCode,
      201,
    )
    assertScimError(await scim('POST', '/Users', body('m3@acme.com'), { 'content-type': 'text/plain' }), 415)
  })

  it('ignores core attributes Roster does not keep but refuses an attribute in no schema', async () => {
    assert.equal(
      (await scim('POST', '/Users', body('m4@acme.com', { timezone: 'Europe/Paris' }))).statusCode,
      201,
    )
    assertScimError(
      await scim('POST', '/Users', body('m5@acme.com', { favouriteColour: 'blue' })),
      400,
      'invalidSyntax',
    )
  })

  it('accepts the core sub-attributes clients send but refuses a sub-attribute in no schema', async () => {
    const full = (email: string) =>
      body(email, {
        name: { givenName: 'N', familyName: 'F', middleName: 'M', honorificPrefix: 'Dr', formatted: 'N F' },
        emails: [{ value: email, type: 'work', primary: true, display: 'N F' }],
        roles: [{ value: 'MEMBER', primary: 'True', type: 'WindowsAzureActiveDirectoryRole' }],
        addresses: [{ type: 'work', streetAddress: '1 Main St', locality: 'Paris', country: 'FR' }],
        phoneNumbers: [{ type: 'work', value: '+33 1 23' }],
        meta: { resourceType: 'User' },
      })
    assert.equal((await scim('POST', '/Users', full('s1@acme.com'))).statusCode, 201)
    const withName = body('s2@acme.com', { name: { givenName: 'N', foo: 'x' } })
    assertScimError(await scim('POST', '/Users', withName), 400, 'invalidSyntax')
    const withEmail = body('s3@acme.com', { emails: [{ value: 's3@acme.com', bar: 1 }] })
    assertScimError(await scim('POST', '/Users', withEmail), 400, 'invalidSyntax')
    assert.equal(
      (await scim('GET', `/Users?filter=${encodeURIComponent('userName sw "s"')}`)).json.totalResults,
      1,
    )
  })

  it('refuses a body without the User schema', async () => {
    assertScimError(
      await scim('POST', '/Users', {
        ...body('m6@acme.com'),
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      }),
      400,
      'invalidSyntax',
    )
  })

  it('refuses a userName outside the account’s domains with invalidValue', async () => {
    assertScimError(await scim('POST', '/Users', body('m7@globex.com')), 400, 'invalidValue')
  })

  it('refuses a PATCH path naming no attribute with invalidPath', async () => {
    const ops = (path: string) => ({ schemas: [PATCH], Operations: [{ op: 'replace', path, value: 'x' }] })
    assert.equal((await scim('PATCH', `/Users/${adminId}`, ops('title'))).statusCode, 200)
    assertScimError(await scim('PATCH', `/Users/${adminId}`, ops('favouriteColour')), 400, 'invalidPath')
  })

  it('refuses bad filters with invalidFilter', async () => {
    const list = (filter: string) => scim('GET', `/Users?filter=${encodeURIComponent(filter)}`)
    assert.equal((await list('userName eq "ada@acme.com"')).statusCode, 200)
    assertScimError(await list('userName eq'), 400, 'invalidFilter')
    assertScimError(await list('favouriteColour eq "x"'), 400, 'invalidFilter')
    assertScimError(await list('meta.lastModified gt "yesterday"'), 400, 'invalidFilter')
  })

  it('refuses a boolean attribute compared with a value that is not a boolean with invalidFilter', async () => {
    const list = (filter: string) => scim('GET', `/Users?filter=${encodeURIComponent(filter)}`)
    const active = await list('active eq true')
    assert.equal(active.statusCode, 200)
    assert.ok(active.json.totalResults >= 1)
    assert.equal((await list('active eq false')).json.totalResults, 0)
    assertScimError(await list('active eq "maybe"'), 400, 'invalidFilter')
    assertScimError(await list('active ne 1'), 400, 'invalidFilter')
    assertScimError(await list('emails[primary eq "maybe"]'), 400, 'invalidFilter')
  })

  it('refuses a userName that is not a string as invalidValue, not as missing', async () => {
    const created = await scim('POST', '/Users', body('u1@acme.com'))
    assert.equal(created.statusCode, 201)
    const id = created.json.id as string
    const before = (await scim('GET', `/Users/${id}`)).json
    for (const [method, path] of [
      ['POST', '/Users'],
      ['PUT', `/Users/${id}`],
    ] as const) {
      const refused = await scim(method, path, body('u1@acme.com', { userName: 123 }))
      assertScimError(refused, 400, 'invalidValue')
      assert.match(refused.json.detail, /'userName' must be a string/)
    }
    assert.deepEqual((await scim('GET', `/Users/${id}`)).json, before)
    assert.match(
      (await scim('POST', '/Users', body('u1@acme.com', { userName: '' }))).json.detail,
      /required/,
    )
  })

  it('answers GET /Users/ with an empty id as a 404 that says the id is missing', async () => {
    const res = await scim('GET', '/Users/')
    assertScimError(res, 404)
    assert.doesNotMatch(res.json.detail, / {2}/)
  })

  it('refuses a multi-valued attribute sent as an object with invalidSyntax, changing nothing', async () => {
    const created = await scim('POST', '/Users', body('mv1@acme.com', { externalId: 'mv1' }))
    assert.equal(created.statusCode, 201)
    const id = created.json.id as string
    const before = (await scim('GET', `/Users/${id}`)).json
    const list = [{ value: 'mv1@acme.com', type: 'work', primary: true }]
    const one = { value: 'mv1@acme.com', type: 'work', primary: true }
    // create: the control with a list is created, the same body with an object is not.
    assert.equal((await scim('POST', '/Users', body('mv2@acme.com', { emails: list }))).statusCode, 201)
    assertScimError(await scim('POST', '/Users', body('mv3@acme.com', { emails: one })), 400, 'invalidSyntax')
    const roles = { value: 'MEMBER', primary: true }
    assertScimError(await scim('POST', '/Users', body('mv3@acme.com', { roles })), 400, 'invalidSyntax')
    const phones = { value: '+33 1 23', type: 'work' }
    assertScimError(
      await scim('POST', '/Users', body('mv3@acme.com', { phoneNumbers: phones })),
      400,
      'invalidSyntax',
    )
    assert.equal(
      (await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "mv3@acme.com"')}`)).json
        .totalResults,
      0,
    )
    // replace: the same, with the user unchanged after the refusal.
    const put = (extra: Record<string, unknown>) =>
      scim('PUT', `/Users/${id}`, body('mv1@acme.com', { externalId: 'mv1-new', ...extra }))
    assertScimError(await put({ emails: one }), 400, 'invalidSyntax')
    assertScimError(await put({ roles: { value: 'ADMIN', primary: true } }), 400, 'invalidSyntax')
    assert.deepEqual((await scim('GET', `/Users/${id}`)).json, before)
    // PATCH: with a path and path-less, an object where a list belongs changes nothing.
    const patch = (...Operations: unknown[]) =>
      scim('PATCH', `/Users/${id}`, { schemas: [PATCH], Operations })
    const rename = { op: 'replace', path: 'externalId', value: 'mv1-new' }
    assertScimError(await patch(rename, { op: 'add', path: 'emails', value: one }), 400, 'invalidSyntax')
    assertScimError(await patch(rename, { op: 'replace', value: { emails: one } }), 400, 'invalidSyntax')
    assertScimError(
      await patch(rename, { op: 'add', path: 'roles', value: { value: 'ADMIN' } }),
      400,
      'invalidSyntax',
    )
    assert.deepEqual((await scim('GET', `/Users/${id}`)).json, before)
    const ok = await patch(rename, { op: 'add', path: 'emails', value: list })
    assert.equal(ok.statusCode, 200, ok.body)
    assert.equal(ok.json.externalId, 'mv1-new')
  })

  it('caps a huge count at 200, reads an integer of any length, and rejects a count that is not a number', async () => {
    const res = await scim('GET', '/Users?count=100000000')
    assert.equal(res.statusCode, 200)
    assert.ok(res.json.itemsPerPage <= 200)
    assertScimError(await scim('GET', '/Users?count=lots'), 400, 'invalidValue')
    // Integers of any length are integers (RFC 7644 §3.4.2.4): capped, or past the last result.
    const longer = await scim('GET', `/Users?count=${'9'.repeat(40)}`)
    assert.equal(longer.statusCode, 200, longer.body)
    assert.ok(longer.json.itemsPerPage > 0 && longer.json.itemsPerPage <= 200)
    const farther = await scim('GET', `/Users?startIndex=${'9'.repeat(40)}`)
    assert.equal(farther.statusCode, 200, farther.body)
    assert.deepEqual(farther.json.Resources, [])
    assert.equal((await scim('GET', `/Groups?startIndex=${'9'.repeat(40)}`)).json.Resources.length, 0)
    const negative = await scim('GET', `/Users?count=-${'9'.repeat(40)}`)
    assert.equal(negative.json.itemsPerPage, 0)
  })

  it('answers an id beyond 32 bits as no such user, in a path and in a filter', async () => {
    const id = '4498554052545216'
    assertScimError(await scim('GET', `/Users/${id}`), 404)
    assertScimError(await scim('DELETE', `/Users/${id}`), 404)
    const found = await scim('GET', `/Users?filter=${encodeURIComponent(`id eq "${id}"`)}`)
    assert.equal(found.statusCode, 200)
    assert.equal(found.json.totalResults, 0)
  })

  it("never shows or changes another account's user", async () => {
    const id = String(otherUserId)
    assertScimError(await scim('GET', `/Users/${id}`), 404)
    assertScimError(await scim('PUT', `/Users/${id}`, body('gina@globex.com')), 404)
    assertScimError(
      await scim('PATCH', `/Users/${id}`, {
        schemas: [PATCH],
        Operations: [{ op: 'replace', path: 'active', value: false }],
      }),
      404,
    )
    assertScimError(await scim('DELETE', `/Users/${id}`), 404)
    assert.equal(
      (await scim('GET', `/Users?filter=${encodeURIComponent(`id eq "${id}"`)}`)).json.totalResults,
      0,
    )
    assert.equal(
      (await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "gina@globex.com"')}`)).json
        .totalResults,
      0,
    )
    assertScimError(
      await scim('PATCH', '/Groups/ADMIN', {
        schemas: [PATCH],
        Operations: [{ op: 'add', path: 'members', value: [{ value: id }] }],
      }),
      400,
      'invalidValue',
    )
  })

  it('never leaves the account without an ADMIN: suspend, demote and delete of the last one are 409', async () => {
    const last = String(adminId)
    const patch = (value: unknown) => ({
      schemas: [PATCH],
      Operations: [{ op: 'replace', path: 'active', value }],
    })
    assert.equal((await scim('PATCH', `/Users/${last}`, patch(true))).statusCode, 200)
    const suspend = await scim('PATCH', `/Users/${last}`, patch(false))
    assertScimError(suspend, 409)
    assert.match(suspend.json.detail, /ADMIN/)
    assertScimError(
      await scim('PATCH', '/Groups/ADMIN', {
        schemas: [PATCH],
        Operations: [{ op: 'remove', path: `members[value eq "${last}"]` }],
      }),
      409,
    )
    assertScimError(await scim('DELETE', `/Users/${last}`), 409)
    assert.equal((await t.post('/api/getTeamData', adminKey)).statusCode, 200)
  })

  it('refuses creating or deleting groups with 403, and unknown endpoints with a SCIM 404', async () => {
    assertScimError(
      await scim('POST', '/Groups', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
        displayName: 'X',
      }),
      403,
    )
    assertScimError(await scim('DELETE', '/Groups/MEMBER'), 403)
    assertScimError(await scim('GET', '/Groups/NOPE'), 404)
    assertScimError(await scim('GET', '/Bulk'), 404)
  })

  it('answers a method a SCIM path does not take with 405, an Allow header and a SCIM error body', async () => {
    const count = async () => (await scim('GET', '/Users')).json.totalResults as number
    const users = await count()
    assert.equal((await scim('GET', '/ServiceProviderConfig')).statusCode, 200)
    for (const [method, path, allow] of [
      ['PUT', '/Users', 'GET, HEAD, POST'],
      ['DELETE', '/Users', 'GET, HEAD, POST'],
      ['PATCH', '/ServiceProviderConfig', 'GET, HEAD'],
      ['DELETE', '/Schemas', 'GET, HEAD'],
      ['POST', `/Users/${adminId}`, 'DELETE, GET, HEAD, PATCH, PUT'],
      ['PUT', '/Groups', 'GET, HEAD, POST'],
    ] as const) {
      const res = await scim(method, path, method === 'DELETE' ? undefined : body('m405@acme.com'))
      assertScimError(res, 405)
      assert.equal(res.headers.allow, allow, `${method} ${path}`)
    }
    assert.equal(await count(), users)
    // Outside SCIM the API answers in its own shape, never a SCIM error body.
    const api = await t.server.inject({ method: 'PUT', url: '/api/getTeamData' })
    assert.equal(api.statusCode, 405)
    assert.equal(json(api).schemas, undefined)
    // An unknown SCIM path stays a 404.
    assertScimError(await scim('PUT', '/Bulk'), 404)
  })

  it('lets only an ADMIN manage SCIM tokens', async () => {
    const member = await t.member(accountId, 'mia@acme.com', 'MEMBER')
    assert.equal((await t.post('/api/addScimToken', adminKey, { name: 'Okta' })).statusCode, 200)
    const refused = await t.post('/api/addScimToken', member.key, { name: 'Okta' })
    assert.equal(refused.statusCode, 403)
    assert.equal(json(refused).code, 'FORBIDDEN_ROLE')
  })
})
