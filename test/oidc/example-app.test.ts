/**
 * The README's example app (examples/sign-in-with-roster) runs as written: a member opens it,
 * signs in on Roster's page in chromium, and the app shows their role from the ID token and from
 * the access token it verified with jose.
 */
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import { startBrowserRig, type BrowserRig } from '../helpers/browser.ts'
import { json } from '../helpers/app.ts'
import { freePort } from '../helpers/server-process.ts'

const BOB = { email: 'bob@acme.com', password: 'marmalade-giraffe-77' }

describe('the example app in the README', () => {
  let rig: BrowserRig
  let app: ChildProcess
  let appUrl = ''

  before(async () => {
    rig = await startBrowserRig()
    const { accountId, adminKey } = await rig.app.account('Acme', ['acme.com'])
    await rig.app.member(accountId, BOB.email, 'DEVELOPER', 'Bob')
    await rig.app.password(BOB.email, BOB.password)
    const port = await freePort()
    appUrl = `http://localhost:${port}`
    const res = await rig.app.post('/api/addOidcClient', adminKey, {
      name: 'Example',
      redirectUris: [`${appUrl}/callback`],
    })
    const { clientId, clientSecret } = json<{ clientId: string; clientSecret: string }>(res)
    app = spawn(process.execPath, ['examples/sign-in-with-roster/app.mjs'], {
      env: {
        ...process.env,
        ROSTER_URL: rig.origin,
        CLIENT_ID: clientId,
        CLIENT_SECRET: clientSecret,
        PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    // Ready when it says where it listens.
    await new Promise<void>((resolve, reject) => {
      app.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('Example app on') && resolve())
      app.once('exit', (code) => reject(new Error(`example app exited with ${code}`)))
    })
  })
  after(async () => {
    app?.kill()
    await rig.close()
  })

  it('signs a member in and shows the role from the ID token and the verified access token', async () => {
    const context = await rig.context()
    const page = await context.newPage()
    await page.goto(appUrl)
    await page.getByLabel('Email').fill(BOB.email, { timeout: 120_000 })
    await page.getByLabel('Password').fill(BOB.password)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.waitForURL((u) => u.href.startsWith(`${appUrl}/callback`), { timeout: 120_000 })
    const text = await page.locator('body').innerText()
    assert.match(text, /Signed in as bob@acme\.com: DEVELOPER in Acme/)
    assert.match(text, /Access token role: DEVELOPER/)
    await context.close()
  })
})
