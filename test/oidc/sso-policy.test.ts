/**
 * Sign in with Roster holds the application account's single sign-on: a session in another of
 * the person's accounts signs them in to the application only if it could enter the
 * application's account itself. Gus is a member of Acme (the application's) and Globex (his
 * session's); each refusal differs from the control by one property.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type * as client from 'openid-client'
import type { BrowserContext, Page } from 'playwright-core'
import { json } from '../helpers/app.ts'
import { signIn, startBrowserRig, type BrowserRig } from '../helpers/browser.ts'
import { startOidcIdp, type TestOidcIdp } from '../helpers/oidc-idp.ts'
import { authorize, discover, exchange, startCallback } from './helpers.ts'

const GUS = { email: 'gus@globex.com', password: 'paprika-narwhal-29' }
const SSO_REQUIRED = 'This account requires single sign-on.'
const SSO_OTHER_ACCOUNT =
  "You signed in through another account's identity provider: sign in again to open this account."

describe('Sign in with Roster and the application account’s single sign-on', { concurrency: false }, () => {
  let rig: BrowserRig
  let callback: Awaited<ReturnType<typeof startCallback>>
  let acmeIdp: TestOidcIdp
  let globexIdp: TestOidcIdp
  let acme = { accountId: 0, adminKey: '' }
  let globex = { accountId: 0, adminKey: '' }
  let config: client.Configuration
  const contexts: BrowserContext[] = []

  async function setSso(account: typeof acme, idp: TestOidcIdp, required: boolean) {
    const res = await rig.app.post('/api/setSsoConfig', account.adminKey, {
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      required,
    })
    assert.equal(res.statusCode, 200, res.body)
  }

  async function newPage(): Promise<Page> {
    const context = await rig.context()
    contexts.push(context)
    return context.newPage()
  }

  /** Gus signed in with his password, his session switched to Globex. */
  async function passwordSessionInGlobex(): Promise<Page> {
    const page = await newPage()
    await signIn(page, GUS)
    await page.waitForURL(`${rig.origin}/`)
    const session = (await page.context().cookies()).find((c) => c.name === 'roster_session')
    assert.ok(session)
    const switched = await rig.app.browser('/api/switchAccount', `roster_session=${session.value}`, {
      accountId: globex.accountId,
    })
    assert.equal(switched.statusCode, 200, switched.body)
    return page
  }

  before(async () => {
    rig = await startBrowserRig()
    callback = await startCallback()
    acmeIdp = await startOidcIdp([`${rig.origin}/sso/oidc/callback`])
    globexIdp = await startOidcIdp([`${rig.origin}/sso/oidc/callback`])
    acme = await rig.app.account('Acme', ['acme.com'], 'ada@acme.com')
    globex = await rig.app.account('Globex', ['globex.com'], 'hank@globex.com')
    await rig.app.services.accounts.addUser({ accountId: acme.accountId, email: GUS.email, role: 'MEMBER' })
    await rig.app.services.accounts.addUser({ accountId: globex.accountId, email: GUS.email, role: 'MEMBER' })
    await rig.app.password(GUS.email, GUS.password)
    await setSso(acme, acmeIdp, false)
    await setSso(globex, globexIdp, false)
    const added = await rig.app.post('/api/addOidcClient', acme.adminKey, {
      name: 'Dashboard',
      redirectUris: [callback.url],
    })
    assert.equal(added.statusCode, 200, added.body)
    const app = json<{ clientId: string; clientSecret: string }>(added)
    config = await discover(rig.origin, app.clientId, app.clientSecret)
  })
  after(async () => {
    for (const context of contexts) await context.close()
    await rig.close()
    await callback.close()
    await acmeIdp.close()
    await globexIdp.close()
  })

  it('signs a password session in another account in to the application’s account when it does not require single sign-on', async () => {
    const page = await passwordSessionInGlobex()
    const flow = await authorize(page, config, callback.url, null)
    assert.equal(flow.callback.searchParams.get('error'), null)
    const tokens = await exchange(config, flow)
    assert.equal(tokens.claims()!.email, GUS.email)
    assert.equal(tokens.claims()!.account_id, acme.accountId)
  })

  it('sends the same password session back with access_denied and no code when the application’s account requires single sign-on', async () => {
    await setSso(acme, acmeIdp, true)
    try {
      const page = await passwordSessionInGlobex()
      const flow = await authorize(page, config, callback.url, null)
      assert.equal(flow.callback.searchParams.get('error'), 'access_denied')
      assert.equal(flow.callback.searchParams.get('error_description'), SSO_REQUIRED)
      assert.equal(flow.callback.searchParams.get('code'), null)
      assert.equal(flow.callback.searchParams.get('state'), flow.state)
    } finally {
      await setSso(acme, acmeIdp, false)
    }
  })

  it('brings a person who signs in with single sign-on from the application’s sign-in page back into the application', async () => {
    const page = await newPage()
    // Not signed in: the application's sign-in sends Ada to Roster's sign-in page.
    const pending = authorize(page, config, callback.url, null)
    await page.getByRole('button', { name: 'Sign in with SSO' }).click()
    await page.getByLabel('Email').fill('ada@acme.com')
    await page.getByRole('button', { name: 'Continue with single sign-on' }).click()
    await page.waitForURL((url) => url.origin === acmeIdp.issuer)
    await page.locator('input[name="login"]').fill('ada@acme.com')
    await page.locator('input[name="password"]').fill('anything')
    await page.locator('button[type="submit"]').click()
    await page.getByRole('button', { name: 'Continue' }).click()
    const flow = await pending
    assert.equal(flow.callback.searchParams.get('error'), null)
    const tokens = await exchange(config, flow)
    assert.equal(tokens.claims()!.email, 'ada@acme.com')
    assert.equal(tokens.claims()!.account_id, acme.accountId)
  })

  it('sends a session opened by another account’s identity provider back with access_denied and no code', async () => {
    const page = await newPage()
    await page.goto('/login')
    await page.getByRole('button', { name: 'Sign in with SSO' }).click()
    await page.getByLabel('Email').fill(GUS.email)
    await page.getByRole('button', { name: 'Continue with single sign-on' }).click()
    await page.waitForURL((url) => url.origin === globexIdp.issuer)
    await page.locator('input[name="login"]').fill(GUS.email)
    await page.locator('input[name="password"]').fill('anything')
    await page.locator('button[type="submit"]').click()
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.waitForURL(`${rig.origin}/`)
    const flow = await authorize(page, config, callback.url, null)
    assert.equal(flow.callback.searchParams.get('error'), 'access_denied')
    assert.equal(flow.callback.searchParams.get('error_description'), SSO_OTHER_ACCOUNT)
    assert.equal(flow.callback.searchParams.get('code'), null)
  })
})
