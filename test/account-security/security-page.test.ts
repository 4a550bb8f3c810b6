/**
 * The Security page and the sign-in page in chromium: passkeys through a DevTools-protocol virtual
 * authenticator (a clone of a passkey refused by its counter), two-factor set up from the QR code,
 * sessions listed and revoked across two browsers, and a forgotten password reset from the email.
 * Then the passkey API with assertions signed here with the registered passkey's key (a wrong
 * origin, removal), and the account's two-factor requirement: a passkey satisfies it, a member
 * without one is kept on the enrolment screen, and one with only TOTP may not turn it off.
 */
import assert from 'node:assert/strict'
import { createHash, createPrivateKey, sign } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { Secret, TOTP } from 'otpauth'
import type { BrowserContext, Page } from 'playwright-core'
import { json, sessionCookie } from '../helpers/app.ts'
import { signIn } from '../helpers/browser.ts'
import { startLocalhostRig, virtualAuthenticator, type LocalhostRig } from './rig.ts'

const ADA = { email: 'ada@acme.com', password: 'tangerine-octopus-41' }
const BOB = { email: 'bob@acme.com', password: 'marmalade-giraffe-77' }
const CY = { email: 'cy@acme.com', password: 'saffron-walrus-58' }
/** Ada's password once the reset test has run. */
const ADA_RESET = 'a-brand-new-passphrase-9'

type Credential = {
  credentialId: string
  isResidentCredential: boolean
  rpId?: string
  privateKey: string
  userHandle?: string
  signCount: number
}

describe('account security in the browser', { concurrency: false }, () => {
  let rig: LocalhostRig
  let adminKey = ''
  const contexts: BrowserContext[] = []

  async function newPage(): Promise<Page> {
    const context = await rig.context()
    // Each sign-in runs scrypt (128 MiB): on a loaded machine that alone can take tens of seconds.
    context.setDefaultTimeout(120_000)
    contexts.push(context)
    return context.newPage()
  }
  async function signInToSecurity(page: Page, who: { email: string; password: string }) {
    await signIn(page, who, '/')
    await page.getByRole('link', { name: 'Security' }).waitFor()
  }

  before(async () => {
    rig = await startLocalhostRig()
    ;({ adminKey } = await rig.app.account('Acme', ['acme.com']))
    await rig.app.password(ADA.email, ADA.password)
    await rig.app.services.accounts.addUser({ accountId: 1, email: BOB.email, role: 'MEMBER', name: 'Bob' })
    await rig.app.password(BOB.email, BOB.password)
    await rig.app.services.accounts.addUser({ accountId: 1, email: CY.email, role: 'MEMBER', name: 'Cy' })
    await rig.app.password(CY.email, CY.password)
  })
  after(async () => {
    for (const c of contexts) await c.close()
    await rig.close()
  })

  let registered: Credential
  /** Bob's authenticator app, once he has set up two-factor. */
  let bobSecret = ''

  it('registers a passkey on the Security page and lists it', async () => {
    const page = await newPage()
    const { cdp, authenticatorId } = await virtualAuthenticator(page)
    await signInToSecurity(page, ADA)
    await page.getByRole('link', { name: 'Security' }).click()
    await page.getByLabel('Name', { exact: true }).fill('Work laptop')
    await page.getByRole('button', { name: 'Add a passkey' }).click()
    await page.getByText('Added the passkey Work laptop.').waitFor()
    await page.getByRole('cell', { name: 'Work laptop', exact: true }).waitFor()
    const { credentials } = (await cdp.send('WebAuthn.getCredentials', { authenticatorId })) as {
      credentials: Credential[]
    }
    assert.equal(credentials.length, 1)
    assert.equal(credentials[0]!.isResidentCredential, true)
    assert.equal(credentials[0]!.rpId, 'localhost')
    registered = credentials[0]!
  })

  /** A new browser whose authenticator holds a copy of the registered passkey at `signCount`. */
  async function browserHolding(signCount: number): Promise<Page> {
    const page = await newPage()
    const { cdp, authenticatorId } = await virtualAuthenticator(page)
    await cdp.send('WebAuthn.addCredential', { authenticatorId, credential: { ...registered, signCount } })
    return page
  }

  it('signs in with the passkey (a discoverable credential) in another browser, and refuses a clone whose counter went back', async () => {
    const page = await browserHolding(registered.signCount)
    await page.goto('/')
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
    await page.getByRole('link', { name: 'Security' }).waitFor()
    await page.locator('.user-email', { hasText: ADA.email }).waitFor()

    // A copy of the authenticator as it was at registration: its next counter is one the server has seen.
    const clone = await browserHolding(registered.signCount)
    await clone.goto('/')
    await clone.getByRole('button', { name: 'Sign in with a passkey' }).click()
    await clone.getByText('This passkey could not sign you in.').waitFor()
    assert.equal(await clone.getByRole('link', { name: 'Security' }).count(), 0)
  })

  it('sets up two-factor from the QR code (an image the page’s CSP allows) and shows the recovery codes once', async () => {
    const page = await newPage()
    await signInToSecurity(page, BOB)
    await page.getByRole('link', { name: 'Security' }).click()
    await page.getByRole('button', { name: 'Set up two-factor' }).click()
    const qr = page.getByRole('img', { name: 'QR code for your authenticator app' })
    await qr.waitFor()
    await page.waitForFunction(
      () => (document.querySelector('img.qr-code') as HTMLImageElement | null)?.naturalWidth ?? 0 > 0,
    )
    assert.ok((await qr.evaluate((img: HTMLImageElement) => img.naturalWidth)) > 0)
    bobSecret = (await page.locator('#totp-secret').textContent())!.trim()
    await page.getByLabel('Code from the app').fill(TOTP.generate({ secret: Secret.fromBase32(bobSecret) }))
    await page.getByRole('button', { name: 'Turn on' }).click()
    const codes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem')
    await codes.first().waitFor()
    assert.equal(await codes.count(), 10)

    // The next sign-in asks for a code.
    const second = await newPage()
    await second.goto('/')
    await second.getByLabel('Email').fill(BOB.email)
    await second.getByLabel('Password').fill(BOB.password)
    await second.getByRole('button', { name: 'Sign in', exact: true }).click()
    await second.getByRole('button', { name: 'Use a recovery code' }).click()
    await second.getByLabel('Recovery code').fill((await codes.first().textContent())!.trim())
    await second.getByRole('button', { name: 'Verify' }).click()
    await second.getByRole('link', { name: 'Security' }).waitFor()
  })

  it('lists the sessions of two browsers, marks this one, and signs the other out', async () => {
    const mine = await newPage()
    const other = await newPage()
    await signInToSecurity(other, ADA)
    await signInToSecurity(mine, ADA)
    await mine.getByRole('link', { name: 'Security' }).click()
    const rows = mine.getByRole('table', { name: 'Your sessions' }).getByRole('row')
    await rows.filter({ hasText: '(this device)' }).waitFor()
    // Ada's sessions: the first (passkey) test's, the passkey sign-in's, and these two.
    assert.ok((await rows.count()) >= 3)
    assert.equal(await rows.filter({ hasText: '(this device)' }).count(), 1)
    await mine.getByRole('button', { name: 'Sign out everywhere else' }).click()
    await mine.getByText(/Signed out \d+ other sessions?\./).waitFor()
    // The table reloads after the message: wait for the third row to go, then count.
    await rows.nth(2).waitFor({ state: 'detached' })
    assert.equal(await rows.count(), 2) // the header row and this device
    await other.reload()
    await other.getByRole('heading', { name: 'Sign in', exact: true }).waitFor()
    await mine.reload()
    await mine.getByRole('heading', { name: 'Security' }).waitFor()
  })

  it('resets a forgotten password from the emailed link, and signs in with the new one', async () => {
    const page = await newPage()
    await page.goto('/')
    await page.getByRole('link', { name: 'Forgot your password?' }).click()
    await page.getByLabel('Email').fill(ADA.email)
    const before = rig.smtp.received.length
    await page.getByRole('button', { name: 'Email me a link' }).click()
    await page.getByText(/an email with a link to choose a new password is on its way/).waitFor()
    const [mail] = (await rig.smtp.waitFor(before + 1)).slice(before)
    const link = /http:\/\/localhost:\d+\/resetPassword\?token=[A-Za-z0-9_-]{43}/.exec(mail!.text)![0]
    await page.goto(link)
    await page.getByLabel('New password').fill('a-brand-new-passphrase-9')
    await page.getByRole('button', { name: 'Set password and sign in' }).click()
    await page.getByRole('link', { name: 'Security' }).waitFor()
  })
  /**
   * "Sign in with a passkey" over the API, with an assertion signed here by the registered
   * passkey's private key: the origin and counter are the test's to choose, the signature is real.
   */
  async function passkeyLogin(origin: string, signCount: number) {
    const options = await rig.app.post('/api/passkeyLoginOptions', undefined)
    assert.equal(options.statusCode, 200, options.body)
    const clientData = Buffer.from(
      JSON.stringify({
        type: 'webauthn.get',
        challenge: json(options).challenge,
        origin,
        crossOrigin: false,
      }),
    )
    const counter = Buffer.alloc(4)
    counter.writeUInt32BE(signCount)
    // RP ID hash, flags (user present and verified), counter.
    const authData = Buffer.concat([
      createHash('sha256').update('localhost').digest(),
      Buffer.from([0x05]),
      counter,
    ])
    const key = createPrivateKey({
      key: Buffer.from(registered.privateKey, 'base64'),
      format: 'der',
      type: 'pkcs8',
    })
    // Chromium picks the first algorithm Roster offers that it supports: Ed25519 (no digest) or ES256.
    const signature = sign(
      key.asymmetricKeyType === 'ed25519' ? null : 'sha256',
      Buffer.concat([authData, createHash('sha256').update(clientData).digest()]),
      key,
    )
    const id = Buffer.from(registered.credentialId, 'base64').toString('base64url')
    return rig.app.post('/api/passkeyLogin', undefined, {
      response: {
        id,
        rawId: id,
        type: 'public-key',
        clientExtensionResults: {},
        response: {
          clientDataJSON: clientData.toString('base64url'),
          authenticatorData: authData.toString('base64url'),
          signature: signature.toString('base64url'),
        },
      },
    })
  }
  /** Counters above any the virtual authenticators reached: each signed assertion takes the next. */
  let signCount = 1000
  const passkeyIds = async (cookie: string) =>
    json<{ passkeys: { id: number }[] }>(await rig.app.browser('/api/fetchPasskeys', cookie)).passkeys.map(
      (p) => p.id,
    )
  async function cookieOf(page: Page): Promise<string> {
    const session = (await page.context().cookies()).find((c) => c.name === 'roster_session')
    assert.ok(session, 'the browser holds no Roster session')
    return `roster_session=${session.value}`
  }

  it('refuses a passkey assertion made for another origin, and signs in with the same assertion made for Roster’s origin', async () => {
    const elsewhere = new URL(rig.origin)
    elsewhere.port = String(Number(elsewhere.port) + 1)
    signCount++
    const foreign = await passkeyLogin(elsewhere.origin, signCount)
    assert.equal(foreign.statusCode, 401)
    assert.equal(json(foreign).code, 'PASSKEY_SIGN_IN_FAILED')
    assert.equal(foreign.cookies.length, 0)

    const own = await passkeyLogin(rig.origin, signCount)
    assert.equal(own.statusCode, 200, own.body)
    assert.equal(json(await rig.app.browser('/api/me', sessionCookie(own))).email, ADA.email)
  })

  it('under the account’s two-factor requirement, lets a passkey sign-in in where the same person’s password sign-in may only enrol', async () => {
    const policy = await rig.app.post('/api/setAccountPolicy', adminKey, { requireMfa: true })
    assert.equal(policy.statusCode, 200, policy.body)
    const byPassword = await rig.app.login(ADA.email, ADA_RESET)
    const held = await rig.app.browser('/api/getTeamData', byPassword)
    assert.equal(held.statusCode, 403)
    assert.equal(json(held).code, 'MFA_ENROLMENT_REQUIRED')

    const byPasskey = await passkeyLogin(rig.origin, ++signCount)
    assert.equal(byPasskey.statusCode, 200, byPasskey.body)
    assert.equal((await rig.app.browser('/api/getTeamData', sessionCookie(byPasskey))).statusCode, 200)
  })

  let cyPage: Page

  it('keeps a member of an account that requires two-factor on the enrolment screen, whatever page they open, until they add a passkey', async () => {
    cyPage = await newPage()
    await virtualAuthenticator(cyPage)
    await signIn(cyPage, CY, '/')
    const notice = cyPage.getByText('Acme requires two-factor authentication.')
    await notice.waitFor()
    await cyPage.getByRole('heading', { name: 'Security', exact: true }).waitFor()
    await cyPage.goto('/team')
    await notice.waitFor()
    assert.equal(await cyPage.getByRole('heading', { name: 'Team', exact: true }).count(), 0)

    await cyPage.getByLabel('Name', { exact: true }).fill('Cy’s phone')
    await cyPage.getByRole('button', { name: 'Add a passkey' }).click()
    // Enrolled: the page asked for (/team) opens.
    await cyPage.getByRole('heading', { name: 'Team', exact: true }).waitFor()
    assert.equal(await notice.count(), 0)
  })

  it('refuses turning two-factor off on the Security page while the account requires it, and shows why; a member with a passkey may', async () => {
    // Bob's first code was of the step he enrolled in, this one or an earlier: sign in with the
    // next step's (one step of drift is accepted), so no replay and no wait.
    const page = await newPage()
    await page.goto('/')
    await page.getByLabel('Email').fill(BOB.email)
    await page.getByLabel('Password').fill(BOB.password)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    const next = () => TOTP.generate({ secret: Secret.fromBase32(bobSecret), timestamp: Date.now() + 30_000 })
    await page.getByLabel('Code from your authenticator app').fill(next())
    await page.getByRole('button', { name: 'Verify' }).click()
    await page.getByRole('link', { name: 'Security' }).click()
    // The requirement is checked before the code, which stays unspent.
    await page.getByLabel('Code or recovery code').fill(next())
    await page.getByRole('button', { name: 'Turn off' }).click()
    await page
      .getByText('Your account requires two-factor authentication: add a passkey before turning it off.')
      .waitFor()
    await page.getByText(/^On\./).waitFor()

    // The control: Cy, who added a passkey above, sets up two-factor and turns it off again.
    const cy = await cookieOf(cyPage)
    const { secret } = json(await rig.app.browser('/api/startTotp', cy))
    const first = await rig.app.browser('/api/confirmTotp', cy, {
      code: TOTP.generate({ secret: Secret.fromBase32(secret) }),
    })
    assert.equal(first.statusCode, 200, first.body)
    const off = await rig.app.browser('/api/disableTotp', cy, {
      code: TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: Date.now() + 30_000 }),
    })
    assert.equal(off.statusCode, 200, off.body)
  })

  it('shows a user with two-factor on who joins with their password that they joined, and sends them to sign in with their code', async () => {
    const studio = await rig.app.account('Acme Studio', ['acme.com'], 'stu@acme.com')
    const invited = await rig.app.post('/api/inviteUsers', studio.adminKey, {
      inviteeEmail: BOB.email,
      inviteeRole: 'GUEST',
    })
    assert.equal(invited.statusCode, 200, invited.body)
    const page = await newPage()
    await page.goto(json<{ finalInviteCode: string }>(invited).finalInviteCode)
    await page.getByLabel('Password').fill(BOB.password)
    await page.getByRole('button', { name: 'Sign in and join' }).click()
    await page.getByRole('heading', { name: 'Joined Acme Studio' }).waitFor()
    await page
      .getByText(
        'You joined Acme Studio as GUEST. Your user has two-factor authentication on: sign in with your password and a code from your authenticator app to continue.',
      )
      .waitFor()
    assert.deepEqual(await page.context().cookies(), [])
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByLabel('Email').waitFor()
  })

  it('removes a passkey on the Security page after a confirmation: listed before and not after, another user’s passkey refused, and it no longer signs in', async () => {
    const signedIn = await passkeyLogin(rig.origin, ++signCount)
    assert.equal(signedIn.statusCode, 200, signedIn.body)
    const ada = sessionCookie(signedIn)
    const cy = await cookieOf(cyPage)
    const [adaPasskey] = await passkeyIds(ada)
    const [cyPasskey] = await passkeyIds(cy)
    assert.ok(adaPasskey !== undefined && cyPasskey !== undefined)

    // Cy's passkey, by its real id: not Ada's to remove, answered as no such passkey.
    const refused = await rig.app.browser('/api/removePasskey', ada, { id: cyPasskey })
    assert.equal(refused.statusCode, 404)
    assert.equal(json(refused).code, 'PASSKEY_NOT_FOUND')
    assert.deepEqual(await passkeyIds(cy), [cyPasskey])

    // Acme requires two-factor, and a member keeps a second factor (the last case below): Ada,
    // whose passkey is her only one, sets up an authenticator app first.
    const { secret } = json(await rig.app.browser('/api/startTotp', ada))
    const enrolled = await rig.app.browser('/api/confirmTotp', ada, {
      code: TOTP.generate({ secret: Secret.fromBase32(secret) }),
    })
    assert.equal(enrolled.statusCode, 200, enrolled.body)

    // The control: Ada's own passkey, removed on her Security page once she confirms.
    const page = await newPage()
    await page
      .context()
      .addCookies([{ name: 'roster_session', value: ada.slice('roster_session='.length), url: rig.origin }])
    await page.goto('/security')
    const remove = page.getByRole('button', { name: 'Remove the passkey Work laptop' })
    const dialog = page.getByRole('dialog', { name: 'Remove the passkey Work laptop?' })
    await remove.click()
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await dialog.waitFor({ state: 'detached' })
    assert.deepEqual(await passkeyIds(ada), [adaPasskey])
    await remove.click()
    await dialog.getByRole('button', { name: 'Remove passkey' }).click()
    await page.getByText('Removed the passkey Work laptop.').waitFor()
    await remove.waitFor({ state: 'detached' })
    assert.deepEqual(await passkeyIds(ada), [])
    assert.deepEqual(await passkeyIds(cy), [cyPasskey])
    // The audit log names the passkey removed, as it named it when it was added.
    const { auditLogs } = json<{ auditLogs: { action: string; target: string | null }[] }>(
      await rig.app.post('/api/getAuditLogs', adminKey, { limit: 200 }),
    )
    const removed = auditLogs.filter((e) => e.action === 'passkey.remove')
    assert.deepEqual(
      removed.map((e) => e.target),
      ['Work laptop'],
    )
    const after = await passkeyLogin(rig.origin, ++signCount)
    assert.equal(after.statusCode, 401)
    assert.equal(json(after).code, 'PASSKEY_SIGN_IN_FAILED')
  })

  it('refuses removing the last passkey of a member whose account requires two-factor and who has no authenticator app; with one set up, removes it', async () => {
    // Cy's passkey is her only second factor (she turned two-factor off above), and Acme requires one.
    const cy = await cookieOf(cyPage)
    const [passkey] = await passkeyIds(cy)
    assert.ok(passkey !== undefined)
    const refused = await rig.app.browser('/api/removePasskey', cy, { id: passkey })
    assert.equal(refused.statusCode, 409, refused.body)
    assert.deepEqual(json(refused), {
      actionErrors: [
        'Your account requires two-factor authentication: set up an authenticator app before removing your last passkey.',
      ],
      code: 'LAST_SECOND_FACTOR',
    })
    assert.deepEqual(await passkeyIds(cy), [passkey])

    // The same request once she has an authenticator app.
    const { secret } = json(await rig.app.browser('/api/startTotp', cy))
    const confirmed = await rig.app.browser('/api/confirmTotp', cy, {
      code: TOTP.generate({ secret: Secret.fromBase32(secret) }),
    })
    assert.equal(confirmed.statusCode, 200, confirmed.body)
    const removed = await rig.app.browser('/api/removePasskey', cy, { id: passkey })
    assert.equal(removed.statusCode, 200, removed.body)
    assert.deepEqual(await passkeyIds(cy), [])
  })
})
