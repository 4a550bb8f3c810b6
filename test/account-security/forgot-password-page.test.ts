/**
 * The "Forgot your password?" page with PASSWORD_RESET_TTL other than its default hour: what the
 * page tells the person must hold for the configured lifetime, which only the email states.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startBrowserRig, type BrowserRig } from '../helpers/browser.ts'

describe('the forgot-password page under a PASSWORD_RESET_TTL of 10 minutes', () => {
  let rig: BrowserRig

  before(async () => {
    rig = await startBrowserRig({ env: { PASSWORD_RESET_TTL: '600' } })
    await rig.app.account('Acme', ['acme.com'])
    await rig.app.password('ada@acme.com', 'tangerine-octopus-41')
  })
  after(() => rig.close())

  it('promises no lifetime of its own: the email, sent with the configured 10 minutes, says when the link expires', async () => {
    const context = await rig.context()
    const page = await context.newPage()
    await page.goto('/login')
    await page.getByRole('link', { name: 'Forgot your password?' }).click()
    await page.getByLabel('Email').fill('ada@acme.com')
    const asked = Date.now()
    await page.getByRole('button', { name: 'Email me a link' }).click()
    const notice = page.getByText(/an email with a link to choose a new password is on its way/)
    await notice.waitFor()
    const [mail] = await rig.smtp.waitFor(1)
    const expires = Date.parse(/expires on (.+? GMT)\./.exec(mail!.text)![1]!)
    // The email's expiry is the configured lifetime (to the second it prints).
    assert.ok(Math.abs(expires - (asked + 600_000)) < 5_000, mail!.text)
    assert.equal(
      await notice.innerText(),
      'If ada@acme.com belongs to a Roster user, an email with a link to choose a new password is on its way. ' +
        'The link works once, until the time the email gives.',
    )
    await context.close()
  })
})
