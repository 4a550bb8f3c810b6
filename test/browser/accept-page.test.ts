/**
 * The invitation link in a real browser: the page's own script accepts the invitation through
 * /api/acceptInvitation and leaves the browser signed in. Needs Chromium (CHROMIUM_PATH or
 * /usr/bin/chromium).
 */
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { chromium, type Browser } from 'playwright-core'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as AddressInfo
  await new Promise((resolve) => probe.close(resolve))
  return port
}

describe('the invitation page in a browser', { skip: !existsSync(executablePath) && 'no Chromium' }, () => {
  let t: TestApp
  let browser: Browser
  let adminKey: string
  let origin: string

  before(async () => {
    const port = await freePort()
    origin = `http://127.0.0.1:${port}`
    t = await startTestApp({ env: { PUBLIC_URL: origin } })
    await t.server.listen({ port, host: '127.0.0.1' })
    ;({ adminKey } = await t.account('Acme', ['acme.com']))
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] })
  })
  after(async () => {
    await browser?.close()
    await t?.close()
  })

  it(
    'lets a new user choose a name and password, join, and end up signed in',
    { timeout: 120_000 },
    async () => {
      const invite = json(
        await t.post('/api/inviteUsers', adminKey, {
          inviteeEmail: 'bob@acme.com',
          inviteeRole: 'DEVELOPER',
        }),
      )
      const context = await browser.newContext()
      const page = await context.newPage()
      await page.goto(invite.finalInviteCode)
      assert.match(await page.locator('h1').innerText(), /Join Acme/)
      assert.match(
        await page.locator('body').innerText(),
        /Ada \(ada@acme\.com\) invited bob@acme\.com to join Acme as DEVELOPER/,
      )
      await page.fill('#name', 'Bob Builder')
      await page.fill('#password', 'short')
      await page.fill('#password', 'tangerine-octopus-41')
      await page.click('button[type=submit]')
      await page.locator('#message', { hasText: 'You joined as DEVELOPER' }).waitFor()
      const me = await page.evaluate(async () => (await fetch('/api/me', { method: 'POST' })).json())
      assert.equal(me.email, 'bob@acme.com')
      assert.equal(me.name, 'Bob Builder')
      assert.equal(me.role, 'DEVELOPER')
      const cookies = await context.cookies()
      assert.equal(cookies.find((c) => c.name === 'roster_session')?.httpOnly, true)
      await context.close()
    },
  )

  it('shows the refusal for a link that was already used', { timeout: 120_000 }, async () => {
    const invite = json(
      await t.post('/api/inviteUsers', adminKey, { inviteeEmail: 'cy@acme.com', inviteeRole: 'GUEST' }),
    )
    await t.post('/api/removeUser', adminKey, { email: 'cy@acme.com' })
    const page = await browser.newPage()
    await page.goto(invite.finalInviteCode)
    assert.match(await page.locator('body').innerText(), /Please ask admin to invite you!/)
    await page.close()
  })
})
