/** The Provisioning page in chromium: the base URL, a token shown once that works with curl, revoking it. */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { startBrowserRig, type BrowserRig } from '../helpers/browser.ts'

const run = promisify(execFile)
const ADA = { email: 'ada@acme.com', password: 'tangerine-octopus-41' }

describe('the Provisioning page', { concurrency: false }, () => {
  let rig: BrowserRig
  let page: Page

  async function curlUsers(token: string): Promise<number> {
    const args = [
      '-s',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      `${rig.origin}/scim/v2/Users`,
      '-H',
      `Authorization: Bearer ${token}`,
    ]
    return Number((await run('curl', args)).stdout)
  }

  before(async () => {
    rig = await startBrowserRig()
    await rig.app.account('Acme', ['acme.com'], ADA.email)
    await rig.app.password(ADA.email, ADA.password)
    page = await (await rig.context()).newPage()
    await page.goto('/login')
    await page.getByLabel('Email').fill(ADA.email)
    await page.getByLabel('Password').fill(ADA.password)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByRole('link', { name: 'Provisioning' }).click()
    await page.getByRole('heading', { name: 'Provisioning', exact: true }).waitFor()
  })
  after(() => rig.close())

  it('shows the SCIM base URL and a new token once, which works until it is revoked', async () => {
    // The settings load after the heading shows: wait for the field to be filled, then compare.
    const baseUrl = page.getByLabel('SCIM base URL')
    await page.waitForFunction((el) => (el as HTMLInputElement).value !== '', await baseUrl.elementHandle())
    assert.equal(await baseUrl.inputValue(), `${rig.origin}/scim/v2`)
    await page.getByLabel('Name').fill('Okta')
    await page.getByRole('button', { name: 'Create token' }).click()
    const token = await page.getByLabel('Token "Okta"').inputValue()
    assert.match(token, /^rsc_/)
    assert.equal(await curlUsers(token), 200)

    await page.getByRole('button', { name: 'Revoke the token Okta' }).click()
    await page.getByRole('button', { name: 'Revoke token' }).click()
    await page.getByText('Revoked the token Okta.').waitFor()
    assert.equal(await curlUsers(token), 401)
  })
})
