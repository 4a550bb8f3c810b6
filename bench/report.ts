/** The targets of issue 7, checked against one run, and the table printed (and kept in docs). */
import type { Summary } from './lib/compare.ts'

interface Results {
  date: string
  mode: string
  machine: { cpus: number; cpu: string; memoryGb: number; node: string }
  load: { connections: number; durationS: number; warmupS: number; rounds: number }
  list: {
    systems: Record<string, Summary>
    ratios: { vsCeiling: number; vsBetterAuth: number; pgVsCeiling: number | null }
  }
  invite: {
    systems: Record<string, Summary>
    ratios: { vsBetterAuth: number; pgVsBetterAuth: number | null }
  }
  growth: { sizes: number[]; systems: Record<string, Summary>; costRatio: number }
  startup: { freshMs: number; existingMs: number; devMs: number }
}

export interface Target {
  name: string
  value: number | null
  goal: string
  met: boolean | null
}

function target(name: string, value: number | null, op: '>=' | '<=', bound: number): Target {
  const met = value === null ? null : op === '>=' ? value >= bound : value <= bound
  return { name, value: value === null ? null : Math.round(value * 100) / 100, goal: `${op} ${bound}`, met }
}

export function targetsOf(r: Results): Target[] {
  const rosterRss = Math.max(
    ...[r.list.systems['roster-sqlite'], r.invite.systems['roster-sqlite']].map((s) => s?.peakRssMb ?? NaN),
  )
  return [
    target('getTeamData (50 + 10) / ceiling', r.list.ratios.vsCeiling, '>=', 0.5),
    target('getTeamData / Better Auth list-members', r.list.ratios.vsBetterAuth, '>=', 20),
    target('inviteUsers / Better Auth invite-member', r.invite.ratios.vsBetterAuth, '>=', 10),
    target(
      `getTeamData cost at ${r.growth.sizes[1]} / at ${r.growth.sizes[0]} members`,
      r.growth.costRatio,
      '<=',
      12,
    ),
    target('Roster peak RSS under load (MB)', rosterRss, '<=', 150),
    target('PostgreSQL getTeamData / ceiling', r.list.ratios.pgVsCeiling, '>=', 0.25),
    target('start to healthy, SQLite, existing database (ms)', r.startup.existingMs, '<=', 1500),
  ]
}

function rows(systems: Record<string, Summary>): string[] {
  return Object.entries(systems).map(
    ([name, s]) => `| ${name} | ${s.rps} | ${s.p50} | ${s.p99} | ${s.peakRssMb} | ${s.rounds.join(' / ')} |`,
  )
}

export function renderTable(r: Results & { targets: Target[] }): string {
  const head = [
    '| system | req/s (median) | p50 ms | p99 ms | peak RSS MB | req/s per round |',
    '|---|---:|---:|---:|---:|---|',
  ]
  const mark = (t: Target) => (t.met === null ? 'n/a' : t.met ? 'met' : 'MISSED')
  return [
    `Roster benchmarks, ${r.mode} mode, ${r.date}`,
    `${r.machine.cpus} × ${r.machine.cpu}, ${r.machine.memoryGb} GB, Node ${r.machine.node}; autocannon ${r.load.connections} connections, ${r.load.warmupS} s warm-up + ${r.load.durationS} s, ${r.load.rounds} interleaved rounds`,
    '',
    '### List a team of 50 members and 10 invitations',
    ...head,
    ...rows(r.list.systems),
    '',
    '### Invite distinct emails',
    ...head,
    ...rows(r.invite.systems),
    '',
    `### getTeamData as the team grows (${r.growth.sizes.join(', ')} members, Roster on SQLite)`,
    ...head,
    ...rows(r.growth.systems),
    '',
    `### Start to healthy, SQLite (median of runs)`,
    `\`node dist/server.mjs\` (npm start): fresh database ${r.startup.freshMs} ms, existing database ${r.startup.existingMs} ms; \`tsx src/server.ts\` (development): ${r.startup.devMs} ms`,
    '',
    '### Targets (ratios from the same run)',
    '| target | value | goal | |',
    '|---|---:|---|---|',
    ...r.targets.map((t) => `| ${t.name} | ${t.value ?? '-'} | ${t.goal} | ${mark(t)} |`),
    '',
  ].join('\n')
}
