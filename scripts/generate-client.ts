/**
 * `npm run client:generate`: builds Roster in-process on a throw-away database, reads the OpenAPI
 * document it serves at /openapi.json and writes clients/typescript/src/schema.ts from it.
 * test/large-teams/client-sync.test.ts fails when the file is out of date.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import { buildApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { CLIENT_TYPES_PATH, clientTypes } from './client-types.ts'

const dir = mkdtempSync(join(tmpdir(), 'roster-client-'))
try {
  const app = await buildApp(loadConfig({ DATABASE_URL: join(dir, 'roster.db'), LOG_LEVEL: 'silent' }), {
    logger: pino({ level: 'silent' }),
  })
  const res = await app.server.inject({ method: 'GET', url: '/openapi.json' })
  await app.server.close()
  writeFileSync(CLIENT_TYPES_PATH, await clientTypes(JSON.parse(res.body)))
  process.stdout.write(`wrote ${CLIENT_TYPES_PATH}\n`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
