/**
 * `npm run bench [-- --quick]`: starts every system in its own process, checks each answers
 * correctly, loads them in interleaved rounds from this process, prints the table and writes
 * bench/results.json. Quick mode (CI smoke) only asserts that every system answered correctly.
 */
import { writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { expectAnswer } from './lib/check.ts'
import { interleave, ratio, summarise, type Contender } from './lib/compare.ts'
import { startServer, type ServerProcess } from './lib/process.ts'
import { renderTable, targetsOf } from './report.ts'
import * as spec from './scenarios/specs.ts'
import { startupScenario } from './scenarios/startup.ts'
import {
  buildRoster,
  openSeeder,
  postgresDatabase,
  seedTeam,
  sqliteDatabase,
  startRoster,
  type RosterDatabase,
} from './systems/roster.ts'

const quick = process.argv.includes('--quick')
const load = quick
  ? { connections: 10, durationS: 1, warmupS: 0 }
  : { connections: 10, durationS: 5, warmupS: 2 }
const rounds = quick ? 1 : 3
const growthSizes = quick ? [100, 1000] : [1000, 10_000, 100_000]
const log = (line: string) => process.stderr.write(`${line}\n`)

async function seedRoster(db: RosterDatabase, withGrowth: boolean) {
  const seeder = await openSeeder(db.url)
  try {
    const team = await seedTeam(seeder, 'acme.com', 50, 10)
    const invite = await seedTeam(seeder, 'invite.com', 1, 0)
    const growth: { size: number; apiKey: string }[] = []
    for (const size of withGrowth ? growthSizes : []) {
      const started = Date.now()
      growth.push({ size, apiKey: (await seedTeam(seeder, `big${size}.com`, size, 0)).apiKey })
      log(`  seeded ${size} members in ${Date.now() - started} ms`)
    }
    return { team, invite, growth }
  } finally {
    await seeder.close()
  }
}

async function main() {
  const servers: ServerProcess[] = []
  const databases: RosterDatabase[] = []
  try {
    log('seeding Roster on SQLite')
    const sqliteDb = sqliteDatabase()
    databases.push(sqliteDb)
    const lite = await seedRoster(sqliteDb, true)
    const pgDb = await postgresDatabase()
    if (pgDb) databases.push(pgDb)
    log(pgDb ? 'seeding Roster on PostgreSQL' : 'PostgreSQL not reachable: skipped')
    const pgSeed = pgDb ? await seedRoster(pgDb, false) : undefined

    log("building (npm start's prestart) and starting systems")
    buildRoster()
    const rosterLite = await startRoster('roster-sqlite', sqliteDb.url)
    servers.push(rosterLite)
    const rosterPg = pgDb ? await startRoster('roster-pg', pgDb.url) : undefined
    if (rosterPg) servers.push(rosterPg)
    const ba = await startServer(
      'better-auth',
      ['--import', 'tsx', 'bench/systems/better-auth.ts'],
      {},
      { waitForMessage: true },
    )
    servers.push(ba)
    const baToken = String(ba.message.token)
    const baOrg = String(ba.message.organizationId)

    log('checking answers')
    const teamBody = await expectAnswer(
      rosterLite,
      spec.rosterList(lite.team.apiKey),
      spec.isArrayOf(60),
      'getTeamData (50 + 10)',
    )
    const ceiling = await startServer('ceiling', ['--import', 'tsx', 'bench/systems/ceiling.ts'], {
      BENCH_BODY: teamBody,
    })
    servers.push(ceiling)
    await expectAnswer(
      ceiling,
      spec.ceilingList(),
      (_j, text) => text.length === teamBody.length,
      'the precomputed body',
    )
    if (rosterPg && pgSeed)
      await expectAnswer(
        rosterPg,
        spec.rosterList(pgSeed.team.apiKey),
        spec.isArrayOf(60),
        'getTeamData (50 + 10)',
      )
    await expectAnswer(ba, spec.betterAuthList(baToken, baOrg), spec.hasMembers(50), 'list-members (50)')
    await expectAnswer(
      rosterLite,
      spec.rosterInvite(lite.invite.apiKey, 'invite.com'),
      spec.isRosterInvite,
      'inviteUsers',
    )
    if (rosterPg && pgSeed)
      await expectAnswer(
        rosterPg,
        spec.rosterInvite(pgSeed.invite.apiKey, 'invite.com'),
        spec.isRosterInvite,
        'inviteUsers',
      )
    await expectAnswer(ba, spec.betterAuthInvite(baToken, baOrg), spec.isBetterAuthInvite, 'invite-member')
    for (const g of lite.growth)
      await expectAnswer(
        rosterLite,
        spec.rosterList(g.apiKey),
        spec.isArrayOf(g.size),
        `getTeamData (${g.size})`,
      )

    log('list a team of 50 members and 10 invitations')
    const listContenders: Contender[] = [
      { name: 'ceiling', server: ceiling, spec: spec.ceilingList() },
      { name: 'roster-sqlite', server: rosterLite, spec: spec.rosterList(lite.team.apiKey) },
      ...(rosterPg && pgSeed
        ? [{ name: 'roster-pg', server: rosterPg, spec: spec.rosterList(pgSeed.team.apiKey) }]
        : []),
      { name: 'better-auth', server: ba, spec: spec.betterAuthList(baToken, baOrg) },
    ]
    const list = await interleave(listContenders, rounds, load)

    log('invite distinct emails')
    const invite = await interleave(
      [
        {
          name: 'roster-sqlite',
          server: rosterLite,
          spec: spec.rosterInvite(lite.invite.apiKey, 'invite.com'),
        },
        ...(rosterPg && pgSeed
          ? [
              {
                name: 'roster-pg',
                server: rosterPg,
                spec: spec.rosterInvite(pgSeed.invite.apiKey, 'invite.com'),
              },
            ]
          : []),
        { name: 'better-auth', server: ba, spec: spec.betterAuthInvite(baToken, baOrg) },
      ],
      rounds,
      load,
    )

    log('getTeamData as the team grows')
    const growth = await interleave(
      lite.growth.map((g) => ({
        name: `members-${g.size}`,
        server: rosterLite,
        spec: spec.rosterList(g.apiKey),
      })),
      rounds,
      load,
    )

    for (const server of servers.splice(0)) await server.stop()
    log('start to healthy')
    const startup = await startupScenario(sqliteDb.url, quick ? 1 : 5)

    const [small, medium] = growthSizes
    const results = {
      date: new Date().toISOString(),
      mode: quick ? 'quick' : 'full',
      machine: {
        cpus: cpus().length,
        cpu: cpus()[0]?.model ?? 'unknown',
        memoryGb: Math.round(totalmem() / 2 ** 30),
        node: process.version,
      },
      load: { ...load, rounds },
      list: {
        systems: summarise(list),
        ratios: {
          vsCeiling: ratio(list, 'roster-sqlite', 'ceiling'),
          vsBetterAuth: ratio(list, 'roster-sqlite', 'better-auth'),
          pgVsCeiling: rosterPg ? ratio(list, 'roster-pg', 'ceiling') : null,
        },
      },
      invite: {
        systems: summarise(invite),
        ratios: {
          vsBetterAuth: ratio(invite, 'roster-sqlite', 'better-auth'),
          pgVsBetterAuth: rosterPg ? ratio(invite, 'roster-pg', 'better-auth') : null,
        },
      },
      growth: {
        sizes: growthSizes,
        systems: summarise(growth),
        costRatio: ratio(growth, `members-${small}`, `members-${medium}`),
      },
      startup,
    }
    const report = { ...results, targets: targetsOf(results) }
    writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(report, null, 2)}\n`)
    process.stdout.write(renderTable(report))
  } finally {
    for (const server of servers) await server.stop()
    for (const db of databases) await db.drop()
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`)
    process.exit(1)
  },
)
