/**
 * Replays, call by call, what Akto's dashboard sends from its SSO pages (Okta; Azure and Google
 * Workspace SAML; akto-compat.md §8) with a session cookie as the dashboard has, and checks the
 * shapes those pages read, Akto's messages and the permission rules. The companion of
 * dashboard-calls.test.ts (Users, Roles and Audit-log pages).
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { generate } from 'selfsigned'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'
import { roster } from '../helpers/cli.ts'

const PASSWORD = 'tangerine-octopus-41'
// Exactly what the Okta page sends: its redirectUri is Akto's own callback, which Roster ignores.
const OKTA = {
  clientId: '0oa1b2c3d4e5',
  clientSecret: 'okta-client-secret-value-42',
  authorisationServerId: 'default',
  oktaDomain: 'acme.okta.com',
  redirectUri: 'https://app.akto.io/authorization-code/callback',
}
const NO_OKTA = { clientId: null, oktaDomain: null, authorisationServerId: null, redirectUri: null }
const NO_SAML = { loginUrl: null, ssoEntityId: null }
const EXISTS = { actionErrors: ['A SSO Integration already exists.'], code: 'SSO_EXISTS' }
const answer = (res: Parameters<typeof json>[0]) => [res.statusCode, json(res)]

describe("Akto's dashboard: SSO pages (addOktaSso, addSAMLSso and their fetch and delete calls)", () => {
  let t: TestApp
  let ada: string
  let mia: string
  let adminKey: string
  let accountId: number
  let saml: Record<string, string>

  before(async () => {
    t = await startTestApp({ env: { LOGIN_RATE_LIMIT: '1000' } })
    const a = await t.account('Acme', ['acme.com'])
    adminKey = a.adminKey
    accountId = a.accountId
    await t.member(accountId, 'mia@acme.com', 'MEMBER', 'Mia')
    await t.password('ada@acme.com', PASSWORD)
    await t.password('mia@acme.com', PASSWORD)
    ada = await t.login('ada@acme.com', PASSWORD)
    mia = await t.login('mia@acme.com', PASSWORD)
    const { cert } = await generate([{ name: 'commonName', value: 'acme-entra' }], {
      keySize: 2048,
      algorithm: 'sha256',
    })
    // The Azure page sends the certificate's base64 body parsed from the federation metadata,
    // its own entity id and ACS URL (ignored: Roster's are derived from PUBLIC_URL).
    saml = {
      loginUrl: 'https://login.microsoftonline.com/tenant-id/saml2',
      x509Certificate: cert.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, ''),
      ssoEntityId: 'https://sts.windows.net/tenant-id/',
      applicationIdentifier: 'https://app.akto.io/sso/acme',
      acsUrl: 'https://app.akto.io/signup-azure-saml',
      configType: 'AZURE',
    }
  })
  after(() => t.close())

  const stored = async () => json(await t.post('/api/getSsoConfig', adminKey))

  it('answers null fields on both pages while nothing is configured', async () => {
    const okta = await t.browser('/api/fetchOktaSso', ada, {})
    assert.equal(okta.statusCode, 200)
    assert.deepEqual(json(okta), NO_OKTA)
    const azure = await t.browser('/api/fetchSAMLSso', ada, { configType: 'AZURE' })
    assert.equal(azure.statusCode, 200)
    assert.deepEqual(json(azure), NO_SAML)
  })

  it('adds Okta as an OIDC configuration with the derived issuer, never answers the secret, and deletes it', async () => {
    const added = await t.browser('/api/addOktaSso', ada, OKTA)
    assert.equal(added.statusCode, 200, added.body)
    const shown = {
      clientId: OKTA.clientId,
      oktaDomain: 'acme.okta.com',
      authorisationServerId: 'default',
      redirectUri: 'http://localhost:8080/sso/oidc/callback',
    }
    assert.deepEqual(json(added), shown)
    const config = await stored()
    assert.deepEqual(
      [config.protocol, config.issuer, config.clientId, config.hasClientSecret],
      ['oidc', 'https://acme.okta.com/oauth2/default', OKTA.clientId, true],
    )

    const fetched = await t.browser('/api/fetchOktaSso', ada, {})
    assert.equal(fetched.statusCode, 200)
    assert.deepEqual(json(fetched), shown)
    assert.equal(fetched.body.includes(OKTA.clientSecret), false)
    // The Azure page sees no SAML configuration.
    assert.deepEqual(json(await t.browser('/api/fetchSAMLSso', ada, { configType: 'AZURE' })), NO_SAML)

    const second = await t.browser('/api/addOktaSso', ada, { ...OKTA, clientId: '0oa-another' })
    assert.deepEqual(answer(second), [422, EXISTS])
    const samlToo = await t.browser('/api/addSAMLSso', ada, saml)
    assert.deepEqual(answer(samlToo), [422, EXISTS])
    assert.equal((await stored()).clientId, OKTA.clientId)
    // Deleting the SAML configuration does not remove Okta's.
    const wrongKind = await t.browser('/api/deleteSamlSso', ada, { configType: 'AZURE' })
    assert.deepEqual([wrongKind.statusCode, json(wrongKind).code], [422, 'SSO_NOT_CONFIGURED'])
    assert.equal((await stored()).configured, true)

    const deleted = await t.browser('/api/deleteOktaSso', ada, {})
    assert.equal(deleted.statusCode, 200)
    assert.deepEqual(json(deleted), NO_OKTA)
    assert.deepEqual(json(await t.browser('/api/fetchOktaSso', ada, {})), NO_OKTA)
    assert.equal((await stored()).configured, false)

    const { auditLogs } = json(await t.post('/api/getAuditLogs', adminKey, { limit: 10 }))
    const actions = auditLogs.map((e: { action: string; actorEmail: string }) => [e.action, e.actorEmail])
    assert.deepEqual(actions.slice(0, 2), [
      ['sso.remove', 'ada@acme.com'],
      ['sso.configure', 'ada@acme.com'],
    ])
    assert.equal(JSON.stringify(auditLogs).includes(OKTA.clientSecret), false)
  })

  it('uses the org authorisation server when the server id is empty; an API key works as well as the cookie', async () => {
    const added = await t.post('/api/addOktaSso', adminKey, { ...OKTA, authorisationServerId: '' })
    assert.equal(added.statusCode, 200, added.body)
    assert.equal(json(added).authorisationServerId, '')
    assert.equal((await stored()).issuer, 'https://acme.okta.com')
    assert.equal((await t.post('/api/deleteOktaSso', adminKey, {})).statusCode, 200)
  })

  it('refuses an Okta domain that is not a bare host name, and other bad input, changing nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ oktaDomain: 'https://acme.okta.com' }, 'SSO_INVALID_OKTA_DOMAIN'],
      [{ oktaDomain: 'acme.okta.com/oauth2/x' }, 'SSO_INVALID_OKTA_DOMAIN'],
      [{ oktaDomain: 'evil.example#acme.okta.com' }, 'SSO_INVALID_OKTA_DOMAIN'],
      [{ oktaDomain: 'user@evil.example' }, 'SSO_INVALID_OKTA_DOMAIN'],
      [{ oktaDomain: 'acme.okta.com:8443' }, 'SSO_INVALID_OKTA_DOMAIN'],
      [{ oktaDomain: '' }, 'SSO_INVALID_OKTA_DOMAIN'],
      [{ oktaDomain: 42 }, 'SSO_INVALID_OKTA_DOMAIN'],
      [{ authorisationServerId: '../../evil' }, 'SSO_INVALID_OKTA_SERVER'],
      [{ authorisationServerId: 'default?x=1' }, 'SSO_INVALID_OKTA_SERVER'],
      [{ clientSecret: '' }, 'SSO_INVALID_CLIENT'],
      [{ clientId: '' }, 'SSO_INVALID_CLIENT'],
    ]
    for (const [change, code] of cases) {
      const res = await t.browser('/api/addOktaSso', ada, { ...OKTA, ...change })
      assert.deepEqual([res.statusCode, json(res).code], [422, code], JSON.stringify(change))
      assert.equal(typeof json(res).actionErrors[0], 'string')
    }
    // The control: the same body with a valid (one-label) host name passes.
    const control = await t.browser('/api/addOktaSso', ada, { ...OKTA, oktaDomain: 'okta-internal' })
    assert.equal(control.statusCode, 200, control.body)
    assert.equal((await stored()).issuer, 'https://okta-internal/oauth2/default')
    assert.equal((await t.browser('/api/deleteOktaSso', ada, {})).statusCode, 200)
    assert.equal((await stored()).configured, false)
    const { auditLogs } = json(await t.post('/api/getAuditLogs', adminKey, { limit: 3 }))
    assert.deepEqual(
      auditLogs.map((e: { action: string }) => e.action),
      ['sso.remove', 'sso.configure', 'sso.remove'],
      'only the control and its removal were recorded',
    )
  })

  it('adds a SAML configuration from the Azure page, fetches it and deletes it', async () => {
    const added = await t.browser('/api/addSAMLSso', ada, saml)
    assert.equal(added.statusCode, 200, added.body)
    const shown = { loginUrl: saml.loginUrl, ssoEntityId: saml.ssoEntityId }
    assert.deepEqual(json(added), shown)
    const config = await stored()
    assert.deepEqual(
      [config.protocol, config.samlEntityId, config.samlSsoUrl, config.acsUrl],
      ['saml', saml.ssoEntityId, saml.loginUrl, `http://localhost:8080/sso/saml/${accountId}/acs`],
    )
    assert.deepEqual(json(await t.browser('/api/fetchSAMLSso', ada, { configType: 'AZURE' })), shown)
    assert.deepEqual(json(await t.browser('/api/fetchOktaSso', ada, {})), NO_OKTA)

    const second = await t.browser('/api/addSAMLSso', ada, { ...saml, configType: 'GOOGLE_SAML' })
    assert.deepEqual(answer(second), [422, EXISTS])
    assert.deepEqual(answer(await t.browser('/api/addOktaSso', ada, OKTA)), [422, EXISTS])
    const wrongKind = await t.browser('/api/deleteOktaSso', ada, {})
    assert.deepEqual([wrongKind.statusCode, json(wrongKind).code], [422, 'SSO_NOT_CONFIGURED'])

    const deleted = await t.browser('/api/deleteSamlSso', ada, { configType: 'AZURE' })
    assert.equal(deleted.statusCode, 200)
    assert.deepEqual(json(deleted), NO_SAML)
    assert.deepEqual(json(await t.browser('/api/fetchSAMLSso', ada, { configType: 'AZURE' })), NO_SAML)
    assert.equal((await stored()).configured, false)
  })

  it('keeps an Azure configuration off the Google Workspace page: its fetch sees none, its delete leaves it', async () => {
    assert.equal((await t.browser('/api/addSAMLSso', ada, saml)).statusCode, 200)
    const google = { configType: 'GOOGLE_SAML' }
    assert.deepEqual(json(await t.browser('/api/fetchSAMLSso', ada, google)), NO_SAML)
    const other = await t.browser('/api/deleteSamlSso', ada, google)
    assert.deepEqual([other.statusCode, json(other).code], [422, 'SSO_NOT_CONFIGURED'])
    assert.equal((await stored()).configured, true)
    // The control: the same calls with the type it was added with.
    const azure = { configType: 'AZURE' }
    const shown = { loginUrl: saml.loginUrl, ssoEntityId: saml.ssoEntityId }
    assert.deepEqual(json(await t.browser('/api/fetchSAMLSso', ada, azure)), shown)
    assert.equal((await t.browser('/api/deleteSamlSso', ada, azure)).statusCode, 200)
    assert.equal((await stored()).configured, false)
  })

  it("takes the Google Workspace page's PEM certificate file as it is", async () => {
    const pem = `-----BEGIN CERTIFICATE-----\n${saml.x509Certificate!.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`
    const google = { ...saml, x509Certificate: pem, configType: 'GOOGLE_SAML' }
    assert.equal((await t.browser('/api/addSAMLSso', ada, google)).statusCode, 200)
    assert.equal(
      json(await t.browser('/api/fetchSAMLSso', ada, { configType: 'GOOGLE_SAML' })).loginUrl,
      saml.loginUrl,
    )
    assert.equal((await t.browser('/api/deleteSamlSso', ada, { configType: 'GOOGLE_SAML' })).statusCode, 200)
  })

  it('refuses bad SAML input with a clear 422, changing nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ loginUrl: 'http://login.microsoftonline.com/tenant-id/saml2' }, 'SSO_INVALID_SAML'],
      [{ loginUrl: 'not a url' }, 'SSO_INVALID_SAML'],
      [{ x509Certificate: 'bm90IGEgY2VydGlmaWNhdGU=' }, 'SSO_INVALID_SAML'],
      [{ ssoEntityId: '' }, 'SSO_INVALID_SAML'],
      [{ ssoEntityId: ['x'] }, 'SSO_INVALID_SAML'],
      [{ configType: 'OKTA' }, 'SSO_INVALID_CONFIG_TYPE'],
      [{ configType: undefined }, 'SSO_INVALID_CONFIG_TYPE'],
    ]
    for (const [change, code] of cases) {
      const res = await t.browser('/api/addSAMLSso', ada, { ...saml, ...change })
      assert.deepEqual([res.statusCode, json(res).code], [422, code], JSON.stringify(change))
    }
    const fetchBad = await t.browser('/api/fetchSAMLSso', ada, { configType: 'GITHUB' })
    assert.deepEqual(json(fetchBad), {
      actionErrors: ['configType must be AZURE or GOOGLE_SAML.'],
      code: 'SSO_INVALID_CONFIG_TYPE',
    })
    assert.equal((await stored()).configured, false)
  })

  it("refuses a MEMBER, a DEVELOPER and a GUEST every SSO call with Akto's 403 shape, changing nothing", async () => {
    const calls: [string, Record<string, unknown>][] = [
      ['/api/addOktaSso', OKTA],
      ['/api/fetchOktaSso', {}],
      ['/api/deleteOktaSso', {}],
      ['/api/addSAMLSso', saml],
      ['/api/fetchSAMLSso', { configType: 'AZURE' }],
      ['/api/deleteSamlSso', { configType: 'AZURE' }],
    ]
    const below: [string, string][] = [['MEMBER', mia]]
    for (const [role, name] of [
      ['DEVELOPER', 'dev'],
      ['GUEST', 'gus'],
    ] as const) {
      await t.member(accountId, `${name}@acme.com`, role, name)
      await t.password(`${name}@acme.com`, PASSWORD)
      below.push([role, await t.login(`${name}@acme.com`, PASSWORD)])
    }
    for (const [role, session] of below) {
      for (const [path, body] of calls) {
        const res = await t.browser(path, session, body)
        assert.equal(res.statusCode, 403, `${role} ${path}`)
        assert.deepEqual(json(res), {
          actionErrors: [`The role '${role}' does not have access.`],
          code: 'FORBIDDEN_ROLE',
        })
      }
    }
    assert.equal((await stored()).configured, false)
    // The control: the same Okta body from the ADMIN's session passes.
    assert.equal((await t.browser('/api/addOktaSso', ada, OKTA)).statusCode, 200)
    assert.equal((await t.browser('/api/deleteOktaSso', ada, {})).statusCode, 200)
  })

  it('stores the Okta configuration sign-in uses: the CLI shows the derived issuer', async () => {
    assert.equal((await t.browser('/api/addOktaSso', ada, OKTA)).statusCode, 200)
    const env = { DATABASE_URL: t.testDb.url, LOG_LEVEL: 'silent' }
    const shown = await roster(['sso', 'show', '--account', String(accountId), '--json'], env)
    assert.equal(shown.code, 0, shown.stderr)
    const config = JSON.parse(shown.stdout)
    assert.deepEqual(
      [config.protocol, config.issuer, config.clientId, config.hasClientSecret],
      ['oidc', 'https://acme.okta.com/oauth2/default', OKTA.clientId, true],
    )
    assert.equal(shown.stdout.includes(OKTA.clientSecret), false)
  })
  it('shows the SSO changes in the Audit-log page in words, by who made them', async () => {
    const page = await t.browser('/api/fetchApiAuditLogsFromDb', ada, {
      skip: 0,
      limit: -1,
      sortOrder: -1,
      startTimestamp: 0,
      endTimestamp: Math.floor(Date.now() / 1000) + 60,
    })
    assert.equal(page.statusCode, 200, page.body)
    const sso = (json(page).apiAuditLogs as { userEmail: string; actionDescription: string }[]).filter((e) =>
      /single sign-on/.test(e.actionDescription),
    )
    // Newest first: the Okta configuration of the test before, and the removals and additions earlier.
    assert.deepEqual(sso[0], {
      ...sso[0],
      userEmail: 'ada@acme.com',
      actionDescription: 'Configured single sign-on (OIDC) with https://acme.okta.com/oauth2/default',
    })
    assert.ok(sso.some((e) => e.actionDescription === 'Removed single sign-on (OIDC)'))
    assert.ok(sso.some((e) => e.actionDescription === 'Removed single sign-on (SAML)'))
  })
})
