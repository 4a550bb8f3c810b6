import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import Sqlite from 'better-sqlite3'
import { json, startTestApp } from '../helpers/app.ts'
import { roster as runCli } from '../helpers/cli.ts'
import { createTestDatabase, testEngine, type TestDatabase } from '../helpers/database.ts'

// The copy always writes to PostgreSQL, so it runs in the PostgreSQL pass.
const skip = testEngine === 'postgres' ? false : 'needs PostgreSQL (runs in the PostgreSQL pass)'

describe('roster db copy, from a SQLite file to PostgreSQL', { skip }, () => {
  let source: TestDatabase
  let target: TestDatabase
  let adminKey: string
  let bobKey: string
  let miaKey: string
  const before_: Record<string, unknown> = {}

  before(async () => {
    source = await createTestDatabase('sqlite')
    target = await createTestDatabase('postgres')
    const t = await startTestApp({ testDb: source })
    const { accountId, adminKey: key } = await t.account('Acme', ['acme.com', 'acme.io'])
    adminKey = key
    bobKey = (await t.member(accountId, 'bob@acme.com', 'DEVELOPER', 'Bob')).key
    miaKey = (await t.member(accountId, 'mia@acme.io', 'MEMBER')).key
    await t.account('Other', ['other.test'])
    assert.equal(
      (await t.post('/api/createCustomRole', adminKey, { roleName: 'AUDITOR', baseRole: 'GUEST' }))
        .statusCode,
      200,
    )
    assert.equal(
      (await t.post('/api/inviteUsers', adminKey, { inviteeEmail: 'eve@acme.com', inviteeRole: 'AUDITOR' }))
        .statusCode,
      200,
    )
    assert.equal((await t.post('/api/removeUser', adminKey, { email: 'mia@acme.io' })).statusCode, 200)
    before_.team = json(await t.post('/api/getTeamData', adminKey))
    before_.roles = json(await t.post('/api/getCustomRoles', adminKey))
    await t.close({ keepDatabase: true })
  })
  after(async () => {
    await source?.drop()
    await target?.drop()
  })

  it('copies every table into an empty database and prints the counts', async () => {
    const result = await runCli(['db', 'copy', '--from', source.url, '--to', target.url, '--json'], {})
    assert.equal(result.code, 0, result.stderr)
    const out = JSON.parse(result.stdout) as { tables: Record<string, number>; rows: number }
    assert.equal(result.stdout.trim().split('\n').length, 1)
    assert.deepEqual(Object.keys(out.tables).sort(), [
      'account_domains',
      'accounts',
      'api_keys',
      'audit_events',
      'custom_roles',
      'installation',
      'invitations',
      'invite_buckets',
      'mail_outbox',
      'member_search_terms',
      'memberships',
      'mfa_challenges',
      'oidc_clients',
      'oidc_keys',
      'oidc_payloads',
      'passkeys',
      'password_resets',
      'recovery_codes',
      'role_versions',
      'scim_tokens',
      'sessions',
      'signing_keys',
      'sso_assertions',
      'sso_configs',
      'sso_flows',
      'totp_factors',
      'users',
      'webauthn_challenges',
      'webhook_deliveries',
      'webhook_fan_out',
      'webhooks',
    ])
    assert.equal(out.tables.accounts, 2)
    assert.equal(out.tables.users, 4)
    assert.equal(out.tables.memberships, 3)
    // Each member's login and name: ada@acme.com and ada, bob@acme.com and bob, ada@other.test and ada.
    assert.equal(out.tables.member_search_terms, 6)
    assert.equal(out.tables.invitations, 1)
    assert.equal(out.tables.custom_roles, 1)
    assert.equal(out.tables.signing_keys, 1)
    assert.ok(out.tables.api_keys! >= 4)
    // Parents come before children.
    const order = Object.keys(out.tables)
    assert.ok(order.indexOf('accounts') < order.indexOf('memberships'))
    assert.ok(order.indexOf('users') < order.indexOf('api_keys'))
    assert.equal(
      out.rows,
      Object.values(out.tables).reduce((n, c) => n + c, 0),
    )
  })

  it('serves the same team, roles and keys from PostgreSQL, and keeps assigning new ids', async () => {
    const t = await startTestApp({ testDb: target })
    try {
      assert.deepEqual(json(await t.post('/api/getTeamData', adminKey)), before_.team)
      assert.deepEqual(json(await t.post('/api/getCustomRoles', adminKey)), before_.roles)
      assert.equal((await t.post('/api/getTeamData', bobKey)).statusCode, 200)
      // Searched through the copied terms (PostgreSQL compares them bytewise, as SQLite did).
      const searched = json<{ items: { login: string }[] }>(
        await t.post('/api/listTeam', adminKey, { search: 'bo' }),
      )
      assert.deepEqual(
        searched.items.map((i) => i.login),
        ['bob@acme.com'],
      )
      // The removed member's key was revoked before the copy and stays revoked.
      assert.equal((await t.post('/api/getTeamData', miaKey)).statusCode, 401)
      assert.equal(
        (await t.post('/api/inviteUsers', adminKey, { inviteeEmail: 'new@acme.com', inviteeRole: 'GUEST' }))
          .statusCode,
        200,
      )
      const added = await t.account('Third', ['third.test'])
      assert.equal(added.accountId, 3)
      assert.equal((await t.post('/api/getTeamData', added.adminKey)).statusCode, 200)
    } finally {
      await t.close({ keepDatabase: true })
    }
  })

  it('leaves the source file byte for byte as it was, and writes nothing beside it', async () => {
    // A file as an operator may hold one, copied off a server: written by db backup (no WAL, no
    // lock file), which opening it for writing would change.
    const dir = mkdtempSync(join(tmpdir(), 'roster-copy-source-'))
    const file = join(dir, 'roster.db')
    const fresh = await createTestDatabase('postgres')
    try {
      const backup = await runCli(['db', 'backup', '--to', file], { DATABASE_URL: source.url })
      assert.equal(backup.code, 0, backup.stderr)
      const hash = () => createHash('sha256').update(readFileSync(file)).digest('hex')
      const before = hash()
      const result = await runCli(['db', 'copy', '--from', file, '--to', fresh.url, '--json'], {})
      assert.equal(result.code, 0, result.stderr)
      assert.equal(hash(), before)
      assert.deepEqual(readdirSync(dir), ['roster.db'])
    } finally {
      await fresh.drop()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('refuses a target that already holds data', async () => {
    const result = await runCli(['db', 'copy', '--from', source.url, '--to', target.url], {})
    assert.equal(result.code, 1)
    assert.match(result.stderr, /already holds data.*TARGET_NOT_EMPTY/)
    assert.equal(result.stdout, '')
  })

  /** Runs `db copy` from a SQLite file made by `make` into a fresh PostgreSQL database; its tables after. */
  async function copyFrom(make: (file: string) => Promise<void> | void) {
    const dir = mkdtempSync(join(tmpdir(), 'roster-copy-refused-'))
    const fresh = await createTestDatabase('postgres')
    try {
      const file = join(dir, 'source.db')
      await make(file)
      const result = await runCli(['db', 'copy', '--from', file, '--to', fresh.url], {})
      const handle = fresh.open()
      const tables = (await handle.db.introspection.getTables({ withInternalKyselyTables: true })).map(
        (t) => t.name,
      )
      await handle.close()
      return { ...result, tables }
    } finally {
      await fresh.drop()
      rmSync(dir, { recursive: true, force: true })
    }
  }
  const backupTo = async (file: string) =>
    assert.equal((await runCli(['db', 'backup', '--to', file], { DATABASE_URL: source.url })).code, 0)

  it("refuses a SQLite file that is not Roster's, and writes nothing to the target", async () => {
    const result = await copyFrom((file) => {
      const other = new Sqlite(file)
      other.exec(
        "create table users (id integer primary key, name text); insert into users (name) values ('x')",
      )
      other.close()
    })
    assert.equal(result.code, 1)
    assert.match(result.stderr, /not a Roster database.*SOURCE_NOT_ROSTER/)
    assert.deepEqual(result.tables, [])
  })

  it('refuses a file written by a newer Roster, and writes nothing to the target', async () => {
    const result = await copyFrom(async (file) => {
      await backupTo(file)
      const newer = new Sqlite(file)
      newer
        .prepare('insert into kysely_migration (name, timestamp) values (?, ?)')
        .run('2099-01-01T0000-later', 'x')
      newer.close()
    })
    assert.equal(result.code, 1)
    assert.match(result.stderr, /newer version of Roster.*SOURCE_NEWER/)
    assert.deepEqual(result.tables, [])
  })

  it('copies the same backup file unchanged (the control of the two above)', async () => {
    const result = await copyFrom(backupTo)
    assert.equal(result.code, 0, result.stderr)
    assert.ok(result.tables.includes('accounts'))
  })

  it('refuses a missing source file and a target that is not PostgreSQL', async () => {
    const missing = await runCli(['db', 'copy', '--from', `${source.url}.missing`, '--to', target.url], {})
    assert.equal(missing.code, 1)
    assert.match(missing.stderr, /^roster: .+/)
    const wrong = await runCli(['db', 'copy', '--from', source.url, '--to', './elsewhere.db'], {})
    assert.equal(wrong.code, 1)
    assert.match(wrong.stderr, /--to must be a postgres/)
  })
})
