/**
 * Issue 15's figures: listTeam's first page as the team grows (and a search at the largest size),
 * getTeamData of the largest team against a bare node:http server sending the same bytes, bulk
 * invitations (rows/s over HTTP) and the operator import (`roster user import --csv`, rows/s).
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { call, expectAnswer, sequentialMs } from '../lib/check.ts'
import { interleave, median, ratio, summarise, type Contender } from '../lib/compare.ts'
import type { LoadOptions } from '../lib/load.ts'
import { startServer, type ServerProcess } from '../lib/process.ts'
import { openSeeder } from '../systems/roster.ts'
import * as spec from './specs.ts'

const log = (line: string) => process.stderr.write(`${line}\n`)

export interface SeededTeam {
  size: number
  apiKey: string
}

/**
 * First page (50) at every size, plus two searches at the largest: a prefix with many hits
 * (`member1`: the page fills at once) and one that matches a single member near the end of the
 * login order (the worst case of the login-order walk search used before member_search_terms:
 * see docs/benchmarks.md, "Search"). That one was too slow to load with 10 connections (its
 * queued requests spilled into the next system's turn), so it is timed one request at a time,
 * against the small team's first page timed the same way, in alternation.
 */
export async function listTeamScenario(
  roster: ServerProcess,
  teams: readonly SeededTeam[],
  rounds: number,
  load: LoadOptions,
) {
  const largest = teams[teams.length - 1]!
  const rare = `member${largest.size - 1}`
  for (const t of teams)
    await expectAnswer(roster, spec.rosterListTeam(t.apiKey), spec.isListPage(50), `listTeam (${t.size})`)
  await expectAnswer(
    roster,
    spec.rosterListTeam(largest.apiKey, 'member1'),
    spec.isListPage(50),
    'listTeam search',
  )
  await expectAnswer(
    roster,
    spec.rosterListTeam(largest.apiKey, rare),
    spec.isListPage(1),
    'listTeam rare search',
  )
  const contenders: Contender[] = [
    ...teams.map((t) => ({ name: `page-${t.size}`, server: roster, spec: spec.rosterListTeam(t.apiKey) })),
    {
      name: `search-many-${largest.size}`,
      server: roster,
      spec: spec.rosterListTeam(largest.apiKey, 'member1'),
    },
  ]
  const results = await interleave(contenders, rounds, load)
  const small = `page-${teams[0]!.size}`
  const pageMs: number[] = []
  const searchOneMs: number[] = []
  for (let round = 0; round < rounds; round++) {
    pageMs.push(...(await sequentialMs(roster, spec.rosterListTeam(teams[0]!.apiKey), 5)))
    searchOneMs.push(...(await sequentialMs(roster, spec.rosterListTeam(largest.apiKey, rare), 5)))
  }
  log(
    `  one request at a time: page-${teams[0]!.size} ${median(pageMs)} ms, search "${rare}" ${median(searchOneMs)} ms`,
  )
  return {
    sizes: teams.map((t) => t.size),
    systems: summarise(results),
    /** Time per request at the largest size over at the smallest (throughput ratio inverted). */
    costRatio: ratio(results, small, `page-${largest.size}`),
    searchManyCost: ratio(results, small, `search-many-${largest.size}`),
    /** Median ms, one request at a time: the small team's first page, and the one-hit search at the largest. */
    sequential: { pageMs: median(pageMs), searchOneMs: median(searchOneMs), rare },
    searchOneCost: median(searchOneMs) / median(pageMs),
  }
}

/**
 * getTeamData of the largest team vs the ceiling serving the very same bytes (from a file: too
 * big for the environment). At 100,000 members the body is ~8 MB: 10 connections of that from
 * autocannon saturate the load generator itself (both systems read ~0 req/s on a loaded
 * machine), so requests go one at a time, alternating, 5 per system per round; throughput is
 * 1 / time per request, the ratio is taken within each round, then the median.
 */
export async function teamDataScenario(roster: ServerProcess, team: SeededTeam, rounds: number) {
  const body = await expectAnswer(
    roster,
    spec.rosterList(team.apiKey),
    spec.isArrayOf(team.size),
    'getTeamData',
  )
  const dir = mkdtempSync(join(tmpdir(), 'bench-body-'))
  const file = join(dir, 'body.json')
  writeFileSync(file, body)
  const ceiling = await startServer('ceiling-large', ['--import', 'tsx', 'bench/systems/ceiling.ts'], {
    BENCH_BODY_FILE: file,
  })
  try {
    await expectAnswer(ceiling, spec.ceilingList(), (_j, text) => text === body, 'the same bytes')
    const ceilingMs: number[] = []
    const rosterMs: number[] = []
    const ratios: number[] = []
    let rosterRssMb = roster.rssMb()
    for (let round = 0; round < rounds; round++) {
      const c = await sequentialMs(ceiling, spec.ceilingList(), 5)
      const r = await sequentialMs(roster, spec.rosterList(team.apiKey), 5)
      rosterRssMb = Math.max(rosterRssMb, roster.rssMb())
      ceilingMs.push(...c)
      rosterMs.push(...r)
      ratios.push(median(c) / median(r))
    }
    log(`  one request at a time: ceiling ${median(ceilingMs)} ms, roster ${median(rosterMs)} ms`)
    return {
      size: team.size,
      bodyBytes: Buffer.byteLength(body),
      ceilingMs: median(ceilingMs),
      rosterMs: median(rosterMs),
      rosterPeakRssMb: Math.round(rosterRssMb),
      /** Roster's throughput over the ceiling's (one connection). */
      vsCeiling: median(ratios),
    }
  } finally {
    await ceiling.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** inviteUsersBulk, 1000 rows a request, one request after the other (as `roster invite --csv` sends a file). */
export async function bulkScenario(roster: ServerProcess, apiKey: string, domain: string, batches: number) {
  const rows = 1000
  const times: number[] = []
  for (let i = 0; i < batches; i++) {
    const body = spec.rosterBulkBody(domain, rows)
    const started = performance.now()
    const { status, text } = await call(roster, {
      method: 'POST',
      path: '/api/inviteUsersBulk',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body,
    })
    times.push(performance.now() - started)
    const results = (JSON.parse(text) as { results?: { ok: boolean }[] }).results ?? []
    if (status !== 200 || results.length !== rows || !results.every((r) => r.ok))
      throw new Error(`inviteUsersBulk did not invite ${rows} rows: ${status} ${text.slice(0, 300)}`)
  }
  const totalMs = times.reduce((a, b) => a + b, 0)
  return {
    rows: rows * batches,
    batches,
    totalMs: Math.round(totalMs),
    rowsPerS: Math.round((rows * batches * 1000) / totalMs),
  }
}

/**
 * `roster user import --csv` as an operator runs it (`npm run roster`: tsx, CSV parsing, the
 * progress bar off under --json), on the server's own durability, timed from spawn to exit.
 */
export async function importScenario(url: string, rows: number) {
  const seeder = await openSeeder(url)
  const { accountId } = await seeder.services.accounts.createAccount({
    name: 'import.com',
    domains: ['import.com'],
    adminEmail: 'admin@import.com',
    adminName: 'Admin',
  })
  await seeder.close()
  const dir = mkdtempSync(join(tmpdir(), 'bench-import-'))
  const csv = join(dir, 'people.csv')
  const lines = ['email,name,role']
  for (let i = 1; i <= rows; i++) lines.push(`person${i}@import.com,"Person ${i}, Imported",DEVELOPER`)
  writeFileSync(csv, `${lines.join('\r\n')}\r\n`)
  log(`  roster user import --csv (${rows} rows)`)
  const started = performance.now()
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli/main.ts',
      'user',
      'import',
      '--account',
      String(accountId),
      '--csv',
      csv,
      '--json',
    ],
    { env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' }, encoding: 'utf8', maxBuffer: 1 << 30 },
  )
  const ms = performance.now() - started
  rmSync(dir, { recursive: true, force: true })
  const summary = JSON.parse(result.stdout || '{}') as { added?: number; failed?: number }
  if (result.status !== 0 || summary.added !== rows)
    throw new Error(`roster user import failed (${result.status}): ${result.stderr.slice(0, 500)}`)
  return { rows, totalMs: Math.round(ms), rowsPerS: Math.round((rows * 1000) / ms) }
}
