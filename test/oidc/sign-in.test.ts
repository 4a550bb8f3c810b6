/**
 * Sign in with Roster, end to end: a relying party using openid-client against Roster on a real
 * port, a person signing in through Roster's own page in chromium. The steps build on each
 * other (one sign-in, then tokens), so they run in order on one Roster.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import * as client from 'openid-client'
import { Secret, TOTP } from 'otpauth'
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose'
import type { BrowserContext, Page } from 'playwright-core'
import { startBrowserRig, type BrowserRig } from '../helpers/browser.ts'
import { json } from '../helpers/app.ts'
import { authorize, startCallback, discover, exchange, oauthErrorOf } from './helpers.ts'
import { PATCH, scimClient, scimToken } from '../scim/helpers.ts'

const BOB = { email: 'bob@acme.com', password: 'marmalade-giraffe-77' }
const EVE = { email: 'eve@other.com', password: 'quince-pelican-93' }
const CAROL = { email: 'carol@initech.com', password: 'saffron-walrus-58' }
const DAN = { email: 'dan@acme.com', password: 'juniper-otter-64' }
const ENROL_FIRST = 'This account requires two-factor authentication: set it up on the Security page first.'

describe('Sign in with Roster (OpenID Provider)', { concurrency: false }, () => {
  let rig: BrowserRig
  let callback: Awaited<ReturnType<typeof startCallback>>
  let REDIRECT = ''
  let context: BrowserContext
  let page: Page
  let adminKey = ''
  let accountId = 0
  let bobId = 0
  let clientId = ''
  let secret = ''
  let config: client.Configuration
  let tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers

  before(async () => {
    rig = await startBrowserRig()
    callback = await startCallback()
    REDIRECT = callback.url
    ;({ accountId, adminKey } = await rig.app.account('Acme', ['acme.com']))
    ;({ userId: bobId } = await rig.app.member(accountId, BOB.email, 'MEMBER', 'Bob Builder'))
    await rig.app.password(BOB.email, BOB.password)
    const other = await rig.app.account('Other', ['other.com'], EVE.email)
    void other
    await rig.app.password(EVE.email, EVE.password)
    const res = await rig.app.post('/api/addOidcClient', adminKey, {
      name: 'Dashboard',
      redirectUris: [REDIRECT],
    })
    assert.equal(res.statusCode, 200, res.body)
    ;({ clientId, clientSecret: secret } = json(res))
    config = await discover(rig.origin, clientId, secret)
    context = await rig.context()
    page = await context.newPage()
  })
  after(async () => {
    await rig.close()
    await callback.close()
  })

  it('publishes discovery with the issuer, code flow only, S256 only and the /oidc endpoints', () => {
    const meta = config.serverMetadata()
    assert.equal(meta.issuer, rig.origin)
    assert.deepEqual(meta.response_types_supported, ['code'])
    assert.deepEqual(meta.code_challenge_methods_supported, ['S256'])
    assert.equal(meta.token_endpoint, `${rig.origin}/oidc/token`)
    assert.equal(meta.jwks_uri, `${rig.origin}/oidc/jwks`)
    assert.ok(meta.scopes_supported?.includes('roster'))
  })

  it('signs a member in through Roster’s page and returns a code with the state; the code and PKCE verifier give tokens', async () => {
    const flow = await authorize(page, config, REDIRECT, BOB)
    assert.equal(flow.callback.searchParams.get('state'), flow.state)
    tokens = await exchange(config, flow)
    const claims = tokens.claims()!
    assert.equal(claims.sub, String(bobId))
    assert.equal(claims.nonce, flow.nonce)
    assert.equal(claims.email, BOB.email)
    assert.equal(claims.account_id, accountId)
    assert.equal(claims.account_name, 'Acme')
    assert.equal(claims.role, 'MEMBER')
    assert.equal(claims.base_role, 'MEMBER')
    assert.ok(tokens.refresh_token)
  })

  it('issues an ID token that verifies against the published JWKS with jose', async () => {
    const jwks = createRemoteJWKSet(new URL(`${rig.origin}/oidc/jwks`))
    const { payload, protectedHeader } = await jwtVerify(tokens.id_token!, jwks, {
      issuer: rig.origin,
      audience: clientId,
    })
    assert.equal(protectedHeader.alg, 'RS256')
    assert.equal(payload.role, 'MEMBER')
  })

  it('issues a JWT access token for the application itself (aud = client id) that verifies offline with jose', async () => {
    const jwks = createRemoteJWKSet(new URL(`${rig.origin}/oidc/jwks`))
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, {
      issuer: rig.origin,
      audience: clientId,
      typ: 'at+jwt',
    })
    assert.equal(protectedHeader.typ, 'at+jwt')
    assert.equal(payload.aud, clientId)
    assert.equal(payload.client_id, clientId)
    assert.equal(payload.sub, String(bobId))
    assert.equal(payload.account_id, accountId)
    assert.equal(payload.account_name, 'Acme')
    assert.equal(payload.role, 'MEMBER')
    assert.equal(payload.base_role, 'MEMBER')
    assert.ok(String(payload.scope).split(' ').includes('roster'), String(payload.scope))
    assert.ok(payload.exp! - payload.iat! <= 600)
    // Another application's audience is not this one.
    await assert.rejects(
      jwtVerify(tokens.access_token, jwks, { issuer: rig.origin, audience: 'rst_app_other' }),
    )
  })

  it('answers userinfo with the same person and role', async () => {
    const info = await client.fetchUserInfo(config, tokens.access_token, String(bobId))
    assert.equal(info.email, BOB.email)
    assert.equal(info.email_verified, true)
    assert.equal(info.role, 'MEMBER')
    assert.equal(info.account_id, accountId)
  })

  it('introspects the JWT access token for its own application only, with the current role', async () => {
    const own = await client.tokenIntrospection(config, tokens.access_token)
    assert.equal(own.active, true)
    assert.equal(own.sub, String(bobId))
    assert.equal(own.client_id, clientId)
    assert.equal(own.aud, clientId)
    assert.equal(own.role, 'MEMBER')
    const other = json<{ clientId: string; clientSecret: string }>(
      await rig.app.post('/api/addOidcClient', adminKey, { name: 'Wiki', redirectUris: [REDIRECT] }),
    )
    const otherConfig = await discover(rig.origin, other.clientId, other.clientSecret)
    try {
      assert.deepEqual(await client.tokenIntrospection(otherConfig, tokens.access_token), { active: false })
      const forged = `${tokens.access_token.slice(0, -4)}AAAA`
      assert.deepEqual(await client.tokenIntrospection(config, forged), { active: false })
    } finally {
      await rig.app.post('/api/deleteOidcClient', adminKey, { clientId: other.clientId })
    }
  })

  it('does not ask a signed-in person again: the next authorization goes straight back with a code', async () => {
    const flow = await authorize(page, config, REDIRECT, null)
    assert.ok(flow.callback.searchParams.get('code'))
    tokens = await exchange(config, flow)
  })

  it('shows a role change in the next refreshed ID token', async () => {
    const res = await rig.app.post('/api/makeAdmin', adminKey, { email: BOB.email, userRole: 'DEVELOPER' })
    assert.equal(res.statusCode, 200, res.body)
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!)
    assert.equal(refreshed.claims()!.role, 'DEVELOPER')
    assert.equal(refreshed.claims()!.base_role, 'DEVELOPER')
    const jwks = createRemoteJWKSet(new URL(`${rig.origin}/oidc/jwks`))
    const { payload } = await jwtVerify(refreshed.access_token, jwks, {
      issuer: rig.origin,
      audience: clientId,
    })
    assert.equal(payload.role, 'DEVELOPER')
    assert.equal(
      (await client.fetchUserInfo(config, refreshed.access_token, String(bobId))).role,
      'DEVELOPER',
    )
    assert.notEqual(refreshed.refresh_token, tokens.refresh_token, 'the refresh token rotates')
    tokens = refreshed
  })

  it('revokes the whole chain, its access tokens included, when a rotated refresh token is used again', async () => {
    const first = tokens.refresh_token!
    const second = await client.refreshTokenGrant(config, first)
    const userinfo = () =>
      fetch(`${rig.origin}/oidc/me`, { headers: { authorization: `Bearer ${second.access_token}` } })
    // The control: the chain's latest access token works until the reuse.
    assert.equal((await userinfo()).status, 200)
    assert.equal((await client.tokenIntrospection(config, second.access_token)).active, true)
    assert.equal(await oauthErrorOf(client.refreshTokenGrant(config, first)), 'invalid_grant')
    assert.equal(await oauthErrorOf(client.refreshTokenGrant(config, second.refresh_token!)), 'invalid_grant')
    const introspected = await client.tokenIntrospection(config, second.refresh_token!)
    assert.equal(introspected.active, false)
    assert.deepEqual(await client.tokenIntrospection(config, second.access_token), { active: false })
    const info = await userinfo()
    assert.equal(info.status, 401)
    assert.match(info.headers.get('www-authenticate') ?? '', /error="invalid_token"/)
  })

  it('ends refresh (invalid_grant) and introspection (active: false) at once when the member is removed', async () => {
    const flow = await authorize(page, config, REDIRECT, null)
    const fresh = await exchange(config, flow)
    assert.equal((await client.tokenIntrospection(config, fresh.refresh_token!)).active, true)
    assert.equal((await client.tokenIntrospection(config, fresh.access_token)).active, true)
    const res = await rig.app.post('/api/removeUser', adminKey, { email: BOB.email })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal((await client.tokenIntrospection(config, fresh.refresh_token!)).active, false)
    assert.equal((await client.tokenIntrospection(config, fresh.access_token)).active, false)
    const info = await fetch(`${rig.origin}/oidc/me`, {
      headers: { authorization: `Bearer ${fresh.access_token}` },
    })
    assert.equal(info.status, 401)
    assert.match(info.headers.get('www-authenticate') ?? '', /error="invalid_token"/)
    assert.equal(await oauthErrorOf(client.refreshTokenGrant(config, fresh.refresh_token!)), 'invalid_grant')
  })

  it('ends refresh (invalid_grant) and introspection (active: false) when the member changes their password', async () => {
    const fay = { email: 'fay@acme.com', password: 'cardamom-heron-26' }
    await rig.app.services.accounts.addUser({ accountId, email: fay.email, role: 'MEMBER', name: 'Fay' })
    await rig.app.password(fay.email, fay.password)
    const own = await rig.context()
    try {
      const fresh = await exchange(config, await authorize(await own.newPage(), config, REDIRECT, fay))
      assert.equal((await client.tokenIntrospection(config, fresh.refresh_token!)).active, true)
      const cookie = await rig.app.login(fay.email, fay.password)
      const changed = await rig.app.browser('/api/changePassword', cookie, {
        currentPassword: fay.password,
        newPassword: 'a new long passphrase',
      })
      assert.equal(changed.statusCode, 200, changed.body)
      assert.equal((await client.tokenIntrospection(config, fresh.refresh_token!)).active, false)
      assert.equal(
        await oauthErrorOf(client.refreshTokenGrant(config, fresh.refresh_token!)),
        'invalid_grant',
      )
    } finally {
      await own.close()
    }
  })

  it('sends a person who is not a member of the application’s account back with access_denied and no code', async () => {
    const eve = await rig.context()
    const evePage = await eve.newPage()
    const flow = await authorize(evePage, config, REDIRECT, EVE)
    assert.equal(flow.callback.searchParams.get('error'), 'access_denied')
    assert.equal(flow.callback.searchParams.get('code'), null)
    assert.equal(flow.callback.searchParams.get('state'), flow.state)
    await eve.close()
  })

  it('sends a member the account suspended (SCIM active: false) back with access_denied, though signed in to another account', async () => {
    // Eve is an ADMIN of Other; in Acme she is a member, then suspended.
    const { userId: eveId } = await rig.app.member(accountId, EVE.email, 'MEMBER', 'Eve')
    const signInAsEve = async () => {
      const context = await rig.context()
      try {
        return await authorize(await context.newPage(), config, REDIRECT, EVE)
      } finally {
        await context.close()
      }
    }
    try {
      // The control: a member of Acme gets a code.
      const member = await signInAsEve()
      assert.ok(member.callback.searchParams.get('code'), member.callback.href)
      const scim = scimClient(rig.app, await scimToken(rig.app, accountId))
      const off = await scim('PATCH', `/Users/${eveId}`, {
        schemas: [PATCH],
        Operations: [{ op: 'replace', value: { active: false } }],
      })
      assert.equal(off.statusCode, 200, JSON.stringify(off.json))
      // Signed in afresh, her session is in Other (Acme's membership is suspended).
      const suspended = await signInAsEve()
      assert.equal(suspended.callback.searchParams.get('error'), 'access_denied', suspended.callback.href)
      assert.equal(suspended.callback.searchParams.get('code'), null)
    } finally {
      await rig.app.post('/api/removeUser', adminKey, { email: EVE.email })
    }
  })

  it('refuses an unregistered redirect URI on its own page, without redirecting', async () => {
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT.replace('/callback', '/elsewhere'),
      scope: 'openid',
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    })
    const res = await fetch(url, { redirect: 'manual' })
    assert.equal(res.status, 400)
    assert.equal(res.headers.get('location'), null)
    assert.match(await res.text(), /redirect_uri/)
  })

  it('refuses the plain PKCE method at the redirect URI with invalid_request', async () => {
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid',
      code_challenge: 'a'.repeat(43),
      code_challenge_method: 'plain',
      state: 'st',
    })
    const res = await fetch(url, { redirect: 'manual' })
    assert.equal(res.status, 303)
    const location = new URL(res.headers.get('location')!)
    assert.equal(location.searchParams.get('error'), 'invalid_request')
    assert.equal(location.searchParams.get('code'), null)
  })

  it('answers bad input at the token endpoint in OAuth’s error format, never a 500', async () => {
    const res = await fetch(`${rig.origin}/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: '{not json',
    })
    assert.equal(res.status, 400)
    assert.equal((await res.json()).error, 'invalid_request')
  })

  it('answers malformed requests at every OAuth endpoint with OAuth’s own error, never a 500', async () => {
    const basic = `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`
    const form = 'application/x-www-form-urlencoded'
    const cases: [string, string, RequestInit][] = [
      [
        '/oidc/token',
        'no client credentials',
        { method: 'POST', headers: { 'content-type': form }, body: 'grant_type=authorization_code&code=x' },
      ],
      [
        '/oidc/token',
        'wrong client secret',
        {
          method: 'POST',
          headers: {
            'content-type': form,
            authorization: `Basic ${Buffer.from(`${clientId}:nope`).toString('base64')}`,
          },
          body: 'grant_type=refresh_token&refresh_token=x',
        },
      ],
      [
        '/oidc/token',
        'unknown grant type',
        {
          method: 'POST',
          headers: { 'content-type': form, authorization: basic },
          body: 'grant_type=password&username=a&password=b',
        },
      ],
      [
        '/oidc/token',
        'unknown code',
        {
          method: 'POST',
          headers: { 'content-type': form, authorization: basic },
          body: `grant_type=authorization_code&code=forged&redirect_uri=${encodeURIComponent(REDIRECT)}&code_verifier=${'a'.repeat(43)}`,
        },
      ],
      [
        '/oidc/token',
        'forged refresh token',
        {
          method: 'POST',
          headers: { 'content-type': form, authorization: basic },
          body: 'grant_type=refresh_token&refresh_token=forged',
        },
      ],
      [
        '/oidc/token/introspection',
        'no client credentials',
        { method: 'POST', headers: { 'content-type': form }, body: 'token=x' },
      ],
      [
        '/oidc/token/revocation',
        'no token',
        { method: 'POST', headers: { 'content-type': form, authorization: basic }, body: '' },
      ],
      ['/oidc/me', 'a garbage bearer token', { headers: { authorization: 'Bearer ' + 'x'.repeat(5000) } }],
      [
        '/oidc/me',
        'a forged JWT',
        { headers: { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.x' } },
      ],
      ['/oidc/auth', 'an unknown client', { redirect: 'manual' }],
    ]
    const seen: string[] = []
    for (const [path, what, init] of cases) {
      const url =
        path === '/oidc/auth'
          ? `${rig.origin}/oidc/auth?client_id=nobody&response_type=code&scope=openid`
          : `${rig.origin}${path}`
      const res = await fetch(url, init)
      const body = await res.text()
      const error = /^application\/json/.test(res.headers.get('content-type') ?? '')
        ? String((JSON.parse(body) as { error?: string }).error)
        : (/error="([a-z_]+)"/.exec(res.headers.get('www-authenticate') ?? '')?.[1] ??
          /(invalid_[a-z_]+|unsupported_[a-z_]+)/.exec(body)?.[1] ??
          '?')
      assert.doesNotMatch(body, /\bat .+\.(ts|js):\d+/, `${path} (${what}) leaks a stack`)
      seen.push(`${path} ${what}: ${res.status} ${error}`)
    }
    assert.deepEqual(seen, [
      '/oidc/token no client credentials: 400 invalid_request',
      '/oidc/token wrong client secret: 401 invalid_client',
      '/oidc/token unknown grant type: 400 unsupported_grant_type',
      '/oidc/token unknown code: 400 invalid_grant',
      '/oidc/token forged refresh token: 400 invalid_grant',
      '/oidc/token/introspection no client credentials: 400 invalid_request',
      '/oidc/token/revocation no token: 400 invalid_request',
      '/oidc/me a garbage bearer token: 401 invalid_token',
      '/oidc/me a forged JWT: 401 invalid_token',
      '/oidc/auth an unknown client: 400 invalid_client',
    ])
  })

  it('keeps tokens signed by a rotated-out key verifying, until that key is retired', async () => {
    const jwks = () =>
      fetch(`${rig.origin}/oidc/jwks`).then((r) => r.json() as Promise<{ keys: { kid: string }[] }>)
    const oldKid = decodeProtectedHeader(tokens.id_token!).kid!
    const newKid = await rig.app.services.oidc.keys.rotate()
    const kids = (await jwks()).keys.map((k) => k.kid)
    assert.ok(kids.includes(oldKid) && kids.includes(newKid))
    const verifier = createRemoteJWKSet(new URL(`${rig.origin}/oidc/jwks`))
    await jwtVerify(tokens.id_token!, verifier, { issuer: rig.origin, audience: clientId })
    await rig.app.services.oidc.keys.retireOld()
    assert.deepEqual(
      (await jwks()).keys.map((k) => k.kid),
      [newKid],
    )
  })

  it('advertises in its discovery document only the client authentications an application can use', async () => {
    const discovery = (await (
      await fetch(`${rig.origin}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>
    const methods = ['client_secret_basic', 'client_secret_post', 'none']
    // The one list oidc-provider publishes; introspection and revocation take the same.
    assert.deepEqual(discovery.token_endpoint_auth_methods_supported, methods)
  })

  it('lists the application endpoints in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${rig.origin}/openapi.json`)).json()) as {
      paths: Record<string, unknown>
    }
    for (const path of ['/api/addOidcClient', '/api/fetchOidcClients', '/api/deleteOidcClient'])
      assert.ok(doc.paths[path], path)
  })

  it('lets an ADMIN add an application on the Applications page and shows its secret once', async () => {
    await rig.app.password('ada@acme.com', 'tangerine-octopus-41')
    const ada = await rig.context()
    const adaPage = await ada.newPage()
    await adaPage.goto('/login')
    await adaPage.getByLabel('Email').fill('ada@acme.com', { timeout: 120_000 })
    await adaPage.getByLabel('Password').fill('tangerine-octopus-41')
    await adaPage.getByRole('button', { name: 'Sign in', exact: true }).click()
    await adaPage.getByRole('link', { name: 'Applications' }).click({ timeout: 120_000 })
    await adaPage.getByLabel('Application name').fill('Wiki')
    await adaPage.getByLabel('Redirect URIs (one per line)').fill('https://wiki.acme.com/callback')
    await adaPage
      .getByLabel('Post-logout redirect URIs (optional, one per line)')
      .fill('https://wiki.acme.com/signed-out', { timeout: 10_000 })
    await adaPage.getByRole('button', { name: 'Add application' }).click()
    const secretBox = adaPage.getByLabel('Client secret')
    await secretBox.waitFor({ timeout: 60_000 })
    assert.match(await secretBox.inputValue(), /^rst_secret_/)
    await adaPage.getByRole('row').filter({ hasText: 'Wiki' }).waitFor()
    const listed = json<{ oidcClients: { name: string; postLogoutRedirectUris: string[] }[] }>(
      await rig.app.post('/api/fetchOidcClients', adminKey),
    )
    assert.deepEqual(listed.oidcClients.map((c) => c.name).sort(), ['Dashboard', 'Wiki'])
    assert.deepEqual(listed.oidcClients.find((c) => c.name === 'Wiki')?.postLogoutRedirectUris, [
      'https://wiki.acme.com/signed-out',
    ])
    await ada.close()
  })
  it('ends refresh, userinfo and introspection at once when the application is deleted', async () => {
    const ADA = { email: 'ada@acme.com', password: 'tangerine-octopus-41' }
    await rig.app.password(ADA.email, ADA.password)
    const added = await rig.app.post('/api/addOidcClient', adminKey, {
      name: 'Reports',
      redirectUris: [REDIRECT],
    })
    assert.equal(added.statusCode, 200, added.body)
    const reports = json<{ clientId: string; clientSecret: string }>(added)
    const reportsConfig = await discover(rig.origin, reports.clientId, reports.clientSecret)
    const ada = await rig.context()
    const flow = await authorize(await ada.newPage(), reportsConfig, REDIRECT, ADA)
    const fresh = await exchange(reportsConfig, flow)
    await ada.close()
    const userinfo = () =>
      fetch(`${rig.origin}/oidc/me`, { headers: { authorization: `Bearer ${fresh.access_token}` } })
    const listed = async () =>
      json<{ oidcClients: { clientId: string }[] }>(await rig.app.post('/api/fetchOidcClients', adminKey))
        .oidcClients.map((c) => c.clientId)
        .includes(reports.clientId)
    // The control: the same tokens work, and the application is listed, while it exists.
    assert.equal((await userinfo()).status, 200)
    assert.equal((await client.tokenIntrospection(reportsConfig, fresh.refresh_token!)).active, true)
    assert.equal(await listed(), true)

    const deleted = await rig.app.post('/api/deleteOidcClient', adminKey, { clientId: reports.clientId })
    assert.equal(deleted.statusCode, 200, deleted.body)
    const after = await userinfo()
    assert.equal(after.status, 401)
    assert.match(after.headers.get('www-authenticate') ?? '', /error="invalid_token"/)
    // The application still authenticates with the credentials it had; what it was issued is gone.
    assert.equal(
      await oauthErrorOf(client.refreshTokenGrant(reportsConfig, fresh.refresh_token!)),
      'invalid_grant',
    )
    assert.deepEqual(await client.tokenIntrospection(reportsConfig, fresh.refresh_token!), { active: false })
    assert.deepEqual(await client.tokenIntrospection(reportsConfig, fresh.access_token), { active: false })
    // ...but it can never start a sign-in again, nor is it listed, nor deleted twice.
    const auth = await fetch(
      client.buildAuthorizationUrl(reportsConfig, {
        redirect_uri: REDIRECT,
        scope: 'openid',
        code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
        code_challenge_method: 'S256',
      }),
      { redirect: 'manual' },
    )
    assert.equal(auth.status, 400)
    assert.match(await auth.text(), /invalid_client/)
    assert.equal(await listed(), false)
    const again = await rig.app.post('/api/deleteOidcClient', adminKey, { clientId: reports.clientId })
    assert.equal(again.statusCode, 404, again.body)
  })
  describe('an application of an account that requires two-factor', { concurrency: false }, () => {
    let initechId = 0
    let portal: client.Configuration

    /** The `Cookie` header of the Roster session a browser profile holds. */
    async function cookieOf(profile: BrowserContext): Promise<string> {
      const session = (await profile.cookies()).find((c) => c.name === 'roster_session')
      assert.ok(session, 'the browser holds no Roster session')
      return `roster_session=${session.value}`
    }

    before(async () => {
      const initech = await rig.app.account('Initech', ['initech.com'], 'peter@initech.com')
      initechId = initech.accountId
      await rig.app.member(initechId, CAROL.email, 'MEMBER', 'Carol')
      await rig.app.password(CAROL.email, CAROL.password)
      await rig.app.services.accounts.addUser({ accountId, email: DAN.email, role: 'MEMBER', name: 'Dan' })
      await rig.app.services.accounts.addUser({ accountId: initechId, email: DAN.email, role: 'MEMBER' })
      await rig.app.password(DAN.email, DAN.password)
      const policy = await rig.app.post('/api/setAccountPolicy', initech.adminKey, { requireMfa: true })
      assert.equal(policy.statusCode, 200, policy.body)
      const added = await rig.app.post('/api/addOidcClient', initech.adminKey, {
        name: 'Portal',
        redirectUris: [REDIRECT],
      })
      assert.equal(added.statusCode, 200, added.body)
      const app = json<{ clientId: string; clientSecret: string }>(added)
      portal = await discover(rig.origin, app.clientId, app.clientSecret)
    })

    it('sends a member who must first set up two-factor back with access_denied and no code; once enrolled, the same sign-in completes', async () => {
      const carol = await rig.context()
      const carolPage = await carol.newPage()
      const refused = await authorize(carolPage, portal, REDIRECT, CAROL)
      assert.equal(refused.callback.searchParams.get('error'), 'access_denied')
      assert.equal(refused.callback.searchParams.get('error_description'), ENROL_FIRST)
      assert.equal(refused.callback.searchParams.get('code'), null)
      assert.equal(refused.callback.searchParams.get('state'), refused.state)

      // The control: the same person in the same browser, after enrolling in that session.
      const cookie = await cookieOf(carol)
      const started = await rig.app.browser('/api/startTotp', cookie)
      assert.equal(started.statusCode, 200, started.body)
      const code = TOTP.generate({
        secret: Secret.fromBase32(json(started).secret),
        timestamp: rig.app.clock(),
      })
      const confirmed = await rig.app.browser('/api/confirmTotp', cookie, { code })
      assert.equal(confirmed.statusCode, 200, confirmed.body)
      const flow = await authorize(carolPage, portal, REDIRECT, null)
      assert.equal(flow.callback.searchParams.get('error'), null)
      const carolTokens = await exchange(portal, flow)
      assert.equal(carolTokens.claims()!.email, CAROL.email)
      assert.equal(carolTokens.claims()!.account_id, initechId)
      await carol.close()
    })

    it('refuses a session signed in to an account without the requirement at that account’s application, while its own account’s application signs it in', async () => {
      const dan = await rig.context()
      const danPage = await dan.newPage()
      // The control: Acme requires nothing, and Dan's session is in Acme.
      const own = await authorize(danPage, config, REDIRECT, DAN)
      assert.ok(own.callback.searchParams.get('code'), own.callback.href)
      const me = await rig.app.browser('/api/me', await cookieOf(dan))
      assert.equal(json(me).accountName, 'Acme')
      assert.equal((await exchange(config, own)).claims()!.email, DAN.email)

      const refused = await authorize(danPage, portal, REDIRECT, null)
      assert.equal(refused.callback.searchParams.get('error'), 'access_denied')
      assert.equal(refused.callback.searchParams.get('error_description'), ENROL_FIRST)
      assert.equal(refused.callback.searchParams.get('code'), null)
      await dan.close()
    })
  })
})
