/**
 * Browser tests: Roster in-process on a real port (PUBLIC_URL set to it, so links and the Origin
 * check match), and Debian's chromium driven by playwright-core, headless, with a fresh profile.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { startTestApp, type TestApp } from './app.ts'
import { startSmtp, type TestSmtp } from './smtp.ts'
import { freePort } from './server-process.ts'

export const SCREENSHOTS = 'test-output/screenshots'

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/**
 * A port on loopback the OS considers free. The server must know its own origin (PUBLIC_URL)
 * before it is built, so the port is chosen first; another program may take it before the server
 * binds it, so `startBrowserRig` retries with a new one on EADDRINUSE.
 */

export interface BrowserRig {
  readonly app: TestApp
  readonly origin: string
  readonly browser: Browser
  /** The SMTP server the running outbox worker delivers invitations to. */
  readonly smtp: TestSmtp
  /** A new, isolated browser profile (its own cookies), as a second person would have. */
  context(options?: { viewport?: { width: number; height: number } }): Promise<BrowserContext>
  screenshot(page: Page, name: string): Promise<void>
  close(): Promise<void>
}

/** `env` adds to the app's configuration; `webhookWorker` runs the webhook deliveries too. */
export async function startBrowserRig(
  options: { env?: Record<string, string>; webhookWorker?: boolean } = {},
): Promise<BrowserRig> {
  const smtp = await startSmtp()
  let listening: { app: TestApp; port: number } | undefined
  for (let attempt = 1; !listening; attempt++) {
    const port = await freePort()
    // A real clock: the page shows real dates.
    const clock = Object.assign(() => Date.now(), { advance: () => {} })
    const app = await startTestApp({
      clock,
      mailWorker: true,
      webhookWorker: options.webhookWorker ?? false,
      env: {
        ...options.env,
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        PORT: String(port),
        LOGIN_RATE_LIMIT: '1000',
        SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        MAIL_FROM: 'Roster <roster@acme.com>',
        MAIL_POLL_MS: '100',
      },
    })
    try {
      await app.server.listen({ port, host: '127.0.0.1' })
      listening = { app, port }
    } catch (error) {
      await app.close()
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 5) {
        await smtp.close()
        throw error
      }
    }
  }
  const { app, port } = listening
  const origin = `http://127.0.0.1:${port}`
  const browser = await chromium
    .launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      // playwright-core gives each launch a fresh temporary profile of its own.
      args: CHROMIUM_ARGS,
    })
    .catch(async (error: unknown) => {
      // No browser: fail the file, and leave nothing running that would keep it from ending.
      await app.close()
      await smtp.close()
      throw error
    })
  mkdirSync(SCREENSHOTS, { recursive: true })
  return {
    app,
    origin,
    browser,
    smtp,
    async context(options = {}) {
      const context = await browser.newContext({
        baseURL: origin,
        viewport: options.viewport ?? { width: 1280, height: 800 },
      })
      // Waits are for a state, bounded generously: a loaded machine renders slowly, not wrongly.
      context.setDefaultTimeout(120_000)
      context.setDefaultNavigationTimeout(120_000)
      return context
    },
    async screenshot(page, name) {
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true })
    },
    async close() {
      await browser.close()
      await app.close()
      await smtp.close()
    },
  }
}

/** Fills Roster's sign-in form at `from` and submits it; the caller waits for the page it expects. */
export async function signIn(page: Page, who: { email: string; password: string }, from = '/login') {
  await page.goto(from)
  await page.getByLabel('Email').fill(who.email)
  await page.getByLabel('Password').fill(who.password)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
}
