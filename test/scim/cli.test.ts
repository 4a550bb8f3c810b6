import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../helpers/app.ts'
import { roster } from '../helpers/cli.ts'

describe('the roster scim-token commands', () => {
  let t: TestApp
  let env: Record<string, string>
  let accountId: number

  before(async () => {
    t = await startTestApp()
    ;({ accountId } = await t.account('Acme', ['acme.com']))
    env = { DATABASE_URL: t.testDb.url }
  })
  after(() => t.close())

  const users = (token: string) =>
    t.server.inject({ method: 'GET', url: '/scim/v2/Users', headers: { authorization: `Bearer ${token}` } })

  it('creates a token that works, lists it without the secret, and revokes it', async () => {
    const created = await roster(['scim-token', 'create', '--account', String(accountId), '--json'], env)
    assert.equal(created.code, 0, created.stderr)
    const { token, id } = JSON.parse(created.stdout) as { token: string; id: number }
    assert.equal((await users(token)).statusCode, 200)

    const listed = await roster(['scim-token', 'list', '--account', String(accountId), '--json'], env)
    assert.equal(listed.code, 0, listed.stderr)
    assert.deepEqual(
      JSON.parse(listed.stdout).scimTokens.map((x: { id: number }) => x.id),
      [id],
    )
    assert.ok(!listed.stdout.includes(token))

    const revoked = await roster(['scim-token', 'revoke', '--id', String(id), '--json'], env)
    assert.equal(revoked.code, 0, revoked.stderr)
    assert.equal((await users(token)).statusCode, 401)
  })

  it('refuses an account that does not exist', async () => {
    const res = await roster(['scim-token', 'create', '--account', '999', '--json'], env)
    assert.equal(res.code, 1)
    assert.match(res.stderr, /Account doesn't exist/)
  })
})
