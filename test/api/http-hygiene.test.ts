import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { assertNotLimited, json, LIMITS_OFF, startTestApp, type TestApp } from '../helpers/app.ts'
import { API_ENDPOINTS as endpoints } from '../helpers/endpoints.ts'

// Every JSON type at the top level, and every JSON type in every field.
const values = ['null', 'true', '0', '-1.5e308', '"text"', '[]', '[1,"a",null]', '{}', '{"a":{"b":[]}}', '""']
const fields = [
  'email',
  'userRole',
  'inviteeEmail',
  'inviteeRole',
  'inviteeName',
  'websiteHostName',
  'roleName',
  'baseRole',
  'defaultInviteRole',
  'name',
  'apiTokenId',
]

function isErrorShape(body: any) {
  return (
    Array.isArray(body.actionErrors) &&
    body.actionErrors.every((m: unknown) => typeof m === 'string') &&
    typeof body.code === 'string'
  )
}

describe('HTTP hygiene', () => {
  let t: TestApp
  let admin: string

  before(async () => {
    // The sweeps below send thousands of requests from one address: with the limiters on, the
    // later answers would come from them instead of the handlers under test (issue 18).
    t = await startTestApp({ env: LIMITS_OFF })
    ;({ adminKey: admin } = await t.account('Acme', ['acme.com']))
  })
  after(() => t.close())

  it('answers every JSON type as a whole body with 2xx or 4xx, never 5xx, and errors in the spec shape', async () => {
    for (const url of endpoints) {
      for (const body of values) {
        const res = await t.post(url, admin, body)
        assertNotLimited(res, `${url} ${body}`)
        assert.ok(res.statusCode < 500, `${url} ${body} → ${res.statusCode}`)
        if (res.statusCode >= 400) assert.ok(isErrorShape(json(res)), `${url} ${body}: ${res.body}`)
      }
    }
  })

  it('answers every JSON type in every field with 2xx or 4xx, never 5xx', async () => {
    for (const url of endpoints) {
      for (const field of fields) {
        for (const value of values) {
          const res = await t.post(url, admin, `{"${field}":${value}}`)
          assertNotLimited(res, `${url} ${field}=${value}`)
          assert.ok(res.statusCode < 500, `${url} ${field}=${value} → ${res.statusCode} ${res.body}`)
        }
      }
    }
  })

  it('refuses a non-object body with 400', async () => {
    const res = await t.post('/api/inviteUsers', admin, '[]')
    assert.equal(res.statusCode, 400)
    assert.equal(json(res).code, 'INVALID_BODY')
  })

  it('answers malformed JSON with 400 in the spec shape', async () => {
    for (const body of ['{', '{"a":}', 'nul', '{"a":1}}', '\u0000']) {
      const res = await t.post('/api/getTeamData', admin, body)
      assert.equal(res.statusCode, 400, body)
      assert.equal(json(res).code, 'MALFORMED_JSON')
    }
  })

  it('ignores a __proto__ or constructor.prototype key like any unknown field, polluting no object', async () => {
    const valid = '"inviteeRole":"GUEST"'
    const email = (local: string) => `"inviteeEmail":"${local}@acme.com"`
    // The control: the same body without the key is a valid invitation.
    assert.equal((await t.post('/api/inviteUsers', admin, `{${email('p')},${valid}}`)).statusCode, 200)
    for (const [local, key] of [
      ['q', '"__proto__":{"isAdmin":true,"inviteeRole":"ADMIN"}'],
      ['r', '"constructor":{"prototype":{"isAdmin":true,"inviteeRole":"ADMIN"}}'],
    ]) {
      const res = await t.post('/api/inviteUsers', admin, `{${key},${email(local!)},${valid}}`)
      assert.equal(res.statusCode, 200, res.body)
      assert.equal(json(res).inviteeRole, 'GUEST')
    }
    assert.equal(({} as any).isAdmin, undefined)
    assert.equal(({} as any).inviteeRole, undefined)
  })

  it('answers a wrong content type with 415', async () => {
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
    ]) {
      const res = await t.post('/api/getTeamData', admin, 'a=1', { 'content-type': type })
      assert.equal(res.statusCode, 415, type)
      assert.equal(json(res).code, 'UNSUPPORTED_MEDIA_TYPE')
    }
  })

  it('answers a body over 1 MiB with 413', async () => {
    const res = await t.post(
      '/api/inviteUsers',
      admin,
      JSON.stringify({ inviteeName: 'x'.repeat(1024 * 1024) }),
    )
    assert.equal(res.statusCode, 413)
    assert.equal(json(res).code, 'BODY_TOO_LARGE')
  })

  it('answers a wrong method with 405 and an unknown path with 404, both in the spec shape', async () => {
    const get = await t.server.inject({
      method: 'GET',
      url: '/api/getTeamData',
      headers: { 'x-api-key': admin },
    })
    assert.equal(get.statusCode, 405)
    assert.equal(get.headers.allow, 'POST')
    assert.ok(isErrorShape(json(get)))
    const missing = await t.post('/api/nope', admin)
    assert.equal(missing.statusCode, 404)
    assert.ok(isErrorShape(json(missing)))
    for (const url of ['/api/getTeamData/', '/API/getTeamData', '/api/getteamdata']) {
      assert.equal((await t.post(url, admin)).statusCode, 404, url)
    }
  })

  it('answers /healthz and /readyz', async () => {
    assert.deepEqual(json(await t.server.inject({ method: 'GET', url: '/healthz' })), { status: 'ok' })
    assert.deepEqual(json(await t.server.inject({ method: 'GET', url: '/readyz' })), { status: 'ready' })
  })

  it('serves an OpenAPI document generated from the route schemas, with examples, and Swagger UI', async () => {
    const doc = json(await t.server.inject({ method: 'GET', url: '/openapi.json' }))
    assert.equal(doc.openapi.startsWith('3.'), true)
    for (const url of endpoints) assert.ok(doc.paths[url]?.post, url)
    const invite = doc.paths['/api/inviteUsers'].post
    assert.ok(invite.requestBody.content['application/json'].schema.properties.inviteeEmail)
    assert.ok(JSON.stringify(invite).includes('bob@acme.com'), 'carries the seed example')
    assert.ok(doc.components.securitySchemes.apiKey)
    const ui = await t.server.inject({ method: 'GET', url: '/docs/' })
    assert.equal(ui.statusCode, 200)
    assert.match(ui.body, /swagger/i)
  })

  it('never leaks a key hash or secret in any answer', async () => {
    // Signed in (a session may list and create API keys) and with an API key: every endpoint,
    // each answered by its handler, none of the answers carrying a hash or a secret.
    await t.password('ada@acme.com', 'violet-tangerine-42')
    const cookie = await t.login('ada@acme.com', 'violet-tangerine-42')
    const created = await t.browser('/api/addApiToken', cookie, {})
    assert.equal(created.statusCode, 200, created.body)
    const listed = await t.browser('/api/fetchApiTokens', cookie, {})
    assert.equal(listed.statusCode, 200, listed.body)
    assert.ok(json(listed).apiTokenList.length >= 2, 'the list has keys whose hashes could leak')
    for (const url of endpoints) {
      for (const [how, res] of [
        ['key', await t.post(url, admin, {})],
        ['session', await t.browser(url, cookie, {})],
      ] as const) {
        assertNotLimited(res, `${url} (${how})`)
        assert.ok([200, 403, 422].includes(res.statusCode), `${url} (${how}) → ${res.statusCode} ${res.body}`)
        // A hash or secret under any name, or a password field; an audit action such as
        // `password.set_by_operator` names an event, not a value.
        assert.doesNotMatch(
          res.body,
          /key_hash|keyHash|password_hash|passwordHash|"password"|secret|[0-9a-f]{64}/,
          `${url} (${how})`,
        )
      }
    }
  })
})
