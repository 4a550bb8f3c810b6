/**
 * Start to healthy: the command `npm start` runs (tsx src/server.ts), from spawn until /healthz
 * answers, on a fresh database (migrations included) and on an existing, seeded one.
 */
import { createRequire } from 'node:module'
import { median } from '../lib/compare.ts'
import { startServer } from '../lib/process.ts'
import { sqliteDatabase } from '../systems/roster.ts'

const tsxCli = createRequire(import.meta.url).resolve('tsx/cli')

async function once(url: string): Promise<number> {
  const server = await startServer('roster-start', [tsxCli, 'src/server.ts'], { DATABASE_URL: url, LOG_LEVEL: 'warn' })
  await server.stop()
  return server.startMs
}

export async function startupScenario(existingUrl: string, runs: number) {
  const fresh: number[] = []
  const existing: number[] = []
  for (let i = 0; i < runs; i++) {
    const db = sqliteDatabase()
    fresh.push(await once(db.url))
    await db.drop()
    existing.push(await once(existingUrl))
  }
  return {
    freshMs: Math.round(median(fresh)),
    existingMs: Math.round(median(existing)),
    runs: { fresh: fresh.map(Math.round), existing: existing.map(Math.round) },
  }
}
