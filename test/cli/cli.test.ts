import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { json, startTestApp } from '../helpers/app.ts'
import { roster } from '../helpers/cli.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts'

describe('the roster CLI', () => {
  let db: TestDatabase
  let env: Record<string, string>

  before(async () => {
    db = await createTestDatabase()
    env = { DATABASE_URL: db.url }
  })
  after(() => db.drop())

  it('migrates an empty database, then says it is up to date', async () => {
    const first = await roster(['migrate', '--json'], env)
    assert.equal(first.code, 0, first.stderr)
    assert.ok(JSON.parse(first.stdout).applied.length > 0)
    const again = await roster(['migrate'], env)
    assert.equal(again.code, 0)
    assert.match(again.stdout, /up to date/i)
  })

  it('creates an account whose API key works over HTTP, and adds a member and a key for them', async () => {
    const created = await roster(
      ['account', 'create', '--name', 'Acme', '--domain', 'acme.com', '--domain', 'acme.io', '--admin-email', 'ada@acme.com', '--admin-name', 'Ada', '--json'],
      env,
    )
    assert.equal(created.code, 0, created.stderr)
    assert.equal(created.stdout.trim().split('\n').length, 1, 'one JSON line')
    const account = JSON.parse(created.stdout)
    assert.deepEqual(Object.keys(account).sort(), ['accountId', 'apiKey', 'userId'])
    assert.equal(account.accountId, 1)

    const added = await roster(['user', 'add', '--account', '1', '--email', 'bob@acme.com', '--name', 'Bob', '--role', 'DEVELOPER', '--json'], env)
    assert.equal(added.code, 0, added.stderr)
    assert.deepEqual(Object.keys(JSON.parse(added.stdout)), ['userId'])

    const key = await roster(['api-key', 'create', '--account', '1', '--email', 'bob@acme.com', '--name', 'ci', '--json'], env)
    assert.equal(key.code, 0, key.stderr)
    const bobKey = JSON.parse(key.stdout)
    assert.match(bobKey.apiKey, /^rst_/)
    assert.equal(typeof bobKey.id, 'number')

    const t = await startTestApp({ testDb: db })
    try {
      const team = json<any[]>(await t.post('/api/getTeamData', account.apiKey))
      assert.deepEqual(team.map((i) => [i.login, i.name, i.role]), [['ada@acme.com', 'Ada', 'ADMIN'], ['bob@acme.com', 'Bob', 'DEVELOPER']])
      assert.deepEqual(json(await t.post('/api/getRoleHierarchy', bobKey.apiKey)), ['DEVELOPER', 'GUEST'])

      const listed = await roster(['api-key', 'list', '--account', '1', '--json'], env)
      const keys = JSON.parse(listed.stdout).apiKeys
      assert.equal(keys.length, 2)
      assert.ok(!listed.stdout.includes(bobKey.apiKey), 'never prints a key again')

      const revoked = await roster(['api-key', 'revoke', '--id', String(bobKey.id)], env)
      assert.equal(revoked.code, 0, revoked.stderr)
      assert.match(revoked.stdout, /Revoked/)
      assert.equal((await t.post('/api/getTeamData', bobKey.apiKey)).statusCode, 401)
      assert.equal((await t.post('/api/getTeamData', account.apiKey)).statusCode, 200)
    } finally {
      await t.close({ keepDatabase: true })
    }
  })

  it('prints a readable line without --json', async () => {
    const res = await roster(['user', 'add', '--account', '1', '--email', 'cy@acme.com', '--role', 'guest'], env)
    assert.equal(res.code, 0, res.stderr)
    assert.match(res.stdout, /Added cy@acme\.com to account 1/)
  })

  it('lists the audit log of an account, newest first', async () => {
    const res = await roster(['audit', 'list', '--account', '1', '--json'], env)
    assert.equal(res.code, 0, res.stderr)
    const actions = JSON.parse(res.stdout).auditLogs.map((e: any) => e.action)
    assert.equal(actions.at(-1), 'account.create')
    assert.ok(actions.includes('member.add'))
    assert.ok(actions.includes('api_key.revoke'))
  })

  const failures: [string, string[], RegExp][] = [
    ['an unknown account', ['user', 'add', '--account', '99', '--email', 'x@acme.com', '--role', 'GUEST'], /Account doesn't exist/],
    ['a bad account id', ['user', 'add', '--account', 'abc', '--email', 'x@acme.com', '--role', 'GUEST'], /--account must be a positive whole number/],
    ['an unknown role', ['user', 'add', '--account', '1', '--email', 'x@acme.com', '--role', 'OWNER'], /Invalid role/],
    ['an existing member', ['user', 'add', '--account', '1', '--email', 'bob@acme.com', '--role', 'GUEST'], /already exists/],
    ['an invalid email', ['account', 'create', '--name', 'X', '--domain', 'x.io', '--admin-email', 'nope'], /Invalid email/],
    ['an admin outside the domains', ['account', 'create', '--name', 'X', '--domain', 'x.io', '--admin-email', 'a@y.io'], /domains/],
    ['a missing option', ['account', 'create', '--name', 'X'], /required option/],
    ['a key for a non-member', ['api-key', 'create', '--account', '1', '--email', 'zz@acme.com'], /not a member/],
    ['revoking an unknown key', ['api-key', 'revoke', '--id', '999'], /API key doesn't exist/],
    ['an unknown command', ['frobnicate'], /unknown command/],
  ]
  for (const [what, args, message] of failures) {
    it(`exits non-zero with a clear message for ${what}`, async () => {
      const res = await roster(args, env)
      assert.notEqual(res.code, 0)
      assert.match(res.stderr, message)
      assert.equal(res.stdout, '')
    })
  }

  it('stops with a message naming the variable when configuration is wrong', async () => {
    const res = await roster(['migrate'], { ...env, INVITE_TTL: 'soon' })
    assert.notEqual(res.code, 0)
    assert.match(res.stderr, /INVITE_TTL/)
  })
})
