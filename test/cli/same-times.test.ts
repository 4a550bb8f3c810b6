/**
 * The CLI's `--json` gives an object's times in the unit the API gives them for the same object:
 * epoch seconds for applications (fetchOidcClients' createdAt) and API keys (fetchApiTokens'
 * timestamp and lastUsedAt). SCIM tokens (milliseconds), webhooks and mail (ISO 8601) already
 * agree; `sso show` carries no time.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'
import { roster } from '../helpers/cli.ts'

describe('times in the CLI, as the API gives them', () => {
  let t: TestApp
  let env: Record<string, string>
  let accountId: number
  let adminKey: string

  before(async () => {
    t = await startTestApp()
    env = { DATABASE_URL: t.testDb.url }
    ;({ accountId, adminKey } = await t.account('Acme', ['acme.com']))
  })
  after(() => t.close())

  it('prints an application’s createdAt in epoch seconds, as fetchOidcClients does', async () => {
    const added = await t.post('/api/addOidcClient', adminKey, { name: 'App', redirectUris: ['https://app.acme.com/cb'] })
    assert.equal(added.statusCode, 200, added.body)
    const [fromApi] = json(await t.post('/api/fetchOidcClients', adminKey)).oidcClients
    const listed = await roster(['oidc-client', 'list', '--account', String(accountId), '--json'], env)
    assert.equal(listed.code, 0, listed.stderr)
    const [fromCli] = JSON.parse(listed.stdout).oidcClients
    assert.equal(fromCli.clientId, fromApi.clientId)
    assert.equal(fromCli.createdAt, fromApi.createdAt)
    assert.equal(fromCli.createdAt, Math.floor(t.clock() / 1000))
  })

  it('prints an API key’s createdAt and lastUsedAt in epoch seconds, as fetchApiTokens does', async () => {
    await t.password('ada@acme.com', 'violet-tangerine-42')
    const cookie = await t.login('ada@acme.com', 'violet-tangerine-42')
    // Used once, so that lastUsedAt is a time and not null.
    assert.equal((await t.post('/api/getTeamData', adminKey)).statusCode, 200)
    const [fromApi] = json(await t.browser('/api/fetchApiTokens', cookie)).apiTokenList
    const listed = await roster(['api-key', 'list', '--account', String(accountId), '--json'], env)
    assert.equal(listed.code, 0, listed.stderr)
    const fromCli = JSON.parse(listed.stdout).apiKeys.find((k: { id: number }) => k.id === fromApi.id)
    assert.equal(typeof fromApi.lastUsedAt, 'number')
    assert.equal(fromCli.createdAt, fromApi.timestamp)
    assert.equal(fromCli.lastUsedAt, fromApi.lastUsedAt)
    assert.equal(fromCli.revokedAt, null)
  })
})
