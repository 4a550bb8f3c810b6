import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import {
  existsSync,
  readFileSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  writeSync,
  closeSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { sql, type Kysely } from 'kysely'
import { openDatabase } from '../../src/db/engine.ts'
import { json, startTestApp } from '../helpers/app.ts'
import { roster } from '../helpers/cli.ts'
import { createTestDatabase, testEngine, type TestDatabase } from '../helpers/database.ts'
import { startServerProcess } from '../helpers/server-process.ts'

const LIMITS = {
  INVITE_LIMIT_PER_ACCOUNT: '1000000',
  INVITE_LIMIT_PER_KEY: '1000000',
  INVITE_LIMIT_PER_EMAIL: '1000',
}

/** A test database made of an existing file or URL (e.g. a restored backup), dropped by the caller. */
function existing(url: string, drop: () => Promise<void>): TestDatabase {
  return { url, open: () => openDatabase(url, { poolSize: 2 }), drop }
}

async function check(url: string) {
  const result = await roster(['db', 'check', '--json'], { DATABASE_URL: url })
  return {
    code: result.code,
    out: JSON.parse(result.stdout || '{}') as { ok: boolean; findings: { check: string; detail: string }[] },
    stderr: result.stderr,
  }
}

/** Damages a SQLite file as a failing disk would: the header of its second page is overwritten. */
function damagePage(file: string) {
  const fd = openSync(file, 'r+')
  try {
    writeSync(fd, Buffer.from([0x0d, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), 0, 8, 4096)
  } finally {
    closeSync(fd)
  }
}

describe('roster db backup and restore', () => {
  let dir: string
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'roster-backup-'))
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it(
    'backs up SQLite online under an invitation stream; the restore holds every invitation acknowledged before the backup began',
    {
      skip:
        testEngine === 'postgres'
          ? 'the server under load runs on SQLite (backup of PostgreSQL is pg_dump)'
          : false,
    },
    async () => {
      const source = await createTestDatabase('sqlite')
      const seed = await startTestApp({ testDb: source })
      const { adminKey } = await seed.account('Acme', ['acme.com'])
      await seed.close({ keepDatabase: true })
      const server = await startServerProcess({ DATABASE_URL: source.url, ...LIMITS })
      const acked: string[] = []
      let stop = false
      let failures = 0
      const stream = async (worker: number) => {
        for (let i = 0; !stop; i++) {
          const email = `w${worker}-${i}@acme.com`
          const r = await server.post('/api/inviteUsers', adminKey, {
            inviteeEmail: email,
            inviteeRole: 'GUEST',
          })
          if (r.status === 200) acked.push(email)
          else failures++
        }
      }
      const workers = [0, 1, 2, 3].map(stream)
      try {
        while (acked.length < 40) await new Promise((r) => setTimeout(r, 20))
        const beforeBackup = new Set(acked)
        const file = join(dir, 'under-load.db')
        const backup = await roster(['db', 'backup', '--to', file, '--json'], { DATABASE_URL: source.url })
        const duringBackup = acked.length - beforeBackup.size
        assert.equal(backup.code, 0, backup.stderr)
        assert.deepEqual(JSON.parse(backup.stdout), { backup: file })
        // The server kept answering while the backup ran (online, not a stop-the-world copy).
        while (acked.length < beforeBackup.size + duringBackup + 10)
          await new Promise((r) => setTimeout(r, 20))
        stop = true
        await Promise.all(workers)
        assert.equal(failures, 0)

        const restoredPath = join(dir, 'restored.db')
        const restored = await roster(['db', 'restore', '--from', file, '--json'], {
          DATABASE_URL: restoredPath,
        })
        assert.equal(restored.code, 0, restored.stderr)
        const checked = await check(restoredPath)
        assert.equal(checked.code, 0, checked.stderr)
        assert.deepEqual(checked.out, { ok: true, findings: [] })

        const app = await startTestApp({ testDb: existing(restoredPath, async () => {}) })
        try {
          const team = json<{ login: string }[]>(await app.post('/api/getTeamData', adminKey))
          const logins = new Set(team.map((e) => e.login))
          const missing = [...beforeBackup].filter((e) => !logins.has(e))
          assert.deepEqual(missing, [])
          assert.ok(logins.size > beforeBackup.size, 'the backup also holds invitations made while it ran')
        } finally {
          await app.close({ keepDatabase: true })
        }
      } finally {
        stop = true
        await Promise.all(workers)
        await server.stop()
        await source.drop()
      }
    },
  )

  it(
    'refuses to overwrite an existing backup file, or to write under a file, naming it (text and --json)',
    { skip: testEngine === 'postgres' ? 'SQLite backup' : false },
    async () => {
      const source = await createTestDatabase('sqlite')
      const seed = await startTestApp({ testDb: source })
      await seed.account('Acme', ['acme.com'])
      await seed.close({ keepDatabase: true })
      const backup = (to: string, ...json: string[]) =>
        roster(['db', 'backup', '--to', to, ...json], { DATABASE_URL: source.url })
      // The control: a new file in a new folder.
      const fresh = join(dir, 'new', 'fresh.db')
      assert.equal((await backup(fresh)).code, 0)
      const file = join(dir, 'exists.db')
      writeFileSync(file, 'keep me')
      for (const json of [[], ['--json']]) {
        const result = await backup(file, ...json)
        assert.equal(result.code, 1)
        assert.equal(result.stdout, '')
        assert.equal(
          result.stderr,
          `roster: The backup file ${file} already exists; name a new file. (BACKUP_TARGET_EXISTS)\n`,
        )
        // A file where a folder of the path should be: named, not mkdir's raw EEXIST.
        const under = join(file, 'fresh.db')
        const nested = await backup(under, ...json)
        assert.equal(nested.code, 1)
        assert.equal(nested.stdout, '')
        assert.equal(
          nested.stderr,
          `roster: The backup file ${under} cannot be created: ${file} is a file, not a folder. (BACKUP_FOLDER_NOT_DIRECTORY)\n`,
        )
      }
      assert.equal(readFileSync(file, 'utf8'), 'keep me')
      await source.drop()
    },
  )

  it(
    'on PostgreSQL, names pg_dump instead of backing up',
    { skip: testEngine === 'sqlite' ? 'needs PostgreSQL' : false },
    async () => {
      const db = await createTestDatabase('postgres')
      const file = join(dir, 'pg.db')
      const result = await roster(['db', 'backup', '--to', file], { DATABASE_URL: db.url })
      assert.equal(result.code, 1)
      assert.match(result.stderr, /pg_dump --format=custom/)
      assert.equal(existsSync(file), false)
      await db.drop()
    },
  )

  it('restores into an empty database of the engine under test, and refuses one that holds data', async () => {
    const source = await createTestDatabase('sqlite')
    const seed = await startTestApp({ testDb: source })
    const { adminKey } = await seed.account('Acme', ['acme.com'])
    assert.equal(
      (await seed.post('/api/inviteUsers', adminKey, { inviteeEmail: 'bob@acme.com', inviteeRole: 'MEMBER' }))
        .statusCode,
      200,
    )
    const team = json(await seed.post('/api/getTeamData', adminKey))
    await seed.close({ keepDatabase: true })
    const file = join(dir, `restore-${testEngine}.db`)
    assert.equal((await roster(['db', 'backup', '--to', file], { DATABASE_URL: source.url })).code, 0)

    const target = await createTestDatabase()
    const digest = () => createHash('sha256').update(readFileSync(file)).digest('hex')
    const original = digest()
    try {
      const first = await roster(['db', 'restore', '--from', file, '--json'], { DATABASE_URL: target.url })
      assert.equal(first.code, 0, first.stderr)
      // The backup is read, never written (it may sit on read-only media).
      assert.equal(digest(), original)
      assert.equal(existsSync(`${file}-wal`), false)
      assert.equal((JSON.parse(first.stdout) as { tables: Record<string, number> }).tables.invitations, 1)
      const app = await startTestApp({ testDb: existing(target.url, async () => {}) })
      assert.deepEqual(json(await app.post('/api/getTeamData', adminKey)), team)
      await app.close({ keepDatabase: true })

      const again = await roster(['db', 'restore', '--from', file], { DATABASE_URL: target.url })
      assert.equal(again.code, 1)
      assert.match(again.stderr, /\(RESTORE_TARGET_NOT_EMPTY\)/)
    } finally {
      await target.drop()
      await source.drop()
    }
  })

  it('refuses a file that is not a readable backup, and leaves the target database as it was', async () => {
    const source = await createTestDatabase('sqlite')
    const seed = await startTestApp({ testDb: source })
    await seed.account('Acme', ['acme.com'])
    await seed.close({ keepDatabase: true })
    const good = join(dir, `good-${testEngine}.db`)
    assert.equal((await roster(['db', 'backup', '--to', good], { DATABASE_URL: source.url })).code, 0)
    const damaged = join(dir, `damaged-${testEngine}.db`)
    assert.equal((await roster(['db', 'backup', '--to', damaged], { DATABASE_URL: source.url })).code, 0)
    damagePage(damaged)
    const garbage = join(dir, 'garbage.db')
    writeFileSync(garbage, Buffer.alloc(8192, 0x5a))
    const target = await createTestDatabase()
    const sqliteTarget = testEngine === 'sqlite' ? target.url : undefined
    try {
      for (const file of [garbage, damaged]) {
        const refused = await roster(['db', 'restore', '--from', file, '--json'], {
          DATABASE_URL: target.url,
        })
        assert.equal(refused.code, 1, file)
        assert.match(
          refused.stderr,
          /The backup file is not a readable Roster database\. \(BACKUP_SOURCE_INVALID\)/,
          file,
        )
        if (sqliteTarget) assert.deepEqual(readdirSync(join(sqliteTarget, '..')), [], file)
      }
      // The same target then takes a good backup: nothing of the refused ones was left in it.
      const restored = await roster(['db', 'restore', '--from', good, '--json'], { DATABASE_URL: target.url })
      assert.equal(restored.code, 0, restored.stderr)
    } finally {
      await target.drop()
      await source.drop()
    }
  })
})

describe('roster db check', () => {
  let testDb: TestDatabase

  before(async () => {
    testDb = await createTestDatabase()
    const t = await startTestApp({ testDb })
    const { accountId, adminKey } = await t.account('Acme', ['acme.com'])
    await t.member(accountId, 'bob@acme.com', 'DEVELOPER', 'Bob')
    assert.equal(
      (await t.post('/api/inviteUsers', adminKey, { inviteeEmail: 'eve@acme.com', inviteeRole: 'GUEST' }))
        .statusCode,
      200,
    )
    await t.close({ keepDatabase: true })
  })
  after(() => testDb.drop())

  it('finds nothing in a database only Roster has written, then each invariant a hand edit breaks', async () => {
    const clean = await check(testDb.url)
    assert.equal(clean.code, 0, clean.stderr)
    assert.deepEqual(clean.out, { ok: true, findings: [] })

    const database = testDb.open()
    try {
      const breakInvariants = async (db: Kysely<any>) => {
        await db.deleteFrom('memberships').where('role', '=', 'ADMIN').execute()
        await db
          .insertInto('memberships')
          .values({ account_id: 1, user_id: 999, role: 'GUEST', created_at: Date.now() })
          .execute()
        await db
          .updateTable('invitations')
          .set({ email: 'bob@acme.com' })
          .where('email', '=', 'eve@acme.com')
          .execute()
      }
      // Behind the application's back: foreign keys off (SQLite allows that only outside a transaction).
      if (testEngine === 'sqlite') {
        await sql`pragma foreign_keys = off`.execute(database.db)
        await breakInvariants(database.db)
      } else {
        await database.db.transaction().execute(async (trx) => {
          await sql`set local session_replication_role = replica`.execute(trx)
          await breakInvariants(trx)
        })
      }
    } finally {
      await database.close()
    }

    const broken = await check(testDb.url)
    assert.equal(broken.code, 1)
    assert.equal(broken.out.ok, false)
    const kinds = new Set(broken.out.findings.map((f) => f.check))
    for (const kind of ['account_without_admin', 'membership_without_user', 'invitation_for_member'])
      assert.ok(kinds.has(kind), kind)
    assert.match(broken.out.findings.find((f) => f.check === 'membership_without_user')!.detail, /user 999/)
  })

  it(
    'reports a damaged or foreign SQLite file as an integrity finding (one JSON line, exit 1), and names a missing one',
    { skip: testEngine === 'postgres' ? 'SQLite files' : false },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'roster-check-'))
      try {
        const damaged = join(dir, 'damaged.db')
        assert.equal((await roster(['db', 'backup', '--to', damaged], { DATABASE_URL: testDb.url })).code, 0)
        damagePage(damaged)
        const garbage = join(dir, 'garbage.db')
        writeFileSync(garbage, Buffer.alloc(8192, 0x5a))
        const missing = join(dir, 'missing.db')
        for (const args of [
          ['db', 'check'],
          ['db', 'backup', '--to', join(dir, 'b.db')],
        ]) {
          const result = await roster(args, { DATABASE_URL: missing })
          assert.equal(result.code, 1, args.join(' '))
          assert.match(
            result.stderr,
            /The SQLite file .*missing\.db does not exist\. \(DATABASE_FILE_MISSING\)/,
          )
          assert.equal(existsSync(missing), false)
        }
        for (const file of [damaged, garbage]) {
          const result = await check(file)
          assert.equal(result.code, 1, file)
          assert.equal(result.out.ok, false, result.stderr)
          assert.equal(result.out.findings[0]?.check, 'sqlite_integrity', file)
        }
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
  )
})
