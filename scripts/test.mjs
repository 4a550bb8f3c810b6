#!/usr/bin/env node
// Runs every test file (test/**/*.test.ts) with Node's test runner, once per database engine:
// on SQLite, then on PostgreSQL when TEST_DATABASE_URL names a server (each test app creates and
// drops a database of its own there). ROSTER_TEST_ENGINE=sqlite|postgres runs one engine only.
// Under CI a run without PostgreSQL is a failure, never a silent skip. Node 20's --test takes no
// globs, so the files are listed here.
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { spawn } from 'node:child_process'

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return find(path)
    return entry.name.endsWith('.test.ts') ? [path] : []
  })
}

function enginesToRun() {
  const chosen = process.env.ROSTER_TEST_ENGINE
  if (chosen === 'sqlite' || chosen === 'postgres') return [chosen]
  if (chosen) throw new Error(`ROSTER_TEST_ENGINE must be sqlite or postgres, got "${chosen}"`)
  if (process.env.TEST_DATABASE_URL) return ['sqlite', 'postgres']
  if (process.env.CI) throw new Error('CI must test PostgreSQL too: set TEST_DATABASE_URL (see .ci/run)')
  process.stdout.write('Note: TEST_DATABASE_URL is not set, so PostgreSQL is not tested in this run.\n')
  return ['sqlite']
}

/** Runs the files on one engine, echoing the output and reading the runner's closing counts. */
function runOn(engine, files) {
  const label =
    engine === 'postgres' ? `PostgreSQL (${redact(process.env.TEST_DATABASE_URL ?? '')})` : 'SQLite'
  process.stdout.write(`\n=== Roster tests on ${label} ===\n\n`)
  const args = ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files]
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ROSTER_TEST_ENGINE: engine },
  })
  const counts = { pass: 0, fail: 0, cancelled: 0, skipped: 0 }
  let rest = ''
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk)
    const lines = (rest + chunk.toString()).split('\n')
    rest = lines.pop() ?? ''
    for (const line of lines) {
      const match = /^\S*\s*ℹ (pass|fail|cancelled|skipped) (\d+)/.exec(line)
      if (match) counts[match[1]] = Number(match[2])
    }
  })
  return new Promise((resolve) =>
    child.on('close', (code) => resolve({ engine: label, code: code ?? 1, counts })),
  )
}

function redact(url) {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')
}

let engines
try {
  engines = enginesToRun()
} catch (error) {
  process.stderr.write(`test: ${error.message}\n`)
  process.exit(1)
}
const only = process.argv.slice(2)
const files = only.length > 0 ? only : find('test').sort()
const results = []
for (const engine of engines) results.push(await runOn(engine, files))

process.stdout.write('\n')
for (const r of results) {
  const c = r.counts
  process.stdout.write(
    `${r.engine}: ${c.pass} passed, ${c.fail + c.cancelled} failed, ${c.skipped} skipped${r.code === 0 ? '' : ` (exit ${r.code})`}\n`,
  )
}
const passed = results.reduce((n, r) => n + r.counts.pass, 0)
const failed = results.reduce((n, r) => n + r.counts.fail + r.counts.cancelled, 0)
const skipped = results.reduce((n, r) => n + r.counts.skipped, 0)
process.stdout.write(`total: ${passed} passed, ${failed} failed, ${skipped} skipped\n`)
process.exit(results.every((r) => r.code === 0) ? 0 : 1)
