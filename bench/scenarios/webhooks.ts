/**
 * Issue 12's figures, on SQLite: how fast the worker delivers a backlog of events to a local
 * receiver (a real HTTP server in its own process), and what an enabled endpoint costs
 * inviteUsers (the worker fanning the invitation's audit event out to a delivery row, and sending
 * it, from the same process), as a ratio within the same rounds: an account with no endpoint vs
 * one with an endpoint, on the same server.
 */
import { expectAnswer } from '../lib/check.ts'
import { interleave, ratio, summarise } from '../lib/compare.ts'
import type { LoadOptions } from '../lib/load.ts'
import { startServer, type ServerProcess } from '../lib/process.ts'
import { LOCAL_WEBHOOKS, openSeeder, seedTeam, sqliteDatabase, startRoster } from '../systems/roster.ts'
import * as spec from './specs.ts'

const log = (line: string) => process.stderr.write(`${line}\n`)

interface Stats {
  count: number
  first: number
  last: number
}

const stats = async (receiver: ServerProcess) =>
  (await (await fetch(`${receiver.url}/stats`)).json()) as Stats

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

export async function webhooksScenario(events: number, rounds: number, load: LoadOptions) {
  const receiver = await startServer('receiver', ['--import', 'tsx', 'bench/systems/receiver.ts'], {})
  const db = sqliteDatabase()
  let roster: ServerProcess | undefined
  try {
    const seeder = await openSeeder(db.url)
    const hookUrl = `${receiver.url}/hook`
    // The backlog: `events` invitation.created events committed before the server (and so its
    // worker) starts, then drained as fast as the worker goes.
    const backlog = await seedTeam(seeder, 'events.com', 1, 0)
    await seeder.services.webhooks.operator.create(backlog.accountId, { url: hookUrl })
    const actor = await seeder.services.apiKeys.authenticate(backlog.apiKey)
    if (!actor) throw new Error('seeded key does not authenticate')
    const rows = Array.from({ length: events }, (_, i) => ({
      inviteeEmail: `e${i}@events.com`,
      inviteeRole: 'GUEST',
    }))
    const made = await seeder.services.bulkInvitations.inviteMany(
      { actor, ip: null, userAgent: 'bench' },
      rows,
    )
    if (!made.every((r) => r.ok)) throw new Error('backlog invitations refused')
    const withHook = await seedTeam(seeder, 'hook.com', 1, 0)
    await seeder.services.webhooks.operator.create(withHook.accountId, { url: hookUrl })
    const without = await seedTeam(seeder, 'nohook.com', 1, 0)
    await seeder.close()

    log(`  delivering a backlog of ${events} events`)
    roster = await startRoster('roster-webhooks', db.url, LOCAL_WEBHOOKS)
    const server = roster
    await until('the backlog delivered', async () => (await stats(receiver)).count >= events, 300_000)
    const drained = await stats(receiver)
    if (drained.count !== events)
      throw new Error(`receiver got ${drained.count} deliveries, expected ${events}`)
    const drainMs = drained.last - drained.first
    const delivery = {
      events,
      ms: Math.round(drainMs),
      perS: Math.round(((events - 1) * 1000) / drainMs),
    }

    log('  inviteUsers with and without an enabled endpoint')
    const withSpec = spec.rosterInvite(withHook.apiKey, 'hook.com')
    const withoutSpec = spec.rosterInvite(without.apiKey, 'nohook.com')
    await expectAnswer(server, withSpec, spec.isRosterInvite, 'inviteUsers (endpoint)')
    await expectAnswer(server, withoutSpec, spec.isRosterInvite, 'inviteUsers (no endpoint)')
    const before = (await stats(receiver)).count
    const results = await interleave(
      [
        { name: 'no-endpoint', server, spec: withoutSpec },
        { name: 'one-endpoint', server, spec: withSpec },
      ],
      rounds,
      load,
    )
    const invited = results['one-endpoint']!.reduce((n, r) => n + r.requests, 0)
    const deliveredDuringLoad = (await stats(receiver)).count - before
    return {
      delivery,
      invite: {
        systems: summarise(results),
        /** Throughput with an endpoint over without (1 = free; the goal is a cost under 10 %). */
        withOverWithout: ratio(results, 'one-endpoint', 'no-endpoint'),
        /** Timed invitations with the endpoint (warm-ups not counted) and deliveries the receiver got meanwhile. */
        invitedWithEndpoint: invited,
        deliveredDuringLoad,
      },
    }
  } finally {
    await roster?.stop()
    await receiver.stop()
    await db.drop()
  }
}
