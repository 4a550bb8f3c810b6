/**
 * Single sign-on through a SAML 2.0 identity provider built from xml-crypto's signing: a member
 * signs in through the IdP's page in chromium; the answers an attacker could bring (tampered,
 * unsigned, signed by another key, expired, replayed, meant for another SP) are posted to the ACS
 * over HTTP, each differing from a valid control by one property.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { json } from '../helpers/app.ts'
import { startBrowserRig, type BrowserRig } from '../helpers/browser.ts'
import {
  parseAuthnRequest,
  startSamlIdp,
  type ResponseOptions,
  type TestSamlIdp,
} from '../helpers/saml-idp.ts'

describe('signing in with a SAML identity provider', { concurrency: false }, () => {
  let rig: BrowserRig
  let idp: TestSamlIdp
  let adminKey = ''
  let accountId = 0
  let acsPath = ''

  /** Starts a flow as the sign-in page would and reads the AuthnRequest it sends to the IdP. */
  async function startFlow(email: string, extra: Record<string, string> = {}) {
    const res = await rig.app.post('/api/startSso', undefined, { email, ...extra })
    assert.equal(res.statusCode, 200, res.body)
    return parseAuthnRequest(json(res).redirectUrl as string)
  }

  /** What the IdP would answer to that flow, with one property changed by `change`. */
  async function answer(
    email: string,
    change: Partial<ResponseOptions> = {},
    extra?: Record<string, string>,
  ) {
    const flow = await startFlow(email, extra)
    const acsUrl = `${rig.origin}${acsPath}`
    const saml = idp.response({
      email,
      inResponseTo: flow.requestId,
      acsUrl,
      audience: `${rig.origin}/sso/saml/${accountId}/metadata`,
      ...change,
    })
    return { saml, relayState: flow.relayState }
  }

  function postAcs(samlResponse: string, relayState: string, path = acsPath) {
    return rig.app.server.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(idp.ssoUrl).origin },
      payload: new URLSearchParams({ SAMLResponse: samlResponse, RelayState: relayState }).toString(),
    })
  }

  const outcome = (res: Awaited<ReturnType<typeof postAcs>>) => ({
    status: res.statusCode,
    location: res.headers.location,
    signedIn: res.cookies.some((c) => c.name === 'roster_session' && c.value !== ''),
  })
  const refused = (code: string) => ({ status: 303, location: `/login?ssoError=${code}`, signedIn: false })
  const signedIn = { status: 303, location: '/', signedIn: true }

  before(async () => {
    rig = await startBrowserRig()
    idp = await startSamlIdp()
    const acme = await rig.app.account('Acme', ['acme.com'], 'ada@acme.com')
    adminKey = acme.adminKey
    accountId = acme.accountId
    acsPath = `/sso/saml/${accountId}/acs`
    const set = await rig.app.post('/api/setSsoConfig', adminKey, { samlMetadata: idp.metadata })
    assert.equal(set.statusCode, 200, set.body)
    await rig.app.member(accountId, 'bob@acme.com', 'MEMBER')
  })
  after(async () => {
    await rig?.close()
    await idp?.close()
  })

  it("signs a member in through the IdP's page in the browser", async () => {
    const context = await rig.context()
    const page = await context.newPage()
    await page.goto('/login')
    await page.getByRole('button', { name: 'Sign in with SSO' }).click()
    await page.getByLabel('Email').fill('bob@acme.com')
    await page.getByRole('button', { name: 'Continue with single sign-on' }).click()
    await page.getByLabel('Company email').fill('bob@acme.com')
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.waitForURL(`${rig.origin}/`)
    await page.getByRole('heading', { name: 'Team', exact: true }).waitFor()
    const me = await page.request.post('/api/me', { headers: { origin: rig.origin }, data: {} })
    assert.equal(((await me.json()) as { email: string }).email, 'bob@acme.com')
    await context.close()
  })

  it('accepts a valid signed answer (the control)', async () => {
    const { saml, relayState } = await answer('bob@acme.com')
    assert.deepEqual(outcome(await postAcs(saml, relayState)), signedIn)
  })

  it("lands a flow started from an application's sign-in step back in that step, signed in", async () => {
    const returnTo = '/oidc/interaction/Xy_9-abc'
    const { saml, relayState } = await answer('bob@acme.com', {}, { returnTo })
    assert.deepEqual(outcome(await postAcs(saml, relayState)), { ...signedIn, location: returnTo })
  })

  it("refuses to start a flow that would land anywhere but an application's sign-in step", async () => {
    for (const returnTo of [
      'https://evil.example/oidc/interaction/abc',
      '//evil.example/oidc/interaction/abc',
      '/oidc/interaction/abc/../../team',
      '/team',
    ]) {
      const res = await rig.app.post('/api/startSso', undefined, { email: 'bob@acme.com', returnTo })
      assert.equal(res.statusCode, 422, returnTo)
      assert.deepEqual(json(res), {
        actionErrors: ["returnTo must be an application's sign-in step (/oidc/interaction/…)."],
        code: 'SSO_INVALID_RETURN',
      })
    }
  })

  it('refuses a tampered assertion', async () => {
    const { saml, relayState } = await answer('bob@acme.com')
    const tampered = Buffer.from(
      Buffer.from(saml, 'base64').toString('utf8').replace('>bob@acme.com<', '>ada@acme.com<'),
    ).toString('base64')
    assert.deepEqual(outcome(await postAcs(tampered, relayState)), refused('SSO_RESPONSE_INVALID'))
  })

  it('refuses an unsigned assertion', async () => {
    const { saml, relayState } = await answer('bob@acme.com', { sign: false })
    assert.deepEqual(outcome(await postAcs(saml, relayState)), refused('SSO_RESPONSE_INVALID'))
  })

  it('refuses an assertion signed by a key the account does not trust', async () => {
    const { saml, relayState } = await answer('bob@acme.com', { foreignKey: true })
    assert.deepEqual(outcome(await postAcs(saml, relayState)), refused('SSO_RESPONSE_INVALID'))
  })

  it('refuses an expired assertion', async () => {
    const { saml, relayState } = await answer('bob@acme.com', {
      notOnOrAfter: new Date(Date.now() - 10 * 60_000),
    })
    assert.deepEqual(outcome(await postAcs(saml, relayState)), refused('SSO_RESPONSE_INVALID'))
  })

  it('refuses an assertion meant for another service provider (audience)', async () => {
    const { saml, relayState } = await answer('bob@acme.com', {
      audience: 'https://other-sp.example/metadata',
    })
    assert.deepEqual(outcome(await postAcs(saml, relayState)), refused('SSO_RESPONSE_INVALID'))
  })

  it('refuses an assertion addressed to another ACS (recipient)', async () => {
    const { saml, relayState } = await answer('bob@acme.com', { acsUrl: 'https://other-sp.example/acs' })
    assert.deepEqual(outcome(await postAcs(saml, relayState)), refused('SSO_RESPONSE_INVALID'))
  })

  it('refuses an assertion answering another request (InResponseTo)', async () => {
    const { saml, relayState } = await answer('bob@acme.com', { inResponseTo: '_another-request' })
    assert.deepEqual(outcome(await postAcs(saml, relayState)), refused('SSO_RESPONSE_INVALID'))
  })

  it('refuses a replayed assertion, and records the refusal', async () => {
    const { saml, relayState } = await answer('bob@acme.com')
    assert.deepEqual(outcome(await postAcs(saml, relayState)), signedIn)
    assert.deepEqual(outcome(await postAcs(saml, relayState)), refused('SSO_REPLAYED'))
    const { auditLogs } = json(await rig.app.post('/api/getAuditLogs', adminKey, { limit: 50 }))
    assert.ok(auditLogs.some((e: any) => e.action === 'sso.refused' && e.details?.reason === 'SSO_REPLAYED'))
  })

  it('refuses a valid assertion for a stranger with "Please ask admin to invite you!"', async () => {
    const { saml, relayState } = await answer('zed@acme.com')
    assert.deepEqual(outcome(await postAcs(saml, relayState)), refused('SSO_NOT_INVITED'))
  })

  it("keeps the application's sign-in step on the sign-in page when a flow started there is refused", async () => {
    const returnTo = '/oidc/interaction/Xy_9-abc'
    const { saml, relayState } = await answer('zed@acme.com', {}, { returnTo })
    assert.deepEqual(outcome(await postAcs(saml, relayState)), {
      ...refused('SSO_NOT_INVITED'),
      location: `/login?ssoError=SSO_NOT_INVITED&return=${encodeURIComponent(returnTo)}`,
    })
  })

  it("serves the account's SP metadata with its ACS URL and entity id", async () => {
    const res = await rig.app.server.inject({ method: 'GET', url: `/sso/saml/${accountId}/metadata` })
    assert.equal(res.statusCode, 200)
    assert.match(res.headers['content-type'] as string, /samlmetadata\+xml/)
    assert.ok(res.body.includes(`entityID="${rig.origin}/sso/saml/${accountId}/metadata"`))
    assert.ok(res.body.includes(`Location="${rig.origin}${acsPath}"`))
    assert.ok(res.body.includes('WantAssertionsSigned="true"'))
    // No such account: no metadata.
    const none = await rig.app.server.inject({ method: 'GET', url: `/sso/saml/${accountId + 1000}/metadata` })
    assert.equal(none.statusCode, 404)
  })
})
