/**
 * A relying party as an app would write it (openid-client), driven through Roster's sign-in page
 * in chromium. The redirect URI is answered by the browser itself (page.route), so no app server
 * is needed: the test reads the callback URL the browser was sent to.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import * as client from 'openid-client'
import type { Page } from 'playwright-core'

/** The application's callback: a real listener (port from the OS) that just says "callback". */
export async function startCallback(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((_req, res) => res.end('callback'))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://localhost:${port}/callback`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
export const SCOPE = 'openid email profile roster offline_access'

export interface Flow {
  callback: URL
  verifier: string
  state: string
  nonce: string
}

/** Discovery, as an app does at start-up (plain http is allowed for the local test server). */
export function discover(origin: string, clientId: string, secret?: string) {
  return client.discovery(new URL(origin), clientId, secret, secret ? undefined : client.None(), {
    execute: [client.allowInsecureRequests],
  })
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')

/**
 * Sends the browser to `url` by a form POST of its query's parameters, as an application's page
 * does (from another site: the page starts blank).
 */
export async function postForm(page: Page, url: URL) {
  const fields = [...url.searchParams].map(
    ([name, value]) => `<input type="hidden" name="${name}" value="${escape(value)}">`,
  )
  await page.goto('about:blank')
  await page.setContent(`<form method="post" action="${url.origin}${url.pathname}">${fields.join('')}</form>`)
  await page.locator('form').evaluate((form) => (form as unknown as { submit(): void }).submit())
}

/**
 * Opens the authorization URL (or POSTs its parameters); signs in on Roster's page when asked;
 * returns where the browser landed.
 */
export async function authorize(
  page: Page,
  config: client.Configuration,
  redirect: string,
  person: { email: string; password: string } | null,
  extra: Record<string, string> = {},
  method: 'GET' | 'POST' = 'GET',
): Promise<Flow> {
  const verifier = client.randomPKCECodeVerifier()
  const state = client.randomState()
  const nonce = client.randomNonce()
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirect,
    scope: SCOPE,
    prompt: 'consent',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...extra,
  })
  // Generous: a loaded machine may take a while to hash the password.
  const landed = page.waitForURL((u) => u.href.startsWith(redirect), { timeout: 120_000 })
  if (method === 'POST') await postForm(page, url)
  else await page.goto(url.href)
  if (person) {
    await page.getByLabel('Email').fill(person.email, { timeout: 120_000 })
    await page.getByLabel('Password').fill(person.password)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  }
  await landed
  return { callback: new URL(page.url()), verifier, state, nonce }
}

export function exchange(config: client.Configuration, flow: Flow) {
  return client.authorizationCodeGrant(config, flow.callback, {
    pkceCodeVerifier: flow.verifier,
    expectedState: flow.state,
    expectedNonce: flow.nonce,
    idTokenExpected: true,
  })
}

/** The OAuth error code a failed openid-client call carries. */
export async function oauthErrorOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise
    return undefined
  } catch (error) {
    return (error as { error?: string }).error ?? (error as Error).message
  }
}
