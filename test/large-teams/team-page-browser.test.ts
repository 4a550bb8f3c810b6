/**
 * The team page with a team of 100,000 in chromium: it opens on its first page, searches on the
 * server, loads more, and invites many from a pasted CSV.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { startBrowserRig, type BrowserRig } from '../helpers/browser.ts'

const SIZE = 100_000
const PASSWORD = 'tangerine-octopus-41'

describe('the team page with 100,000 members, in chromium', { concurrency: false }, () => {
  let rig: BrowserRig
  let page: Page
  const members = () => page.getByRole('table', { name: /^Members/ })

  before(async () => {
    rig = await startBrowserRig()
    const { accountId } = await rig.app.account('Big', ['big.io'], 'aaa-admin@big.io')
    const rows = Array.from({ length: SIZE }, (_, i) => ({
      email: `p${String(i).padStart(6, '0')}@big.io`,
      name: i === 4242 ? 'Zoë Needle' : `Person ${i}`,
      role: 'GUEST',
    }))
    const results = await rig.app.services.memberImport.importMembers(accountId, rows)
    assert.equal(results.filter((r) => r.ok).length, SIZE)
    await rig.app.password('aaa-admin@big.io', PASSWORD)
    page = await (await rig.context()).newPage()
  })
  after(() => rig.close())

  it('opens on the first page of members, with the whole team counted', async () => {
    await page.goto('/')
    await page.getByLabel('Email').fill('aaa-admin@big.io')
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByRole('table', { name: 'Members (100,001)' }).waitFor()
    assert.equal(await members().locator('tbody tr').count(), 50)
    assert.match(await members().locator('tbody tr').first().innerText(), /aaa-admin@big\.io/)
    await rig.screenshot(page, 'large-teams-01-first-page')
  })

  it('loads the next page with "Load more"', async () => {
    await page.getByRole('button', { name: 'Load more members' }).click()
    await members().locator('tbody tr').nth(99).waitFor()
    assert.equal(await members().locator('tbody tr').count(), 100)
    assert.match(await members().locator('tbody tr').nth(99).innerText(), /p000098@big\.io/)
  })

  it('searches on the server as you type', async () => {
    await page.getByLabel('Search').fill('needl')
    await page.getByRole('table', { name: /^Members \(1 matching of 100,001\)/ }).waitFor()
    assert.match(await members().locator('tbody tr').first().innerText(), /Zoë Needle[\s\S]*p004242@big\.io/)
    await page.getByLabel('Search').fill('')
    await page.getByRole('table', { name: 'Members (100,001)' }).waitFor()
  })

  it('invites many from a pasted CSV: preview with problems, send, results', async () => {
    await page.getByText('Invite many').click()
    await page
      .getByLabel('CSV')
      .fill(
        'email,name,role\nnew1@big.io,"New, One",GUEST\nnot-an-email,X,GUEST\nnew2@big.io,,MEMBER\nnew1@big.io,Again,GUEST\n',
      )
    const preview = page.getByRole('table', { name: /^Preview/ })
    await preview.waitFor()
    assert.match(await preview.locator('caption').innerText(), /2 to send, 2 with problems/)
    assert.match(
      await preview.getByRole('row').filter({ hasText: 'not-an-email' }).innerText(),
      /Not an email address/,
    )
    await page.getByRole('button', { name: 'Send 2 invitations' }).click()
    const results = page.getByRole('table', { name: /^Results/ })
    await results.waitFor()
    assert.match(await results.locator('caption').innerText(), /2 sent, 0 not sent/)
    await page.getByRole('table', { name: 'Pending invitations (2)' }).waitFor()
    await rig.screenshot(page, 'large-teams-02-invite-many')
  })
})
