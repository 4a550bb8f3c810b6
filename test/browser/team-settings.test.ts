/**
 * A team admin's day in a real browser: first-run setup, sign-in, inviting, accepting in a second
 * browser, changing a role, removing a member, what a DEVELOPER sees, and API keys checked with curl.
 * The steps build on each other, so they run in order on one Roster.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { after, before, describe, it } from 'node:test'
import type { BrowserContext, Page } from 'playwright-core'
import { startBrowserRig, type BrowserRig } from '../helpers/browser.ts'

const run = promisify(execFile)
const ADA = { email: 'ada@acme.com', password: 'tangerine-octopus-41' }
const BOB = { email: 'bob@acme.com', name: 'Bob Builder', password: 'marmalade-giraffe-77' }

describe('the web page, end to end in chromium', { concurrency: false }, () => {
  let rig: BrowserRig
  let admin: BrowserContext
  let page: Page
  let bobContext: BrowserContext
  let bobPage: Page
  let inviteLink = ''

  /** The row of the team table that holds this email. */
  const row = (p: Page, email: string) => p.getByRole('row').filter({ hasText: email })
  /** Calls the API as a script would, with an API key, through curl. */
  async function curlTeam(key: string): Promise<number> {
    const { stdout } = await run('curl', [
      '-s',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '-X',
      'POST',
      `${rig.origin}/api/getTeamData`,
      '-H',
      `X-API-KEY: ${key}`,
    ])
    return Number(stdout)
  }

  before(async () => {
    rig = await startBrowserRig()
    admin = await rig.context()
    page = await admin.newPage()
  })
  after(() => rig.close())

  it('offers first-run setup on an empty database, signs the new ADMIN in, and then is gone', async () => {
    await page.goto('/')
    await page.getByRole('heading', { name: 'Set up Roster', exact: true }).waitFor()
    await page.getByLabel('Account name').fill('Acme')
    await page.getByLabel('Email domains').fill('acme.com')
    await page.getByLabel('Your name').fill('Ada Lovelace')
    await page.getByLabel('Your email').fill('someone@elsewhere.com')
    await page.getByLabel('Password').fill(ADA.password)
    await page.getByRole('button', { name: 'Create account and sign in' }).click()
    // The server's message appears beside the field it is about.
    const emailField = page.getByLabel('Your email')
    await page.getByText("The admin's email must belong to one of the account's domains.").waitFor()
    assert.equal(await emailField.getAttribute('aria-invalid'), 'true')
    await rig.screenshot(page, '01-setup')
    await emailField.fill(ADA.email)
    await page.getByRole('button', { name: 'Create account and sign in' }).click()
    await page.getByRole('heading', { name: 'Team', exact: true }).waitFor()
    assert.match(await row(page, ADA.email).innerText(), /Ada Lovelace[\s\S]*ADMIN[\s\S]*Active/)
    const other = await rig.context()
    const fresh = await other.newPage()
    await fresh.goto('/')
    await fresh.getByRole('heading', { name: 'Sign in', exact: true }).waitFor()
    await other.close()
  })

  it('signs out, refuses a wrong password and signs in with the right one', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor()
    await page.getByLabel('Email').fill(ADA.email)
    await page.getByLabel('Password').fill('not-the-password')
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByRole('alert').filter({ hasText: 'Invalid email or password.' }).waitFor()
    await rig.screenshot(page, '02-sign-in-refused')
    await page.getByLabel('Password').fill(ADA.password)
    // From the keyboard: Enter in the form signs in.
    await page.getByLabel('Password').press('Enter')
    await page.getByRole('heading', { name: 'Team', exact: true }).waitFor()
  })

  it('invites a teammate with a grantable role, shows field errors, and lists them as pending', async () => {
    const options = await page.getByLabel('Role', { exact: true }).locator('option').allInnerTexts()
    assert.deepEqual(options, ['ADMIN', 'MEMBER', 'DEVELOPER', 'GUEST'])
    await page.getByLabel('Email', { exact: true }).fill('bob@elsewhere.com')
    await page.getByRole('button', { name: 'Send invitation' }).click()
    await page.getByText('Email must belong to same organisation').waitFor()
    assert.equal(await page.getByLabel('Email', { exact: true }).getAttribute('aria-invalid'), 'true')
    await page.getByLabel('Email', { exact: true }).fill(BOB.email)
    await page.getByLabel('Name (optional)').fill(BOB.name)
    await page.getByLabel('Role', { exact: true }).selectOption('DEVELOPER')
    await page.getByRole('button', { name: 'Send invitation' }).click()
    await page.getByText(`Invited ${BOB.email} as DEVELOPER.`).waitFor()
    const pending = page.getByRole('table', { name: /Pending invitations/ })
    assert.match(
      await row(pending as unknown as Page, BOB.email).innerText(),
      /DEVELOPER[\s\S]*Invited[\s\S]*expires/,
    )
    // The link the invitee follows is the one in the email the running outbox worker delivered
    // to the in-process SMTP server; the page's "copy link" box shows the same link.
    const [mail] = (await rig.smtp.waitFor(1)).filter((m) => m.envelopeTo.includes(BOB.email))
    assert.ok(mail, 'the invitation email arrived')
    inviteLink = /https?:\/\/\S+\/addUserToAccount\?\S+/.exec(mail.text)?.[0] ?? ''
    assert.ok(inviteLink.startsWith(`${rig.origin}/addUserToAccount?signupInvitationCode=`), inviteLink)
    assert.equal(await page.getByLabel(/Invitation link/).inputValue(), inviteLink)
    await rig.screenshot(page, '03-team-invited')
  })

  it('lets the invitee open the link in another browser, sign up, and appear as a member', async () => {
    bobContext = await rig.context()
    bobPage = await bobContext.newPage()
    await bobPage.goto(inviteLink)
    await bobPage.getByRole('heading', { name: 'Join Acme', exact: true }).waitFor()
    assert.match(
      await bobPage.locator('main').innerText(),
      /Ada Lovelace \(ada@acme\.com\) invited bob@acme\.com to join Acme as DEVELOPER/,
    )
    await rig.screenshot(bobPage, '04-accept-invitation')
    await bobPage.getByLabel('Your name').fill(BOB.name)
    await bobPage.getByLabel('Choose a password').fill(BOB.password)
    await bobPage.getByRole('button', { name: 'Create my user and join' }).click()
    await bobPage.getByRole('heading', { name: 'Team', exact: true }).waitFor()
    // The link works once.
    const reused = await bobContext.newPage()
    await reused.goto(inviteLink)
    await reused.getByRole('alert').filter({ hasText: 'Please ask admin to invite you!' }).waitFor()
    await reused.close()
    await page.reload()
    const members = page.getByRole('table', { name: /Members/ })
    await members.getByText(BOB.email).waitFor()
    assert.match(
      await members.getByRole('row').filter({ hasText: BOB.email }).innerText(),
      /Bob Builder[\s\S]*DEVELOPER[\s\S]*Active/,
    )
    assert.equal(
      await page
        .getByRole('table', { name: /Pending invitations/ })
        .getByText(BOB.email)
        .count(),
      0,
    )
  })

  it('offers a DEVELOPER no invite, role or remove controls', async () => {
    await bobPage
      .getByRole('table', { name: /Members/ })
      .getByText(ADA.email)
      .waitFor()
    assert.equal(await bobPage.getByRole('heading', { name: 'Invite a teammate', exact: true }).count(), 0)
    assert.equal(await bobPage.getByRole('button', { name: /Remove|Cancel the invitation/ }).count(), 0)
    assert.equal(await bobPage.getByRole('combobox', { name: /Role of/ }).count(), 0)
    assert.deepEqual(
      await bobPage.getByRole('navigation', { name: 'Settings' }).getByRole('link').allInnerTexts(),
      ['Team', 'API keys', 'Security'],
    )
    await rig.screenshot(bobPage, '05-team-as-developer')
  })

  it("changes a member's role", async () => {
    await page.getByLabel('Role of Bob Builder').selectOption('MEMBER')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Bob Builder is now MEMBER.').waitFor()
    await bobPage.reload()
    await bobPage.getByRole('heading', { name: 'Invite a teammate', exact: true }).waitFor()
  })

  it('removes a member after confirmation, which ends their session', async () => {
    await page.getByRole('button', { name: 'Remove Bob Builder' }).click()
    const dialog = page.getByRole('dialog', { name: 'Remove Bob Builder?' })
    await dialog.waitFor()
    await rig.screenshot(page, '06-confirm-remove')
    // The safe choice has the focus, and Escape backs out, as with any dialog.
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Cancel')
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
    assert.equal(
      await page
        .getByRole('table', { name: /Members/ })
        .getByText(BOB.email)
        .count(),
      1,
    )
    await page.getByRole('button', { name: 'Remove Bob Builder' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click()
    await page.getByText('Removed Bob Builder from the team.').waitFor()
    // The list reloads after the message: wait for the row to go (times out, red, if it stays).
    await page
      .getByRole('table', { name: /Members/ })
      .getByText(BOB.email)
      .waitFor({ state: 'detached' })
    await bobPage.reload()
    await bobPage.getByRole('heading', { name: 'Sign in', exact: true }).waitFor()
    await bobContext.close()
  })

  it('creates an API key shown once, which works with curl until it is revoked', async () => {
    await page.getByRole('link', { name: 'API keys' }).click()
    await page.getByRole('heading', { name: 'API keys', exact: true }).waitFor()
    await page.getByLabel('Name').fill('ci pipeline')
    await page.getByRole('button', { name: 'Create key' }).click()
    const key = await page.getByLabel('Key "ci pipeline"').inputValue()
    assert.match(key, /^rst_/)
    await page.getByRole('button', { name: 'Copy key' }).waitFor()
    const listed = page.getByRole('row').filter({ hasText: 'ci pipeline' })
    assert.match(await listed.innerText(), new RegExp(`${key.slice(0, 8)}[\\s\\S]*Never`))
    await rig.screenshot(page, '07-api-keys')
    assert.equal(await curlTeam(key), 200)
    await page.getByRole('button', { name: 'Revoke the key ci pipeline' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke key' }).click()
    await page.getByText('Revoked the key ci pipeline.').waitFor()
    await listed.waitFor({ state: 'detached' })
    assert.equal(await curlTeam(key), 401)
  })

  it('lets an ADMIN manage custom roles and read the audit log, newest first', async () => {
    await page.getByRole('link', { name: 'Roles' }).click()
    await page.getByLabel('Name').fill('qa-lead')
    await page.getByLabel('Acts as').selectOption('DEVELOPER')
    await page.getByRole('button', { name: 'Create role' }).click()
    await page.getByRole('row').filter({ hasText: 'QA-LEAD' }).waitFor()
    await page.getByLabel('Name').fill('admin')
    await page.getByRole('button', { name: 'Create role' }).click()
    await page.getByText('ADMIN is a reserved keyword.').waitFor()
    assert.equal(await page.getByText('Created the role QA-LEAD.').count(), 0)
    await rig.screenshot(page, '08-roles')
    await page.getByRole('link', { name: 'Audit log' }).click()
    const first = page.getByRole('table').getByRole('row').nth(1)
    await first.getByText('custom_role.create').waitFor()
    await page.getByText('account.create').waitFor()
    await rig.screenshot(page, '09-audit')
  })

  it('switches between the accounts of a user who belongs to several', async () => {
    // An operator adds Ada to a second organisation (its domains include hers).
    await rig.app.services.accounts.createAccount({
      name: 'Globex',
      domains: ['globex.com', 'acme.com'],
      adminEmail: ADA.email,
    })
    await page.goto('/team')
    const chooser = page.getByLabel('Account', { exact: true })
    await chooser.waitFor()
    assert.deepEqual(await chooser.locator('option').allInnerTexts(), ['Acme (ADMIN)', 'Globex (ADMIN)'])
    await chooser.selectOption({ label: 'Globex (ADMIN)' })
    await page.getByRole('button', { name: 'Switch' }).click()
    await page.getByText('Globex: who is on the team and what each person may do.').waitFor()
    assert.equal(
      await page
        .getByRole('table', { name: /Members/ })
        .getByRole('row')
        .filter({ hasText: '@' })
        .count(),
      1,
    )
    await rig.screenshot(page, '11-switched-account')
    await chooser.selectOption({ label: 'Acme (ADMIN)' })
    await page.getByRole('button', { name: 'Switch' }).click()
    await page.getByText('Acme: who is on the team and what each person may do.').waitFor()
  })

  it('fits a phone-sized screen', async () => {
    const phone = await rig.context({ viewport: { width: 390, height: 844 } })
    const small = await phone.newPage()
    await small.goto('/')
    await small.getByLabel('Email').fill(ADA.email)
    await small.getByLabel('Password').fill(ADA.password)
    await small.getByRole('button', { name: 'Sign in', exact: true }).click()
    await small.getByRole('heading', { name: 'Team', exact: true }).waitFor()
    const width = await small.evaluate(() => document.documentElement.scrollWidth)
    assert.ok(width <= 390, `the page scrolls sideways (${width}px)`)
    await rig.screenshot(small, '10-team-phone')
    await phone.close()
  })
})
