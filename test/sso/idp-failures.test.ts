/**
 * What a person is told when the account's OIDC identity provider fails, as docs/sso.md names
 * it: an IdP that is down (5xx) is SSO_IDP_UNAVAILABLE; an answer that does not hold up (an
 * issuer that names another, a token endpoint that refuses the client) is SSO_RESPONSE_INVALID,
 * the configuration's to fix. The IdP here is a few routes of plain HTTP, so that each can fail
 * in one way; a real IdP signing people in is in oidc-sign-in.test.ts.
 */
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'

interface Behaviour {
  /** The discovery document: served, a 500, or naming another issuer. */
  discovery: 'served' | 'down' | 'other-issuer'
  /** The token endpoint's answer. */
  token: { status: number; body: string }
}

async function failingIdp(behaviour: Behaviour) {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer)
    if (url.pathname === '/.well-known/openid-configuration') {
      if (behaviour.discovery === 'down') return res.writeHead(500).end('upstream failure')
      res.writeHead(200, { 'content-type': 'application/json' })
      return res.end(
        JSON.stringify({
          issuer: behaviour.discovery === 'other-issuer' ? 'https://idp.elsewhere.example' : issuer,
          authorization_endpoint: `${issuer}/auth`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
        }),
      )
    }
    if (url.pathname === '/auth') {
      // Signs anyone in at once: back to Roster with a code.
      const back = new URL(url.searchParams.get('redirect_uri') ?? '')
      back.searchParams.set('code', 'a-code')
      back.searchParams.set('state', url.searchParams.get('state') ?? '')
      return res.writeHead(302, { location: back.href }).end()
    }
    if (url.pathname === '/token') {
      req.resume()
      return req.on('end', () => {
        const { status, body } = behaviour.token
        res.writeHead(status, { 'content-type': 'application/json' }).end(body)
      })
    }
    res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { issuer, behaviour, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

describe('what a person is told when the OIDC identity provider fails', { concurrency: false }, () => {
  let t: TestApp
  let idp: Awaited<ReturnType<typeof failingIdp>>
  let adminKey = ''

  before(async () => {
    t = await startTestApp()
    const acme = await t.account('Acme', ['acme.com'], 'ada@acme.com')
    adminKey = acme.adminKey
    idp = await failingIdp({ discovery: 'served', token: { status: 200, body: '{}' } })
    const set = await t.post('/api/setSsoConfig', adminKey, {
      issuer: idp.issuer,
      clientId: 'roster',
      clientSecret: 'a-client-secret',
    })
    assert.equal(set.statusCode, 200, set.body)
  })
  after(async () => {
    await t.close()
    await idp.close()
  })

  const start = () => t.post('/api/startSso', undefined, { email: 'ada@acme.com' })

  /** Starts a flow, lets the IdP answer, and brings its answer back to Roster in the same browser. */
  async function signInThroughIdp(): Promise<string | undefined> {
    const started = await t.server.inject({
      method: 'POST',
      url: '/api/startSso',
      payload: { email: 'ada@acme.com' },
    })
    assert.equal(started.statusCode, 200, started.body)
    const state = started.cookies.find((c) => c.name === 'roster_sso_state')
    assert.ok(state)
    const atIdp = await fetch(json(started).redirectUrl as string, { redirect: 'manual' })
    const back = new URL(atIdp.headers.get('location') ?? '')
    const landed = await t.server.inject({
      method: 'GET',
      url: `${back.pathname}${back.search}`,
      cookies: { roster_sso_state: state.value },
    })
    assert.equal(landed.statusCode, 303)
    return landed.headers.location as string | undefined
  }

  it('starts a flow when the discovery document holds up (the control)', async () => {
    idp.behaviour.discovery = 'served'
    const res = await start()
    assert.equal(res.statusCode, 200, res.body)
    assert.ok((json(res).redirectUrl as string).startsWith(`${idp.issuer}/auth?`))
  })

  it('answers SSO_IDP_UNAVAILABLE (502) when the IdP answers its discovery with a 500', async () => {
    idp.behaviour.discovery = 'down'
    const res = await start()
    assert.deepEqual([res.statusCode, json(res).code], [502, 'SSO_IDP_UNAVAILABLE'])
  })

  it('answers SSO_RESPONSE_INVALID when the discovery document names another issuer', async () => {
    idp.behaviour.discovery = 'other-issuer'
    const res = await start()
    assert.deepEqual(
      [res.statusCode, json(res)],
      [
        422,
        {
          actionErrors: ["The identity provider's answer could not be verified. Please start again."],
          code: 'SSO_RESPONSE_INVALID',
        },
      ],
    )
  })

  it('sends the person back with SSO_RESPONSE_INVALID when the token endpoint refuses the client (401)', async () => {
    idp.behaviour.discovery = 'served'
    idp.behaviour.token = { status: 401, body: JSON.stringify({ error: 'invalid_client' }) }
    assert.equal(await signInThroughIdp(), '/login?ssoError=SSO_RESPONSE_INVALID')
  })

  it('sends the person back with SSO_IDP_UNAVAILABLE when the token endpoint answers 500', async () => {
    idp.behaviour.discovery = 'served'
    idp.behaviour.token = { status: 500, body: JSON.stringify({ error: 'server_error' }) }
    assert.equal(await signInThroughIdp(), '/login?ssoError=SSO_IDP_UNAVAILABLE')
  })

  it('sends the person back with SSO_IDP_UNAVAILABLE when the token endpoint answers 503 without a body it can read', async () => {
    idp.behaviour.discovery = 'served'
    idp.behaviour.token = { status: 503, body: 'down for maintenance' }
    assert.equal(await signInThroughIdp(), '/login?ssoError=SSO_IDP_UNAVAILABLE')
  })
})
