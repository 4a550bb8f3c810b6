/**
 * Akto's Users page "Reset password" (resetUserPassword, akto-compat.md §8) end to end: an ADMIN
 * asks for a member's link from their session, the member opens it in chromium, sets a new
 * password and signs in with it; the link works once; the audit log says who reset whom.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { json } from '../helpers/app.ts'
import { signIn, startBrowserRig, type BrowserRig } from '../helpers/browser.ts'

const ADA = { email: 'ada@acme.com', password: 'tangerine-octopus-41' }
const BOB = { email: 'bob@acme.com', password: 'marmalade-giraffe-77', next: 'a-brand-new-passphrase-9' }

describe("Akto's resetUserPassword link, in the browser", { concurrency: false }, () => {
  let rig: BrowserRig
  let adaCookie: string
  let link = ''

  before(async () => {
    rig = await startBrowserRig()
    const { accountId } = await rig.app.account('Acme', ['acme.com'])
    await rig.app.member(accountId, BOB.email, 'DEVELOPER', 'Bob')
    await rig.app.password(ADA.email, ADA.password)
    await rig.app.password(BOB.email, BOB.password)
    adaCookie = await rig.app.login(ADA.email, ADA.password)
  })
  after(() => rig.close())

  const signInAsBob = (page: Page, password: string) => signIn(page, { email: BOB.email, password }, '/')

  it("gives the ADMIN a link to the member's reset page, and emails the same link to the member", async () => {
    const before = rig.smtp.received.length
    // As the Users page sends it: its own origin, a configured one, which the link then uses.
    const res = await rig.app.browser('/api/resetUserPassword', adaCookie, {
      userEmail: BOB.email,
      websiteHostName: rig.origin,
    })
    assert.equal(res.statusCode, 200, res.body)
    link = json(res).passwordResetToken
    const url = new URL(link)
    assert.equal(url.origin, rig.origin)
    assert.equal(url.pathname, '/resetPassword')
    const [mail] = (await rig.smtp.waitFor(before + 1)).slice(before)
    assert.deepEqual(mail!.envelopeTo, [BOB.email])
    assert.ok(mail!.text.includes(link), 'the email carries the same link')
  })

  it('lets the member set a new password from the link, and sign in with it', async () => {
    const context = await rig.context()
    const page = await context.newPage()
    await page.goto(link)
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor()
    await page.getByLabel('New password').fill(BOB.next)
    await page.getByRole('button', { name: 'Set password and sign in' }).click()
    await page.getByRole('button', { name: 'Sign out' }).waitFor()
    await rig.screenshot(page, 'akto-reset-user-password-set')

    await page.getByRole('button', { name: 'Sign out' }).click()
    // The old password no longer signs in; the new one does.
    await signInAsBob(page, BOB.password)
    await page.getByRole('alert').filter({ hasText: 'Invalid email or password.' }).waitFor()
    await signInAsBob(page, BOB.next)
    await page.getByRole('button', { name: 'Sign out' }).waitFor()
    await context.close()
  })

  it('refuses the link a second time, leaving the password as it is', async () => {
    const context = await rig.context()
    const page = await context.newPage()
    await page.goto(link)
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor()
    await page.getByLabel('New password').fill('yet-another-passphrase-3')
    await page.getByRole('button', { name: 'Set password and sign in' }).click()
    await page.getByRole('alert').filter({ hasText: 'This link is invalid or has expired.' }).waitFor()
    await rig.screenshot(page, 'akto-reset-user-password-used')
    await context.close()
    const login = (password: string) =>
      rig.app.post('/api/login', undefined, { email: BOB.email, password }, { origin: rig.origin })
    assert.equal((await login('yet-another-passphrase-3')).statusCode, 401)
    assert.equal((await login(BOB.next)).statusCode, 200)
  })

  it('records in the audit log that the ADMIN reset the member, and the member then set a password', async () => {
    const { auditLogs } = json(await rig.app.browser('/api/getAuditLogs', adaCookie, { limit: 50 }))
    const reset = auditLogs.find((e: { action: string }) => e.action === 'member.password_reset')
    assert.deepEqual([reset.actorEmail, reset.target], [ADA.email, BOB.email])
    const done = auditLogs.filter((e: { action: string }) => e.action === 'password.reset')
    assert.equal(done.length, 1, 'the link was used once')
    assert.equal(done[0].actorEmail, BOB.email)
    // As Akto's Audit-log page reads it.
    const akto = json(
      await rig.app.browser('/api/fetchApiAuditLogsFromDb', adaCookie, {
        skip: 0,
        limit: -1,
        sortOrder: -1,
        startTimestamp: 0,
        endTimestamp: 9_999_999_999,
      }),
    )
    const entry = akto.apiAuditLogs.find(
      (e: { apiEndpoint: string }) => e.apiEndpoint === '/api/resetUserPassword',
    )
    assert.deepEqual(
      [entry.userEmail, entry.actionDescription],
      [ADA.email, `Sent a password-reset link to ${BOB.email}`],
    )
  })
})
