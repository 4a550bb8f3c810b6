/**
 * Single sign-on through a real OpenID Connect provider (oidc-provider on a loopback port, as an
 * account's company IdP), in chromium: who gets in, who is refused and why, and what the account's
 * `required` mode does to passwords. One Roster and one browser for the file; each person signs
 * in from a fresh browser profile.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { BrowserContext, Page } from 'playwright-core'
import { json } from '../helpers/app.ts'
import { signIn as passwordSignIn, startBrowserRig, type BrowserRig } from '../helpers/browser.ts'
import { startOidcIdp, type TestOidcIdp } from '../helpers/oidc-idp.ts'

describe('signing in with an OIDC identity provider', { concurrency: false }, () => {
  let rig: BrowserRig
  let idp: TestOidcIdp
  let adminKey = ''
  let accountId = 0
  const contexts: BrowserContext[] = []

  const refusal = (p: Page) => p.locator('.notice-error, [role="alert"]').first()

  async function configure(extra: Record<string, unknown> = {}) {
    const res = await rig.app.post('/api/setSsoConfig', adminKey, {
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      ...extra,
    })
    assert.equal(res.statusCode, 200, res.body)
  }

  /** Opens the sign-in page in a new profile and starts "Sign in with SSO" for this email. */
  async function startSso(email: string): Promise<Page> {
    const context = await rig.context()
    contexts.push(context)
    const page = await context.newPage()
    await page.goto('/login')
    await page.getByRole('button', { name: 'Sign in with SSO' }).click()
    await page.getByLabel('Email').fill(email)
    await page.getByRole('button', { name: 'Continue with single sign-on' }).click()
    return page
  }

  /** At the IdP: its login page (any login is accepted), its consent page, then back to Roster. */
  async function atIdp(page: Page, login: string) {
    await page.waitForURL((url) => url.origin === idp.issuer)
    await page.locator('input[name="login"]').fill(login)
    await page.locator('input[name="password"]').fill('anything')
    await page.locator('button[type="submit"]').click()
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.waitForURL((url) => url.origin === rig.origin)
  }

  async function signIn(email: string, idpLogin = email): Promise<Page> {
    const page = await startSso(email)
    await atIdp(page, idpLogin)
    return page
  }

  /** Who the browser is signed in as, asked the way the page asks. */
  async function whoAmI(page: Page) {
    const res = await page.request.post('/api/me', { headers: { origin: rig.origin }, data: {} })
    return {
      status: res.status(),
      body: res.ok() ? ((await res.json()) as { email: string; role: string }) : undefined,
    }
  }

  /** An invitation sent, then past its expiry (as if INVITE_TTL had gone by). */
  async function inviteExpired(email: string, role: string) {
    await rig.app.post('/api/inviteUsers', adminKey, { inviteeEmail: email, inviteeRole: role })
    await rig.app.database.db
      .updateTable('invitations')
      .set({ expires_at: Date.now() - 1000 })
      .where('email', '=', email)
      .execute()
  }

  async function team() {
    return json<{ login: string; role: string; isInvitation?: boolean }[]>(
      await rig.app.post('/api/getTeamData', adminKey),
    )
  }

  async function auditActions() {
    const { auditLogs } = json(await rig.app.post('/api/getAuditLogs', adminKey, { limit: 200 }))
    return auditLogs as { action: string; target: string | null; details: Record<string, unknown> | null }[]
  }

  before(async () => {
    rig = await startBrowserRig()
    idp = await startOidcIdp([`${rig.origin}/sso/oidc/callback`])
    const acme = await rig.app.account('Acme', ['acme.com'], 'ada@acme.com')
    adminKey = acme.adminKey
    accountId = acme.accountId
    await configure()
  })
  after(async () => {
    for (const context of contexts) await context.close()
    await rig?.close()
    await idp?.close()
  })

  it('signs a member in with the same session a password gives', async () => {
    await rig.app.member(accountId, 'bob@acme.com', 'MEMBER')
    const page = await signIn('bob@acme.com')
    await page.waitForURL(`${rig.origin}/`)
    await page.getByRole('heading', { name: 'Team', exact: true }).waitFor()
    assert.deepEqual(await whoAmI(page).then((r) => [r.status, r.body?.email, r.body?.role]), [
      200,
      'bob@acme.com',
      'MEMBER',
    ])
    const cookie = (await page.context().cookies()).find((c) => c.name === 'roster_session')
    assert.ok(cookie?.httpOnly)
    assert.ok((await auditActions()).some((e) => e.action === 'sso.login' && e.target === 'bob@acme.com'))
  })

  it('lets an invitee in with the invited role and consumes the invitation', async () => {
    const res = await rig.app.post('/api/inviteUsers', adminKey, {
      inviteeEmail: 'carol@acme.com',
      inviteeRole: 'DEVELOPER',
    })
    assert.equal(res.statusCode, 200)
    const page = await signIn('carol@acme.com')
    await page.waitForURL(`${rig.origin}/`)
    assert.equal((await whoAmI(page)).body?.role, 'DEVELOPER')
    const entries = (await team()).filter((e) => e.login === 'carol@acme.com')
    assert.deepEqual(
      entries.map((e) => [e.role, e.isInvitation ?? false]),
      [['DEVELOPER', false]],
    )
    const accepted = (await auditActions()).find(
      (e) => e.action === 'invitation.accept' && e.target === 'carol@acme.com',
    )
    assert.deepEqual(accepted?.details, { role: 'DEVELOPER', via: 'sso' })
  })

  it('accepts an invitation link through single sign-on once, and refuses the used link', async () => {
    const res = await rig.app.post('/api/inviteUsers', adminKey, {
      inviteeEmail: 'dave@acme.com',
      inviteeRole: 'GUEST',
    })
    const link = new URL(json(res).finalInviteCode as string)
    const context = await rig.context()
    contexts.push(context)
    const page = await context.newPage()
    await page.goto(link.pathname + link.search)
    await page.getByRole('button', { name: 'Join with single sign-on' }).click()
    await atIdp(page, 'dave@acme.com')
    await page.waitForURL(`${rig.origin}/`)
    assert.equal((await whoAmI(page)).body?.role, 'GUEST')

    // The same link again: consumed, so refused before any IdP is asked.
    const again = await rig.app.post('/api/startSso', undefined, Object.fromEntries(link.searchParams))
    assert.deepEqual([again.statusCode, json(again).code], [422, 'INVITATION_NOT_FOUND'])
    assert.deepEqual(json(again).actionErrors, ['Please ask admin to invite you!'])
  })

  it('refuses an invitee whose invitation has expired', async () => {
    await inviteExpired('eve@acme.com', 'GUEST')
    const page = await signIn('eve@acme.com')
    await page.waitForURL(
      (url) => url.pathname === '/login' && url.searchParams.get('ssoError') === 'INVITATION_EXPIRED',
    )
    assert.equal(await refusal(page).textContent(), 'This invitation has expired.')
    assert.equal((await whoAmI(page)).status, 401)
    assert.equal(
      (await team()).some((e) => e.login === 'eve@acme.com' && !e.isInvitation),
      false,
    )
  })

  it('lets a person whose invitation expired join with the JIT role, as anyone from the domains', async () => {
    await inviteExpired('ivy@acme.com', 'MEMBER')
    await configure({ jitRole: 'DEVELOPER' })
    try {
      const page = await signIn('ivy@acme.com')
      await page.waitForURL((url) => url.pathname === '/' || url.searchParams.has('ssoError'))
      assert.equal(page.url(), `${rig.origin}/`)
      assert.equal((await whoAmI(page)).body?.role, 'DEVELOPER')
      assert.deepEqual(
        (await team()).filter((e) => e.login === 'ivy@acme.com').map((e) => [e.role, !!e.isInvitation]),
        [['DEVELOPER', false]],
      )
    } finally {
      await configure()
    }
  })

  it('refuses a stranger from the domain with "Please ask admin to invite you!"', async () => {
    const page = await signIn('frank@acme.com')
    await page.waitForURL((url) => url.searchParams.get('ssoError') === 'SSO_NOT_INVITED')
    assert.equal(await refusal(page).textContent(), 'Please ask admin to invite you!')
    assert.equal((await whoAmI(page)).status, 401)
    const refused = (await auditActions()).find(
      (e) => e.action === 'sso.refused' && e.target === 'frank@acme.com',
    )
    assert.deepEqual(refused?.details, { reason: 'SSO_NOT_INVITED' })
  })

  it('lets anyone from the domains join with the JIT role when one is configured', async () => {
    await configure({ jitRole: 'developer' })
    const page = await signIn('grace@acme.com')
    await page.waitForURL(`${rig.origin}/`)
    assert.equal((await whoAmI(page)).body?.role, 'DEVELOPER')
    const added = (await auditActions()).find(
      (e) => e.action === 'member.add' && e.target === 'grace@acme.com',
    )
    assert.deepEqual(added?.details, { role: 'DEVELOPER', via: 'sso_jit' })
    await configure()
  })

  it("refuses an IdP email outside the account's domains, even with a JIT role", async () => {
    await configure({ jitRole: 'GUEST' })
    const page = await signIn('heidi@acme.com', 'heidi@evil.example')
    await page.waitForURL((url) => url.searchParams.get('ssoError') === 'SSO_WRONG_DOMAIN')
    assert.match((await refusal(page).textContent()) ?? '', /outside this account's domains/)
    assert.equal(
      (await team()).some((e) => e.login === 'heidi@evil.example'),
      false,
    )
    await configure()
  })

  it('refuses an answer that comes back to a browser that did not start the sign-in (state)', async () => {
    await rig.app.member(accountId, 'ivan@acme.com', 'GUEST')
    const page = await startSso('ivan@acme.com')
    await page.waitForURL((url) => url.origin === idp.issuer)
    // The state cookie is what ties the answer to this browser.
    await page.context().clearCookies({ name: 'roster_sso_state' })
    await atIdp(page, 'ivan@acme.com')
    await page.waitForURL((url) => url.searchParams.get('ssoError') === 'SSO_FLOW_INVALID')
    assert.equal((await whoAmI(page)).status, 401)
  })

  it('signs in a member whose email the IdP marks verified with the string "true" (the control)', async () => {
    await rig.app.member(accountId, 'lena@acme.com', 'GUEST')
    idp.verifiedAs.set('lena@acme.com', 'true')
    const page = await signIn('lena@acme.com')
    await page.waitForURL(`${rig.origin}/`)
    assert.deepEqual(await whoAmI(page).then((w) => [w.status, w.body?.email]), [200, 'lena@acme.com'])
  })

  for (const [how, value] of [
    ['false', false],
    ['the string "false"', 'false'],
  ] as const) {
    it(`refuses a member whose email the IdP marks unverified with ${how} (SSO_NO_EMAIL)`, async () => {
      const email = `unverified-${typeof value}@acme.com`
      await rig.app.member(accountId, email, 'GUEST')
      idp.verifiedAs.set(email, value)
      const page = await startSso(email)
      await atIdp(page, email)
      await page.waitForURL((url) => url.searchParams.get('ssoError') === 'SSO_NO_EMAIL')
      assert.equal(
        await refusal(page).textContent(),
        'The identity provider did not give a verified email address.',
      )
      assert.equal((await whoAmI(page)).status, 401)
    })
  }

  it('refuses an ID token whose nonce is not the one the flow sent', async () => {
    await rig.app.member(accountId, 'judy@acme.com', 'GUEST')
    const page = await startSso('judy@acme.com')
    await page.waitForURL((url) => url.origin === idp.issuer)
    // The flow's nonce changes after the IdP was asked: the ID token carries the old one.
    await rig.app.database.db
      .updateTable('sso_flows')
      .set({ nonce: 'a-different-nonce' })
      .where('account_id', '=', accountId)
      .execute()
    await atIdp(page, 'judy@acme.com')
    await page.waitForURL((url) => url.searchParams.get('ssoError') === 'SSO_RESPONSE_INVALID')
    assert.equal((await whoAmI(page)).status, 401)
  })

  it('in required mode refuses passwords to members but not to the break-glass ADMIN, and SSO still works', async () => {
    await rig.app.member(accountId, 'ken@acme.com', 'ADMIN')
    await rig.app.password('ken@acme.com', 'lavender-pelican-88')
    await rig.app.password('ada@acme.com', 'tangerine-octopus-41')
    const kenBefore = await rig.app.login('ken@acme.com', 'lavender-pelican-88')
    await configure({ required: true, breakGlassEmail: 'ada@acme.com' })

    const refused = await rig.app.post(
      '/api/login',
      undefined,
      { email: 'ken@acme.com', password: 'lavender-pelican-88' },
      { origin: rig.origin },
    )
    assert.deepEqual(
      [refused.statusCode, json(refused).actionErrors],
      [422, ['This account requires single sign-on.']],
    )
    assert.equal(
      (
        await rig.app.post(
          '/api/login',
          undefined,
          { email: 'ada@acme.com', password: 'tangerine-octopus-41' },
          { origin: rig.origin },
        )
      ).statusCode,
      200,
    )
    // A password session from before cannot mint API keys now.
    const key = await rig.app.browser('/api/addApiToken', kenBefore, { name: 'script' })
    assert.deepEqual([key.statusCode, json(key).code], [422, 'SSO_REQUIRED'])

    const page = await signIn('ken@acme.com')
    await page.waitForURL(`${rig.origin}/`)
    const ssoKey = await page.request.post('/api/addApiToken', {
      headers: { origin: rig.origin },
      data: { name: 'script' },
    })
    assert.equal(ssoKey.status(), 200)
    await configure()
  })

  it("keeps a session opened by one account's identity provider out of the person's other accounts", async () => {
    // Acme2 shares Acme's domain and configures an IdP of its own (here the same test IdP, which
    // signs in anyone): what it asserts must not open Acme, where the person is ADMIN.
    const acme2 = await rig.app.account('Acme2', ['acme.com'], 'zoe@acme.com')
    const set = await rig.app.post('/api/setSsoConfig', acme2.adminKey, {
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
    })
    assert.equal(set.statusCode, 200, set.body)
    await rig.app.member(accountId, 'leo@acme.com', 'ADMIN')
    await rig.app.member(acme2.accountId, 'leo@acme.com', 'GUEST')
    await rig.app.password('leo@acme.com', 'marmalade-walrus-52')

    const context = await rig.context()
    contexts.push(context)
    const page = await context.newPage()
    await page.goto('/login')
    const started = await page.request.post('/api/startSso', {
      headers: { origin: rig.origin },
      data: { email: 'leo@acme.com', accountId: acme2.accountId },
    })
    assert.equal(started.status(), 200)
    await page.goto(((await started.json()) as { redirectUrl: string }).redirectUrl)
    await atIdp(page, 'leo@acme.com')
    await page.waitForURL(`${rig.origin}/`)
    assert.equal((await whoAmI(page)).body?.role, 'GUEST')

    const refused = await page.request.post('/api/switchAccount', {
      headers: { origin: rig.origin },
      data: { accountId },
    })
    assert.deepEqual(
      [refused.status(), ((await refused.json()) as { code: string }).code],
      [422, 'SSO_OTHER_ACCOUNT'],
    )
    assert.equal((await whoAmI(page)).body?.role, 'GUEST')

    // The control: the same person's password session (opened in Acme2) may switch.
    const password = await rig.app.login('leo@acme.com', 'marmalade-walrus-52')
    const inAcme2 = await rig.app.browser('/api/switchAccount', password, { accountId: acme2.accountId })
    assert.equal(inAcme2.statusCode, 200, inAcme2.body)
    const switched = await rig.app.browser('/api/switchAccount', password, { accountId })
    assert.equal(switched.statusCode, 200, switched.body)
  })

  it('fills the Single sign-on page’s form with the current settings, so saving a new secret keeps them', async () => {
    await rig.app.password('ada@acme.com', 'tangerine-octopus-41')
    await configure({ required: true, breakGlassEmail: 'ada@acme.com', jitRole: 'GUEST' })
    const context = await rig.context()
    contexts.push(context)
    const page = await context.newPage()
    await passwordSignIn(page, { email: 'ada@acme.com', password: 'tangerine-octopus-41' })
    await page.waitForURL(`${rig.origin}/`)
    await page.goto('/single-sign-on')
    await page.getByText('Values to enter at your identity provider').waitFor()
    assert.equal(await page.getByLabel('Issuer URL').inputValue(), idp.issuer)
    assert.equal(await page.getByLabel('Client ID').inputValue(), idp.clientId)
    assert.equal(await page.getByLabel('Client secret (stored; leave empty to keep)').inputValue(), '')
    assert.equal(await page.getByLabel('Require single sign-on (passwords refused)').isChecked(), true)
    assert.equal(await page.getByLabel('Break-glass ADMIN email').inputValue(), 'ada@acme.com')
    assert.equal(await page.getByLabel('JIT role (empty: invitation needed)').inputValue(), 'GUEST')

    await page.getByLabel('Client secret (stored; leave empty to keep)').fill('rotated-secret')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Single sign-on saved.').waitFor()
    const stored = json<Record<string, unknown>>(await rig.app.post('/api/getSsoConfig', adminKey))
    assert.deepEqual(
      [stored.issuer, stored.required, stored.breakGlassEmail, stored.jitRole],
      [idp.issuer, true, 'ada@acme.com', 'GUEST'],
    )
    await configure()
  })

  it('says clearly when the identity provider cannot be reached', async () => {
    const globex = await rig.app.account('Globex', ['globex.com'], 'gus@globex.com')
    const closed = await startOidcIdp([])
    const issuer = closed.issuer
    await closed.close()
    const set = await rig.app.post('/api/setSsoConfig', globex.adminKey, {
      issuer,
      clientId: 'x',
      clientSecret: 'y',
    })
    assert.equal(set.statusCode, 200)
    const page = await startSso('gus@globex.com')
    await refusal(page).waitFor()
    assert.equal(
      await refusal(page).textContent(),
      'The identity provider could not be reached. Please try again later.',
    )
    const res = await rig.app.post('/api/startSso', undefined, { email: 'gus@globex.com' })
    assert.deepEqual([res.statusCode, json(res).code], [502, 'SSO_IDP_UNAVAILABLE'])
  })
})
