/** Configuring an account's single sign-on through the API and the CLI: ADMIN only, the secret never returned, audited. */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'
import { roster } from '../helpers/cli.ts'

const OIDC = {
  issuer: 'https://acme.okta.com/oauth2/default',
  clientId: '0oa-client',
  clientSecret: 'very-secret-value',
}

describe('single sign-on configuration', () => {
  let t: TestApp
  let admin = ''
  let memberKey = ''
  let accountId = 0

  before(async () => {
    t = await startTestApp({ env: { PUBLIC_URL: 'https://roster.acme.com' } })
    const a = await t.account('Acme', ['acme.com'])
    admin = a.adminKey
    accountId = a.accountId
    memberKey = (await t.member(accountId, 'bob@acme.com', 'MEMBER')).key
  })
  after(() => t.close())

  it('shows the values the IdP needs before anything is configured', async () => {
    const res = await t.post('/api/getSsoConfig', admin)
    assert.equal(res.statusCode, 200)
    const view = json(res)
    assert.equal(view.configured, false)
    assert.equal(view.redirectUri, 'https://roster.acme.com/sso/oidc/callback')
    assert.equal(view.acsUrl, `https://roster.acme.com/sso/saml/${accountId}/acs`)
    assert.equal(view.spEntityId, `https://roster.acme.com/sso/saml/${accountId}/metadata`)
    assert.deepEqual(view.domains, ['acme.com'])
  })

  it('stores an OIDC configuration and never returns the client secret', async () => {
    const res = await t.post('/api/setSsoConfig', admin, { ...OIDC, jitRole: 'guest' })
    assert.equal(res.statusCode, 200)
    assert.equal(res.body.includes(OIDC.clientSecret), false)
    const view = json(await t.post('/api/getSsoConfig', admin))
    assert.deepEqual(
      [view.protocol, view.issuer, view.clientId, view.hasClientSecret, view.jitRole],
      ['oidc', OIDC.issuer, OIDC.clientId, true, 'GUEST'],
    )
    const { auditLogs } = json(await t.post('/api/getAuditLogs', admin, { limit: 10 }))
    const event = auditLogs.find((e: any) => e.action === 'sso.configure')
    assert.ok(event)
    assert.equal(JSON.stringify(event).includes(OIDC.clientSecret), false)
  })

  it('refuses a MEMBER with 403', async () => {
    const res = await t.post('/api/setSsoConfig', memberKey, OIDC)
    assert.deepEqual([res.statusCode, json(res).code], [403, 'FORBIDDEN_ROLE'])
    assert.equal((await t.post('/api/getSsoConfig', memberKey)).statusCode, 403)
  })

  it('refuses an http issuer that is not on this machine', async () => {
    const res = await t.post('/api/setSsoConfig', admin, { ...OIDC, issuer: 'http://acme.okta.com' })
    assert.deepEqual([res.statusCode, json(res).code], [422, 'SSO_INVALID_ISSUER'])
  })

  it('refuses a break-glass user who is not an ADMIN of the account', async () => {
    const res = await t.post('/api/setSsoConfig', admin, {
      ...OIDC,
      required: true,
      breakGlassEmail: 'bob@acme.com',
    })
    assert.deepEqual([res.statusCode, json(res).code], [422, 'SSO_INVALID_BREAK_GLASS'])
  })

  it('lets the break-glass user sign in with a password only while they are an ADMIN', async () => {
    const lea = { email: 'lea@acme.com', password: 'cardamom-heron-52' }
    await t.member(accountId, lea.email, 'ADMIN')
    await t.password(lea.email, lea.password)
    const set = await t.post('/api/setSsoConfig', admin, {
      ...OIDC,
      required: true,
      breakGlassEmail: lea.email,
    })
    assert.equal(set.statusCode, 200, set.body)
    const login = () => t.post('/api/login', undefined, lea, { origin: 'https://roster.acme.com' })
    // The control: the break-glass ADMIN's password works in required mode.
    assert.equal((await login()).statusCode, 200)
    const demoted = await t.post('/api/makeAdmin', admin, { email: lea.email, userRole: 'MEMBER' })
    assert.equal(demoted.statusCode, 200, demoted.body)
    const refused = await login()
    assert.deepEqual(
      [refused.statusCode, json(refused).actionErrors],
      [422, ['This account requires single sign-on.']],
    )
    assert.equal((await t.post('/api/setSsoConfig', admin, OIDC)).statusCode, 200)
  })

  it('refuses OIDC and SAML settings given together, changing nothing', async () => {
    const before = json(await t.post('/api/getSsoConfig', admin))
    const both = await t.post('/api/setSsoConfig', admin, { ...OIDC, samlMetadata: '<x/>' })
    assert.deepEqual([both.statusCode, json(both).code], [422, 'SSO_INVALID_PROTOCOL'])
    assert.deepEqual(json(await t.post('/api/getSsoConfig', admin)), before)
    // The control: the same OIDC settings alone.
    assert.equal((await t.post('/api/setSsoConfig', admin, OIDC)).statusCode, 200)
  })

  it('refuses an unknown JIT role', async () => {
    const res = await t.post('/api/setSsoConfig', admin, { ...OIDC, jitRole: 'NOPE' })
    assert.deepEqual([res.statusCode, json(res).code], [422, 'SSO_INVALID_JIT_ROLE'])
  })

  it('is set, shown and removed through the CLI', async () => {
    const env = { DATABASE_URL: t.testDb.url, PUBLIC_URL: 'https://roster.acme.com', LOG_LEVEL: 'silent' }
    const set = await roster(
      [
        'sso',
        'set',
        '--account',
        String(accountId),
        '--oidc-issuer',
        OIDC.issuer,
        '--client-id',
        'cli-client',
        '--client-secret',
        's3cret-cli',
        '--json',
      ],
      env,
    )
    assert.equal(set.code, 0, set.stderr)
    assert.equal(set.stdout.includes('s3cret-cli'), false)
    const shown = JSON.parse(
      (await roster(['sso', 'show', '--account', String(accountId), '--json'], env)).stdout,
    )
    assert.deepEqual([shown.clientId, shown.hasClientSecret], ['cli-client', true])
    assert.equal((await roster(['sso', 'remove', '--account', String(accountId)], env)).code, 0)
    assert.equal(json(await t.post('/api/getSsoConfig', admin)).configured, false)
    const again = await t.post('/api/removeSsoConfig', admin)
    assert.deepEqual([again.statusCode, json(again).code], [422, 'SSO_NOT_CONFIGURED'])
  })

  it('names the option and the file when --saml-metadata cannot be read', async () => {
    const env = { DATABASE_URL: t.testDb.url, PUBLIC_URL: 'https://roster.acme.com', LOG_LEVEL: 'silent' }
    const dir = mkdtempSync(join(tmpdir(), 'roster-saml-'))
    try {
      const setSaml = (file: string) =>
        roster(['sso', 'set', '--account', String(accountId), '--saml-metadata', file, '--json'], env)
      // The control: a file that exists is read and handed to the SSO rules (which refuse it).
      const present = join(dir, 'idp.xml')
      writeFileSync(present, 'not metadata')
      const read = await setSaml(present)
      assert.equal(read.code, 1)
      assert.doesNotMatch(read.stderr, /cannot read/)
      const missing = join(dir, 'missing.xml')
      const res = await setSaml(missing)
      assert.equal(res.code, 1)
      assert.equal(res.stdout, '')
      assert.equal(
        res.stderr,
        `roster: --saml-metadata: cannot read ${missing}: no such file (INVALID_ARGUMENT)\n`,
      )
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
