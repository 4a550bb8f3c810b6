/**
 * A browser rig on http://localhost (not 127.0.0.1): WebAuthn refuses an IP address as the
 * relying party's id, so passkey tests need a host name. Otherwise as test/helpers/browser.ts.
 */
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from 'playwright-core'
import { startTestApp, type TestApp } from '../helpers/app.ts'
import { startSmtp, type TestSmtp } from '../helpers/smtp.ts'
import { freePort } from '../helpers/server-process.ts'

export interface LocalhostRig {
  readonly app: TestApp
  readonly origin: string
  readonly browser: Browser
  readonly smtp: TestSmtp
  context(): Promise<BrowserContext>
  close(): Promise<void>
}

export async function startLocalhostRig(): Promise<LocalhostRig> {
  const port = await freePort()
  const origin = `http://localhost:${port}`
  const clock = Object.assign(() => Date.now(), { advance: () => {} })
  const smtp = await startSmtp()
  const app = await startTestApp({
    clock,
    mailWorker: true,
    env: {
      PUBLIC_URL: origin,
      PORT: String(port),
      LOGIN_RATE_LIMIT: '1000',
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      MAIL_POLL_MS: '100',
    },
  })
  await app.server.listen({ port, host: '127.0.0.1' })
  const browser = await chromium
    .launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-sync',
        '--host-resolver-rules=MAP localhost 127.0.0.1',
      ],
    })
    .catch(async (error: unknown) => {
      await app.close()
      await smtp.close()
      throw error
    })
  return {
    app,
    origin,
    browser,
    smtp,
    context: () => browser.newContext({ baseURL: origin, viewport: { width: 1280, height: 900 } }),
    async close() {
      await browser.close()
      await app.close()
      await smtp.close()
    },
  }
}

/** A platform authenticator with resident keys and user verification, through the DevTools protocol. */
export async function virtualAuthenticator(
  page: Page,
): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('WebAuthn.enable', { enableUI: false })
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  })
  return { cdp, authenticatorId }
}
