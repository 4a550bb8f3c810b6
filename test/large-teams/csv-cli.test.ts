import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, before, describe, it } from 'node:test'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** The CLI as a child process, with room for a loaded machine (the shared helper allows 60 s). */
function roster(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', ...args],
      { cwd: root, env: { ...process.env, ...env }, timeout: 240_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr })
      },
    )
  })
}

/** Runs the CLI under a pseudo-terminal (util-linux `script`), as a person at a terminal would. */
function rosterAtTerminal(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; output: string }> {
  const quoted = ['node', '--import', 'tsx', 'src/cli/main.ts', ...args]
    .map((a) => `'${a.replaceAll("'", `'\\''`)}'`)
    .join(' ')
  return new Promise((resolve) => {
    execFile(
      'script',
      ['-qec', quoted, '/dev/null'],
      { cwd: root, env: { ...process.env, ...env }, timeout: 60_000 },
      (error, stdout) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: stdout })
      },
    )
  })
}

// A header in another case and order, a BOM, CRLF line ends, a quoted comma, and bad rows.
const CSV =
  '\uFEFFRole,EMAIL,Name\r\n' +
  'GUEST,ann@acme.com,"Smith, Ann"\r\n' +
  'GUEST,too,many,fields\r\n' +
  'GUEST,,No Email\r\n' +
  ',bob@acme.com,Bob\r\n' +
  'GUEST,ann@acme.com,Ann Again\r\n' +
  'GUEST,x@evil.com,X\r\n' +
  'KING,kim@acme.com,Kim\r\n'

describe('roster invite --csv and roster user import --csv', () => {
  let t: TestApp
  let dir: string
  let env: Record<string, string>
  let file: string

  before(async () => {
    t = await startTestApp()
    dir = mkdtempSync(join(tmpdir(), 'roster-csv-'))
    file = join(dir, 'people.csv')
    writeFileSync(file, CSV)
    env = { DATABASE_URL: t.testDb.url, LOG_LEVEL: 'silent' }
  })
  after(async () => {
    rmSync(dir, { recursive: true, force: true })
    await t.close()
  })

  it('invites the good rows and reports every bad one with its line, one JSON line, exit 1', async () => {
    const { accountId, adminKey } = await t.account('Acme', ['acme.com'])
    const res = await roster(
      ['invite', '--account', String(accountId), '--as', 'ada@acme.com', '--csv', file, '--json'],
      env,
    )
    assert.equal(res.code, 1, res.stderr)
    assert.equal(res.stdout.trim().split('\n').length, 1)
    const out = JSON.parse(res.stdout) as {
      invited: number
      failed: number
      results: { line: number; ok: boolean; code?: string; inviteeRole?: string }[]
    }
    assert.equal(out.invited, 2)
    assert.equal(out.failed, 5)
    assert.deepEqual(
      out.results.map((r) => [r.line, r.ok ? r.inviteeRole : r.code]),
      [
        [2, 'GUEST'],
        [3, 'BAD_ROW'],
        [4, 'BAD_ROW'],
        [5, 'MEMBER'],
        [6, 'DUPLICATE_IN_BATCH'],
        [7, 'DOMAIN_NOT_ALLOWED'],
        [8, 'INVALID_ROLE'],
      ],
    )
    const pending = json<{ items: { login: string }[] }>(
      await t.post('/api/listTeam', adminKey, { kind: 'invitations' }),
    )
    assert.deepEqual(
      pending.items.map((i) => i.login),
      ['ann@acme.com', 'bob@acme.com'],
    )
  })

  it('exits 0 when every row was invited', async () => {
    const { accountId } = await t.account('Clean', ['clean.io'], 'ada@clean.io')
    const clean = join(dir, 'clean.csv')
    writeFileSync(clean, 'email\nc1@clean.io\nc2@clean.io\n')
    const res = await roster(
      ['invite', '--account', String(accountId), '--as', 'ada@clean.io', '--csv', clean, '--json'],
      env,
    )
    assert.equal(res.code, 0, res.stderr)
    assert.equal(JSON.parse(res.stdout).invited, 2)
  })

  it('names the option and the file when --csv cannot be read, inviting nobody', async () => {
    const { accountId } = await t.account('Missing', ['missing.io'], 'ada@missing.io')
    const missing = join(dir, 'missing.csv')
    const res = await roster(
      ['invite', '--account', String(accountId), '--as', 'ada@missing.io', '--csv', missing, '--json'],
      env,
    )
    assert.equal(res.code, 1)
    assert.equal(res.stdout, '')
    assert.equal(res.stderr, `roster: --csv: cannot read ${missing}: no such file (INVALID_ARGUMENT)\n`)
  })

  it('shows a progress bar at a terminal, and none under --json', async () => {
    const { accountId } = await t.account('Bar', ['bar.io'], 'ada@bar.io')
    const bars = join(dir, 'bar.csv')
    writeFileSync(bars, 'email\nb1@bar.io\nb2@bar.io\n')
    const human = await rosterAtTerminal(
      ['user', 'import', '--account', String(accountId), '--csv', bars],
      env,
    )
    assert.equal(human.code, 0, human.output)
    assert.match(human.output, /2\/2 rows/)
    assert.match(human.output, /Added 2, failed 0\./)
    const bars2 = join(dir, 'bar2.csv')
    writeFileSync(bars2, 'email\nb3@bar.io\nb4@bar.io\n')
    const machine = await rosterAtTerminal(
      ['user', 'import', '--account', String(accountId), '--csv', bars2, '--json'],
      env,
    )
    assert.equal(machine.code, 0, machine.output)
    assert.doesNotMatch(machine.output, /rows/)
    assert.equal(JSON.parse(machine.output.trim()).added, 2)
  })

  it('imports members directly, with bad rows, duplicates, unknown roles and existing members reported', async () => {
    const { accountId, adminKey } = await t.account('Import', ['import.test'], 'ada@import.test')
    const res = await roster(
      ['user', 'import', '--account', String(accountId), '--csv', file, '--role', 'DEVELOPER', '--json'],
      env,
    )
    assert.equal(res.code, 1, res.stderr)
    const out = JSON.parse(res.stdout) as {
      added: number
      results: { line: number; ok: boolean; code?: string }[]
    }
    assert.deepEqual(
      out.results.map((r) => [r.line, r.ok || r.code]),
      [
        [2, true],
        [3, 'BAD_ROW'],
        [4, 'BAD_ROW'],
        [5, true],
        [6, 'DUPLICATE_IN_BATCH'],
        [7, true],
        [8, 'INVALID_ROLE'],
      ],
    )
    const team = json<{ items: { login: string; name: string; role: string }[] }>(
      await t.post('/api/listTeam', adminKey, {}),
    )
    assert.deepEqual(
      team.items.map((i) => [i.login, i.name, i.role]),
      [
        ['ada@import.test', 'Ada', 'ADMIN'],
        ['ann@acme.com', 'Smith, Ann', 'GUEST'],
        ['bob@acme.com', 'Bob', 'DEVELOPER'],
        ['x@evil.com', 'X', 'GUEST'],
      ],
    )
    const again = await roster(
      ['user', 'import', '--account', String(accountId), '--csv', file, '--json'],
      env,
    )
    const codes = (JSON.parse(again.stdout) as { results: { code?: string }[] }).results.map((r) => r.code)
    assert.equal(codes.filter((c) => c === 'ALREADY_MEMBER').length, 3)
  })
})
