/**
 * `npm run bench:profile -- <list|invite|webhooks|growth> [sqlite|pg] [seconds]`: one Roster under
 * the bench's load with `node --cpu-prof` (`webhooks`: inviteUsers on an account with an enabled
 * endpoint on a local receiver, so the profile shows what delivering costs the invitations), then the functions that took the most time by themselves
 * and with what they called. The .cpuprofile is kept (open it in Chrome DevTools for the flame
 * graph). This is how the hot paths in docs/benchmarks.md were found.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { load } from './lib/load.ts'
import { startServer } from './lib/process.ts'
import * as spec from './scenarios/specs.ts'
import {
  buildRoster,
  LOCAL_WEBHOOKS,
  openSeeder,
  postgresDatabase,
  seedTeam,
  sqliteDatabase,
  startArgs,
  UNLIMITED,
} from './systems/roster.ts'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

const [scenario = 'list', engine = 'sqlite', secondsArg = '10'] = process.argv.slice(2)
const seconds = Number(secondsArg)

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame
  const file = url.replace(/^.*\/(node_modules\/)?/, (m, nm) => (nm ? 'node_modules/' : '')).slice(-60)
  return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`
}

/** Self and inclusive time per function (summed over every place it was called from). */
function summarise(profile: Profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const self = new Map<string, number>()
  const total = new Map<string, number>()
  let all = 0
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0
    all += dt
    const node = byId.get(id)!
    self.set(label(node), (self.get(label(node)) ?? 0) + dt)
    const seen = new Set<string>()
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const name = label(byId.get(cur)!)
      if (seen.has(name)) continue
      seen.add(name)
      total.set(name, (total.get(name) ?? 0) + dt)
    }
  })
  const top = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => `${((100 * us) / all).toFixed(1).padStart(5)}%  ${name}`)
  return { self: top(self, 30), total: top(total, 45) }
}

async function main() {
  const db = engine === 'pg' ? await postgresDatabase() : sqliteDatabase()
  if (!db) throw new Error('PostgreSQL not reachable')
  const seeder = await openSeeder(db.url)
  const size = scenario === 'growth' ? 10_000 : 50
  const team = await seedTeam(seeder, 'acme.com', size, scenario === 'growth' ? 0 : 10)
  const receiver =
    scenario === 'webhooks'
      ? await startServer('receiver', ['--import', 'tsx', 'bench/systems/receiver.ts'], {})
      : undefined
  if (receiver)
    await seeder.services.webhooks.operator.create(team.accountId, { url: `${receiver.url}/hook` })
  await seeder.close()
  if (!process.env.NO_BUILD) buildRoster()
  const dir = mkdtempSync(join(tmpdir(), 'roster-profile-'))
  const server = await startServer('roster', ['--cpu-prof', '--cpu-prof-dir', dir, ...startArgs()], {
    DATABASE_URL: db.url,
    LOG_LEVEL: 'warn',
    ...UNLIMITED,
    ...LOCAL_WEBHOOKS,
  })
  const load_ =
    scenario === 'invite' || scenario === 'webhooks'
      ? spec.rosterInvite(team.apiKey, 'acme.com')
      : spec.rosterList(team.apiKey)
  const result = await load(server, load_, { connections: 10, durationS: seconds, warmupS: 2 })
  await server.stop()
  await receiver?.stop()
  await db.drop()
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))
  if (!file) throw new Error(`no profile written in ${dir}`)
  const { self, total } = summarise(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile)
  console.log(
    `${scenario} on ${engine}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, non-2xx ${result.non2xx}`,
  )
  console.log(
    `profile: ${join(dir, file)}\n\nself time:\n${self.join('\n')}\n\nwith callees:\n${total.join('\n')}`,
  )
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
