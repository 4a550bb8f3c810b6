// OWASP API8:2023 Security Misconfiguration.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'

describe('API8 security misconfiguration', () => {
  let t: TestApp
  let admin: string

  before(async () => {
    t = await startTestApp({ env: { ALLOWED_ORIGINS: 'https://app.acme.com' } })
    ;({ adminKey: admin } = await t.account())
  })
  after(() => t.close())

  it('refuses a CORS preflight from a foreign origin and grants none of its headers', async () => {
    const res = await t.server.inject({
      method: 'OPTIONS',
      url: '/api/getTeamData',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-api-key',
      },
    })
    assert.equal(res.statusCode, 403)
    assert.equal(res.headers['access-control-allow-origin'], undefined)
    const simple = await t.post('/api/getTeamData', admin, {}, { origin: 'https://evil.example' })
    assert.equal(simple.headers['access-control-allow-origin'], undefined)
  })

  it('allows a configured origin', async () => {
    const res = await t.server.inject({
      method: 'OPTIONS',
      url: '/api/getTeamData',
      headers: { origin: 'https://app.acme.com', 'access-control-request-method': 'POST' },
    })
    assert.equal(res.statusCode, 204)
    assert.equal(res.headers['access-control-allow-origin'], 'https://app.acme.com')
  })

  it('sends CSP with frame-ancestors, nosniff and a referrer policy on HTML pages', async () => {
    const res = await t.server.inject({ method: 'GET', url: '/docs/' })
    assert.match(res.headers['content-type'] as string, /text\/html/)
    assert.match(res.headers['content-security-policy'] as string, /frame-ancestors/)
    assert.equal(res.headers['x-content-type-options'], 'nosniff')
    assert.equal(res.headers['referrer-policy'], 'no-referrer')
    assert.equal(res.headers['x-frame-options'], 'DENY')
  })

  it('never puts a stack trace or SQL in an error body', async () => {
    // Each reaches the check it names: a specific status and code, then no internals in the body.
    const answers: [Awaited<ReturnType<TestApp['post']>>, number, string][] = [
      [await t.post('/api/inviteUsers', admin, '{"inviteeEmail":'), 400, 'MALFORMED_JSON'],
      [
        await t.post('/api/inviteUsers', admin, {
          inviteeEmail: "x'; drop table users; --@acme.com",
          inviteeRole: 'GUEST',
        }),
        422,
        'INVALID_EMAIL',
      ],
      [await t.post('/api/removeUser', admin, { email: "' or 1=1 --" }), 422, 'USER_NOT_FOUND'],
      [
        await t.post('/api/makeAdmin', admin, { email: 'a@acme.com', userRole: "ADMIN' --" }),
        422,
        'INVALID_USER_ROLE',
      ],
      [await t.post('/api/getAuditLogs', admin, { before: 'x' }), 422, 'INVALID_REQUEST'],
    ]
    for (const [res, status, code] of answers) {
      assert.equal(res.statusCode, status, res.body)
      assert.equal(json(res).code, code)
      assert.doesNotMatch(res.body, /at .*\.ts:\d+|node_modules|select |insert |sqlite|postgres|stack/i)
      assert.ok(Array.isArray(json(res).actionErrors))
    }
    assert.equal((await t.post('/api/getTeamData', admin)).statusCode, 200)
  })
})
