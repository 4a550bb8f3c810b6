/**
 * The endpoints OpenID Connect defines for GET and POST alike answer a form POST as they answer
 * the GET: the authorization endpoint (Core §3.1.2.1) and the logout endpoint (RP-Initiated
 * Logout §2). The browser posts from a blank page, as another site's form would.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import * as client from 'openid-client'
import type { BrowserContext, Page } from 'playwright-core'
import { startBrowserRig, type BrowserRig } from '../helpers/browser.ts'
import { json } from '../helpers/app.ts'
import { authorize, discover, exchange, postForm, startCallback } from './helpers.ts'

const BOB = { email: 'bob@acme.com', password: 'marmalade-giraffe-77' }

describe('Sign in with Roster by form POST', { concurrency: false }, () => {
  let rig: BrowserRig
  let callback: Awaited<ReturnType<typeof startCallback>>
  let context: BrowserContext
  let page: Page
  let bobId = 0
  let config: client.Configuration
  let loggedOut = ''

  before(async () => {
    rig = await startBrowserRig()
    callback = await startCallback()
    loggedOut = callback.url.replace('/callback', '/logged-out')
    const { accountId, adminKey } = await rig.app.account('Acme', ['acme.com'])
    ;({ userId: bobId } = await rig.app.member(accountId, BOB.email, 'MEMBER', 'Bob Builder'))
    await rig.app.password(BOB.email, BOB.password)
    const res = await rig.app.post('/api/addOidcClient', adminKey, {
      name: 'Dashboard',
      redirectUris: [callback.url],
      postLogoutRedirectUris: [loggedOut],
    })
    assert.equal(res.statusCode, 200, res.body)
    const app = json<{ clientId: string; clientSecret: string }>(res)
    config = await discover(rig.origin, app.clientId, app.clientSecret)
    context = await rig.context()
    page = await context.newPage()
  })
  after(async () => {
    await rig.close()
    await callback.close()
  })

  /** Whether the browser's Roster session still signs it in. */
  async function signedIn(): Promise<boolean> {
    const session = (await context.cookies()).find((c) => c.name === 'roster_session')
    if (!session) return false
    return (await rig.app.browser('/api/me', `roster_session=${session.value}`)).statusCode === 200
  }

  function logoutUrl(state: string) {
    return client.buildEndSessionUrl(config, { post_logout_redirect_uri: loggedOut, state })
  }

  it('signs a member in from an authorization request sent as a form POST, as from the GET', async () => {
    const flow = await authorize(page, config, callback.url, BOB, {}, 'POST')
    assert.equal(flow.callback.searchParams.get('state'), flow.state)
    const tokens = await exchange(config, flow)
    assert.equal(tokens.claims()!.sub, String(bobId))
    assert.equal(tokens.claims()!.nonce, flow.nonce)
    // The control: the same request by GET, for the person now signed in.
    const again = await authorize(page, config, callback.url, null)
    assert.equal((await exchange(config, again)).claims()!.sub, String(bobId))
  })

  it('ends the Roster session from a logout request sent as a form POST, as from the GET', async () => {
    assert.equal(await signedIn(), true)
    const landed = page.waitForURL((u) => u.href.startsWith(loggedOut))
    await postForm(page, logoutUrl('by-post'))
    await landed
    assert.equal(new URL(page.url()).searchParams.get('state'), 'by-post')
    assert.equal(await signedIn(), false)

    // The control: signed in again, the same request by GET (it asks first).
    await authorize(page, config, callback.url, BOB)
    assert.equal(await signedIn(), true)
    const back = page.waitForURL((u) => u.href.startsWith(loggedOut))
    await page.goto(logoutUrl('by-get').href)
    await page.getByRole('button', { name: 'Sign out' }).click()
    await back
    assert.equal(new URL(page.url()).searchParams.get('state'), 'by-get')
    assert.equal(await signedIn(), false)
  })
})
