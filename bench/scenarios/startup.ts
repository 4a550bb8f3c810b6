/**
 * Start to healthy, from spawn until /healthz answers: the command `npm start` runs after its
 * build step (node dist/server.mjs), on a fresh database (migrations included) and on an
 * existing, seeded one; and, for reference, the development path (tsx src/server.ts).
 */
import { createRequire } from 'node:module'
import { median } from '../lib/compare.ts'
import { startServer } from '../lib/process.ts'
import { sqliteDatabase, startArgs } from '../systems/roster.ts'

const tsxCli = createRequire(import.meta.url).resolve('tsx/cli')

async function once(url: string, args = startArgs()): Promise<number> {
  const server = await startServer('roster-start', args, { DATABASE_URL: url, LOG_LEVEL: 'warn' })
  await server.stop()
  return server.startMs
}

export async function startupScenario(existingUrl: string, runs: number) {
  const fresh: number[] = []
  const existing: number[] = []
  const dev: number[] = []
  for (let i = 0; i < runs; i++) {
    const db = sqliteDatabase()
    fresh.push(await once(db.url))
    await db.drop()
    existing.push(await once(existingUrl))
    dev.push(await once(existingUrl, [tsxCli, 'src/server.ts']))
  }
  return {
    freshMs: Math.round(median(fresh)),
    existingMs: Math.round(median(existing)),
    devMs: Math.round(median(dev)),
    runs: { fresh: fresh.map(Math.round), existing: existing.map(Math.round), dev: dev.map(Math.round) },
  }
}
