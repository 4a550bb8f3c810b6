/**
 * Two Roster instances on one database serve one sign-in in turns: the authorization request,
 * the interaction and the token request each land on a different instance (as behind a load
 * balancer), and a key rotated on one is published by the other. The person's browser is played
 * by fetch with a cookie jar; the application by openid-client's checks.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { AddressInfo } from 'node:net'
import * as client from 'openid-client'
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose'
import { json, startTestApp, testClock, type TestApp } from '../helpers/app.ts'
import { cookieJar } from '../helpers/cookie-jar.ts'
import { createTestDatabase } from '../helpers/database.ts'
import { roster } from '../helpers/cli.ts'

const BOB = { email: 'bob@acme.com', password: 'marmalade-giraffe-77' }
const REDIRECT = 'http://localhost:9/callback'

describe('one sign-in served by two instances on one database', { concurrency: false }, () => {
  let a: TestApp
  let b: TestApp
  let originA = ''
  let originB = ''
  let clientId = ''
  let secret = ''
  let adminKey = ''
  /** The tokens the first sign-in got (instance B's token endpoint). */
  let issued: { access_token: string; refresh_token: string } | undefined

  /** An endpoint of `origin` (the token endpoint unless named), authenticated as the application. */
  const tokenRequest = (origin: string, form: Record<string, string>, path = '/oidc/token') =>
    fetch(`${origin}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`,
      },
      body: new URLSearchParams(form),
    })
  const userinfo = (origin: string, accessToken: string) =>
    fetch(`${origin}/oidc/me`, { headers: { authorization: `Bearer ${accessToken}` } })

  before(async () => {
    const testDb = await createTestDatabase()
    const clock = Object.assign(() => Date.now(), { advance: () => {} }) as ReturnType<typeof testClock>
    // Both answer as one issuer (the load balancer's address); each listens on its own port.
    a = await startTestApp({ testDb, clock, env: { PUBLIC_URL: 'http://127.0.0.1:1' } })
    await a.server.listen({ port: 0, host: '127.0.0.1' })
    originA = `http://127.0.0.1:${(a.server.server.address() as AddressInfo).port}`
    await a.server.close()
    a = await startTestApp({ testDb, clock, env: { PUBLIC_URL: originA } })
    await a.server.listen({ port: Number(new URL(originA).port), host: '127.0.0.1' })
    b = await startTestApp({ testDb, clock, env: { PUBLIC_URL: originA } })
    await b.server.listen({ port: 0, host: '127.0.0.1' })
    originB = `http://127.0.0.1:${(b.server.server.address() as AddressInfo).port}`

    const acme = await a.account('Acme', ['acme.com'])
    const { accountId } = acme
    adminKey = acme.adminKey
    await a.member(accountId, BOB.email, 'DEVELOPER', 'Bob')
    await a.password(BOB.email, BOB.password)
    const res = await b.post('/api/addOidcClient', adminKey, { name: 'Dashboard', redirectUris: [REDIRECT] })
    assert.equal(res.statusCode, 200, res.body)
    ;({ clientId, clientSecret: secret } = json(res))
  })
  after(async () => {
    await b.close({ keepDatabase: true })
    await a.close()
  })

  it('authorizes on one instance, signs in on the other, and redeems the code on the other', async () => {
    const jar = cookieJar()
    const login = await fetch(`${originA}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: originA },
      body: JSON.stringify(BOB),
    })
    assert.equal(login.status, 200)
    jar.take(login)

    const verifier = client.randomPKCECodeVerifier()
    const state = client.randomState()
    const auth = new URL(`${originA}/oidc/auth`)
    for (const [k, v] of Object.entries({
      client_id: clientId,
      response_type: 'code',
      redirect_uri: REDIRECT,
      scope: 'openid roster offline_access',
      prompt: 'consent',
      state,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    }))
      auth.searchParams.set(k, v)

    // The person's browser, each hop on the other instance.
    let url = auth.href
    let hops = 0
    for (; !url.startsWith(REDIRECT) && hops < 6; hops++) {
      const res = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } })
      jar.take(res)
      assert.ok([302, 303].includes(res.status), `${url} answered ${res.status}: ${await res.text()}`)
      const next = new URL(res.headers.get('location')!, originA)
      const other = url.startsWith(originA) ? originB : originA
      url = next.href.startsWith(REDIRECT) ? next.href : `${other}${next.pathname}${next.search}`
    }
    const callback = new URL(url)
    assert.equal(callback.searchParams.get('state'), state)
    const code = callback.searchParams.get('code')
    assert.ok(code, url)

    const token = await tokenRequest(originB, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    })
    const body = (await token.json()) as { id_token: string; access_token: string; refresh_token: string }
    assert.equal(token.status, 200, JSON.stringify(body))
    const { payload } = await jwtVerify(body.id_token, createRemoteJWKSet(new URL(`${originA}/oidc/jwks`)), {
      issuer: originA,
      audience: clientId,
    })
    assert.equal(payload.role, 'DEVELOPER')
    assert.ok(body.refresh_token)
    issued = body
  })

  it('publishes on every instance a key rotated with the CLI, and drops the old one after --retire', async () => {
    const kids = async (origin: string) =>
      ((await (await fetch(`${origin}/oidc/jwks`)).json()) as { keys: { kid: string }[] }).keys.map(
        (k) => k.kid,
      )
    const before = await kids(originB)
    // A verifies an access token with the keys it knows...
    assert.ok(issued)
    assert.equal((await userinfo(originA, issued.access_token)).status, 200)
    const rotated = await roster(['oidc', 'rotate-keys', '--json'], { DATABASE_URL: a.testDb.url })
    assert.equal(rotated.code, 0, rotated.stderr)
    const { kid } = JSON.parse(rotated.stdout) as { kid: string }
    assert.deepEqual(await kids(originB), [kid, ...before])
    assert.deepEqual(await kids(originA), [kid, ...before])
    // ...and, at once, one that B signed with the key rotated in meanwhile.
    const refreshed = await tokenRequest(originB, {
      grant_type: 'refresh_token',
      refresh_token: issued.refresh_token,
    })
    const fresh = (await refreshed.json()) as { access_token: string; refresh_token: string }
    assert.equal(refreshed.status, 200, JSON.stringify(fresh))
    issued = fresh
    assert.equal(decodeProtectedHeader(fresh.access_token).kid, kid)
    const info = await userinfo(originA, fresh.access_token)
    assert.equal(info.status, 200, await info.clone().text())
    assert.equal(((await info.json()) as { role: string }).role, 'DEVELOPER')
    const retired = await roster(['oidc', 'rotate-keys', '--retire', '--json'], {
      DATABASE_URL: a.testDb.url,
    })
    assert.equal(retired.code, 0, retired.stderr)
    assert.deepEqual(await kids(originA), [kid])
  })

  it("ends a deleted application's refresh and introspection on every instance, and never signs in to it again", async () => {
    assert.ok(issued)
    const tokens = issued
    const introspect = (origin: string, token: string) =>
      tokenRequest(origin, { token }, '/oidc/token/introspection')
    const authorization = (origin: string) =>
      fetch(
        `${origin}/oidc/auth?${new URLSearchParams({
          client_id: clientId,
          response_type: 'code',
          redirect_uri: REDIRECT,
          scope: 'openid',
          code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
          code_challenge_method: 'S256',
        })}`,
        { redirect: 'manual' },
      )
    // The control: both instances answer for the live application.
    for (const origin of [originA, originB]) {
      assert.equal(
        ((await (await introspect(origin, tokens.refresh_token)).json()) as { active: boolean }).active,
        true,
      )
      assert.equal((await authorization(origin)).status, 303)
    }
    const deleted = await roster(['oidc-client', 'delete', '--client-id', clientId, '--json'], {
      DATABASE_URL: a.testDb.url,
    })
    assert.equal(deleted.code, 0, deleted.stderr)
    for (const origin of [originA, originB]) {
      const refused = await tokenRequest(origin, {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
      })
      assert.equal(refused.status, 400)
      assert.equal(((await refused.json()) as { error: string }).error, 'invalid_grant')
      for (const token of [tokens.refresh_token, tokens.access_token]) {
        const answer = await introspect(origin, token)
        assert.equal(answer.status, 200)
        assert.deepEqual(await answer.json(), { active: false })
      }
      const revoked = await tokenRequest(origin, { token: tokens.refresh_token }, '/oidc/token/revocation')
      assert.equal(revoked.status, 200, await revoked.clone().text())
      const auth = await authorization(origin)
      assert.equal(auth.status, 400)
      assert.match(await auth.text(), /invalid_client/)
    }
  })

  it("answers a deleted public application's refresh with invalid_grant, an unknown one with invalid_client", async () => {
    const created = await a.post('/api/addOidcClient', adminKey, {
      name: 'SPA',
      redirectUris: [REDIRECT],
      public: true,
    })
    assert.equal(created.statusCode, 200, created.body)
    const { clientId: spa } = json<{ clientId: string }>(created)
    const deleted = await a.post('/api/deleteOidcClient', adminKey, { clientId: spa })
    assert.equal(deleted.statusCode, 200, deleted.body)
    const refresh = async (id: string) => {
      const res = await fetch(`${originB}/oidc/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'gone', client_id: id }),
      })
      return `${res.status} ${((await res.json()) as { error: string }).error}`
    }
    assert.equal(await refresh(spa), '400 invalid_grant')
    assert.equal(await refresh('rst_app_never-issued'), '401 invalid_client')
  })

  it('manages applications from the CLI: create prints the secret once, list never does, delete removes', async () => {
    const env = { DATABASE_URL: a.testDb.url }
    const created = await roster(
      [
        'oidc-client',
        'create',
        '--account',
        '1',
        '--name',
        'CLI app',
        '--redirect-uri',
        'https://app.acme.com/cb',
        '--json',
      ],
      env,
    )
    assert.equal(created.code, 0, created.stderr)
    const { clientId: id, clientSecret } = JSON.parse(created.stdout) as {
      clientId: string
      clientSecret: string
    }
    assert.match(clientSecret, /^rst_secret_/)
    const listed = await roster(['oidc-client', 'list', '--account', '1', '--json'], env)
    assert.ok(listed.stdout.includes(id) && !listed.stdout.includes(clientSecret))
    const refused = await roster(
      [
        'oidc-client',
        'create',
        '--account',
        '1',
        '--name',
        'Bad',
        '--redirect-uri',
        'http://app.acme.com/cb',
        '--json',
      ],
      env,
    )
    assert.equal(refused.code, 1)
    assert.match(refused.stderr, /INVALID_REDIRECT_URI/)
    const deleted = await roster(['oidc-client', 'delete', '--client-id', id, '--json'], env)
    assert.equal(deleted.code, 0, deleted.stderr)
    assert.ok(!(await roster(['oidc-client', 'list', '--account', '1', '--json'], env)).stdout.includes(id))
  })
})
