/**
 * `npm run bench [-- [--quick] [--large] [scenario ...]]` (see lib/options.ts): starts every
 * system in its own process, checks each answers correctly, loads them in interleaved rounds from
 * this process, prints the table and writes bench/results.json. Quick mode (CI smoke) only
 * asserts that every system answered correctly.
 */
import { writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import { expectAnswer } from './lib/check.ts'
import { interleave, ratio, summarise, type Contender } from './lib/compare.ts'
import { benchOptions } from './lib/options.ts'
import { startServer, type ServerProcess } from './lib/process.ts'
import { renderTable, targetsOf, type Results } from './report.ts'
import { bulkScenario, importScenario, listTeamScenario, teamDataScenario } from './scenarios/large-teams.ts'
import * as spec from './scenarios/specs.ts'
import { startupScenario } from './scenarios/startup.ts'
import { webhooksScenario } from './scenarios/webhooks.ts'
import {
  buildRoster,
  openSeeder,
  postgresDatabase,
  seedTeam,
  sqliteDatabase,
  startRoster,
  type RosterDatabase,
} from './systems/roster.ts'

const options = benchOptions(process.argv.slice(2))
const { quick, load, rounds, has } = options
const log = (line: string) => process.stderr.write(`${line}\n`)
const needsGrowth = has('growth') || has('listTeam') || has('teamData')
const needsPeers = has('list') || has('invite')

async function seedRoster(db: RosterDatabase, withGrowth: boolean) {
  const seeder = await openSeeder(db.url)
  try {
    const team = await seedTeam(seeder, 'acme.com', 50, 10)
    const invite = await seedTeam(seeder, 'invite.com', 1, 0)
    const bulk = await seedTeam(seeder, 'bulk.com', 1, 0)
    const growth: { size: number; apiKey: string }[] = []
    for (const size of withGrowth ? options.sizes : []) {
      const started = Date.now()
      growth.push({ size, apiKey: (await seedTeam(seeder, `big${size}.com`, size, 0)).apiKey })
      log(`  seeded ${size} members in ${Date.now() - started} ms`)
    }
    return { team, invite, bulk, growth }
  } finally {
    await seeder.close()
  }
}

function betterAuth(name: string, env: Record<string, string> = {}) {
  // It seeds itself before it answers /healthz: 50 sign-ups, each hashing a password with scrypt,
  // which takes minutes on a loaded 2-core machine.
  return startServer(name, ['--import', 'tsx', 'bench/systems/better-auth.ts'], env, {
    waitForMessage: true,
    timeoutMs: 600_000,
  })
}

async function main() {
  const servers: ServerProcess[] = []
  const databases: RosterDatabase[] = []
  const results: Results = {
    date: new Date().toISOString(),
    mode: `${quick ? 'quick' : 'full'}${options.large ? ' large' : ''}: ${[...options.selected].join(' ')}`,
    machine: {
      cpus: cpus().length,
      cpu: cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      loadAverageAtStart: loadavg().map((l) => Math.round(l * 10) / 10),
    },
    load: { ...load, rounds },
  }
  try {
    log('seeding Roster on SQLite')
    const sqliteDb = sqliteDatabase()
    databases.push(sqliteDb)
    const lite = await seedRoster(sqliteDb, needsGrowth)
    const pgDb = needsPeers ? await postgresDatabase() : undefined
    if (pgDb) databases.push(pgDb)
    if (needsPeers) log(pgDb ? 'seeding Roster on PostgreSQL' : 'PostgreSQL not reachable: skipped')
    const pgSeed = pgDb ? await seedRoster(pgDb, false) : undefined
    const baPgDb = pgDb ? await postgresDatabase('better_auth') : undefined
    if (baPgDb) databases.push(baPgDb)

    log("building (npm start's prestart) and starting systems")
    buildRoster()
    const rosterLite = await startRoster('roster-sqlite', sqliteDb.url)
    servers.push(rosterLite)
    const rosterPg = pgDb ? await startRoster('roster-pg', pgDb.url) : undefined
    if (rosterPg) servers.push(rosterPg)

    if (needsPeers) {
      const ba = await betterAuth('better-auth')
      servers.push(ba)
      const baToken = String(ba.message.token)
      const baOrg = String(ba.message.organizationId)
      // Better Auth on PostgreSQL too: roster-pg is compared with the same engine.
      const baPg = baPgDb ? await betterAuth('better-auth-pg', { BENCH_BA_PG_URL: baPgDb.url }) : undefined
      if (baPg) servers.push(baPg)
      const baPgToken = String(baPg?.message.token)
      const baPgOrg = String(baPg?.message.organizationId)

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
      await expectAnswer(ceiling, spec.ceilingList(), (_j, text) => text === teamBody, 'the precomputed body')
      if (rosterPg && pgSeed) {
        await expectAnswer(
          rosterPg,
          spec.rosterList(pgSeed.team.apiKey),
          spec.isArrayOf(60),
          'getTeamData (50 + 10)',
        )
        await expectAnswer(
          rosterPg,
          spec.rosterInvite(pgSeed.invite.apiKey, 'invite.com'),
          spec.isRosterInvite,
          'inviteUsers',
        )
      }
      for (const [server, token, org] of [
        [ba, baToken, baOrg],
        ...(baPg ? [[baPg, baPgToken, baPgOrg]] : []),
      ] as [ServerProcess, string, string][]) {
        await expectAnswer(server, spec.betterAuthList(token, org), spec.hasMembers(50), 'list-members (50)')
        await expectAnswer(
          server,
          spec.betterAuthInvite(token, org),
          spec.isBetterAuthInvite,
          'invite-member',
        )
      }
      await expectAnswer(
        rosterLite,
        spec.rosterInvite(lite.invite.apiKey, 'invite.com'),
        spec.isRosterInvite,
        'inviteUsers',
      )

      if (has('list')) {
        log('list a team of 50 members and 10 invitations')
        const listContenders: Contender[] = [
          { name: 'ceiling', server: ceiling, spec: spec.ceilingList() },
          { name: 'roster-sqlite', server: rosterLite, spec: spec.rosterList(lite.team.apiKey) },
          ...(rosterPg && pgSeed
            ? [{ name: 'roster-pg', server: rosterPg, spec: spec.rosterList(pgSeed.team.apiKey) }]
            : []),
          { name: 'better-auth', server: ba, spec: spec.betterAuthList(baToken, baOrg) },
          ...(baPg
            ? [{ name: 'better-auth-pg', server: baPg, spec: spec.betterAuthList(baPgToken, baPgOrg) }]
            : []),
        ]
        const list = await interleave(listContenders, rounds, load)
        results.list = {
          systems: summarise(list),
          ratios: {
            vsCeiling: ratio(list, 'roster-sqlite', 'ceiling'),
            vsBetterAuth: ratio(list, 'roster-sqlite', 'better-auth'),
            pgVsCeiling: rosterPg ? ratio(list, 'roster-pg', 'ceiling') : null,
            pgVsBetterAuthPg: baPg ? ratio(list, 'roster-pg', 'better-auth-pg') : null,
          },
        }
      }

      if (has('invite')) {
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
            ...(baPg
              ? [{ name: 'better-auth-pg', server: baPg, spec: spec.betterAuthInvite(baPgToken, baPgOrg) }]
              : []),
          ],
          rounds,
          load,
        )
        results.invite = {
          systems: summarise(invite),
          ratios: {
            vsBetterAuth: ratio(invite, 'roster-sqlite', 'better-auth'),
            pgVsBetterAuthPg: baPg ? ratio(invite, 'roster-pg', 'better-auth-pg') : null,
            pgVsBetterAuthSqlite: rosterPg ? ratio(invite, 'roster-pg', 'better-auth') : null,
          },
        }
      }
    }

    for (const g of lite.growth)
      await expectAnswer(
        rosterLite,
        spec.rosterList(g.apiKey),
        spec.isArrayOf(g.size),
        `getTeamData (${g.size})`,
      )
    if (has('growth')) {
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
      const [small, medium] = options.sizes
      results.growth = {
        sizes: options.sizes,
        systems: summarise(growth),
        costRatio: ratio(growth, `members-${small}`, `members-${medium}`),
      }
    }
    if (has('listTeam')) {
      log('listTeam first page as the team grows, and searches at the largest size')
      results.listTeam = await listTeamScenario(rosterLite, lite.growth, rounds, load)
    }
    if (has('teamData')) {
      log(
        `getTeamData of ${lite.growth.at(-1)!.size} members vs a bare node:http server sending the same bytes`,
      )
      results.teamData = await teamDataScenario(rosterLite, lite.growth.at(-1)!, rounds)
    }
    if (has('bulk')) {
      log(`inviteUsersBulk: ${options.bulkBatches} requests of 1000 rows`)
      results.bulk = await bulkScenario(rosterLite, lite.bulk.apiKey, 'bulk.com', options.bulkBatches)
    }

    for (const server of servers.splice(0)) await server.stop()
    if (has('import')) {
      const importDb = sqliteDatabase()
      databases.push(importDb)
      results.import = await importScenario(importDb.url, options.importRows)
    }
    if (has('webhooks')) {
      log('webhooks')
      results.webhooks = await webhooksScenario(options.webhookEvents, options.webhookRounds, load)
    }
    if (has('startup')) {
      log('start to healthy')
      results.startup = await startupScenario(sqliteDb.url, quick ? 1 : 5)
    }
    results.machine.loadAverageAtEnd = loadavg().map((l) => Math.round(l * 10) / 10)

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
