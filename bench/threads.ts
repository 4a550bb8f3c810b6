/**
 * `npm run bench:threads -- [rounds] [seconds]`: where an enabled webhook endpoint's cost goes.
 * One Roster on SQLite (the bundle, as `npm start` runs it) and a local receiver; inviteUsers on
 * an account without an endpoint and on one with an endpoint, in turn, each round. For each
 * load: CPU time per invitation of the server's main thread, of its sender thread (the one at
 * nice 10, webhook.sender-thread.ts) and of its other threads together, of the receiver and of
 * the load generator (this process), from /proc (Linux), and how idle the machine was; and how
 * often the main thread was preempted and how long it waited for a CPU (the main thread is the
 * bound: time it spends runnable but not running is throughput lost).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { median } from './lib/compare.ts'
import { load } from './lib/load.ts'
import { startServer } from './lib/process.ts'
import * as spec from './scenarios/specs.ts'
import {
  buildRoster,
  LOCAL_WEBHOOKS,
  openSeeder,
  seedTeam,
  sqliteDatabase,
  startRoster,
} from './systems/roster.ts'

const [roundsArg = '5', secondsArg = '5'] = process.argv.slice(2)

/** Fields after the command name in a /proc stat line. */
const fields = (path: string) => {
  const stat = readFileSync(path, 'utf8')
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
}
/** utime + stime, ms (USER_HZ is 100 on Linux). */
const cpuMs = (f: string[]) => (Number(f[11]) + Number(f[12])) * 10

function threadsOf(pid: number) {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const f = fields(`/proc/${pid}/task/${tid}/stat`)
    return { tid, ms: cpuMs(f), nice: Number(f[16]) }
  })
}

function machine() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number)
  return { idle: f[3]! + f[4]!, all: f.reduce((a, b) => a + b, 0) }
}

/** The main thread's involuntary context switches, and its time runnable but waiting (ms). */
function preemptions(pid: number) {
  const status = readFileSync(`/proc/${pid}/task/${pid}/status`, 'utf8')
  const switches = Number(/^nonvoluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? NaN)
  // schedstat: time on the CPU, time waiting on a run queue (ns), timeslices.
  const waitNs = Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[1])
  return { switches, waitMs: waitNs / 1e6 }
}

function sample(server: number, receiver: number) {
  const threads = threadsOf(server)
  return {
    preempted: preemptions(server),
    main: threads.find((t) => t.tid === String(server))!.ms,
    sender: threads.filter((t) => t.nice > 0).reduce((n, t) => n + t.ms, 0),
    other: threads.filter((t) => t.tid !== String(server) && t.nice <= 0).reduce((n, t) => n + t.ms, 0),
    receiver: cpuMs(fields(`/proc/${receiver}/stat`)),
    load: cpuMs(fields(`/proc/${process.pid}/stat`)),
    machine: machine(),
  }
}

async function main() {
  const rounds = Number(roundsArg)
  const seconds = Number(secondsArg)
  const receiver = await startServer('receiver', ['--import', 'tsx', 'bench/systems/receiver.ts'], {})
  const db = sqliteDatabase()
  const seeder = await openSeeder(db.url)
  const hook = await seedTeam(seeder, 'hook.com', 1, 0)
  await seeder.services.webhooks.operator.create(hook.accountId, { url: `${receiver.url}/hook` })
  const none = await seedTeam(seeder, 'nohook.com', 1, 0)
  await seeder.close()
  if (!process.env.NO_BUILD) buildRoster()
  const roster = await startRoster('roster', db.url, LOCAL_WEBHOOKS)
  const ratios: number[] = []
  try {
    for (let round = 0; round < rounds; round++) {
      const rps = { 'no endpoint': NaN, 'one endpoint': NaN }
      const loads = [
        ['no endpoint', none, 'nohook.com'],
        ['one endpoint', hook, 'hook.com'],
      ] as const
      // The order alternates each round, as in `npm run bench`: neither load always runs second,
      // on the larger database.
      for (const [name, team, domain] of round % 2 === 0 ? loads : [...loads].reverse()) {
        const invite = spec.rosterInvite(team.apiKey, domain)
        await load(roster, invite, { connections: 10, durationS: 1, warmupS: 0 })
        const before = sample(roster.child.pid!, receiver.child.pid!)
        const result = await load(roster, invite, { connections: 10, durationS: seconds, warmupS: 0 })
        const after = sample(roster.child.pid!, receiver.child.pid!)
        const us = (key: 'main' | 'sender' | 'other' | 'receiver' | 'load') =>
          Math.round(((after[key] - before[key]) * 1000) / result.requests)
        const idle = (after.machine.idle - before.machine.idle) / (after.machine.all - before.machine.all)
        const preempted = (after.preempted.switches - before.preempted.switches) / result.requests
        const waitUs = ((after.preempted.waitMs - before.preempted.waitMs) * 1000) / result.requests
        rps[name] = result.rps
        console.log(
          `${name.padEnd(12)} ${Math.round(result.rps)} req/s | CPU µs per invitation: main ${us('main')}, sender ${us('sender')}, other threads ${us('other')}, receiver ${us('receiver')}, load generator ${us('load')} | machine ${Math.round(100 * idle)} % idle | main preempted ${preempted.toFixed(2)} times, waited ${waitUs.toFixed(1)} µs`,
        )
      }
      ratios.push(rps['one endpoint'] / rps['no endpoint'])
    }
  } finally {
    await roster.stop()
    await receiver.stop()
    await db.drop()
  }
  console.log(
    `with an endpoint / without, per round: ${ratios.map((r) => r.toFixed(2)).join(' ')}; median ${median(ratios).toFixed(2)}`,
  )
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
