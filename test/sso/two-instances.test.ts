/**
 * Single sign-on behind a load balancer: two real Roster processes on one database, one public
 * address. The person starts "Sign in with SSO" on instance A and the company IdP (oidc-provider
 * in-process) sends them back to instance B, which finishes the flow: the state, nonce and PKCE
 * verifier live in the shared database, not in A's memory. The browser is played by fetch with a
 * cookie jar (cookies are per host, so both instances on 127.0.0.1 see the same ones).
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../helpers/app.ts'
import { cookieJar, type CookieJar } from '../helpers/cookie-jar.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts'
import { startOidcIdp, type TestOidcIdp } from '../helpers/oidc-idp.ts'
import { freePort, startServerProcess, type ServerProcess } from '../helpers/server-process.ts'

/** At the IdP: its login form (any login is accepted), its consent form; returns Roster's callback URL. */
async function throughIdp(authorizationUrl: string, login: string): Promise<URL> {
  const jar = cookieJar()
  let url = authorizationUrl
  for (let hops = 0; hops < 12; hops++) {
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } })
    jar.take(res)
    let location = res.headers.get('location')
    if (res.status === 200) {
      const html = await res.text()
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1]
      const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1]
      assert.ok(action && prompt, `no IdP form at ${url}`)
      const form: Record<string, string> =
        prompt === 'login' ? { prompt, login, password: 'anything' } : { prompt }
      const posted = await fetch(new URL(action, url), {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form),
      })
      jar.take(posted)
      location = posted.headers.get('location')
    }
    assert.ok(location, `${url} answered ${res.status} without a redirect`)
    const next = new URL(location, url)
    if (next.pathname === '/sso/oidc/callback') return next
    url = next.href
  }
  throw new Error('the IdP never sent the person back')
}

describe('an SSO sign-in started on one instance and finished on another', { concurrency: false }, () => {
  let testDb: TestDatabase
  let a: ServerProcess
  let b: ServerProcess
  let operator: TestApp
  let idp: TestOidcIdp
  let publicUrl = ''

  before(async () => {
    testDb = await createTestDatabase()
    // The load balancer's address is B's; A answers the same issuer on a port of its own.
    const portB = await freePort()
    publicUrl = `http://127.0.0.1:${portB}`
    idp = await startOidcIdp([`${publicUrl}/sso/oidc/callback`])
    const env = { DATABASE_URL: testDb.url, PUBLIC_URL: publicUrl, LOGIN_RATE_LIMIT: '1000' }
    a = await startServerProcess(env)
    b = await startServerProcess({ ...env, PORT: String(portB) })
    operator = await startTestApp({ testDb })
    const { accountId, adminKey } = await operator.account('Acme', ['acme.com'])
    await operator.member(accountId, 'bob@acme.com', 'DEVELOPER')
    const res = await operator.post('/api/setSsoConfig', adminKey, {
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
    })
    assert.equal(res.statusCode, 200, res.body)
  })
  after(async () => {
    await Promise.all([a, b].filter(Boolean).map((s) => s.stop()))
    await operator?.close({ keepDatabase: true })
    await testDb?.drop()
    await idp?.close()
  })

  /** POST /api/startSso on an instance, as the sign-in page served at the public address does. */
  async function startOn(server: ServerProcess, email: string, jar: CookieJar) {
    const res = await fetch(`${server.url}/api/startSso`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: publicUrl, cookie: jar.header() },
      body: JSON.stringify({ email }),
    })
    jar.take(res)
    const body = (await res.json()) as { redirectUrl: string }
    assert.equal(res.status, 200, JSON.stringify(body))
    return body.redirectUrl
  }

  async function callbackOn(server: ServerProcess, callback: URL, jar: CookieJar) {
    const res = await fetch(`${server.url}${callback.pathname}${callback.search}`, {
      redirect: 'manual',
      headers: { cookie: jar.header() },
    })
    jar.take(res)
    return { status: res.status, location: res.headers.get('location') }
  }

  it('signs the member in on B after A started the flow, with a session both instances accept', async () => {
    const jar = cookieJar()
    const redirectUrl = await startOn(a, 'bob@acme.com', jar)
    const sent = new URL(redirectUrl)
    assert.equal(sent.origin, idp.issuer)
    assert.equal(sent.searchParams.get('redirect_uri'), `${publicUrl}/sso/oidc/callback`)
    assert.equal(sent.searchParams.get('code_challenge_method'), 'S256')
    assert.ok(sent.searchParams.get('nonce'))

    const callback = await throughIdp(redirectUrl, 'bob@acme.com')
    assert.equal(callback.searchParams.get('state'), sent.searchParams.get('state'))
    const landed = await callbackOn(b, callback, jar)
    assert.deepEqual(landed, { status: 303, location: '/' })
    assert.ok(jar.get('roster_session'), 'B set the session cookie')

    for (const server of [a, b]) {
      const me = await fetch(`${server.url}/api/me`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: publicUrl, cookie: jar.header() },
        body: '{}',
      })
      assert.equal(me.status, 200, await me.clone().text())
      const who = (await me.json()) as { email: string; role: string }
      assert.deepEqual([who.email, who.role], ['bob@acme.com', 'DEVELOPER'])
    }
  })

  it('honours a state once across instances: the same answer replayed on A after B is refused', async () => {
    const jar = cookieJar()
    const redirectUrl = await startOn(b, 'bob@acme.com', jar)
    const callback = await throughIdp(redirectUrl, 'bob@acme.com')
    const flowCookie = jar.header()
    assert.deepEqual(await callbackOn(a, callback, jar), { status: 303, location: '/' })
    const replay = cookieJar()
    const again = await fetch(`${b.url}${callback.pathname}${callback.search}`, {
      redirect: 'manual',
      headers: { cookie: flowCookie },
    })
    replay.take(again)
    assert.equal(again.status, 303)
    assert.equal(again.headers.get('location'), '/login?ssoError=SSO_FLOW_INVALID')
    assert.equal(replay.get('roster_session'), undefined)
  })
})
